/**
 * 财政项目支出绩效自评表 from gridded text (tab-separated exports): head, funding block,
 * goals, indicator table, 总分 and 评分等级.
 */
import type { Form } from '../../segment/forms.js';
import type { Box, Line, SourceSpan, Token } from '../../ingest/types.js';
import type { FundingRow, SelfEvaluation, SelfEvalIndicator } from '../../schema/records.js';
import type { FormResult, ParsedForm } from '../types.js';
import { cleanText, isNumberCell, parseNumber, parsePrintedNumber } from '../values.js';
import { cellText, cellsText, colOf, fillColumnsByOrder, findLine, findRow, findRowMatching, fuzzy, readByOcr, type LineCell, type Matcher } from './grid.js';
import { emptyFundingRow, findIndicatorHeader, foreignLayout, moneyUnitIn, readIdentity } from './header.js';
import { blockSpan, cellSpan, goalSpans, readGridRows, restoreFigurePunctuation, restorePercentSigns, restoreUnits, rowsReadByOcr, type GridRow } from './grid-table.js';
import { printedUnit, selfEvalQa } from './qa.js';
import { GOALS_LABEL_CUT } from './flow-goals.js';

type FundingKey = keyof SelfEvaluation['funding'];
type FundingField = keyof FundingRow;

const CURRENT_YEAR_FISCAL = fuzzy(['当年财政拨款']);
const FUNDING_ROWS: [Matcher, FundingKey][] = [
  [fuzzy(['年度资金总额'], { prefix: true }), 'total'],
  // 其中：当年财政拨款, with a glyph of 财政拨款 misread by OCR (财政挨款).
  [{ test: (s: string) => /当年财政拨款|财政拨款/.test(s) || CURRENT_YEAR_FISCAL.test(s.replace(/^其中[:：;；]?/, '')) }, 'currentYearFiscal'],
  [fuzzy(['上年结转资金', '上年结转'], { prefix: true }), 'carryover'],
  [fuzzy(['其他资金']), 'other'],
];

const AMOUNT_COLS: [Matcher, FundingField][] = [
  [fuzzy(['年初预算数'], { prefix: true }), 'initialBudget'],
  [fuzzy(['全年预算数'], { prefix: true }), 'annualBudget'],
  [fuzzy(['全年执行数'], { prefix: true }), 'executed'],
];
const FUNDING_COLS: [Matcher, FundingField][] = [
  ...AMOUNT_COLS,
  [/^(分值|分数)/, 'weight'],
  [/^执行率/, 'executionRate'],
  [/^得分/, 'score'],
];


interface FundingBlock {
  funding: SelfEvaluation['funding'];
  printed: Record<string, string>;
  unit: '万元' | '元' | null;
  end: number;
  /** The funding rows read (their span is the evidence of funding findings). */
  lines: Line[];
  /** Where each figure was read (`funding.total.executed` → its cell), as provenance. */
  cells: Record<string, SourceSpan>;
}

