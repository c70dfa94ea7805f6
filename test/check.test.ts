import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRecord } from '../src/check/index.js';
import { assessAchievement } from '../src/check/achievement.js';
import { unmeasurableReason } from '../src/check/measurability.js';
import { suspiciousUnit } from '../src/check/units.js';
import type { Finding, Rule } from '../src/schema/findings.js';
import {
  FormRecord,
  type FundingRow,
  type SelfEvalIndicator,
  type SelfEvaluation,
  type TargetDeclaration,
} from '../src/schema/records.js';

// ── literal records ─────────────────────────────────────────────────────────
const row = (r: Partial<FundingRow>): FundingRow => ({
  initialBudget: null,
  annualBudget: null,
  executed: null,
  weight: null,
  executionRate: null,
  score: null,
  ...r,
});

const indicator = (r: Partial<SelfEvalIndicator> & { name: string }): SelfEvalIndicator => ({
  level1: '产出指标',
  level2: '数量指标',
  target: '=100(%)',
  actual: '100.00(%)',
  weight: 50,
  score: 50,
  deviationReason: null,
  ...r,
});

/** Consistent throughout: 95.00 / 100.00 = 95.00%, 10 × 95% = 9.50, 10 + 50 + 40 = 100, 9.5 + 50 + 40 = 99.5 (优). */
function selfEval(over: Partial<SelfEvaluation> = {}): SelfEvaluation {
  return {
    docType: 'self_evaluation',
    year: 2024,
    projectName: '测试项目',
    department: null,
    implementingUnit: null,
    moneyUnit: '万元',
    funding: {
      total: row({ initialBudget: 100, annualBudget: 100, executed: 95, weight: 10, executionRate: 95, score: 9.5 }),
      currentYearFiscal: row({ initialBudget: 100, annualBudget: 100, executed: 95, executionRate: 95 }),
      carryover: row({ initialBudget: 0, annualBudget: 0, executed: 0, executionRate: 0 }),
      other: row({ initialBudget: 0, annualBudget: 0, executed: 0, executionRate: 0 }),
    },
    goals: { expected: null, actual: null },
    indicators: [
      indicator({ name: '计划完成率' }),
      indicator({ name: '满意度', level1: '满意度指标', target: '≥90(%)', actual: '95.00(%)', weight: 40, score: 40 }),
    ],
    totalWeight: 100,
    totalScore: 99.5,
    grade: '优',
    ...over,
  };
}

/** The printed strings of a 2-decimal form (amounts, rates, weights, scores). */
function printedOf(r: SelfEvaluation): Record<string, string> {
  const p: Record<string, string> = {};
  for (const [key, fr] of Object.entries(r.funding)) {
    for (const [column, v] of Object.entries(fr)) if (typeof v === 'number') p[`funding.${key}.${column}`] = v.toFixed(2);
  }
  r.indicators.forEach((ind, i) => {
    if (ind.weight !== null) p[`indicators.${i}.weight`] = ind.weight.toFixed(2);
    if (ind.score !== null) p[`indicators.${i}.score`] = ind.score.toFixed(2);
  });
  if (r.totalWeight !== null) p.totalWeight = r.totalWeight.toFixed(2);
  if (r.totalScore !== null) p.totalScore = r.totalScore.toFixed(2);
  return p;
}

function withFunding(key: keyof SelfEvaluation['funding'], patch: Partial<FundingRow>, base = selfEval()): SelfEvaluation {
  return { ...base, funding: { ...base.funding, [key]: { ...base.funding[key], ...patch } } };
}

/** The first indicator replaced, totals kept consistent with its new score. */
function withFirst(patch: Partial<SelfEvalIndicator>): SelfEvaluation {
  const base = selfEval();
  const [first, ...rest] = base.indicators;
  const changed = { ...first!, ...patch };
  const totalScore = 9.5 + (changed.score ?? 0) + rest.reduce((s, i) => s + (i.score ?? 0), 0);
  return { ...base, indicators: [changed, ...rest], totalScore, grade: totalScore >= 90 ? '优' : totalScore >= 80 ? '良' : totalScore >= 60 ? '中' : '差' };
}

