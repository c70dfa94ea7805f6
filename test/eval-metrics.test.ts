import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';
import { crossCheckRecord, docTypeLeaves, fieldEqual, leaves, normText, schemaLeaves } from '../eval/fields.js';
import { SelfEvaluation as SelfEvaluationSchema } from '../src/schema/records.js';
import {
  alignRecords,
  compareRecord,
  evaluateDocument,
  levenshtein,
  matchFindings,
  prf,
  similarity,
  totalOf,
  type FindingLike,
  type FormMetaLike,
  type PredictedDocument,
} from '../eval/metrics.js';

const row = (initialBudget: number | null, weight: number | null = null, score: number | null = null) => ({
  initialBudget,
  annualBudget: initialBudget,
  executed: initialBudget,
  weight,
  executionRate: initialBudget === null ? null : 100,
  score,
});

/** 51 leaves: 6 top-level scalars + 4 funding rows × 6 + 2 goals + 2 indicators × 8 + 3. */
function goldSelfEval(name = '社保档案资料管理费'): SelfEvaluation {
  return {
    docType: 'self_evaluation',
    year: 2024,
    projectName: name,
    department: '上海市人力资源和社会保障局',
    implementingUnit: '上海市社会保险事业管理中心',
    moneyUnit: '万元',
    funding: { total: row(968.59, 10, 10), currentYearFiscal: row(968.59), carryover: row(0), other: row(null) },
    goals: { expected: '保障档案资料安全保管。', actual: '档案库房保管安全。' },
    indicators: [
      {
        level1: '产出指标',
        level2: '数量指标',
        name: '库房电子化管理计划完成率',
        target: '=100.00(%)',
        actual: '98.00(%)',
        weight: 10,
        score: 8,
        deviationReason: '存在少量档案尚未实现电子化。',
      },
      {
        level1: '产出指标',
        level2: '质量指标',
        name: '档案损坏率',
        target: '=0(%)',
        actual: '0(%)',
        weight: 5,
        score: 5,
        deviationReason: null,
      },
    ],
    totalWeight: 100,
    totalScore: 94.94,
    grade: null,
  };
}

function goldTarget(name: string): TargetDeclaration {
  return {
    docType: 'target_declaration',
    year: 2022,
    projectName: name,
    projectCategory: '一次性项目',
    department: null,
    implementingUnit: null,
    plannedStart: '2022-01-01',
    plannedEnd: '2022-12-31',
    moneyUnit: '元',
    funding: {
      projectTotal: 1,
      projectFiscal: 1,
      projectOther: null,
      annualTotal: 1,
      annualFiscal: 1,
      annualCarryover: null,
      annualOther: null,
    },
    goals: { overallPeriod: '2022年-2022年', overall: 'a', annual: 'b' },
    indicators: [{ level1: '产出指标', level2: '数量指标', name: 'x', target: '=9块' }],
  };
}

const clone = <T>(x: T): T => structuredClone(x);

describe('normText / fieldEqual', () => {
  it('applies NFKC and strips all whitespace', () => {
    expect(normText(' ＝１００\u3000％\n(万元)\t')).toBe('=100%(万元)');
    expect(fieldEqual('社保档案 资料\n管理费', '社保档案资料管理费')).toBe(true);
    expect(fieldEqual('≥95%', '≥９５％')).toBe(true);
  });
  it('compares numbers within 1e-9 and keeps types apart', () => {
    expect(fieldEqual(99.35, 99.35 + 1e-12)).toBe(true);
    expect(fieldEqual(99.35, 99.351)).toBe(false);
    expect(fieldEqual(100, '100')).toBe(false);
    expect(fieldEqual(null, null)).toBe(true);
    expect(fieldEqual(null, 0)).toBe(false);
    expect(fieldEqual('', null)).toBe(false);
  });
});