function readFunding(lines: Line[], figures: Form['figures']): FundingBlock | string {
  // Two of the three amount heads: OCR may garble the third (全年预算数 read 全和华预算数), whose
  // column the fixed order then gives it (fillColumnsByOrder).
  const h = findRowMatching(lines, AMOUNT_COLS.map(([m]) => m), 2);
  if (h < 0) return 'no funding header (two of 年初预算数 / 全年预算数 / 全年执行数) found';
  const header = lines[h]!;
  const cols = new Map<number, FundingField>();
  for (const t of header.tokens) {
    const text = cellText(t);
    const f = FUNDING_COLS.find(([re]) => re.test(text));
    if (f && t.col !== undefined) cols.set(t.col, f[1]);
  }
  if (cols.size < 4) return 'funding header columns not recognised';
  // A header cell OCR misread takes the field its place leaves (the 项目资金 label cell and an
  // unread 年初预算数 before it are two unknowns in one gap: neither is guessed).
  fillColumnsByOrder(cols, header.tokens.flatMap((t) => (t.col === undefined ? [] : [t.col])), FUNDING_COLS.map(([, f]) => f));
  const funding = { total: emptyFundingRow(), currentYearFiscal: emptyFundingRow(), carryover: emptyFundingRow(), other: emptyFundingRow() };
  const printed: Record<string, string> = {};
  const cells: Record<string, SourceSpan> = {};
  let end = h + 1;
  const rowsRead: Line[] = [];
  for (let i = h + 1; i < Math.min(lines.length, h + 8); i++) {
    const line = lines[i]!;
    const labelTok = line.tokens.find((t) => FUNDING_ROWS.some(([re]) => re.test(cellText(t))));
    if (!labelTok) continue;
    const key = FUNDING_ROWS.find(([re]) => re.test(cellText(labelTok)))![1];
    const placed = new Set(line.tokens.flatMap((t) => (t.col !== undefined && cols.has(t.col) ? [cols.get(t.col)!] : [])));
    let under: { field: FundingField; text: string } | null = null;
    for (const t of line.tokens) {
      if (t === labelTok || t.col === undefined) continue;
      const owned = cols.get(t.col);
      const field = owned ?? underHeader(t, header, cols, placed);
      if (!field) continue;
      // The second of two cells under one header cell may be the amount's tail, split at its lost point or separator.
      const joined: string | null = !owned && under?.field === field ? joinSplitAmount(under.text, cellText(t)) : null;
      const text: string = joined ?? cellText(t);
      under = owned ? null : { field, text };
      funding[key][field] = parseNumber(text);
      if (isNumberCell(text)) printed[`funding.${key}.${field}`] = text;
      cells[`funding.${key}.${field}`] = cellSpan(line, t);
    }
    end = i + 1;
    rowsRead.push(line);
  }
  if (readByOcr(rowsRead)) {
    restoreCents(funding, printed, figures?.amountsWithCents ?? printsCents([printed], 2, 0.5));
    restoreBudgetPoints(funding.total, printed);
    restoreLostFundingGlyph(funding, printed);
  }
  const unit = moneyUnitIn(header.text) ?? moneyUnitIn(lines.slice(Math.max(0, h - 2), h + 1).map((l) => l.text).join(''));
  return { funding, printed, unit, end, lines: rowsRead, cells };
}

/**
 * The field of a cell whose column the header does not have (a table without rules, whose rows
 * below the label 其中：当年财政拨款 the stream reader set in columns of their own): the header cell
 * its box lies under, the one it overlaps most, among the fields no cell of its line takes by the
 * header's own columns (`placed`). Two such cells under one header cell both take it, and the later
 * one stands: joined to the first where the two are an amount OCR split at a point or separator it
 * lost (151 and 72, 1 and 786.73: joinSplitAmount), else as read (keeping the first read 3 flowscan
 * fields fewer).
 */
export function underHeader(t: Token, header: Line, cols: Map<number, FundingField>, placed: Set<FundingField>): FundingField | undefined {
  if (!t.box) return undefined;
  let best: FundingField | undefined;
  let most = 0;
  for (const h of header.tokens) {
    const field = h.col === undefined ? undefined : cols.get(h.col);
    if (!field || !h.box || placed.has(field)) continue;
    const overlap = Math.min(t.box.x + t.box.w, h.box.x + h.box.w) - Math.max(t.box.x, h.box.x);
    if (overlap > most) [best, most] = [field, overlap];
  }
  return best;
}

/**
 * An amount OCR read as two cells at the white of a point or separator it lost (151 | 72 for
 * 151.72, 1 | 786.73 for 1,786.73), as one: a whole number and two digits are its yuan and fen, a
 * group of one to three digits and three digits more its thousands and the rest. Null when the
 * two are not shaped so.
 */
export function joinSplitAmount(head: string, tail: string): string | null {
  if (/^(?:[1-9]\d{0,2}(?:,\d{3})*|0)$/.test(head) && /^\d{2}$/.test(tail)) return `${head}.${tail}`;
  if (/^[1-9]\d{0,2}$/.test(head) && /^\d{3}(?:,\d{3})*(?:\.\d{1,2})?$/.test(tail)) return `${head},${tail}`;
  return null;
}

/** The amount columns of the funding block. */
export const AMOUNTS = ['initialBudget', 'annualBudget', 'executed'] as const;
const CENTS = /^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$/;

/** A reading's digits, its separators and point dropped. */
const digitsOf = (v: string): string => v.replace(/[.,]/g, '');

/** The amount cells among a form's printed figures (`funding.total.executed` → its reading). */
const amountCells = (printed: Record<string, string>): [string, string][] =>
  Object.entries(printed).filter(([k]) => k.startsWith('funding.') && AMOUNTS.some((a) => k.endsWith(`.${a}`)));

