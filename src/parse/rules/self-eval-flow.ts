/**
 * 财政项目支出绩效自评表 in flow text (pdftotext-like: no tabs, cells split over lines, columns
 * interleaved, page breaks inside the table) → SelfEvaluation, with printed strings, provenance,
 * extraction QA and a confidence; or a refusal naming what could not be read with confidence.
 */
import type { Line, SourceSpan } from '../../ingest/types.js';
import type { FundingRow, SelfEvalIndicator, SelfEvaluation } from '../../schema/records.js';
import type { Form } from '../../segment/forms.js';
import type { FormResult, QaNote, RefusedForm } from '../types.js';
import { parseNumber } from '../values.js';
import { initialCaps, refinedCaps } from './flow-caps.js';
import type { Caps } from './flow-cells.js';
import { splitGoals } from './flow-goals.js';
import {
  FUNDING_KEYS,
  findLayout,
  readFunding,
  readGrade,
  readIdentity,
  readMoneyUnit,
  readTotals,
  type FundingRead,
  type Layout,
} from './flow-head.js';
import { flowConfidence, flowQa } from './flow-qa.js';
import { readBody, type BodyResult, type FlowRow } from './flow-rows.js';
import { isPageFurniture, spanOf } from './flow-text.js';

/** A row whose best cut costs this much is doubtful; from REFUSE_COST on it cannot be trusted. */
export const RISKY_COST = 1.5;
export const REFUSE_COST = 4;

const refuse = (reason: string): RefusedForm => ({ status: 'unparsed', reason });

/** Layouts of other templates that this reader does not know, named by their header words. */
const FOREIGN_HEADER: [RegExp, string][] = [
  [/权重/, 'the indicator table is weighted with 权重 instead of 分值'],
  [/指标性质|度量单位|计量单位/, 'the target is split into 指标性质 | 指标值 | 度量单位 columns'],
  [/指标解释|评分标准|评分规则/, 'the indicator table carries scoring-standard columns'],
];

export function foreignHeader(text: string): string | null {
  for (const [re, why] of FOREIGN_HEADER) if (re.test(text)) return why;
  if (!/分值|分数/.test(text) || !/得分/.test(text)) return 'the indicator header names no 分值 and 得分 columns';
  return null;
}

const sameCaps = (a: Caps, b: Caps): boolean =>
  a.name === b.name && a.target === b.target && a.actual === b.actual && a.reason === b.reason;

/** Reads the rows with capacities re-estimated from the previous reading until they settle. */
export function readRows(body: Line[], reasons: boolean): BodyResult & { caps: Caps } {
  let caps = initialCaps(body);
  let result = readBody(body, caps, reasons);
  for (let pass = 0; pass < 3; pass++) {
    const next = refinedCaps(result.rows, caps);
    if (sameCaps(next, caps)) break;
    caps = next;
    result = readBody(body, caps, reasons);
  }
  return { ...result, caps };
}

const NULL_ROW: FundingRow = { initialBudget: null, annualBudget: null, executed: null, weight: null, executionRate: null, score: null };

function toIndicator(row: FlowRow, labels: BodyResult['labels'][number] | undefined): SelfEvalIndicator {
  return {
    level1: labels?.level1 ?? null,
    level2: labels?.level2 ?? null,
    name: row.name,
    target: row.target,
    actual: row.actual,
    weight: parseNumber(row.weight),
    score: parseNumber(row.score),
    deviationReason: row.reason,
  };
}

function where(row: FlowRow): string {
  const l = row.lines[0];
  return `${row.name || '(no name)'}${l ? ` (line ${l.lineNo})` : ''}`;
}

/** The refusal a body deserves, or null when every row was read with some confidence. */
function bodyRefusal(body: BodyResult): string | null {
  if (body.rows.length === 0) return 'no indicator rows (no line ends with 分值 and 得分)';
  const bad = body.rows.filter((r) => !(r.cost < REFUSE_COST) || r.name === '');
  if (bad.length > 0) return `indicator row(s) that cannot be split into name | target | actual: ${bad.map(where).join('、')}`;
  return null;
}

interface Provenance {
  [path: string]: SourceSpan;
}

function put(prov: Provenance, path: string, lines: readonly Line[]): void {
  const s = spanOf(lines);
  if (s) prov[path] = s;
}

function fundingOf(reads: Partial<Record<(typeof FUNDING_KEYS)[number], FundingRead>>) {
  const funding = {} as SelfEvaluation['funding'];
  for (const key of FUNDING_KEYS) funding[key] = reads[key]?.row ?? { ...NULL_ROW };
  return funding;
}

