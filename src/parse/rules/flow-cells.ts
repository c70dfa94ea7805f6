/**
 * One indicator row of a flow-text table → its 三级指标 | 年度指标值 | 实际完成值 cells.
 *
 * The row's pieces come in column order (name, target, actual), each cell either on lines of its
 * own (a cell that wraps) or sharing one line with the row's other one-line cells. Every way of
 * cutting the pieces into three cells is scored: cell shapes (a target starts with an operator or
 * is qualitative, an actual starts with a number or is a verdict such as 达成指标), column
 * capacities (each line of a wrapped cell but the last is full), and whether a space inside a cell
 * is the kind pdftotext puts between Chinese and digits. The cheapest cut wins.
 */
import type { Line, Token } from '../../ingest/types.js';
import {
  compact,
  firstUnit,
  isBareOperator,
  isCjkChar,
  isGradedVerdict,
  isHanText,
  isNumberLed,
  isOperatorLed,
  isVerdict,
  printedWidth,
  tokensWidth,
} from './flow-text.js';

/** Column capacities in display-width units, estimated per form. */
export interface Caps {
  name: number;
  target: number;
  actual: number;
  reason: number;
}

/** Part of a physical line that belongs to the row's cells. */
export interface RowLine {
  line: Line;
  tokens: Token[];
}

export type Role = 'name' | 'target' | 'actual';

export interface CellSplit {
  name: Token[][];
  target: Token[][];
  actual: Token[][];
  cost: number;
  /** Cost difference to the next-best cut (small: the row could be read another way). */
  margin: number;
}

/** Tolerances and weights of the cost model (display-width units / cost units). */
const OVER_TOL = 0.6;
const OVER_TOL_EXACT = 0.25;
const OVER_WEIGHT = 2;
const NOT_FULL_EXACT = 0.5;
const FULL_TOL = 0.5;
const SHARE = 2.5;
const EMPTY = 3;
const BAD_JOIN = 1.5;
const AUTOSPACE_JOIN = 0.1;
const AUTOSPACE_SPLIT = 0.3;
const EXTRA_NAME_LINE = 0.05;
const OPERATOR_INSIDE = 1.5;
const SHORT_NAME = 0.5;
const MEASURE_END = /[率度性数况间量值]$/;
const UNUSUAL_NAME_END = 0.15;
const GLUED_VALUES = /[)）%]\d/;

interface Item {
  tok: Token;
  li: number;
  /** Tokens on the physical line (other cells, 分值/得分, label fragments included). */
  lineTotal: number;
}

function lastChar(s: string): string {
  return [...s].at(-1) ?? '';
}

/** Cost of a space between two tokens inside one cell. */
function joinCost(a: string, b: string): number {
  if (isBareOperator(a)) return 0;
  const ca = isCjkChar(lastChar(a));
  const cb = isCjkChar(b[0] ?? '');
  if (ca !== cb) return AUTOSPACE_JOIN; // 移交后 30天, 况不晚于 1: the space pdftotext puts between 汉字 and digits
  return BAD_JOIN;
}

/** Cost of a cell boundary at a space between two tokens on one line. */
function splitCost(a: string, b: string): number {
  if (isOperatorLed(b)) return 0;
  return isCjkChar(lastChar(a)) && /^[0-9A-Za-z]/.test(b) ? AUTOSPACE_SPLIT : 0;
}

/** A phrase cut after a function word or an opening bracket is unfinished (…问题的 / …从“能办”向). */
const DANGLING_END = /[的和及与向从对在为把被将或以于、，“‘（(《]$/;
/** Text that cannot start a cell: closing punctuation or a particle that ties to what precedes. */
const DANGLING_START = /^[，。、；：）》”’)的]/;

function shapeCost(role: Role, text: string): number {
  const dangling = (DANGLING_END.test(text) ? 0.3 : 0) + (DANGLING_START.test(text) ? 0.3 : 0);
  return dangling + roleShapeCost(role, text);
}

function roleShapeCost(role: Role, text: string): number {
  switch (role) {
    case 'name':
      if (isOperatorLed(text)) return 4;
      if (isGradedVerdict(text)) return 2;
      // An indicator is named by a phrase; one or two characters are the tail of a wrapped name.
      // Most names end in the measure they name (…率, …度, …性, …数, …情况, …时间, …量).
      return (
        (isNumberLed(text) ? 0.5 : 0) +
        ([...text].length <= 2 ? SHORT_NAME : 0) +
        (MEASURE_END.test(text) ? 0 : UNUSUAL_NAME_END)
      );
    case 'target':
      if (isOperatorLed(text)) return 0;
      if (isGradedVerdict(text)) return 2.5;
      return isNumberLed(text) ? 0.6 : 0.3;
    case 'actual':
      if (isNumberLed(text) || isVerdict(text)) return 0;
      return isOperatorLed(text) ? 0.4 : 0.6;
  }
}

function piecesOf(items: Item[], a: number, b: number): Item[][] {
  const out: Item[][] = [];
  for (let i = a; i < b; i++) {
    const it = items[i]!;
    const last = out.at(-1);
    if (last && last[0]!.li === it.li) last.push(it);
    else out.push([it]);
  }
  return out;
}