/** An amount well formed without cents: grouped in thousands, or with one decimal (446,048; 3,503,794.7; 1480.5). */
const OTHER_PRINTING = /^\d{1,3}(?:,\d{3})+(?:\.\d)?$|^\d+\.\d$/;

/**
 * An amount read otherwise than printed with cents: digits and separators in no well-formed
 * printing (148000000, 5882.05000), where the point was lost or a separator read as one.
 */
const lacksCents = (v: string): boolean =>
  !CENTS.test(v) && !OTHER_PRINTING.test(v) && /^\d[\d.,]*\d$/.test(v) && digitsOf(v).length >= 3;

/**
 * Whether a form's amounts show points lost or mangled, not amounts printed as integers: a reading
 * with a point before three or more digits or with two points (5882.80000, 2.56400000), or the
 * digits of an amount the form reads with cents elsewhere (410432600 beside 4104326.00).
 */
export function pointsLost(printed: Record<string, string>): boolean {
  const cells = amountCells(printed).map(([, v]) => v);
  const withCents = new Set(cells.filter((v) => CENTS.test(v)).map(digitsOf));
  return cells.some((v) => lacksCents(v) && (/\.\d{3,}$|\..*\./.test(v) || withCents.has(digitsOf(v))));
}

/**
 * Whether forms' amounts are printed with cents: at least `min` of their non-zero amounts (0.00,
 * read as 000, does not vote) and at least `share` of them are read so.
 */
export function printsCents(printeds: Record<string, string>[], min: number, share: number): boolean {
  const voters = printeds.flatMap((p) => amountCells(p).map(([, v]) => v)).filter((v) => /[1-9]/.test(v));
  const withCents = voters.filter((v) => CENTS.test(v)).length;
  return withCents >= min && withCents >= share * voters.length;
}

/**
 * OCR loses or confuses the separators and the point of an amount (1,480,000.00 read as 148000000,
 * 5,882,050.00 as 5882.05000). Where amounts are printed with cents (`cents`: most of the block's
 * amounts are read so, or the document's other forms show it), one read otherwise is such a
 * reading: its digits are kept and the point put before the last two.
 */
export function restoreCents(funding: FundingBlock['funding'], printed: Record<string, string>, cents: boolean): void {
  if (!cents) return;
  for (const [k, v] of amountCells(printed)) {
    if (!lacksCents(v)) continue;
    const digits = digitsOf(v);
    const fixed = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
    const [, key, field] = k.split('.') as [string, keyof FundingBlock['funding'], (typeof AMOUNTS)[number]];
    funding[key][field] = Number(fixed);
    printed[k] = fixed;
  }
}

/**
 * The figures `text` is with one digit more (9.74 → 99.74, 97.74, 9.754, …), each once. Not a
 * point: a point lost is another misreading (restoreCents, restoreBudgetPoints), and a point put
 * into a whole amount would make 4104326 fit as 41043.26 beside an 执行数 OCR misread.
 */
export function withOneDigitMore(text: string): string[] {
  const out = new Set<string>();
  for (let k = 0; k <= text.length; k++) {
    for (const c of '0123456789') {
      const t = text.slice(0, k) + c + text.slice(k);
      if (/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(t)) out.add(t);
    }
  }
  return [...out];
}

/**
 * OCR loses the point of the budget row's 执行率 and 得分 (85.37 read as 8537, 9.7 as 97). The row
 * says what they must be: 执行率 is 全年执行数 / 全年预算数 and 得分 is 分值 × 执行率. A rate over
 * 150 % or a 得分 above its 分值 that, with a point put back, is that computed figure is such a
 * reading.
 */