const run = (r: FormRecord, printed?: Record<string, string>): Finding[] => checkRecord(r, 0, printed);
const printedRun = (r: SelfEvaluation): Finding[] => checkRecord(r, 0, printedOf(r));
const keys = (fs: Finding[]): string[] => fs.map((f) => `${f.rule}@${f.where}`).sort();
const of = (fs: Finding[], rule: Rule): string[] => fs.filter((f) => f.rule === rule).map((f) => f.where);

describe('a consistent self-evaluation', () => {
  it('has no findings, with or without printed strings', () => {
    expect(run(selfEval())).toEqual([]);
    expect(printedRun(selfEval())).toEqual([]);
  });
  it('checks an evaluation report too (here: its grade and its budget rate)', () => {
    const report: FormRecord = {
      docType: 'evaluation_report', year: 2018, projectName: 'x', implementingUnit: null, department: null,
      commissioner: null, evaluator: null, reportNumber: null, reportDate: null, moneyUnit: '万元',
      budget: { initial: 1, adjusted: 1, executed: 5, executionRate: 1 }, budgetLines: [], indicators: [],
      subtotals: [], outputs: [], statedRates: [], headingScores: [], totalWeight: 100, totalScore: 1, grade: '优',
    };
    expect(keys(run(report)).sort()).toEqual(['grade.mismatch@grade', 'report.budget_lines@budget.executionRate']);
  });
});

describe('funding.rate', () => {
  it('reports a rate that 执行数 / 预算数 cannot reach', () => {
    const r = withFunding('total', { executionRate: 96 });
    const fs = printedRun(r);
    expect(keys(fs)).toEqual(['funding.rate@funding.total.executionRate']); // the score agrees from the raw figures
    expect(fs[0]!.severity).toBe('error');
    expect(fs[0]!.detail).toContain('96.00%');
  });
  it('accepts a truncated rate and rejects one neither rounding nor truncation gives', () => {
    // 986.08 / 1000.00 = 98.608%
    const base = withFunding('total', { annualBudget: 1000, executed: 986.08, executionRate: 98.6, score: 9.86 });
    const fiscal = { annualBudget: 1000, executed: 986.08, executionRate: 98.6 };
    expect(of(printedRun(withFunding('currentYearFiscal', fiscal, base)), 'funding.rate')).toEqual([]);
    expect(of(printedRun(withFunding('currentYearFiscal', { ...fiscal, executionRate: 98.62 }, base)), 'funding.rate')).toEqual([
      'funding.currentYearFiscal.executionRate',
    ]);
  });
  it('takes the precision from the printed string, else from the JSON number', () => {
    // 969.63 / 1000.00 = 96.963%: a printed 97.00% cannot be reached; a bare 97 (96.5 … 98) over a bare 1000 can.
    const r = withFunding('total', { annualBudget: 1000, executed: 969.63, executionRate: 97, score: 9.7 });
    expect(of(run(r), 'funding.rate')).toEqual([]);
    expect(of(run(r, { 'funding.total.annualBudget': '1,000.00' }), 'funding.rate')).toEqual([]);
    expect(of(run(r, { 'funding.total.annualBudget': '1,000.00', 'funding.total.executionRate': '97.00%' }), 'funding.rate')).toEqual([
      'funding.total.executionRate',
    ]);
  });
  it('lets a 0/0 row agree with a rate of 0 or none, not with another', () => {
    expect(of(run(withFunding('carryover', { executionRate: null })), 'funding.rate')).toEqual([]);
    expect(of(run(withFunding('carryover', { executionRate: 100 })), 'funding.rate')).toEqual(['funding.carryover.executionRate']);
  });
  it('cannot check a row with a missing figure', () => {
    const fs = run(withFunding('total', { executed: null, executionRate: 50 }));
    expect(of(fs, 'funding.rate')).toEqual([]);
    expect(of(fs, 'funding.breakdown')).toEqual([]);
    expect(of(fs, 'funding.score')).toEqual(['funding.total.score']); // 10 × 50% from the printed rate ≠ 9.50
  });
});

