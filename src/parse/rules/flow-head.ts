/**
 * The parts of a flow-text self-evaluation form around the indicator table: identity lines,
 * 项目资金 block, where the goals and the indicator table start and end, and the 总分 / 评分等级 rows.
 */
import type { Line } from '../../ingest/types.js';
import type { FundingRow } from '../../schema/records.js';
import { cleanText, parsePrintedNumber } from '../values.js';
import { compact, isDash, lineCompact } from './flow-text.js';
import { emptyFundingRow } from './header.js';

export type FundingKey = 'total' | 'currentYearFiscal' | 'carryover' | 'other';
export const FUNDING_KEYS: readonly FundingKey[] = ['total', 'currentYearFiscal', 'carryover', 'other'];
export type FundingField = keyof FundingRow;

export interface FundingRead {
  row: FundingRow;
  /** Printed strings of the row's figures (numbers only, not `-`), by field. */
  printed: Partial<Record<FundingField, string>>;
  lines: Line[];
}

export interface Identity {
  projectName: string | null;
  department: string | null;
  implementingUnit: string | null;
  lines: { projectName: Line[]; units: Line[] };
}

function findIndex(lines: Line[], test: (s: string) => boolean, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (test(lineCompact(lines[i]!))) return i;
  return -1;
}

const ORG_END = /(局|委员会|委|部|厅|院|中心|办公室|办|府|会|所|站|馆|队|公司|处|室|校|学|社|团)$/;

export function readIdentity(lines: Line[], end: number): Identity {
  const pi = findIndex(lines, (s) => s.startsWith('项目名称'), 0, end);
  const di = findIndex(lines, (s) => s.startsWith('主管部门') || s.includes('实施单位'), Math.max(pi, 0), end);
  let projectName: string | null = null;
  const nameLines: Line[] = [];
  if (pi >= 0) {
    const stop = di > pi ? di : Math.min(pi + 1, end);
    for (let i = pi; i < stop; i++) nameLines.push(lines[i]!);
    projectName = cleanText(nameLines.map(lineCompact).join('').replace(/^项目名称[:：]?/, ''));
  }
  let department: string | null = null;
  let implementingUnit: string | null = null;
  const unitLines: Line[] = [];
  if (di >= 0) {
    const s = lineCompact(lines[di]!);
    const m = /^(?:主管部门[:：]?)?(.*?)(?:实施单位[:：]?(.*))?$/.exec(s);
    department = cleanText(m?.[1] ?? null);
    implementingUnit = cleanText(m?.[2] ?? null);
    unitLines.push(lines[di]!);
    for (let i = di + 1; i < end; i++) {
      const l = lines[i]!;
      if (/^项目资金|^年初预算/.test(lineCompact(l))) break;
      unitLines.push(l);
      if (l.tokens.length >= 2) {
        department = (department ?? '') + compact(l.tokens[0]!.text);
        implementingUnit = (implementingUnit ?? '') + compact(l.tokens.slice(1).map((t) => t.text).join(''));
      } else if (implementingUnit && !ORG_END.test(implementingUnit)) implementingUnit += lineCompact(l);
      else department = (department ?? '') + lineCompact(l);
    }
  }
  return { projectName, department, implementingUnit, lines: { projectName: nameLines, units: unitLines } };
}

export function readMoneyUnit(lines: Line[], from: number, to: number): '万元' | '元' | null {
  for (let i = Math.max(0, from); i < to; i++) {
    const s = lineCompact(lines[i]!);
    if (/[（(]万元[)）]/.test(s)) return '万元';
    if (/[（(]元[)）]/.test(s)) return '元';
  }
  return null;
}

const COLUMN_OF: [RegExp, FundingField][] = [
  [/^年初预算/, 'initialBudget'],
  [/^(全年预算|调整后预算|预算数)/, 'annualBudget'],
  [/^(全年执行|执行数)/, 'executed'],
  [/^(分数|分值)$/, 'weight'],
  [/^执行率/, 'executionRate'],
  [/^得分$/, 'score'],
];
const DEFAULT_COLUMNS: FundingField[] = ['initialBudget', 'annualBudget', 'executed', 'weight', 'executionRate', 'score'];

/** The funding table's column order, read from its header line. */
export function fundingColumns(header: Line): FundingField[] {
  const cols: FundingField[] = [];
  for (const t of header.tokens) {
    const hit = COLUMN_OF.find(([re]) => re.test(compact(t.text)));
    if (hit && !cols.includes(hit[1])) cols.push(hit[1]);
  }
  return cols.length === 6 ? cols : DEFAULT_COLUMNS;
}

function fundingKeyOf(label: string): FundingKey | null {
  if (/总额|合计|总计/.test(label)) return 'total';
  if (/当年|财政拨款|本年/.test(label)) return 'currentYearFiscal';
  if (/结转|结余/.test(label)) return 'carryover';
  if (/其他/.test(label)) return 'other';
  return null;
}

const isValueToken = (s: string): boolean => isDash(s) || parsePrintedNumber(s) !== null;


export interface FundingReads {
  rows: Partial<Record<FundingKey, FundingRead>>;
  /** Labels of rows printed with fewer figures than columns (blank cells vanish in flow text). */
  partial: string[];
}