export function restoreBudgetPoints(total: FundingBlock['funding']['total'], printed: Record<string, string>): void {
  const { annualBudget, executed, weight } = total;
  const computedRate = executed !== null && annualBudget ? (100 * executed) / annualBudget : null;
  /** The field read as plain digits with a point put back before its last 1–3 digits, where `fits` accepts it. */
  const mend = (field: 'executionRate' | 'score', fits: (x: number) => boolean): void => {
    const key = `funding.total.${field}`;
    const digits = printed[key];
    if (digits === undefined || !/^\d{2,6}$/.test(digits)) return;
    for (const k of [1, 2, 3]) {
      if (k >= digits.length) break;
      const text = `${digits.slice(0, -k)}.${digits.slice(-k)}`;
      if (!fits(Number(text))) continue;
      total[field] = Number(text);
      printed[key] = text;
      return;
    }
  };
  if (total.executionRate !== null && total.executionRate > 150 && computedRate !== null) {
    mend('executionRate', (x) => Math.abs(x - computedRate) < 0.01);
  }
  const rate = total.executionRate !== null && total.executionRate <= 150 ? total.executionRate : computedRate;
  if (total.score !== null && weight !== null && total.score > weight && rate !== null) {
    const expected = (weight * rate) / 100;
    mend('score', (x) => x <= weight && Math.abs(x - expected) < 0.05);
  }
}

/**
 * OCR loses a glyph of a budget figure now and then (1296714 read as 129714, 99.74 as 9.74). The
 * total row's 全年执行数 / 全年预算数 is its 执行率: where the three are far apart (1 % or more),
 * the one reading of one of them with a glyph put back that makes them agree to within a unit of
 * the rate's last decimal is taken (the printed rate may still differ from the computed one by that
 * much: the checks weigh it). A 当年财政拨款 figure read as the total's was, with no other funds
 * beside it, is the same printed figure and is mended with it.
 */
export function restoreLostFundingGlyph(funding: FundingBlock['funding'], printed: Record<string, string>): void {
  const t = funding.total;
  const { annualBudget: budget, executed, executionRate: rate } = t;
  if (budget === null || executed === null || rate === null || budget <= 0 || Math.abs((100 * executed) / budget - rate) < 1) return;
  // Within one unit of the rate's last printed decimal: rounded or truncated, or a document's own slip.
  const unit = printedUnit(printed['funding.total.executionRate']);
  const agree = (b: number, e: number, r: number, u = unit): boolean => b > 0 && Math.abs((100 * e) / b - r) <= u + 1e-9;
  const tries = [
    ['annualBudget', (x: string) => agree(Number(x), executed, rate)],
    ['executed', (x: string) => agree(budget, Number(x), rate)],
    ['executionRate', (x: string) => agree(budget, executed, Number(x), printedUnit(x))],
  ] as const;
  const fits = tries.flatMap(([field, ok]) => {
    const text = printed[`funding.total.${field}`]?.replace(/[,%]/g, '');
    return text === undefined ? [] : withOneDigitMore(text).flatMap((x) => (ok(x) ? [{ field, x }] : []));
  });
  if (fits.length !== 1) return;
  const { field, x } = fits[0]!;
  const asRead = t[field];
  t[field] = Number(x);
  printed[`funding.total.${field}`] = x;
  const fiscal = funding.currentYearFiscal;
  const alone = [funding.carryover[field], funding.other[field]].every((v) => v === null || v === 0);
  if (field !== 'executionRate' && fiscal[field] === asRead && alone) {
    fiscal[field] = Number(x);
    printed[`funding.currentYearFiscal.${field}`] = x;
  }
}

export function readGoals(lines: Line[], from: number, to: number): SelfEvaluation['goals'] {
  return goalsText(goalCells(lines, from, to));
}

type GoalCells = { expected: LineCell[] | null; actual: LineCell[] | null };

const goalsText = ({ expected, actual }: GoalCells): SelfEvaluation['goals'] => ({ expected: cellsText(expected), actual: cellsText(actual) });