describe('funding.score', () => {
  it('reports a score neither route gives', () => {
    expect(keys(printedRun(withFunding('total', { score: 9 })))).toEqual(['funding.score@funding.total.score', 'total.score@totalScore']);
  });
  it('agrees when either route agrees', () => {
    // printed 执行率 96.00% is wrong (funding.rate), but 10 × 96% = 9.60 agrees from it; 9.50 agrees from the raw figures
    expect(of(printedRun(withFunding('total', { executionRate: 96, score: 9.6 })), 'funding.score')).toEqual([]);
    expect(of(printedRun(withFunding('total', { executionRate: 96, score: 9.5 })), 'funding.score')).toEqual([]);
    expect(of(printedRun(withFunding('total', { executionRate: 96, score: 9.55 })), 'funding.score')).toEqual(['funding.total.score']);
  });
  it('caps the rate at 100%', () => {
    const over = { annualBudget: 100, executed: 105, executionRate: 105 };
    const r = withFunding('currentYearFiscal', over, withFunding('total', { ...over, score: 10 }));
    expect(printedRun({ ...r, totalScore: 100 })).toEqual([]);
    expect(of(printedRun(withFunding('total', { score: 10.5 }, r)), 'funding.score')).toEqual(['funding.total.score']);
  });
});

describe('funding.breakdown', () => {
  it('reports a column whose rows do not add up', () => {
    expect(keys(printedRun(withFunding('currentYearFiscal', { initialBudget: 90 })))).toEqual(['funding.breakdown@funding.total.initialBudget']);
  });
  it('allows k half-units for k rounded amounts', () => {
    // 50.00 + 50.00 + 0.00 covers [49.995 + 49.995 − 0.01, 50.01 + 50.01 + 0.01] = [99.98, 100.03]
    const base = withFunding('currentYearFiscal', { initialBudget: 50 }, withFunding('carryover', { initialBudget: 50 }));
    expect(of(printedRun(withFunding('total', { initialBudget: 100.01 }, base)), 'funding.breakdown')).toEqual([]);
    expect(of(printedRun(withFunding('total', { initialBudget: 100.03 }, base)), 'funding.breakdown')).toEqual([]);
    expect(of(printedRun(withFunding('total', { initialBudget: 99.97 }, base)), 'funding.breakdown')).toEqual([]); // [99.965, 99.98]
    expect(of(printedRun(withFunding('total', { initialBudget: 100.04 }, base)), 'funding.breakdown')).toEqual(['funding.total.initialBudget']);
    expect(of(printedRun(withFunding('total', { initialBudget: 99.96 }, base)), 'funding.breakdown')).toEqual(['funding.total.initialBudget']);
  });
  it('with a part missing, reports only printed parts that already exceed the total', () => {
    const blank = { executed: null, executionRate: null };
    const base = withFunding('carryover', blank, withFunding('other', blank));
    expect(run(withFunding('currentYearFiscal', { executed: 80, executionRate: null }, base))).toEqual([]);
    expect(of(run(withFunding('currentYearFiscal', { executed: 120, executionRate: null }, base)), 'funding.breakdown')).toEqual([
      'funding.total.executed',
    ]);
  });
});

describe('total.score and total.weight', () => {
  it('report totals that are not the sum of the rows', () => {
    expect(keys(run(selfEval({ totalScore: 98 })))).toEqual(['total.score@totalScore']);
    expect(keys(run(selfEval({ totalWeight: 90 })))).toEqual(['total.weight@totalWeight']);
  });
  it('accept a total within one unit of its last printed decimal', () => {
    const r = selfEval({ totalScore: 99.51 });
    expect(of(printedRun(r), 'total.score')).toEqual([]);
    expect(of(printedRun(selfEval({ totalScore: 99.52 })), 'total.score')).toEqual(['totalScore']);
  });
  it('accept a total summed from the unrounded budget score (either route)', () => {
    // 10 × 97.40% = 9.74, printed 得分 9.7: 9.74 + 50 + 40 = 99.74; 9.7 + 90 = 99.70
    const r = withFunding('total', { executed: 97.4, executionRate: 97.4, score: 9.7 }, withFunding('currentYearFiscal', { executed: 97.4, executionRate: 97.4 }));
    const printed = { 'funding.total.score': '9.7', totalScore: '99.74' };
    expect(run({ ...r, totalScore: 99.74 }, printed)).toEqual([]);
    expect(keys(run({ ...r, totalScore: 99.8 }, { ...printed, totalScore: '99.80' }))).toEqual(['total.score@totalScore']);
  });
  it('cannot check with a missing score', () => {
    const [a, b] = selfEval().indicators;
    expect(of(run(selfEval({ indicators: [{ ...a!, score: null }, b!], totalScore: 10 })), 'total.score')).toEqual([]);
  });
});