describe('leaf walk', () => {
  it('yields every scalar leaf with index paths and * patterns', () => {
    const ls = leaves(goldSelfEval());
    expect(ls).toHaveLength(51);
    expect(ls.map((l) => l.path)).toContain('funding.total.executionRate');
    const score = ls.find((l) => l.path === 'indicators.1.score');
    expect(score).toEqual({ path: 'indicators.1.score', pattern: 'indicators.*.score', value: 5 });
    // null leaves are fields too
    expect(ls.find((l) => l.path === 'grade')?.value).toBeNull();
  });
  it('skips empty arrays/objects and undefined', () => {
    expect(leaves({ a: [], b: {}, c: undefined, d: [{ e: 1 }, { e: null }] })).toEqual([
      { path: 'd.0.e', pattern: 'd.*.e', value: 1 },
      { path: 'd.1.e', pattern: 'd.*.e', value: null },
    ]);
  });
  it('derives the schema leaf patterns from zod', () => {
    const patterns = schemaLeaves(SelfEvaluationSchema).map((l) => l.pattern);
    expect(patterns).toHaveLength(6 + 24 + 2 + 8 + 3);
    expect(patterns).toContain('indicators.*.deviationReason');
    expect(docTypeLeaves('target_declaration').get('funding.annualCarryover')).toEqual({
      pattern: 'funding.annualCarryover',
      kind: 'number',
      nullable: true,
    });
    expect(docTypeLeaves('self_evaluation').get('docType')?.kind).toBe('string');
  });
  it('cross-checks a record against its schema', () => {
    expect(crossCheckRecord(goldSelfEval())).toEqual([]);
    const bad = clone(goldSelfEval()) as unknown as Record<string, unknown>;
    bad['extra'] = 1;
    delete bad['grade'];
    bad['year'] = '2024';
    const inds = bad['indicators'] as Record<string, unknown>[];
    delete inds[1]!['score'];
    const issues = crossCheckRecord(bad);
    expect(issues).toEqual(
      expect.arrayContaining([
        'extra: not a field of the self_evaluation schema',
        'grade: schema field missing from the record',
        'year: string where the schema has number | null',
      ]),
    );
    expect(issues).toHaveLength(3); // indicators.*.score still present on row 0
    // array-element fields are only required where the array has elements
    expect(crossCheckRecord({ ...goldSelfEval(), indicators: [] })).toEqual([]);
  });
  it('gold samples agree with the schema', () => {
    const dir = join(import.meta.dirname, '..', 'samples');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.gold.json'))) {
      const gold = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { records: unknown[] };
      for (const r of gold.records) expect(crossCheckRecord(r), f).toEqual([]);
    }
  });
});

