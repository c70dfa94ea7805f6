/**
 * 财政项目支出绩效目标申报表 from gridded text: head, funding (project vs annual columns),
 * goals (项目总目标 / 年度总目标) and the indicator table (name → 指标目标值).
 */
import type { Form } from '../../segment/forms.js';
import type { Line, SourceSpan, Token } from '../../ingest/types.js';
import type { TargetDeclaration } from '../../schema/records.js';
import type { FormResult, ParsedForm, QaNote } from '../types.js';
import type { Matcher } from './grid.js';
import { cleanText, isNumberCell, parseDate, parseNumber } from '../values.js';
import { cellText, cellsText, colOf, findRow, fuzzy, isGridded, readByOcr, type LineCell } from './grid.js';
import { findIndicatorHeader, foreignLayout, moneyUnitIn, periodText, readHeadField, readIdentity } from './header.js';
import { cellSpan, goalSpans, readGridRows, restoreFigurePunctuation, restoreLostPercents, restorePercentSigns, rowsReadByOcr } from './grid-table.js';
import { reconcileTwins } from '../ocr-twins.js';
import { confidenceOf } from './qa.js';

type FundingKey = keyof TargetDeclaration['funding'];

/** Funding labels; 其他资金 appears in both the project and the annual column. */
const ANNUAL_TOTAL = fuzzy(['年度资金申请总额', '年度资金总额']);
const FUNDING_LABELS: [Matcher, FundingKey | 'other'][] = [
  [fuzzy(['项目资金总额']), 'projectTotal'],
  [fuzzy(['其中财政资金', '财政资金']), 'projectFiscal'],
  [ANNUAL_TOTAL, 'annualTotal'],
  [fuzzy(['其中当年财政拨款', '当年财政拨款']), 'annualFiscal'],
  [fuzzy(['上年结转资金', '上年结转']), 'annualCarryover'],
  [fuzzy(['其他资金']), 'other'],
];

function readFunding(lines: Line[], to: number): { funding: TargetDeclaration['funding']; printed: Record<string, string>; cells: Record<string, SourceSpan>; unit: '万元' | '元' | null } {
  const funding: TargetDeclaration['funding'] = {
    projectTotal: null, projectFiscal: null, projectOther: null,
    annualTotal: null, annualFiscal: null, annualCarryover: null, annualOther: null,
  };
  const printed: Record<string, string> = {};
  const cells: Record<string, SourceSpan> = {};
  const first = Math.max(-1, [findRow(lines, [FUNDING_LABELS[0]![0]], 0, to), findRow(lines, [ANNUAL_TOTAL], 0, to)].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? -1);
  if (first < 0) return { funding, printed, cells, unit: null };
  const annualCol = colOf(lines[first]!, ANNUAL_TOTAL);
  let unit: '万元' | '元' | null = null;
  for (let i = first; i < Math.min(to, first + 6); i++) {
    const toks = lines[i]!.tokens;
    unit ??= moneyUnitIn(lines[i]!.text);
    toks.forEach((t, k) => {
      const label = FUNDING_LABELS.find(([re]) => re.test(cellText(t)));
      if (!label) return;
      const next = toks[k + 1];
      const adjacent = next && !FUNDING_LABELS.some(([re]) => re.test(cellText(next))) && isNumberCell(cellText(next));
      let key = label[1];
      if (key === 'other') key = annualCol >= 0 && (t.col ?? 0) >= annualCol ? 'annualOther' : 'projectOther';
      if (adjacent) {
        funding[key] = parseNumber(cellText(next));
        printed[`funding.${key}`] = cellText(next);
        cells[`funding.${key}`] = cellSpan(lines[i]!, next);
      }
    });
  }
  return { funding, printed, cells, unit };
}

/**
 * OCR reads a thousands separator as a point (14,979,100 as 14.979100, 16,647,680 as 16,647.680).
 * An amount in 元 has no more than two decimals: a reading with digits after its point in whole
 * groups of three is such a one, and its digits are the amount.
 */
export function restoreGrouping(funding: TargetDeclaration['funding'], printed: Record<string, string>): void {
  for (const [k, v] of Object.entries(printed)) {
    // The digits after the point in whole groups of three: 5882.05000 is an amount with cents mangled.
    if (!/^\d[\d,]*(?:\.\d{3})+$|^\d+\.\d{3}(?:\d{3})*$/.test(v)) continue;
    const key = k.slice('funding.'.length) as keyof TargetDeclaration['funding'];
    const digits = v.replace(/[.,]/g, '');
    funding[key] = Number(digits);
    printed[k] = digits;
  }
}