describe('indicator.score_range', () => {
  it('reports a score above the weight or below 0', () => {
    expect(keys(run(withFirst({ score: 55 })))).toEqual(['indicator.score_range@计划完成率']);
    expect(keys(run(withFirst({ score: -1, actual: '90.00(%)', deviationReason: '未完成' })))).toEqual(['indicator.score_range@计划完成率']);
  });
  it('accepts a score within [0, weight]', () => {
    expect(of(run(withFirst({ score: 0, actual: '0.00(%)', deviationReason: '未开展' })), 'indicator.score_range')).toEqual([]);
  });
});

describe('indicator.deduction_without_reason', () => {
  it('warns of a deduction with an empty reason cell', () => {
    const fs = run(withFirst({ score: 45, actual: '98.00(%)' }));
    expect(keys(fs)).toEqual(['indicator.deduction_without_reason@计划完成率']);
    expect(fs[0]!.severity).toBe('warning');
  });
  it('is quiet when a reason is given or nothing was deducted', () => {
    expect(run(withFirst({ score: 45, actual: '98.00(%)', deviationReason: '部分未完成' }))).toEqual([]);
    expect(run(withFirst({ deviationReason: '' }))).toEqual([]);
  });
  it('names a repeated indicator #2', () => {
    const base = selfEval();
    const twice = [indicator({ name: '满意度', score: 45, actual: '98.00(%)' }), indicator({ name: '满意度', weight: 40, score: 35, actual: '98.00(%)' })];
    const fs = run({ ...base, indicators: twice, totalScore: 89.5, grade: '良' });
    expect(of(fs, 'indicator.deduction_without_reason')).toEqual(['满意度', '满意度#2']);
  });
});

describe('indicator.met_but_deducted', () => {
  it('warns of a deduction on a met target', () => {
    expect(keys(run(withFirst({ score: 45, deviationReason: '说明' })))).toEqual(['indicator.met_but_deducted@计划完成率']);
    expect(of(run(withFirst({ target: '≥95.00(%)', actual: '95.00(%)', score: 45, deviationReason: '说明' })), 'indicator.met_but_deducted')).toEqual([
      '计划完成率',
    ]);
    expect(of(run(withFirst({ target: '完善', actual: '完善', score: 45, deviationReason: '说明' })), 'indicator.met_but_deducted')).toEqual(['计划完成率']);
  });
  it('is quiet when the target was missed or cannot be compared', () => {
    expect(run(withFirst({ actual: '99.00(%)', score: 45, deviationReason: '说明' }))).toEqual([]);
    expect(run(withFirst({ target: '<24.00(小时)', actual: '24.00(小时)', score: 45, deviationReason: '说明' }))).toEqual([]);
    expect(of(run(withFirst({ target: '=100(%)', actual: '100(个)', score: 45, deviationReason: '说明' })), 'indicator.met_but_deducted')).toEqual([]);
  });
});

describe('indicator.unmet_full_score', () => {
  it('warns of full marks on a missed target', () => {
    expect(keys(run(withFirst({ actual: '98.00(%)' })))).toEqual(['indicator.unmet_full_score@计划完成率']);
    expect(of(run(withFirst({ target: '健全', actual: '基本健全' })), 'indicator.unmet_full_score')).toEqual(['计划完成率']);
    expect(of(run(withFirst({ target: '移交后30天', actual: '部分达成指标并具有一定效果' })), 'indicator.unmet_full_score')).toEqual(['计划完成率']);
  });
  it('is quiet when the target was met, or the score is not full', () => {
    expect(run(withFirst({ target: '健全', actual: '健全' }))).toEqual([]);
    expect(run(withFirst({ target: '及时', actual: '达成指标' }))).toEqual([]);
    expect(run(withFirst({ target: '健全', actual: '基本健全', score: 25, deviationReason: '尚需完善' }))).toEqual([]);
    expect(run(withFirst({ target: '健全', actual: '基本健全', weight: 0, score: 0 })).filter((f) => f.rule === 'indicator.unmet_full_score')).toEqual([]);
  });
});