/** Cost of a wrapped cell's lines against the column capacity (exported for reasons). */
export function wrapCost(pieces: { width: number; next: string | null; exact?: boolean }[], cap: number): number {
  let cost = 0;
  for (const p of pieces) {
    // Widths of Chinese-only text are exact; Latin text's width depends on the font.
    const over = p.width - cap - (p.exact ? OVER_TOL_EXACT : OVER_TOL);
    if (over > 0) cost += OVER_WEIGHT * over;
    if (p.next !== null) {
      // Full: the next line's first unbreakable piece would not have fitted. Exact for Chinese text.
      const unit = firstUnit(p.next);
      const exact = p.exact === true && isHanText(unit);
      const room = cap - (p.width + printedWidth(unit));
      if (exact && room >= 0) cost += NOT_FULL_EXACT + room;
      else if (!exact && room - FULL_TOL > 0) cost += room - FULL_TOL;
    }
  }
  return cost;
}

function cellCost(items: Item[], a: number, b: number, role: Role, caps: Caps): number {
  if (a === b) return role === 'name' ? Number.POSITIVE_INFINITY : EMPTY;
  const pieces = piecesOf(items, a, b);
  const cap = caps[role];
  let cost = wrapCost(
    pieces.map((p, k) => ({
      width: tokensWidth(p.map((x) => x.tok)),
      exact: p.every((x) => isHanText(x.tok.text)),
      next: k + 1 < pieces.length ? pieces[k + 1]!.map((x) => x.tok.text).join(' ') : null,
    })),
    cap,
  );
  if (pieces.length > 1) {
    // A wrapped cell is a block of its own: its lines hold nothing else.
    for (const p of pieces) if (p.length < p[0]!.lineTotal) cost += SHARE;
    if (role === 'name') cost += EXTRA_NAME_LINE * (pieces.length - 1);
  }
  for (const p of pieces) for (let k = 1; k < p.length; k++) cost += joinCost(p[k - 1]!.tok.text, p[k]!.tok.text);
  // A wrapped line that starts with an operator starts a new value, not the rest of this cell.
  for (let k = 1; k < pieces.length; k++) if (isOperatorLed(pieces[k]![0]!.tok.text)) cost += OPERATOR_INSIDE;
  const text = compact(items.slice(a, b).map((x) => x.tok.text).join(''));
  // `(人次)500.00`, `%98`: a complete value glued to the start of another one.
  if (role !== 'name' && GLUED_VALUES.test(text)) cost += OPERATOR_INSIDE;
  return cost + shapeCost(role, text);
}

function boundaryCost(items: Item[], at: number): number {
  const a = items[at - 1];
  const b = items[at];
  return a && b && a.li === b.li ? splitCost(a.tok.text, b.tok.text) : 0;
}

const group = (items: Item[], a: number, b: number): Token[][] => piecesOf(items, a, b).map((p) => p.map((x) => x.tok));

/** Every cut of the row with its cost, cheapest first (for diagnostics and margins). */
export function rankCuts(rows: RowLine[], caps: Caps, limit = 5): CellSplit[] {
  const items: Item[] = rows.flatMap((r, li) => r.tokens.map((tok) => ({ tok, li, lineTotal: r.line.tokens.length })));
  const n = items.length;
  const memo = new Map<number, number>();
  const cost = (a: number, b: number, role: Role, k: number): number => {
    const key = (a * (n + 1) + b) * 3 + k;
    let c = memo.get(key);
    if (c === undefined) memo.set(key, (c = cellCost(items, a, b, role, caps)));
    return c;
  };
  const cuts: { c1: number; c2: number; cost: number }[] = [];
  for (let c1 = 1; c1 <= n; c1++) {
    const nameCost = cost(0, c1, 'name', 0) + boundaryCost(items, c1);
    if (!Number.isFinite(nameCost)) continue;
    for (let c2 = c1; c2 <= n; c2++) {
      const total =
        nameCost + cost(c1, c2, 'target', 1) + (c2 > c1 ? boundaryCost(items, c2) : 0) + cost(c2, n, 'actual', 2);
      cuts.push({ c1, c2, cost: total });
    }
  }
  cuts.sort((a, b) => a.cost - b.cost);
  return cuts.slice(0, limit).map(({ c1, c2, cost: total }) => ({
    name: group(items, 0, c1),
    target: group(items, c1, c2),
    actual: group(items, c2, n),
    cost: total,
    margin: 0,
  }));
}

/**
 * The cheapest cut of a row's pieces into name | target | actual, or null when the row has no
 * pieces at all. `cost` is 0 for a row that reads cleanly; a few units signal a doubtful cut.
 * `margin` is how much dearer the next-best cut is.
 */
export function splitCells(rows: RowLine[], caps: Caps): CellSplit | null {
  const [best, second] = rankCuts(rows, caps, 2);
  if (!best) return null;
  return { ...best, margin: second ? second.cost - best.cost : Number.POSITIVE_INFINITY };
}

/** A cell's text as the record keeps it: pieces joined, whitespace removed. */
export function cellString(pieces: Token[][]): string | null {
  const s = compact(pieces.map((p) => p.map((t) => t.text).join('')).join(''));
  return s === '' ? null : s;
}