/**
 * Read by OCR, the row of the goal heads whose 项目总目标 was misread (项吓总呈标): the row of
 * 年度总目标 with another cell before it, not 项目绩效目标; -1 when there is none.
 */
function garbledOverallHead(lines: Line[], annualHead: Matcher, from: number, to: number): number {
  if (!readByOcr(lines)) return -1;
  const h = findRow(lines, [annualHead], from, to);
  return h >= 0 && headsBefore(lines[h]!, colOf(lines[h]!, annualHead)).length > 0 ? h : -1;
}

/** The cells of the goal heads' row before the 年度总目标 head's column, but 项目绩效目标: the 项目总目标 head, read or garbled. */
const headsBefore = (head: Line, annualCol: number): Token[] =>
  head.tokens.filter((t) => (t.col ?? 0) < annualCol && !/^项目绩效目标$/.test(cellText(t)) && cellText(t).trim());

/**
 * The column from which a goal's cell belongs to the annual goal: halfway between the two heads'
 * columns. A table continued on the next page of a scan has its columns a little off the heads'
 * (年度总目标 at 949 on one page, its goal's cell at 938 on the next, turned and straightened apart).
 * A piece of the overall goal past halfway (cut off by a speck taken for a rule) would go to the
 * annual goal; no such piece has been seen, the page-to-page shift has.
 */
function annualFrom(head: Line, annualHead: Matcher): number {
  const annualCol = colOf(head, annualHead);
  const before = headsBefore(head, annualCol);
  return before.length ? (Math.max(...before.map((t) => t.col ?? 0)) + annualCol) / 2 : annualCol;
}

export function readGoals(lines: Line[], from: number, to: number): TargetDeclaration['goals'] {
  return goalsText(goalCells(lines, from, to));
}

type GoalCells = { overallPeriod: string | null; overall: LineCell[] | null; annual: LineCell[] | null };

const goalsText = ({ overallPeriod, overall, annual }: GoalCells): TargetDeclaration['goals'] => ({ overallPeriod, overall: cellsText(overall), annual: cellsText(annual) });

/** The cells of the overall and the annual goal (see readGoals), in reading order, and the overall goal's period. */
function goalCells(lines: Line[], from: number, to: number): GoalCells {
  const annualHead = fuzzy(['年度总目标']);
  const both = findRow(lines, [fuzzy(['项目总目标']), annualHead], from, to);
  const h = both >= 0 ? both : garbledOverallHead(lines, annualHead, from, to);
  if (h < 0) return { overallPeriod: null, overall: null, annual: null };
  const annualFromCol = annualFrom(lines[h]!, annualHead);
  let overallPeriod: string | null = null;
  const overall: LineCell[] = [];
  const annual: LineCell[] = [];
  // Where the goals are in a table's cells, a line outside them (a page's running header read on a
  // scan, 上海市财政局预算绩效信息公开 above the table's continuation) is no part of a goal.
  const gridded = lines.slice(h + 1, to).some((l) => l.cells);
  for (let i = h + 1; i < to; i++) {
    const line = lines[i]!;
    if (gridded && !line.cells) continue;
    for (const token of line.tokens) {
      const text = cellText(token);
      if (/^项目绩效目标$/.test(text)) continue;
      const period = periodText(text);
      if (period && !overallPeriod) {
        overallPeriod = period;
        continue;
      }
      ((token.col ?? 0) >= annualFromCol ? annual : overall).push({ line, token });
    }
  }
  return { overallPeriod, overall, annual };
}

/** Read by OCR, the two goals' misread glyphs put right from each other where they are readings of one text (ocr-twins.ts). */
function reconciledGoals(goals: TargetDeclaration['goals']): TargetDeclaration['goals'] {
  if (goals.overall === null || goals.annual === null) return goals;
  const [overall, annual] = reconcileTwins(goals.overall, goals.annual);
  return { ...goals, overall, annual };
}