/** The cells of the expected and the actual goal (see readGoals), in reading order; null where the goals' head is not found. */
function goalCells(lines: Line[], from: number, to: number): GoalCells {
  const actualHead = fuzzy(['实际完成情况']);
  // A scan can garble 预期目标 past matching (需期日杯): the 实际完成情况 head alone then marks the row.
  const expectedHead = fuzzy(['预算目标', '预期目标']);
  const paired = findRow(lines, [expectedHead, actualHead], from, to);
  const h = paired >= 0 ? paired : findRow(lines, [actualHead], from, to);
  if (h < 0) return { expected: null, actual: null };
  const actualCol = colOf(lines[h]!, actualHead);
  // A goal is the actual one in the 实际完成情况 head's column or after it; with geometry, also where
  // it starts right of the 预期目标 head and lies under the 实际完成情况 head (underActual), each centred over
  // its column: the stream reader may name the heads' columns by the funding table's gaps above them
  // and the goals' by their own gutter (实际完成情况 in column 998, the actual goal's text, starting
  // at 909, in column 890). A piece of an expected goal's line cut off short of the gutter stays.
  const heads = lines[h]!.tokens;
  const expectedBox = paired >= 0 ? heads.find((t) => expectedHead.test(cellText(t)))?.box : undefined;
  const actualBox = heads.find((t) => actualHead.test(cellText(t)))?.box;
  const centre = (b: Box): number => b.x + b.w / 2;
  // Past the middle between the heads, or nearer the 实际完成情况 head's middle than the 预期目标 head's
  // and reaching past it: a cell centred under it (the two columns need not be as wide: an actual
  // goal starting left of the middle between the heads), not a piece of an expected goal's line.
  const middle = expectedBox && actualBox ? (centre(expectedBox) + centre(actualBox)) / 2 : Infinity;
  const underActual = (b: Box): boolean =>
    b.x >= middle || (expectedBox !== undefined && actualBox !== undefined && Math.abs(centre(b) - centre(actualBox)) < Math.abs(centre(b) - centre(expectedBox)) && b.x + b.w > centre(actualBox));
  // The goals' label, or a piece of it (年度 | 总体 | 目标 wrapped in a narrow cell, 总体目标 at the top
  // of the page after 年度) in the label's column, left of the 预期目标 head's: a goal's last line can be 目标 too.
  const labelColumn = paired >= 0 ? colOf(lines[h]!, expectedHead) : -Infinity;
  const isLabel = (t: Token): boolean => cellText(t) === '年度总体目标' || (GOALS_LABEL_CUT.test(cellText(t)) && (t.col ?? Infinity) < labelColumn);
  const isActual = (t: Token): boolean => (t.col ?? 0) >= actualCol || (t.box !== undefined && expectedBox !== undefined && t.box.x >= expectedBox.x + expectedBox.w && underActual(t.box));
  const expected: LineCell[] = [];
  const actual: LineCell[] = [];
  for (let i = h + 1; i < to; i++) {
    const line = lines[i]!;
    for (const token of line.tokens) {
      if (isLabel(token)) continue;
      (isActual(token) ? actual : expected).push({ line, token });
    }
  }
  return { expected, actual };
}

function toIndicator(r: GridRow): SelfEvalIndicator {
  return {
    level1: r.level1,
    level2: r.level2,
    name: r.name ?? '',
    target: cleanText(r.target),
    actual: cleanText(r.actual),
    weight: parseNumber(r.weight),
    score: parseNumber(r.score),
    deviationReason: cleanText(r.reason),
  };
}

function numbersOn(line: Line): string[] {
  return line.tokens.map(cellText).filter((t) => isNumberCell(t));
}

/**
 * The 总分 row's 分值 and 得分. With geometry (PDF/scan tables) they are read from the columns the
 * header names, so one unreadable cell cannot shift the other into its place; exports, whose cells
 * shift, are read in order.
 */
function totalsOn(line: Line, header: Line): [string | undefined, string | undefined] {
  const centre = (t: Token | undefined): number | null => (t?.box ? t.box.x + t.box.w / 2 : null);
  const wx = centre(header.tokens.find((t) => /^(分值|分数)$/.test(cellText(t))));
  const sx = centre(header.tokens.find((t) => /^得分$/.test(cellText(t))));
  if (wx !== null && sx !== null && line.tokens.some((t) => t.box)) {
    // Columns by position (the same on every page of a table, unlike page-local column indices).
    const reach = Math.abs(sx - wx) / 2;
    const near = (x: number): string | undefined => {
      const t = line.tokens.find((tok) => {
        const c = centre(tok);
        return c !== null && Math.abs(c - x) < reach && isNumberCell(cellText(tok));
      });
      return t ? cellText(t) : undefined;
    };
    return [near(wx), near(sx)];
  }
  const nums = numbersOn(line);
  return [nums[0], nums[1]];
}

const TWO_DECIMALS = /^\d+\.\d{2}$/;

/** Latin letters tesseract reads for digits in a figure cell (S for 5, O and D for 0, Z for 2, B for 8). */
const LETTER_DIGITS: Readonly<Record<string, string>> = { S: '5', s: '5', O: '0', o: '0', D: '0', Z: '2', B: '8' };
const LETTERED_FIGURE = /^(?=.*[SsOoDZB])(?=.*[\dSZB])[\dSsOoDZB]{1,3}(?:\.[\dSsOoDZB]{1,2})?$/;

