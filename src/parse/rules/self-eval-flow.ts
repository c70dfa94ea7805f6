/**
 * 财政项目支出绩效自评表 in flow text (pdftotext-like: no tabs, cells split over lines, columns
 * interleaved, page breaks inside the table) → SelfEvaluation, with printed strings, provenance,
 * extraction QA and a confidence; or a refusal naming what could not be read with confidence.
 */
import type { Line, SourceSpan } from '../../ingest/types.js';
import type { FundingRow, SelfEvalIndicator, SelfEvaluation } from '../../schema/records.js';
import type { Form } from '../../segment/forms.js';
import type { FormResult, QaNote, RefusedForm } from '../types.js';
import { isNumberCell, parseNumber } from '../values.js';
import { initialCaps, refinedCaps, withNarrowReasons } from './flow-caps.js';
import type { Caps } from './flow-cells.js';
import { splitGoals, type GoalsSplit } from './flow-goals.js';
import {
  FUNDING_KEYS,
  findLayout,
  readFunding,
  readGrade,
  readIdentity,
  readMoneyUnit,
  readTotals,
  type FundingKey,
  type FundingReads,
  type Identity,
  type Layout,
  type Totals,
} from './flow-head.js';
import { flowConfidence, flowQa } from './flow-qa.js';
import { foreignLayout } from './header.js';
import { readBody, type BodyResult, type FlowRow } from './flow-rows.js';
import { isPageFurniture, lineCompact, spanOf } from './flow-text.js';

/**
 * A row whose best cut costs this much, or whose next-best cut is almost as cheap, is doubtful;
 * from REFUSE_COST on it cannot be trusted.
 */
export const RISKY_COST = 1.5;
export const RISKY_MARGIN = 0.1;
export const REFUSE_COST = 4;

const isRisky = (row: FlowRow): boolean => row.cost >= RISKY_COST || row.cells.margin < RISKY_MARGIN;

const refuse = (reason: string): RefusedForm => ({ status: 'unparsed', reason });

export function foreignHeader(text: string): string | null {
  const foreign = foreignLayout(text);
  if (foreign) return foreign;
  if (!/分值|分数/.test(text) || !/得分/.test(text)) return 'the indicator header names no 分值 and 得分 columns';
  return null;
}

const capsKey = (c: Caps): string => [c.name, c.target, c.actual, c.reason].map((x) => x.toFixed(3)).join('|');

type RowsReading = BodyResult & { caps: Caps };

/** Reads the rows with capacities re-estimated from the previous reading until they settle. */
function settle(read: (caps: Caps) => BodyResult, start: Caps): RowsReading {
  let caps = start;
  let result = read(caps);
  for (let pass = 0; pass < 3; pass++) {
    const next = refinedCaps(result.rows, caps);
    if (capsKey(next) === capsKey(caps)) break;
    caps = next;
    result = read(caps);
  }
  return { ...result, caps };
}

/**
 * The table's rows. Capacities and the reading depend on each other, so the reading is settled from
 * a few starting guesses (the form's plain evidence, and narrow / middle / wide columns relative to
 * the name column) and the cheapest settled reading is kept.
 */
