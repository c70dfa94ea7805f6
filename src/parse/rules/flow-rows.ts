/**
 * The indicator table's body in flow text → rows.
 *
 * A row closes on the line that ends with its 分值 and 得分. Between two closing lines come, in this
 * order: the previous row's 偏差原因 lines (a narrow column), label fragments, and the next row's
 * cell lines. Every way of cutting that run is scored (reason lines against the reason column's
 * capacity, fragments against the label streams, the rest by splitCells) and the cheapest is kept.
 */
import type { Line, Token } from '../../ingest/types.js';
import { cellString, splitCells, wrapCost, type Caps, type CellSplit, type RowLine } from './flow-cells.js';
import { LabelAssigner, feedFragments, type Labels, type StreamState } from './flow-labels.js';
import { isDash, isOperatorLed, isScoreNumber, tokensWidth } from './flow-text.js';

export interface FlowRow {
  name: string;
  target: string | null;
  actual: string | null;
  weight: string;
  score: string;
  reason: string | null;
  /** The reason's pieces, one per printed line. */
  reasonPieces: Token[][];
  /** Every line the row was read from (cells, closing line, reasons). */
  lines: Line[];
  /** Cost of the cut into cells that was chosen (0 = clean). */
  cost: number;
  /** Cost of the decision where its reason ends (0 = clean). */
  reasonCost: number;
  cells: CellSplit;
}

export interface BodyResult {
  rows: FlowRow[];
  labels: Labels[];
  /** False when a label was still incomplete at the end of the table. */
  labelsClosed: boolean;
  /** Lines after the last row that are neither its reason nor label fragments. */
  leftovers: Line[];
  /** Rows whose cells could not be cut at all (no pieces before 分值/得分). */
  unsplittable: number;
  /** Total cost of the reading (rows, reasons, lines left over). */
  cost: number;
}

/** Index of the 分值 token of a row's closing pair on this line, or -1. */
export function closingAt(line: Line): number {
  const t = line.tokens;
  for (let i = t.length - 2; i >= 0; i--) {
    const w = t[i]!.text;
    const s = t[i + 1]!.text;
    if (isScoreNumber(w) && (isScoreNumber(s) || isDash(s)) && Number(w) <= 100) return i;
  }
  return -1;
}

interface Closing {
  at: number;
  pair: number;
}

interface Prev {
  row: FlowRow;
  trailing: Token[];
  deducted: boolean;
}

interface Option {
  cost: number;
  reasonLines: Line[];
  fragmentStates: StreamState[];
  rowLines: RowLine[];
  split: CellSplit | null;
}

/** A deducted row without a reason, or a full-score row with one: both happen, neither is usual. */
const NO_REASON_DEDUCTED = 0.3;
const REASON_NOT_DEDUCTED = 1;
/** What a row that cannot be cut at all adds to a reading's cost. */
const REFUSE_ROW_COST = 20;

/** Cost of taking `lines` (after the closing line's own trailing tokens) as a row's 偏差原因. */
function reasonCost(prev: Prev | null, lines: Line[], caps: Caps): number {
  const pieces = [...(prev && prev.trailing.length ? [prev.trailing] : []), ...lines.map((l) => l.tokens)];
  if (pieces.length === 0) return prev?.deducted ? NO_REASON_DEDUCTED : 0;
  if (!prev) return Number.POSITIVE_INFINITY;
  let cost = prev.deducted ? 0 : REASON_NOT_DEDUCTED;
  cost += wrapCost(
    pieces.map((p, k) => ({
      width: tokensWidth(p),
      next: k + 1 < pieces.length ? pieces[k + 1]!.map((t) => t.text).join(' ') : null,
    })),
    caps.reason,
  );
  for (const l of lines) if (isOperatorLed(l.tokens[0]!.text)) cost += 1;
  return cost;
}

/** States after feeding each of `lines` as fragment lines, as far as they are fragments. */
function fragmentRun(state: StreamState, lines: Line[]): StreamState[] {
  const states: StreamState[] = [];
  let s = state;
  for (const l of lines) {
    const next = feedFragments(s, l.tokens.map((t) => t.text));
    if (!next) break;
    states.push(next);
    s = next;
  }
  return states;
}

function rowOptions(
  state: StreamState,
  prev: Prev | null,
  gap: Line[],
  closingPrefix: RowLine | null,
  caps: Caps,
  allowReasons: boolean,
): Option[] {
  const out: Option[] = [];
  const memo = new Map<string, CellSplit | null>();
  const split = (start: number, q: number, rowLines: RowLine[]): CellSplit | null => {
    const key = `${start}:${q}`;
    if (!memo.has(key)) memo.set(key, splitCells(rowLines, caps));
    return memo.get(key)!;
  };
  for (let r = 0; r <= (allowReasons && prev ? gap.length : 0); r++) {
    const rc = reasonCost(prev, gap.slice(0, r), caps);
    if (!Number.isFinite(rc)) continue;
    const run = fragmentRun(state, gap.slice(r));
    for (let f = 0; f <= run.length; f++) {
      const after = f === 0 ? state : run[f - 1]!;
      const rowLines: RowLine[] = gap.slice(r + f).map((line) => ({ line, tokens: line.tokens }));
      if (closingPrefix && closingPrefix.tokens.length > 0) rowLines.push(closingPrefix);
      inlineOptions(after, rowLines).forEach((o, q) => {
        const cut = split(r + f, q, o.rowLines);
        out.push({
          cost: rc + (cut ? cut.cost : Number.POSITIVE_INFINITY),
          reasonLines: gap.slice(0, r),
          fragmentStates: [...run.slice(0, f), ...(o.state ? [o.state] : [])],
          rowLines: o.rowLines,
          split: cut,
        });
      });
    }
  }
  return out;
}