describe('prf', () => {
  it('computes micro P/R/F1 with the empty cases', () => {
    expect(prf({ tp: 48, fp: 10, fn: 2 })).toEqual({ precision: 48 / 58, recall: 48 / 50, f1: 96 / 108 });
    expect(prf({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(prf({ tp: 0, fp: 0, fn: 3 })).toEqual({ precision: null, recall: 0, f1: 0 });
    expect(prf({ tp: 0, fp: 2, fn: 0 })).toEqual({ precision: 0, recall: null, f1: 0 });
  });
});

describe('compareRecord on a mutated gold record', () => {
  it('counts tp/fp/fn as specified', () => {
    const gold = goldSelfEval();
    const pred = clone(gold);
    pred.projectName = '社保档案 资料\n管理费'; // whitespace only: right
    pred.funding.total.executionRate = 100 + 1e-12; // within 1e-9: right
    pred.indicators[1]!.score = 4; // wrong: fp + fn
    pred.goals.actual = null; // gold value, predicted null: fn
    pred.grade = '优'; // gold null, predicted value: fp
    pred.indicators.push({ ...gold.indicators[1]!, name: 'extra row' }); // 8 extra leaves: fp × 8
    (pred as unknown as Record<string, unknown>)['confidence'] = 0.9; // not a schema field: ignored

    const cmp = compareRecord(gold, pred, { gold: 0, pred: 0 });
    // 51 gold leaves − 1 wrong − 1 missed − 1 (grade) = 48 TP; FP = 1 + 1 + 8; FN = 1 + 1
    expect(cmp.counts).toEqual({ tp: 48, fp: 10, fn: 2 });
    expect(prf(cmp.counts).f1).toBeCloseTo(96 / 108, 12);
    expect(cmp.ignoredLeaves).toBe(1);
    expect(cmp.indicatorRows).toEqual({ correct: 1, total: 2 });
    expect(cmp.goals).toEqual([
      { path: 'goals.expected', similarity: 1 },
      { path: 'goals.actual', similarity: 0 },
    ]);
    const byPath = new Map(cmp.diffs.map((d) => [d.path, d]));
    expect(byPath.get('indicators.1.score')).toMatchObject({ kind: 'wrong', gold: 5, predicted: 4 });
    expect(byPath.get('goals.actual')).toMatchObject({ kind: 'missed', predicted: null });
    expect(byPath.get('grade')).toMatchObject({ kind: 'extra', gold: null, predicted: '优' });
    expect(byPath.get('indicators.2.name')).toMatchObject({ kind: 'extra', predicted: 'extra row' });
    expect(byPath.get('indicators.2.name')).not.toHaveProperty('gold');
    expect(cmp.diffs).toHaveLength(3 + 8);
  });

  it('a missing array element counts all its leaves missed, a lost record all fields', () => {
    const gold = goldSelfEval();
    const pred = clone(gold);
    pred.indicators.pop();
    expect(compareRecord(gold, pred).counts).toEqual({ tp: 43, fp: 0, fn: 8 });
    const lost = compareRecord(gold, null, { gold: 0, pred: null });
    expect(lost.counts).toEqual({ tp: 0, fp: 0, fn: 51 });
    expect(lost.indicatorRows).toEqual({ correct: 0, total: 2 });
    expect(compareRecord(null, gold, { gold: null, pred: 0 }).counts).toEqual({ tp: 0, fp: 51, fn: 0 });
  });

  it('partial goal text gets a partial similarity', () => {
    const gold = goldSelfEval();
    const pred = clone(gold);
    pred.goals.expected = '保障档案资料安全保管'; // 11 chars in gold, one dropped
    const cmp = compareRecord(gold, pred);
    expect(cmp.goals[0]!.similarity).toBeCloseTo(1 - 1 / 11, 12);
    expect(cmp.counts).toEqual({ tp: 50, fp: 1, fn: 1 });
  });
});

describe('similarity', () => {
  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('上海市社保', '上海社保局')).toBe(2);
    expect(levenshtein('𠀀a', 'a')).toBe(1); // code points, not UTF-16 units
  });
  it('is 1 − distance / max length on normalised strings', () => {
    expect(similarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(similarity('', '')).toBe(1);
    expect(similarity('a b\nc', 'ＡＢＣ'.toLowerCase())).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
  });
  it('handles ~1500-char strings quickly', () => {
    const a = '档案资料数字化计划完成率'.repeat(125);
    const b = a.slice(0, 700) + '库房' + a.slice(702);
    const t0 = performance.now();
    expect(similarity(a, b)).toBeCloseTo(1 - 2 / 1500, 12);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('alignRecords', () => {
  it('pairs by docType + normalised project name first', () => {
    const gold = [goldSelfEval('A'), goldSelfEval('B'), goldTarget('B')];
    const pred = [goldTarget('B'), goldSelfEval('Ｂ'), goldSelfEval('A ')];
    const a = alignRecords(gold, pred);
    expect(a.pairs).toEqual([
      { gold: 0, pred: 2, by: 'name' },
      { gold: 1, pred: 1, by: 'name' },
      { gold: 2, pred: 0, by: 'name' },
    ]);
    expect(a.unmatchedGold).toEqual([]);
    expect(a.unmatchedPred).toEqual([]);
  });
  it('falls back to order within the gap between name-matched neighbours', () => {
    const gold = [goldSelfEval('A'), goldSelfEval('B'), goldSelfEval('C'), goldSelfEval('D')];
    // B lost, C's name mangled, an extra record at the end
    const pred = [goldSelfEval('A'), goldSelfEval('C?'), goldSelfEval('D'), goldSelfEval('E')];
    const a = alignRecords(gold, pred);
    // B takes C? (first in the gap between A and D); C is then not found; E is extra
    expect(a.pairs).toEqual([
      { gold: 0, pred: 0, by: 'name' },
      { gold: 1, pred: 1, by: 'order' },
      { gold: 3, pred: 2, by: 'name' },
    ]);
    expect(a.unmatchedGold).toEqual([2]);
    expect(a.unmatchedPred).toEqual([3]);
  });
  it('uses the forms when there is one form per gold record', () => {
    const gold = [goldSelfEval('A'), goldSelfEval('B'), goldSelfEval('C')];
    const pred = [goldSelfEval('A'), goldSelfEval('C?')];
    const forms: FormMetaLike[] = [
      { index: 0, docType: 'self_evaluation', title: 't', status: 'parsed', record: 0 },
      { index: 1, docType: 'self_evaluation', title: 't', status: 'unparsed', reason: 'no indicator table' },
      { index: 2, docType: 'self_evaluation', title: 't', status: 'parsed', record: 1 },
    ];
    const a = alignRecords(gold, pred, forms);
    expect(a.pairs).toEqual([
      { gold: 0, pred: 0, by: 'name' },
      { gold: 2, pred: 1, by: 'form' },
    ]);
    expect(a.unmatchedGold).toEqual([1]);
    expect(a.refused.get(1)).toEqual({ form: 1, status: 'unparsed', reason: 'no indicator table' });
  });
});

describe('matchFindings', () => {
  const f = (record: number, rule: string, where: string, severity = 'error'): FindingLike => ({ record, rule, where, severity });
  it('matches by aligned record, rule and normalised where, as a multiset', () => {
    const gold = [f(0, 'funding.rate', 'funding.total.executionRate'), f(1, 'indicator.met_but_deducted', '满意度'), f(1, 'indicator.met_but_deducted', '满意度')];
    const pred = [
      f(5, 'funding.rate', 'funding.total. executionRate'), // pred record 5 ↔ gold 0
      f(1, 'indicator.met_but_deducted', '满意度'), // pred 1 ↔ gold 1
      f(0, 'total.score', 'totalScore'), // pred 0 has no gold record
    ];
    const m = matchFindings(gold, pred, new Map([[5, 0], [1, 1]]));
    expect(m.counts).toEqual({ tp: 2, fp: 1, fn: 1 });
    expect(m.missed).toEqual([gold[2]]);
    expect(m.extra).toEqual([pred[2]]);
    expect(prf(m.counts)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
  });
  it('both empty → P = R = 1', () => {
    expect(prf(matchFindings([], [], new Map()).counts)).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('evaluateDocument / totalOf', () => {
  const parsedForms = (n: number): FormMetaLike[] =>
    Array.from({ length: n }, (_, i) => ({ index: i, docType: 'self_evaluation', title: 't', status: 'parsed' as const, record: i }));

  it('scores a document, with unparsed forms counted as not found and info findings apart', () => {
    const gold = {
      file: 'x.txt',
      records: [goldSelfEval('A'), goldSelfEval('B')],
      findings: [
        { record: 1, rule: 'indicator.score_range', where: '档案损坏率', severity: 'error' },
        { record: 0, rule: 'unit.suspicious', where: '档案损坏率', severity: 'info' },
      ],
    };
    const pred: PredictedDocument = {
      file: 'x.txt',
      records: [goldSelfEval('A')],
      findings: [{ record: 0, rule: 'unit.suspicious', where: '档案损坏率', severity: 'info' }],
      errors: [],
      forms: [
        { index: 0, docType: 'self_evaluation', title: 't', status: 'parsed', record: 0 },
        { index: 1, docType: 'self_evaluation', title: 't', status: 'unparsed', reason: 'table not found' },
      ],
    };
    const e = evaluateDocument(gold, pred);
    expect(e.status).toBe('scored');
    expect(e.records).toEqual({ expected: 2, found: 1, predicted: 1, extra: 0 });
    expect(e.fields).toMatchObject({ tp: 51, fp: 0, fn: 51, precision: 1, recall: 0.5 });
    expect(e.notFound).toEqual([
      { record: 1, docType: 'self_evaluation', projectName: 'B', fields: 51, reason: 'form #1 unparsed: table not found' },
    ]);
    expect(e.indicatorRows).toEqual({ correct: 2, total: 4, accuracy: 0.5 });
    expect(e.goals).toEqual({ n: 4, sum: 2, mean: 0.5 });
    expect(e.findings).toMatchObject({ tp: 0, fp: 0, fn: 1, precision: null, recall: 0, f1: 0 });
    expect(e.infoFindings).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(e.diffs).toEqual([]);
  });

  it('marks an unsupported evaluation report "not yet supported" and keeps it out of the total', () => {
    const report = {
      file: 'r.md',
      records: [{ docType: 'evaluation_report', projectName: 'R' }],
      findings: [{ record: 0, rule: 'report.heading_score', where: 'C31', severity: 'error' }],
    };
    const none: PredictedDocument = {
      file: 'r.md',
      records: [],
      findings: [],
      errors: [],
      forms: [{ index: 0, docType: 'evaluation_report', title: '绩效评价报告', status: 'unsupported', reason: 'reports: later' }],
    };
    const r = evaluateDocument(report, none);
    expect(r.status).toBe('not-yet-supported');
    expect(r.statusNote).toBe('form #0 unsupported: reports: later');

    const g = goldSelfEval('A');
    const self = evaluateDocument(
      { file: 's.txt', records: [g], findings: [] },
      { file: 's.txt', records: [g], findings: [], errors: [], forms: parsedForms(1) },
    );
    const total = totalOf([self, r]);
    expect(total.files).toBe(1);
    expect(total.excluded).toEqual(['r.md']);
    expect(total.fields).toMatchObject({ tp: 51, fp: 0, fn: 0, f1: 1 });
    expect(total.findings).toMatchObject({ precision: 1, recall: 1 });
  });

  it('totals are micro-averaged', () => {
    const g = goldSelfEval('A');
    const p = clone(g);
    p.totalScore = 1;
    const a = evaluateDocument({ file: 'a', records: [g], findings: [] }, { file: 'a', records: [p], findings: [], errors: [], forms: parsedForms(1) });
    const b = evaluateDocument({ file: 'b', records: [g, g], findings: [] }, { file: 'b', records: [], findings: [], errors: [], forms: [] });
    const t = totalOf([a, b]);
    expect(t.fields).toMatchObject({ tp: 50, fp: 1, fn: 1 + 102 });
    expect(t.fields.recall).toBeCloseTo(50 / 153, 12);
    expect(t.records).toEqual({ expected: 3, found: 1, predicted: 1, extra: 0 });
  });
});