/**
 * A 分值 or 得分 cell read by OCR as a figure with a Latin letter for a digit (S for a faint 5, 2.S,
 * 1O): the figure. No word of these columns is spelt with those letters, and a figure of them alone
 * (O, OO) is left: a 0 or a ring speck. Returns how many cells were mended.
 */
export function restoreLetterDigits(rows: GridRow[]): number {
  let mended = 0;
  for (const r of rows) {
    for (const key of ['weight', 'score'] as const) {
      const v = r[key];
      if (v === null || !LETTERED_FIGURE.test(v)) continue;
      r[key] = Array.from(v, (c) => LETTER_DIGITS[c] ?? c).join('');
      r.repaired = true;
      mended++;
    }
  }
  return mended;
}

/**
 * OCR loses the point of a blurred figure with confidence (1.50 read as 150). In a 分值 or 得分
 * column printed with two decimals, a bare integer of three or four digits is such a figure: the
 * point is put back. Returns how many cells were mended (they count as repairs in QA).
 */
export function restoreDecimalPoints(rows: GridRow[]): number {
  let mended = 0;
  for (const key of ['weight', 'score'] as const) {
    const cells = rows.map((r) => r[key]).filter((v): v is string => v !== null);
    if (cells.length < 3 || cells.filter((v) => TWO_DECIMALS.test(v)).length < 0.6 * cells.length) continue;
    for (const r of rows) {
      const v = r[key];
      if (v !== null && /^\d{3,4}$/.test(v)) {
        r[key] = `${v.slice(0, -2)}.${v.slice(-2)}`;
        r.repaired = true;
        mended++;
      }
    }
  }
  return mended;
}

/** A column's figures as read, NaN where a row has none (so that it never adds up). */
const figuresOf = (rows: GridRow[], key: 'weight' | 'score'): number[] => rows.map((r) => (r[key] === null ? NaN : Number(r[key])));

/** The budget's figure plus the rows' is the total, to 0.01 (分值 or 得分); a missing figure (NaN) never adds up. */
const addsUp = (budget: number, parts: number[], total: number): boolean => Math.abs(parts.reduce((a, b) => a + b, budget) - total) < 0.01;

/**
 * OCR loses a glyph of a 分值 (15 read as 5, 10 as 1 or 0). When the 分值 column, with the
 * budget's 分值, falls short of the printed total by d, and exactly one row scores above its 分值
 * w (which no row can) where w + d is w with one glyph put back and holds the score, that row's
 * 分值 is w + d: the one reading that mends both, unless w + d is half the indicators' 分值 (the
 * total less the budget's) or more.
 * Returns how many cells were mended.
 */
export function restoreLostWeightGlyph(rows: GridRow[], budgetWeight: number | null, totalWeight: number | null): number {
  const weights = figuresOf(rows, 'weight');
  if (totalWeight === null || weights.some(Number.isNaN)) return 0;
  const short = totalWeight - weights.reduce((a, b) => a + b, budgetWeight ?? 0);
  if (short < 0.01) return 0;
  // No one indicator weighs half the indicators' 分值: a 分值 mended so (10 to 100) rests on a misread total (190 for 100).
  const most = (totalWeight - (budgetWeight ?? 0)) / 2;
  const fits = rows.flatMap((r, i) => {
    const score = parseNumber(r.score);
    const whole = (weights[i]! + short).toFixed(parsePrintedNumber(r.weight)?.decimals ?? 0);
    return score !== null && score > weights[i]! && score <= Number(whole) && Number(whole) < most && withOneDigitMore(r.weight!).includes(whole) ? [{ r, whole }] : [];
  });
  if (fits.length !== 1) return 0;
  fits[0]!.r.weight = fits[0]!.whole;
  fits[0]!.r.repaired = true;
  return 1;
}

/** The scores a half score's lost point explains: above their row's 分值, below it with a point before the last digit. */
function halfPointScores(rows: GridRow[], weights: number[]): number[] {
  return rows.flatMap((r, i) => {
    const s = r.score;
    return s !== null && /^\d{2,3}$/.test(s) && Number(s) > weights[i]! && Number(s) / 10 <= weights[i]! ? [i] : [];
  });
}