/** Label fragments printed at the start of the row's first line (`时效 基层受理点… 及时 …`). */
function inlineOptions(state: StreamState, rowLines: RowLine[]): { state: StreamState | null; rowLines: RowLine[] }[] {
  const out: { state: StreamState | null; rowLines: RowLine[] }[] = [{ state: null, rowLines }];
  const first = rowLines[0];
  if (!first) return out;
  for (let q = 1; q < first.tokens.length && q <= 2; q++) {
    const next = feedFragments(state, first.tokens.slice(0, q).map((t) => t.text));
    if (!next) break;
    out.push({ state: next, rowLines: [{ line: first.line, tokens: first.tokens.slice(q) }, ...rowLines.slice(1)] });
  }
  return out;
}

function cheapest(options: Option[]): Option | null {
  let best: Option | null = null;
  for (const o of options) if (!best || o.cost < best.cost) best = o;
  return best;
}

function reasonText(trailing: Token[], lines: Line[]): string | null {
  const s = [trailing.map((t) => t.text).join(''), ...lines.map((l) => l.text)].join('').replace(/[\s\u3000]+/g, '');
  return s === '' ? null : s;
}

/** Closes the previous row: its reason lines, extending its line span. */
function attachReason(prev: Prev | null, lines: Line[], cost: number): void {
  if (!prev) return;
  prev.row.reason = reasonText(prev.trailing, lines);
  prev.row.reasonPieces = [...(prev.trailing.length ? [prev.trailing] : []), ...lines.map((l) => l.tokens)];
  prev.row.lines.push(...lines);
  prev.row.reasonCost = cost;
}

/** After the last row: its reasons, then label fragments that complete a label; the rest is left over. */
function readTail(prev: Prev | null, gap: Line[], state: StreamState, caps: Caps, allowReasons: boolean) {
  let best: { cost: number; r: number; states: StreamState[] } | null = null;
  for (let r = 0; r <= (allowReasons && prev ? gap.length : 0); r++) {
    const rc = reasonCost(prev, gap.slice(0, r), caps);
    const states = fragmentRun(state, gap.slice(r));
    const left = gap.length - r - states.length;
    const cost = rc + 3 * left;
    if (!best || cost < best.cost) best = { cost, r, states };
  }
  const b = best ?? { cost: 0, r: 0, states: [] };
  return { ...b, leftovers: gap.slice(b.r + b.states.length) };
}

/** The row a closing line ends, from the cheapest way of reading the lines before it. */
function newRow(line: Line, c: Closing, best: Option | null): FlowRow {
  const split = best?.split ?? null;
  return {
    name: split ? (cellString(split.name) ?? '') : '',
    target: split ? cellString(split.target) : null,
    actual: split ? cellString(split.actual) : null,
    weight: line.tokens[c.pair]!.text,
    score: line.tokens[c.pair + 1]!.text,
    reason: null,
    reasonPieces: [],
    reasonCost: 0,
    lines: [...new Set([...(best?.rowLines.map((r) => r.line) ?? []), line])],
    cost: split ? split.cost : Number.POSITIVE_INFINITY,
    cells: split ?? { name: [], target: [], actual: [], cost: Number.POSITIVE_INFINITY, margin: 0 },
  };
}

function closingsOf(lines: Line[]): Closing[] {
  const out: Closing[] = [];
  lines.forEach((l, at) => {
    const pair = closingAt(l);
    if (pair >= 0) out.push({ at, pair });
  });
  return out;
}

/** Reads the table body with the given column capacities. */
export function readBody(lines: Line[], caps: Caps, allowReasons: boolean): BodyResult {
  const rows: FlowRow[] = [];
  const assigner = new LabelAssigner();
  let prev: Prev | null = null;
  let from = 0;
  let total = 0;
  for (const c of closingsOf(lines)) {
    const line = lines[c.at]!;
    const prefix: RowLine = { line, tokens: line.tokens.slice(0, c.pair) };
    const best = cheapest(rowOptions(assigner.streams, prev, lines.slice(from, c.at), prefix, caps, allowReasons));
    attachReason(prev, best?.reasonLines ?? [], best ? best.cost - (best.split?.cost ?? 0) : 0);
    for (const s of best?.fragmentStates ?? []) assigner.advance(s);
    total += best && Number.isFinite(best.cost) ? best.cost : REFUSE_ROW_COST;
    const row = newRow(line, c, best);
    rows.push(row);
    assigner.row(rows.length - 1);
    prev = { row, trailing: line.tokens.slice(c.pair + 2), deducted: Number(row.score) < Number(row.weight) };
    from = c.at + 1;
  }
  const tail = readTail(prev, lines.slice(from), assigner.streams, caps, allowReasons);
  attachReason(prev, lines.slice(from, from + tail.r), tail.cost);
  for (const s of tail.states) assigner.advance(s);
  const labelsClosed = assigner.finish();
  return {
    rows,
    labels: assigner.labels,
    labelsClosed,
    leftovers: tail.leftovers,
    unsplittable: rows.filter((r) => !Number.isFinite(r.cost)).length,
    cost: total + tail.cost,
  };
}