function parseWithLayout(form: Form, lay: Layout): FormResult {
  const lines = form.lines;
  const header = lay.tableHeader!;
  const identity = readIdentity(lines, lay.fundingHeader >= 0 ? lay.fundingHeader : header.from);
  if (!identity.projectName) return refuse('no 项目名称 line');
  if (lay.fundingHeader < 0) return refuse('no 项目资金 header (年初预算数 / 全年预算数 / 全年执行数)');
  const fundingEnd = lay.goalsStart >= 0 ? lay.goalsStart : header.from;
  const reads = readFunding(lines, lay.fundingHeader, fundingEnd);
  if (!reads.total) return refuse('no 年度资金总额 row with six figures');
  const goals = lay.goalsStart >= 0 ? splitGoals(lines.slice(lay.goalsStart + 1, header.from)) : null;

  const body = lines.slice(header.to + 1, lay.total).filter((l) => !isPageFurniture(l));
  const rows = readRows(body, /偏差|原因/.test(header.text));
  const refusal = bodyRefusal(rows);
  if (refusal) return refuse(refusal);

  const totals = readTotals(lines, lay.total);
  const record: SelfEvaluation = {
    docType: 'self_evaluation',
    year: form.year,
    projectName: identity.projectName,
    department: identity.department,
    implementingUnit: identity.implementingUnit,
    moneyUnit: readMoneyUnit(lines, 0, lay.fundingHeader + 1),
    funding: fundingOf(reads),
    goals: { expected: goals?.expected ?? null, actual: goals?.actual ?? null },
    indicators: rows.rows.map((r, i) => toIndicator(r, rows.labels[i])),
    totalWeight: parseNumber(totals.weight),
    totalScore: parseNumber(totals.score),
    grade: readGrade(lines, lay.grade),
  };

  const printed: Record<string, string> = {};
  const provenance: Provenance = {};
  put(provenance, 'projectName', identity.lines.projectName);
  put(provenance, 'department', identity.lines.units);
  put(provenance, 'implementingUnit', identity.lines.units);
  for (const key of FUNDING_KEYS) {
    const read = reads[key];
    if (!read) continue;
    put(provenance, `funding.${key}`, read.lines);
    for (const [field, s] of Object.entries(read.printed)) printed[`funding.${key}.${field}`] = s;
  }
  if (goals) {
    put(provenance, 'goals.expected', goals.expectedLines);
    put(provenance, 'goals.actual', goals.actualLines);
  }
  rows.rows.forEach((r, i) => {
    put(provenance, `indicators.${i}`, r.lines);
    printed[`indicators.${i}.weight`] = r.weight;
    printed[`indicators.${i}.score`] = r.score;
  });
  put(provenance, 'totalWeight', totals.lines);
  put(provenance, 'totalScore', totals.lines);
  if (totals.weight !== null) printed.totalWeight = totals.weight;
  if (totals.score !== null) printed.totalScore = totals.score;
  if (lay.grade >= 0) put(provenance, 'grade', [lines[lay.grade]!]);

  const risky = rows.rows.filter((r) => r.cost >= RISKY_COST);
  const qa: QaNote[] = flowQa(
    record,
    { totalWeight: totals.weight, totalScore: totals.score },
    {
      riskyRows: risky.map(where),
      rows: rows.rows.length,
      incompleteRows: rows.rows.filter((r) => r.target === null || r.actual === null).map(where),
      labelsClosed: rows.labelsClosed,
      unlabelled: record.indicators.filter((i) => !i.level1 || !i.level2).length,
      leftoverLines: rows.leftovers.map((l) => l.lineNo),
    },
  );
  if (goals) qa.push({ check: 'qa.goals_split', ok: true, detail: goals.detail });
  const weights = qa.find((n) => n.check === 'qa.weights_sum');
  if (weights && !weights.ok && weights.likelyCause === 'extraction') {
    return refuse(`indicator 分值 do not add up to the 总分 分值 in a way that points at a misread row: ${weights.detail}`);
  }
  return {
    status: 'parsed',
    record,
    confidence: flowConfidence(qa.filter((n) => n.check !== 'qa.goals_split'), risky.length, rows.rows.length),
    qa,
    printed,
    provenance,
  };
}

export function parseFlowSelfEvaluation(form: Form): FormResult {
  if (form.docType !== 'self_evaluation') return { status: 'unsupported', reason: `not a self-evaluation form (${form.docType})` };
  const lay = findLayout(form.lines);
  if (!lay.tableHeader) return refuse('no indicator table header (三级指标 / 年度指标值) found');
  const foreign = foreignHeader(lay.tableHeader.text);
  if (foreign) return refuse(foreign);
  if (lay.total < 0) return refuse('no 总分 row after the indicator table: the table may be cut off');
  return parseWithLayout(form, lay);
}