/**
 * OCR loses the point of a half score (2.5 read as 25). A 得分 above its row's 分值 that fits
 * below it with a point before its last digit is such a score (a score cannot exceed its weight)
 * when the columns say the 分值 was read right: it adds up, with the budget's 分值, to the printed
 * total (then only a score ending in 5); or, where a 分值 is misread too, when the 得分 column adds
 * up to its total with the points put back (with the budget's 得分, to 0.01). Returns how many
 * cells were mended.
 */
export function restoreHalfPoints(rows: GridRow[], budgetWeight: number | null, totalWeight: number | null, budgetScore: number | null = null, totalScore: number | null = null): number {
  const weights = figuresOf(rows, 'weight');
  const half = halfPointScores(rows, weights);
  if (half.length === 0) return 0;
  const mended = figuresOf(rows, 'score').map((x, i) => (half.includes(i) ? x / 10 : x));
  const weightsRight = totalWeight !== null && addsUp(budgetWeight ?? 0, weights, totalWeight);
  const scoresRight = totalScore !== null && addsUp(budgetScore ?? 0, mended, totalScore);
  if (!weightsRight && !scoresRight) return 0;
  // With only the 分值 to go by, only a half (25 for 2.5): a 得分 of 19 beside a 分值 of 10 is as
  // likely 10 with its 0 misread as 1.9 with its point lost.
  const mend = scoresRight ? half : half.filter((i) => rows[i]!.score!.endsWith('5'));
  for (const i of mend) {
    const s = rows[i]!.score!;
    rows[i]!.score = `${s.slice(0, -1)}.${s.slice(-1)}`;
    rows[i]!.repaired = true;
  }
  return mend.length;
}

/** The 总分 line: its label, after a speck OCR read as a glyph (将总分 100 98.78), before its figures. */
const TOTAL_LINE = /^总分|^.总分(?=\d)/u;

/** The longest name cell a 总分 row read as an indicator row may have: its two glyphs read as up to five, and a speck. */
const TOTAL_LABEL_MISREAD = 6;

/** How an indicator's name ends (满意度, 完成率, 健全性, 投诉数, 发放量), which a misread 总分 does not. */
const INDICATOR_END = /[率度性数量]$/u;

/** Grades these forms print in the 评分等级 row. */
const GRADES = /^(?:优秀?|良好?|中|合格|差|不合格)$/;

/**
 * The 总分 row read as an indicator row, where OCR lost its label: the last row, without a target
 * or an actual, whose 分值 is the budget's 分值 plus every other row's (100.00 = 10 + 90). Its
 * name cell, if any, is then the 评分等级 read into it (优), or the label 总分 misread (已好计有有:
 * a short cell, TOTAL_LABEL_MISREAD glyphs at most, not ending as names do). -1 when there is no such row.
 */
export function unlabelledTotalRow(rows: GridRow[], budgetWeight: number | null): number {
  const last = rows.length - 1;
  const row = rows[last];
  const weight = parseNumber(row?.weight);
  const labelLike = (name: string): boolean => GRADES.test(name) || (Array.from(name).length <= TOTAL_LABEL_MISREAD && !INDICATOR_END.test(name));
  if (!row || budgetWeight === null || weight === null || row.target || row.actual || (row.name && !labelLike(row.name))) return -1;
  const others = rows.slice(0, last).map((r) => parseNumber(r.weight) ?? NaN);
  return addsUp(budgetWeight, others, weight) ? last : -1;
}

