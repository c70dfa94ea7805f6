/**
 * 年度总体目标 in flow text: the 预期目标 (left) and 实际完成情况 (right) cells come out as one run
 * of lines, the left column's lines first. The split point is not marked; it is found from the
 * two columns' capacities (full lines of the left column are wider or narrower than the right's by
 * a constant), at a paragraph end, with page breaks and lines that merge both columns handled.
 */
import type { Line, Token } from '../../ingest/types.js';
import { compact, isPageBreak, lineWidth, tokensWidth } from './flow-text.js';

export interface GoalsSplit {
  expected: string | null;
  actual: string | null;
  expectedLines: Line[];
  actualLines: Line[];
  /** True when the split had no width evidence (a tie broken by weaker hints, or too few lines). */
  uncertain: boolean;
  detail: string;
}

interface GoalLine {
  line: Line;
  width: number;
  /** Indented (a paragraph's first line): its trimmed width says little about the column. */
  indented: boolean;
  /** Both columns on one line: the left piece ends 预期目标, the right piece belongs to 实际完成情况. */
  merged: { left: Token[]; right: Token[] } | null;
}

/** The goals' label, or a piece of it a narrow label cell wraps it into. */
export const GOALS_LABEL_PIECE = /^(年度|总体|目标|年度总体目标|总体目标|年度总体)$/;
/**
 * A piece of the goals' label a page break may cut it into too, a head or a tail of two glyphs or
 * more (年度总 | 体目标), taken only in the label's column (a goal's own last line may be 体目标).
 */
export const GOALS_LABEL_CUT = /^(年度(总(体(目标?)?)?)?|(((年?度)?总)?体)?目标|总体)$/;
const PARAGRAPH_END = /[。；！？!?;]$/;
const LIST_START = /^(1[.．、]|[（(]1[)）]|一[、.．]|第一)/;
/** A numbered item other than the first (`2.`, `（3）`, `三、`): a list continues here. */
const LIST_NEXT = /^([2-9][.．、]|[（(][2-9][)）]|[二三四五六七八九][、.．]|第[二三四五六七八九])/;

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
}

/** Splits a line wider than any column at the whitespace that leaves two column-sized pieces. */
function splitMerged(tokens: Token[], cap: number): { left: Token[]; right: Token[] } | null {
  let best: { left: Token[]; right: Token[]; score: number } | null = null;
  for (let g = 1; g < tokens.length; g++) {
    const left = tokens.slice(0, g);
    const right = tokens.slice(g);
    const wl = tokensWidth(left);
    const wr = tokensWidth(right);
    if (wl > cap + 1 || wr > cap + 1) continue;
    const ends = PARAGRAPH_END.test(left.at(-1)!.text) ? 0 : 1;
    const score = ends * 100 + Math.abs(cap - wr);
    if (!best || score < best.score) best = { left, right, score };
  }
  return best ? { left: best.left, right: best.right } : null;
}

function toGoalLines(lines: Line[]): GoalLine[] {
  const kept = lines.filter((l) => !GOALS_LABEL_PIECE.test(compact(l.text)));
  const widths = kept.map(lineWidth);
  const typical = quantile(widths, 0.75);
  const cap = Math.max(0, ...widths.filter((w) => w <= typical * 1.25));
  return kept.map((line, i) => {
    const width = widths[i]!;
    const merged = width > typical * 1.25 && line.tokens.length > 1 ? splitMerged(line.tokens, cap) : null;
    return { line, width, merged, indented: (line.tokens[0]?.x ?? 0) > 0 };
  });
}

interface Segment {
  lines: GoalLine[];
  /** Allowed split positions (count of left lines among the segment's lines). */
  candidates: number[];
}

function paragraphEnd(g: GoalLine, shortBelow: number): boolean {
  return g.width < shortBelow || PARAGRAPH_END.test(compact(g.line.text));
}

function segmentsOf(goal: GoalLine[], shortBelow: number): Segment[] {
  const parts: GoalLine[][] = [];
  for (const g of goal) {
    if (parts.length === 0 || (isPageBreak(g.line) && parts.at(-1)!.length > 0)) parts.push([]);
    parts.at(-1)!.push(g);
  }
  return parts.map((lines, si) => {
    const first = si === 0;
    const last = si === parts.length - 1;
    const candidates: number[] = [];
    for (let k = first ? 1 : 0; k <= lines.length; k++) {
      if (first && last && k === lines.length && lines.length > 1) continue;
      if (!last || k === 0 || k === lines.length || paragraphEnd(lines[k - 1]!, shortBelow)) candidates.push(k);
    }
    return { lines, candidates };
  });
}