export function parseTargetDeclaration(form: Form): FormResult {
  const lines = form.lines;
  if (!isGridded(lines)) return { status: 'unparsed', reason: 'target declarations are read from gridded (tab-separated or PDF-table) text only; this form is flow text' };
  const identity = readIdentity(lines);
  if (!identity.projectName) return { status: 'unparsed', reason: 'no 项目名称 found in the form head' };
  const header = findIndicatorHeader(lines);
  if (!header) return { status: 'unparsed', reason: 'no indicator table header (三级指标) found' };
  const foreign = foreignLayout(header.text);
  if (foreign) return { status: 'unparsed', reason: `unknown layout: ${foreign}` };
  const { funding, printed, cells, unit } = readFunding(lines, header.at);
  const goalsRead = goalCells(lines, 0, header.at);
  const goals = goalsText(goalsRead);
  if (unit !== '万元' && readByOcr(lines)) restoreGrouping(funding, printed);
  // 指标目标值: the header's column after the name's.
  const target = Math.min(...lines[header.at]!.tokens.flatMap((t) => (t.col !== undefined && t.col > header.nameCol ? [t.col] : [])));
  const rows = readGridRows(lines.slice(header.at + 1), 'target', { name: header.nameCol, target, reason: Number.POSITIVE_INFINITY, slack: header.slack });
  if (rows.length === 0) return { status: 'unparsed', reason: 'the indicator table has no readable rows' };
  const scanned = rowsReadByOcr(rows, lines);
  restoreFigurePunctuation(scanned);
  restorePercentSigns(scanned);
  restoreLostPercents(scanned);
  const broken = rows.filter((r) => !r.name || !r.target);
  const provenance: ParsedForm['provenance'] = {};
  rows.forEach((r, i) => {
    provenance[`indicators.${i}`] = r.span;
    if (r.cells?.target) provenance[`indicators.${i}.target`] = r.cells.target;
  });
  Object.assign(provenance, identity.cells, cells, goalSpans({ overall: goalsRead.overall, annual: goalsRead.annual }));
  const head = (field: 'projectCategory' | 'plannedStart' | 'plannedEnd', label: Matcher): string | null => {
    const found = readHeadField(lines, label);
    if (found) provenance[field] = found.span;
    return found?.text ?? null;
  };
  const projectCategory = head('projectCategory', fuzzy(['项目类别']));
  const plannedStart = parseDate(head('plannedStart', fuzzy(['计划开始日期', '计划开始时间'])));
  const plannedEnd = parseDate(head('plannedEnd', fuzzy(['计划完成日期', '计划完成时间'])));

  const record: TargetDeclaration = {
    docType: 'target_declaration',
    year: form.year,
    projectName: identity.projectName,
    projectCategory,
    department: identity.department,
    implementingUnit: identity.implementingUnit,
    plannedStart,
    plannedEnd,
    // 申报表 amounts are whole 元 unless a unit is printed.
    moneyUnit: unit ?? '元',
    funding,
    goals: readByOcr(lines) ? reconciledGoals(goals) : goals,
    indicators: rows.map((r) => ({ level1: r.level1, level2: r.level2, name: r.name ?? '', target: cleanText(r.target) })),
  };
  const qa: QaNote[] = [
    broken.length === 0
      ? { check: 'qa.rows_complete', ok: true, detail: `${rows.length} rows with name and target` }
      : { check: 'qa.rows_complete', ok: false, likelyCause: 'extraction', detail: `${broken.length} row(s) lack a name or a target` },
    record.indicators.every((i) => i.level1 && i.level2)
      ? { check: 'qa.levels_assigned', ok: true, detail: 'every row has level1 and level2' }
      : { check: 'qa.levels_assigned', ok: false, likelyCause: 'extraction', detail: 'rows without level labels' },
  ];
  const f = record.funding;
  if (f.projectTotal !== null && f.annualTotal !== null) {
    qa.push(
      f.annualTotal <= f.projectTotal + 0.5
        ? { check: 'qa.annual_within_project', ok: true, detail: '年度资金申请总额 ≤ 项目资金总额' }
        : { check: 'qa.annual_within_project', ok: false, likelyCause: 'unknown', detail: `年度资金申请总额 ${f.annualTotal} > 项目资金总额 ${f.projectTotal}` },
    );
  }
  return { status: 'parsed', record, confidence: confidenceOf(qa, rows.filter((r) => r.repaired).length, rows.length), qa, printed, provenance };
}