export function parseGridSelfEvaluation(form: Form): FormResult {
  const lines = form.lines;
  const identity = readIdentity(lines);
  if (!identity.projectName) return { status: 'unparsed', reason: 'no 项目名称 found in the form head' };
  const fundingBlock = readFunding(lines, form.figures);
  if (typeof fundingBlock === 'string') return { status: 'unparsed', reason: fundingBlock };
  const header = findIndicatorHeader(lines, fundingBlock.end);
  if (!header) return { status: 'unparsed', reason: 'no indicator table header (三级指标) found' };
  const foreign = foreignLayout(header.text);
  if (foreign) return { status: 'unparsed', reason: `unknown layout: ${foreign}` };
  if (!/分值|得分/.test(header.text)) return { status: 'unparsed', reason: 'unknown layout: the indicator table has no 分值/得分 columns (unscored form)' };

  const totalAt = findLine(lines, TOTAL_LINE, header.at + 1);
  const gradeAt = findLine(lines, /^评分等级/, header.at + 1);
  const tableEnd = totalAt >= 0 ? totalAt : gradeAt >= 0 ? gradeAt : lines.length;
  const rows = readGridRows(lines.slice(header.at + 1, tableEnd), 'scored', {
    name: header.nameCol,
    reason: header.reasonCol,
    score: header.scoreCol,
    weight: header.weightCol,
    target: header.targetCol,
    actual: header.actualCol,
    third: header.thirdCol,
    slack: header.slack,
  });
  if (rows.length === 0) return { status: 'unparsed', reason: 'the indicator table has no readable rows' };
  const ocr = readByOcr(lines);
  if (ocr) {
    restoreLetterDigits(rows);
    restoreDecimalPoints(rows);
    const scanned = rowsReadByOcr(rows, lines);
    restoreFigurePunctuation(scanned);
    restorePercentSigns(scanned);
    restoreUnits(scanned);
  }
  let totals = totalAt >= 0 ? totalsOn(lines[totalAt]!, lines[header.at]!) : [];
  // Without a 总分 line (its label lost to OCR), the 总分 row may have been read as the last indicator.
  const totalRow = ocr && totalAt < 0 ? unlabelledTotalRow(rows, fundingBlock.funding.total.weight) : -1;
  const lostTotal = totalRow >= 0 ? rows.splice(totalRow, 1)[0]! : null;
  if (lostTotal) totals = [lostTotal.weight ?? '', lostTotal.score ?? ''];
  const unnamed = rows.filter((r) => !r.name);
  if (unnamed.length) return { status: 'unparsed', reason: `${unnamed.length} indicator row(s) without a name (line ${unnamed[0]!.span.fromLine})` };

  if (ocr) {
    const budget = fundingBlock.funding.total;
    restoreLostWeightGlyph(rows, budget.weight, parseNumber(totals[0]));
    restoreHalfPoints(rows, budget.weight, parseNumber(totals[0]), budget.score, parseNumber(totals[1]));
  }
  const gradeLine = gradeAt >= 0 ? lines[gradeAt]!.tokens.map(cellText).filter((t) => !/^评分等级/.test(t)) : [];
  const printed: Record<string, string> = { ...fundingBlock.printed };
  const provenance: ParsedForm['provenance'] = {};
  rows.forEach((r, i) => {
    if (r.weight) printed[`indicators.${i}.weight`] = r.weight;
    if (r.score) printed[`indicators.${i}.score`] = r.score;
    provenance[`indicators.${i}`] = r.span;
    for (const [key, span] of Object.entries(r.cells ?? {})) provenance[`indicators.${i}.${key}`] = span;
  });
  const goals = goalCells(lines, fundingBlock.end, header.at);
  Object.assign(provenance, identity.cells, goalSpans(goals));
  const fundingSpan = blockSpan(fundingBlock.lines);
  if (fundingSpan) provenance.funding = fundingSpan;
  Object.assign(provenance, fundingBlock.cells);
  const totalSpan = totalAt >= 0 ? blockSpan([lines[totalAt]!]) : (lostTotal?.span ?? null);
  if (totalSpan) provenance.total = totalSpan;
  if (totals[0]) printed.totalWeight = totals[0];
  if (totals[1]) printed.totalScore = totals[1];

  const record: SelfEvaluation = {
    docType: 'self_evaluation',
    year: form.year,
    projectName: identity.projectName,
    department: identity.department,
    implementingUnit: identity.implementingUnit,
    moneyUnit: fundingBlock.unit,
    funding: fundingBlock.funding,
    goals: goalsText(goals),
    indicators: rows.map(toIndicator),
    totalWeight: parseNumber(totals[0]),
    totalScore: parseNumber(totals[1]),
    grade: cleanText(gradeLine[0]) ?? cleanText(lostTotal?.name),
  };
  const { qa, confidence } = selfEvalQa(record, rows.filter((r) => r.repaired).length, {
    totalWeight: printed.totalWeight ?? null,
    totalScore: printed.totalScore ?? null,
  });
  return { status: 'parsed', record, confidence, qa, printed, provenance };
}