describe('grade.mismatch', () => {
  it('reports a grade other than the total’s', () => {
    const fs = run(selfEval({ grade: '良' }));
    expect(keys(fs)).toEqual(['grade.mismatch@grade']);
    expect(fs[0]!.severity).toBe('error');
  });
  it('takes the bands 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 on the printed total’s interval', () => {
    const graded = (totalScore: number, grade: string) => of(run(selfEval({ totalScore, grade }), { totalScore: totalScore.toFixed(2) }), 'grade.mismatch');
    expect(graded(90, '良')).toEqual([]); // 90.00 may be 89.995 rounded
    expect(graded(90.01, '良')).toEqual(['grade']);
    expect(graded(89.99, '优')).toEqual(['grade']);
    expect(graded(79.99, '中')).toEqual([]);
    expect(graded(59.99, '差')).toEqual([]);
    expect(graded(60, '差')).toEqual([]);
    expect(graded(60.5, '差')).toEqual(['grade']);
  });
  it('cannot check without a grade', () => {
    expect(of(run(selfEval({ grade: null })), 'grade.mismatch')).toEqual([]);
  });
});

describe('unit.suspicious', () => {
  it('flags a count measured in %, a rate measured as a count, a magnitude per unit', () => {
    expect(suspiciousUnit('银行发放量', '=100.00(%)', '100.00(%)')).toContain('volume/count');
    expect(suspiciousUnit('各项帮办服务功能故障率', '<5.00(次)', '3.00(次)')).toContain('rate');
    expect(suspiciousUnit('年度微信阅读总量', '>3000000万/人次', null)).toContain('300亿');
  });
  it('leaves fitting units alone', () => {
    expect(suspiciousUnit('发放居保宣传资料数量', '=100000.00(份)', '100000.00(份)')).toBeNull();
    expect(suspiciousUnit('设备及应用软件巡查频率', '≥2(次/周)', '2.00(次/周)')).toBeNull();
    expect(suspiciousUnit('各子系统全面故障发生率', '<1(%)', '0.10(%)')).toBeNull();
    expect(suspiciousUnit('产品质量', '=100%', '100%')).toBeNull();
    expect(suspiciousUnit('年度微信阅读总量', '>300万人次', null)).toBeNull();
  });
  it('is an info finding on both form types', () => {
    const fs = run(withFirst({ name: '银行发放量' }));
    expect(fs.map((f) => [f.rule, f.where, f.severity])).toEqual([['unit.suspicious', '银行发放量', 'info']]);
  });
});

// ── 申报表 ──────────────────────────────────────────────────────────────────
function declaration(over: Partial<TargetDeclaration> = {}): TargetDeclaration {
  return {
    docType: 'target_declaration',
    year: 2022,
    projectName: '测试项目',
    projectCategory: null,
    department: null,
    implementingUnit: null,
    plannedStart: null,
    plannedEnd: null,
    moneyUnit: '元',
    funding: { projectTotal: 100, projectFiscal: 90, projectOther: 10, annualTotal: 100, annualFiscal: 100, annualCarryover: null, annualOther: null },
    goals: { overallPeriod: null, overall: null, annual: null },
    indicators: [{ level1: '产出指标', level2: '数量指标', name: '完成率', target: '=100%' }],
    ...over,
  };
}
const withDeclared = (funding: Partial<TargetDeclaration['funding']>): TargetDeclaration => {
  const base = declaration();
  return { ...base, funding: { ...base.funding, ...funding } };
};

describe('target.funding_breakdown', () => {
  it('reports a total that is not 财政资金 + 其他资金', () => {
    const fs = run(withDeclared({ projectFiscal: 80 }));
    expect(keys(fs)).toEqual(['target.funding_breakdown@funding.projectTotal']);
    expect(fs[0]!.severity).toBe('error');
  });
  it('accepts consistent columns, and blank parts that leave the total reachable', () => {
    expect(run(declaration())).toEqual([]);
  });
  it('reports printed parts that exceed the total even with a blank part', () => {
    expect(keys(run(withDeclared({ annualFiscal: 120 })))).toEqual(['target.funding_breakdown@funding.annualTotal']);
  });
});