export function readRows(body: Line[], reasons: boolean): RowsReading {
  const memo = new Map<string, BodyResult>();
  const read = (caps: Caps): BodyResult => {
    const key = capsKey(caps);
    if (!memo.has(key)) memo.set(key, readBody(body, caps, reasons));
    return memo.get(key)!;
  };
  const first = initialCaps(body);
  const starts: Caps[] = [
    first,
    ...[0.33, 0.4, 0.5].map((k) =>
      withNarrowReasons({ ...first, target: first.name * k, actual: first.name * k, reason: first.name * (k + 0.25) }),
    ),
  ];
  let best: RowsReading | null = null;
  for (const start of starts) {
    const r = settle(read, start);
    if (!best || r.cost < best.cost - 1e-9) best = r;
  }
  return best!;
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

/** Everything read from one form, before it is put into a record. */
interface Reading {
  form: Form;
  lay: Layout;
  identity: Identity;
  funding: FundingReads;
  goals: GoalsSplit | null;
  rows: RowsReading;
  totals: Totals;
}

function read(form: Form, lay: Layout): Reading | RefusedForm {
  const lines = form.lines;
  const header = lay.tableHeader!;
  const identity = readIdentity(lines, lay.fundingHeader >= 0 ? lay.fundingHeader : header.from);
  if (!identity.projectName) return refuse('no 项目名称 line');
  if (lay.fundingHeader < 0) return refuse('no 项目资金 header (年初预算数 / 全年预算数 / 全年执行数)');
  const funding = readFunding(lines, lay.fundingHeader, lay.goalsStart >= 0 ? lay.goalsStart : header.from);
  if (!funding.rows.total) return refuse('no 年度资金总额 row with six figures');
  const goals = lay.goalsStart >= 0 ? splitGoals(lines.slice(lay.goalsFrom, header.from)) : null;
  const body = dropOuterLabel(lines.slice(header.to + 1, lay.total).filter((l) => !isPageFurniture(l)));
  const rows = readRows(body, /偏差|原因/.test(header.text));
  const refusal = bodyRefusal(rows);
  if (refusal) return refuse(refusal);
  return { form, lay, identity, funding, goals, rows, totals: readTotals(lines, lay.total) };
}

function recordOf(r: Reading): SelfEvaluation {
  const f = r.funding.rows;
  const row = (k: FundingKey): FundingRow => f[k]?.row ?? { ...NULL_ROW };
  return {
    docType: 'self_evaluation',
    year: r.form.year,
    projectName: r.identity.projectName ?? '',
    department: r.identity.department,
    implementingUnit: r.identity.implementingUnit,
    moneyUnit: readMoneyUnit(r.form.lines, 0, r.lay.fundingHeader + 1),
    funding: { total: row('total'), currentYearFiscal: row('currentYearFiscal'), carryover: row('carryover'), other: row('other') },
    goals: { expected: r.goals?.expected ?? null, actual: r.goals?.actual ?? null },
    indicators: r.rows.rows.map((x, i) => toIndicator(x, r.rows.labels[i])),
    totalWeight: parseNumber(r.totals.weight),
    totalScore: parseNumber(r.totals.score),
    grade: readGrade(r.form.lines, r.lay.grade),
  };
}

/** Printed strings of the numeric fields, by field path. */
function printedOf(r: Reading): Record<string, string> {
  const printed: Record<string, string> = {};
  for (const key of FUNDING_KEYS) {
    for (const [field, s] of Object.entries(r.funding.rows[key]?.printed ?? {})) printed[`funding.${key}.${field}`] = s;
  }
  r.rows.rows.forEach((x, i) => {
    if (isNumberCell(x.weight)) printed[`indicators.${i}.weight`] = x.weight;
    if (isNumberCell(x.score)) printed[`indicators.${i}.score`] = x.score;
  });
  if (r.totals.weight !== null) printed.totalWeight = r.totals.weight;
  if (r.totals.score !== null) printed.totalScore = r.totals.score;
  return printed;
}

/** Source lines of the fields, by field path. */
function provenanceOf(r: Reading): Record<string, SourceSpan> {
  const prov: Record<string, SourceSpan> = {};
  const put = (path: string, lines: readonly Line[]): void => {
    const s = spanOf(lines);
    if (s) prov[path] = s;
  };
  put('projectName', r.identity.lines.projectName);
  put('department', r.identity.lines.units);
  put('implementingUnit', r.identity.lines.units);
  for (const key of FUNDING_KEYS) put(`funding.${key}`, r.funding.rows[key]?.lines ?? []);
  put('goals.expected', r.goals?.expectedLines ?? []);
  put('goals.actual', r.goals?.actualLines ?? []);
  r.rows.rows.forEach((x, i) => put(`indicators.${i}`, x.lines));
  put('totalWeight', r.totals.lines);
  put('totalScore', r.totals.lines);
  if (r.lay.grade >= 0) put('grade', [r.form.lines[r.lay.grade]!]);
  return prov;
}

function fundingNote(f: FundingReads): QaNote {
  const missing = FUNDING_KEYS.filter((k) => !f.rows[k]);
  if (f.partial.length === 0 && missing.length === 0) return { check: 'qa.funding_rows', ok: true, detail: 'four funding rows, six figures each' };
  const what = [...missing, ...f.partial.map((l) => `${l} (fewer than six figures)`)];
  return { check: 'qa.funding_rows', ok: false, likelyCause: 'extraction', detail: `funding rows not read: ${what.join('、')}` };
}

function qaOf(r: Reading, record: SelfEvaluation): QaNote[] {
  const rows = r.rows.rows;
  const qa = flowQa(
    record,
    { totalWeight: r.totals.weight, totalScore: r.totals.score },
    {
      riskyRows: rows.filter(isRisky).map((x) => `${where(x)} [cost ${x.cost.toFixed(2)}, next-best +${x.cells.margin.toFixed(2)}]`),
      rows: rows.length,
      incompleteRows: rows.filter((x) => x.target === null || x.actual === null).map(where),
      labelsClosed: r.rows.labelsClosed,
      unlabelled: record.indicators.filter((i) => !i.level1 || !i.level2).length,
      leftoverLines: r.rows.leftovers.map((l) => l.lineNo),
    },
  );
  qa.push(fundingNote(r.funding));
  return qa;
}

function parseWithLayout(form: Form, lay: Layout): FormResult {
  const r = read(form, lay);
  if ('status' in r) return r;
  const record = recordOf(r);
  const qa = qaOf(r, record);
  const weights = qa.find((n) => n.check === 'qa.weights_sum');
  if (weights && !weights.ok && weights.likelyCause === 'extraction') {
    return refuse(`indicator 分值 do not add up to the 总分 分值 in a way that points at a misread row: ${weights.detail}`);
  }
  const risky = r.rows.rows.filter(isRisky).length;
  const confidence = flowConfidence(qa, risky, r.rows.rows.length);
  // Not a redundancy check (nothing confirms the split), so informative only.
  if (r.goals) qa.push({ check: 'qa.goals_split', ok: true, detail: r.goals.detail });
  return { status: 'parsed', record, confidence, qa, printed: printedOf(r), provenance: provenanceOf(r) };
}

/** The outer 绩效指标 label column (`绩效` `指标`) is no level label and no row. */
function dropOuterLabel(body: Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < body.length; i++) {
    const s = lineCompact(body[i]!);
    if (s === '绩效指标') continue;
    if (s === '绩效' && body[i + 1] && lineCompact(body[i + 1]!) === '指标') {
      i++;
      continue;
    }
    out.push(body[i]!);
  }
  return out;
}

/** Lines placed by page geometry (PDF text layer, OCR) come in physical order, not cell after cell. */
function isGeometric(form: Form): boolean {
  return form.lines.filter((l) => l.tokens.some((t) => t.box !== undefined)).length > form.lines.length / 2;
}

export function parseFlowSelfEvaluation(form: Form): FormResult {
  if (form.docType !== 'self_evaluation') return { status: 'unsupported', reason: `not a self-evaluation form (${form.docType})` };
  if (isGeometric(form)) {
    return refuse('the lines come from page geometry (PDF text layer or OCR) without a ruled table; the flow reader needs pdftotext-like reading order');
  }
  const lay = findLayout(form.lines);
  if (!lay.tableHeader) return refuse('no indicator table header (三级指标 / 年度指标值) found');
  const foreign = foreignHeader(lay.tableHeader.text);
  if (foreign) return refuse(foreign);
  if (lay.total < 0) return refuse('no 总分 row after the indicator table: the table may be cut off');
  return parseWithLayout(form, lay);
}