/** Funding rows between the header line and `end`: a label (possibly over lines), then six figures. */
export function readFunding(lines: Line[], headerAt: number, end: number): FundingReads {
  const cols = fundingColumns(lines[headerAt]!);
  const out: Partial<Record<FundingKey, FundingRead>> = {};
  const partial: string[] = [];
  let label = '';
  let values: string[] = [];
  let span: Line[] = [];
  for (let i = headerAt + 1; i < end; i++) {
    const l = lines[i]!;
    const toks = l.tokens.map((t) => t.text);
    let k = toks.length;
    while (k > 0 && isValueToken(toks[k - 1]!)) k--;
    if (values.length > 0 && k > 0) {
      if (label) partial.push(label);
      label = '';
      values = [];
      span = [];
    }
    label += compact(toks.slice(0, k).join(''));
    values.push(...toks.slice(k));
    span.push(l);
    if (values.length < cols.length) continue;
    const key = fundingKeyOf(label);
    if (key && !out[key]) {
      const row = emptyFundingRow();
      const printed: Partial<Record<FundingField, string>> = {};
      cols.forEach((c, j) => {
        const v = values[j]!;
        row[c] = parsePrintedNumber(v)?.value ?? null;
        if (row[c] !== null) printed[c] = v;
      });
      out[key] = { row, printed, lines: span };
    }
    label = '';
    values = [];
    span = [];
  }
  if (label && values.length > 0) partial.push(label);
  return { rows: out, partial };
}

export interface Layout {
  fundingHeader: number;
  /** The 预期目标 | 实际完成情况 header line, and the first line of goal text. */
  goalsStart: number;
  goalsFrom: number;
  tableHeader: { from: number; to: number; text: string } | null;
  total: number;
  grade: number;
}

/** First line of the indicator table's header (the label columns' header cells, or the header row). */
function isTableStart(s: string): boolean {
  return (
    /^(一级|一级指标|绩效|绩效指标)$/.test(s) ||
    /^(绩效指标)?(一级指标)?(二级指标)?三级指标/.test(s) ||
    (/年度指标值|指标值/.test(s) && /实际完成值|完成值/.test(s))
  );
}

/** Where the form's blocks are; -1 for a block not found. */
export function findLayout(lines: Line[]): Layout {
  const fundingHeader = findIndex(lines, (s) => /年初预算|全年预算数/.test(s) && /执行/.test(s));
  const goalsStart = findIndex(lines, (s) => /^(预期目标|预算目标|年度目标|总体目标)/.test(s), Math.max(fundingHeader, 0));
  let goalsFrom = goalsStart + 1;
  if (goalsStart >= 0 && !/实际完成/.test(lineCompact(lines[goalsStart]!))) {
    if (lines[goalsFrom] && /^实际完成(情况|值)?$/.test(lineCompact(lines[goalsFrom]!))) goalsFrom++;
  }
  const from = findIndex(lines, isTableStart, Math.max(goalsStart, fundingHeader, 0) + 1);
  let tableHeader: Layout['tableHeader'] = null;
  if (from >= 0) {
    const named = findIndex(lines, (s) => /三级指标|年度指标值|指标值/.test(s), from, Math.min(lines.length, from + 8));
    let to = named >= 0 ? named : from;
    for (let i = to + 1; i < Math.min(lines.length, to + 4); i++) {
      if (/偏差|原因|改进措施|分析/.test(lineCompact(lines[i]!)) && lineCompact(lines[i]!).length <= 12) to = i;
      else break;
    }
    const text = lines.slice(from, to + 1).map(lineCompact).join('');
    if (named >= 0) tableHeader = { from, to, text };
  }
  const afterTable = tableHeader ? tableHeader.to + 1 : 0;
  const total = findIndex(lines, (s) => /^(总分|合计|总计)/.test(s), afterTable);
  const grade = findIndex(lines, (s) => /评分等级/.test(s), Math.max(total, afterTable));
  return { fundingHeader, goalsStart, goalsFrom, tableHeader, total, grade };
}

export interface Totals {
  weight: string | null;
  score: string | null;
  lines: Line[];
}

/** `总分 100.00 94.94` (figures possibly on the next line). */
export function readTotals(lines: Line[], at: number): Totals {
  const figures: string[] = [];
  const used: Line[] = [];
  for (let i = at; i < Math.min(lines.length, at + 2) && figures.length < 2; i++) {
    const l = lines[i]!;
    const before = l.tokens.findIndex((t) => /评分等级/.test(t.text));
    const toks = before >= 0 ? l.tokens.slice(0, before) : l.tokens;
    const nums = toks.map((t) => t.text).filter((t) => parsePrintedNumber(t) !== null);
    if (i > at && nums.length !== l.tokens.length) break;
    figures.push(...nums);
    used.push(l);
  }
  if (figures.length === 1) return { weight: null, score: figures[0]!, lines: used };
  return { weight: figures[0] ?? null, score: figures[1] ?? null, lines: used };
}

/** `评分等级 优`; null where the form prints none. */
export function readGrade(lines: Line[], at: number): string | null {
  if (at < 0) return null;
  const rest = lineCompact(lines[at]!).replace(/^.*评分等级[:：]?/, '');
  if (rest) return rest;
  const next = lines[at + 1];
  return next && /^[优良中差]$|^(合格|不合格|较差)$/.test(lineCompact(next)) ? lineCompact(next) : null;
}