describe('target.unmeasurable', () => {
  it('flags a target with no quantity, threshold or deadline', () => {
    for (const t of ['有效改善', '影响力扩大', '完成', '安全', '全年稳定运行', '较上年度降低', '及时', '不影响日常业务工作开展']) {
      expect(unmeasurableReason(t), t).not.toBeNull();
    }
    expect(unmeasurableReason('及时')).toContain('no deadline');
    expect(unmeasurableReason('较上年度降低')).toContain('direction only');
  });
  it('leaves measurable targets alone', () => {
    for (const t of ['年内完成', '年底前完成', '中心城区一个半小时内；郊区三个小时内', '=100%', '≤2500000份', '安全性100%，稳定性99%以上', '移交后30天']) {
      expect(unmeasurableReason(t), t).toBeNull();
    }
    expect(unmeasurableReason(null)).toBeNull();
  });
  it('is an info finding on 申报表 only', () => {
    const indicators = [{ level1: null, level2: null, name: '办公环境改善情况', target: '有效改善' }];
    expect(run(declaration({ indicators })).map((f) => [f.rule, f.where, f.severity])).toEqual([['target.unmeasurable', '办公环境改善情况', 'info']]);
    expect(of(run(withFirst({ target: '有效改善', actual: '达成指标' })), 'target.unmeasurable')).toEqual([]);
  });
});

describe('assessAchievement', () => {
  it.each([
    ['≥95.00(%)', '95.00(%)', 'met'],
    ['<24.00(小时)', '24.00(小时)', 'unmet'],
    ['=100(%)', '100.00(%)', 'met'],
    ['=0(件)', '0.00(件)', 'met'],
    ['<=5毫秒', '≤5毫秒', 'met'],
    ['=100%', '=100%', 'met'],
    ['>=90%', '90%', 'met'],
    ['≥8.00(年)', '1.00(年)', 'unmet'],
    ['=100%', '98', 'unmet'],
    ['=100(%)', '100(个)', 'unknown'],
    ['及时', '达成指标', 'met'],
    ['健全', '基本健全', 'unmet'],
    ['完成', '基本完成', 'unmet'],
    ['达标', '基本达标', 'unmet'],
    ['移交后30天', '部分达成指标并具有一定效果', 'unmet'],
    ['永久', '未达成指标', 'unmet'],
    ['提升', '提升', 'met'],
    ['及时', '较及时', 'unknown'],
    ['=100%', null, 'unknown'],
  ] as const)('%s vs %s → %s', (target, actual, expected) => {
    expect(assessAchievement(target, actual)).toBe(expected);
  });
});

// ── gold samples ────────────────────────────────────────────────────────────
interface Gold {
  records: unknown[];
  findings: Finding[];
}
const GOLD_FILES = ['sh-sibao-2024-self-eval', 'sh-sbk-2021-self-eval', 'sh-sibao-2022-target-declaration'] as const;

function loadGold(file: string): { records: FormRecord[]; findings: Finding[] } {
  const gold = JSON.parse(readFileSync(new URL(`../samples/${file}.gold.json`, import.meta.url), 'utf8')) as Gold;
  return { records: gold.records.map((r) => FormRecord.parse(r)), findings: gold.findings };
}

const findingKeys = (fs: Finding[], info: boolean): string[] =>
  fs
    .filter((f) => (f.severity === 'info') === info)
    .map((f) => `${f.record}|${f.rule}|${f.where}`)
    .sort();

/** The printed strings as the sample prints them: sibao-2024 two decimals everywhere; sbk-2021 budgets and rates two decimals. */
function samplePrinted(file: string, record: FormRecord): Record<string, string> | undefined {
  if (record.docType !== 'self_evaluation') return undefined;
  if (file === 'sh-sibao-2024-self-eval') return printedOf(record);
  const p: Record<string, string> = {};
  for (const [key, fr] of Object.entries(record.funding)) {
    if (fr.initialBudget !== null) p[`funding.${key}.initialBudget`] = fr.initialBudget.toFixed(2);
    if (fr.annualBudget !== null) p[`funding.${key}.annualBudget`] = fr.annualBudget.toFixed(2);
    if (fr.executionRate !== null) p[`funding.${key}.executionRate`] = `${fr.executionRate.toFixed(2)}%`;
  }
  return p;
}

describe('gold samples', () => {
  it.each(GOLD_FILES)('%s: findings equal the gold (error/warning exactly, info too)', (file) => {
    const { records, findings } = loadGold(file);
    for (const withPrinted of [false, true]) {
      const got = records.flatMap((r, i) => checkRecord(r, i, withPrinted ? samplePrinted(file, r) : undefined));
      expect(findingKeys(got, false)).toEqual(findingKeys(findings, false));
      expect(findingKeys(got, true)).toEqual(findingKeys(findings, true));
    }
  });
});