/** Otsu's between-class variance of the full lines' widths, left set vs right set. */
function separation(left: number[], right: number[]): number {
  const n = left.length + right.length;
  if (left.length === 0 || right.length === 0) return 0;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const d = mean(left) - mean(right);
  return ((left.length * right.length) / (n * n)) * d * d;
}

interface Choice {
  ks: number[];
  score: number;
  listRestart: boolean;
  /** The right column would start inside a numbered list. */
  listBroken: boolean;
  imbalance: number;
}

function evaluate(segs: Segment[], ks: number[], fullFrom: number, shortBelow: number): Choice {
  const left: number[] = [];
  const right: number[] = [];
  let pl = 0;
  let pr = 0;
  let listRestart = false;
  let listBroken = false;
  segs.forEach((s, si) => {
    const k = ks[si]!;
    s.lines.forEach((g, i) => {
      if (g.merged) return;
      const isLeft = i < k;
      if (g.width >= fullFrom && !g.indented) (isLeft ? left : right).push(g.width);
      if (paragraphEnd(g, shortBelow)) isLeft ? pl++ : pr++;
    });
    const firstRight = s.lines[k];
    const head = firstRight ? compact(firstRight.line.text) : '';
    if (k > 0 && LIST_START.test(head)) listRestart = true;
    if (k > 0 && LIST_NEXT.test(head)) listBroken = true;
  });
  return { ks, score: separation(left, right), listRestart, listBroken, imbalance: Math.abs(pl - pr) };
}

function better(a: Choice, b: Choice): boolean {
  const eps = 1e-9;
  if (a.listBroken !== b.listBroken) return !a.listBroken;
  if (Math.abs(a.score - b.score) > eps) return a.score > b.score;
  if (a.listRestart !== b.listRestart) return a.listRestart;
  if (a.imbalance !== b.imbalance) return a.imbalance < b.imbalance;
  return a.ks.reduce((x, y) => x + y, 0) > b.ks.reduce((x, y) => x + y, 0);
}

function* combos(segs: Segment[], at = 0, acc: number[] = []): Generator<number[]> {
  if (at === segs.length) {
    yield acc;
    return;
  }
  for (const k of segs[at]!.candidates) yield* combos(segs, at + 1, [...acc, k]);
}

const joinTokens = (ts: Token[]): string => ts.map((t) => t.text).join('');

export function splitGoals(lines: Line[]): GoalsSplit {
  const goal = toGoalLines(lines);
  if (goal.length === 0) {
    return { expected: null, actual: null, expectedLines: [], actualLines: [], uncertain: false, detail: 'no goal text' };
  }
  const plain = goal.filter((g) => !g.merged).map((g) => g.width);
  const cap = Math.max(0, ...plain);
  const fullFrom = cap - 2.5;
  const segs = segmentsOf(goal, fullFrom);
  let best: Choice | null = null;
  let second: Choice | null = null;
  let count = 0;
  for (const ks of combos(segs)) {
    if (++count > 50_000) break;
    const c = evaluate(segs, ks, fullFrom, fullFrom);
    if (!best || better(c, best)) {
      second = best;
      best = c;
    } else if (!second || better(c, second)) second = c;
  }
  const ks = best?.ks ?? segs.map((s) => s.candidates[0] ?? 0);
  const exp: string[] = [];
  const act: string[] = [];
  const expLines: Line[] = [];
  const actLines: Line[] = [];
  segs.forEach((s, si) => {
    const k = ks[si]!;
    s.lines.forEach((g, i) => {
      if (g.merged) {
        exp.push(joinTokens(g.merged.left));
        act.push(joinTokens(g.merged.right));
        expLines.push(g.line);
        actLines.push(g.line);
      } else if (i < k) {
        exp.push(g.line.text);
        expLines.push(g.line);
      } else {
        act.push(g.line.text);
        actLines.push(g.line);
      }
    });
  });
  const margin = best && second ? best.score - second.score : Number.POSITIVE_INFINITY;
  const uncertain = !best || best.score === 0 || margin < 1e-9;
  return {
    expected: compact(exp.join('')) || null,
    actual: compact(act.join('')) || null,
    expectedLines: expLines,
    actualLines: actLines,
    uncertain,
    detail:
      `goals split after ${expLines.length} of ${goal.length} line(s) ` +
      `(column separation ${best ? best.score.toFixed(3) : 'n/a'}${uncertain ? ', decided by paragraph hints' : ''})`,
  };
}
