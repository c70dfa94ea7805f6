/**
 * Column capacities of a flow-text indicator table, estimated from the form itself: a first guess
 * from lines whose role is plain (single-line rows, operator-led target pieces, the first line
 * after a deducted row), then the widest piece each column actually holds in a first reading.
 */
import type { Line } from '../../ingest/types.js';
import type { Caps } from './flow-cells.js';
import { isFragmentShape } from './flow-labels.js';
import { closingAt, type FlowRow } from './flow-rows.js';
import { isHanText, isNumberLed, isOperatorLed, isScoreNumber, printedWidth, tokensWidth, unitCount } from './flow-text.js';

const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

/** Leading tokens that may be label fragments printed on a row's line (`时效 基层受理点…`). */
function skipFragments(tokens: Line['tokens']): Line['tokens'] {
  let k = 0;
  while (k < tokens.length - 1 && k < 2 && isFragmentShape(tokens[k]!.text) && printedWidth(tokens[k]!.text) <= 3) k++;
  return tokens.slice(k);
}

interface Evidence {
  names: number[];
  singles: number[];
  targets: number[];
  actuals: number[];
  reasons: number[];
}

/** A row closed on this line: one-line rows show whole cells; a deducted row's next line starts its reason. */
function closingEvidence(e: Evidence, l: Line, pair: number, next: Line | undefined): void {
  const cells = skipFragments(l.tokens.slice(0, pair));
  if (cells.length >= 3) {
    e.names.push(printedWidth(cells[0]!.text));
    if (isOperatorLed(cells.at(-2)!.text)) e.targets.push(printedWidth(cells.at(-2)!.text));
    if (isNumberLed(cells.at(-1)!.text)) e.actuals.push(printedWidth(cells.at(-1)!.text));
  }
  const deducted = Number(l.tokens[pair + 1]!.text) < Number(l.tokens[pair]!.text);
  if (deducted && next && closingAt(next) < 0 && l.tokens.length === pair + 2) e.reasons.push(tokensWidth(next.tokens));
}

/** A line holding one token: an operator-led target piece, a number-led actual piece, or text. */
function singleEvidence(e: Evidence, l: Line): void {
  if (l.tokens.length !== 1) return;
  const t = l.tokens[0]!.text;
  const w = printedWidth(t);
  if (isOperatorLed(t)) e.targets.push(w);
  else if (isNumberLed(t) && !isScoreNumber(t)) e.actuals.push(w);
  else if (!isFragmentShape(t) || w > 3) e.singles.push(w);
}

/** A first guess at the capacities from lines whose role is plain before any reading. */
export function initialCaps(lines: Line[]): Caps {
  const e: Evidence = { names: [], singles: [], targets: [], actuals: [], reasons: [] };
  lines.forEach((l, i) => {
    const pair = closingAt(l);
    if (pair >= 0) closingEvidence(e, l, pair, lines[i + 1]);
    else singleEvidence(e, l);
  });
  const name = max(e.names) ?? max(e.singles) ?? 12;
  return withNarrowReasons({
    name: Math.max(name, max(e.singles.filter((w) => w <= name + 2)) ?? 0),
    target: max(e.targets) ?? name / 2,
    actual: max(e.actuals) ?? name / 2,
    reason: max(e.reasons) ?? name * 0.65,
  });
}

type Pieces = Line['tokens'][];

/**
 * A column's capacity from the lines it holds: the widest line, but where Chinese-only lines that
 * wrapped (so were full) are known, no more than one character wider than those, since a wider
 * measured line is Latin text whose printed width the metric only approximates, or a unit too long
 * to break.
 */
export function capacityOf(cells: Pieces[]): number | null {
  // A wrapped cell's line holding one unbreakable unit (`>5000000.00`) may overrun: no measure of it.
  const measured = cells.flatMap((c) => (c.length > 1 ? c.filter((p) => unitCount(p.map((t) => t.text).join('')) > 1) : c));
  const all = max(measured.map(tokensWidth)) ?? max(cells.flatMap((c) => c.map(tokensWidth)));
  const fullExact = max(
    cells.flatMap((c) => c.slice(0, -1).filter((p) => p.every((t) => isHanText(t.text))).map(tokensWidth)),
  );
  if (all === null) return null;
  // Full Chinese lines much narrower than the widest line are not the column's measure (a misread).
  if (fullExact === null || fullExact < all - 2) return all;
  return Math.max(fullExact, Math.min(all, fullExact + 0.9));
}

/** Capacities re-estimated from a reading (rows whose cut failed are left out). */
export function refinedCaps(rows: FlowRow[], first: Caps): Caps {
  const read = rows.filter((r) => Number.isFinite(r.cost));
  return withNarrowReasons({
    name: capacityOf(read.map((r) => r.cells.name)) ?? first.name,
    target: capacityOf(read.map((r) => r.cells.target)) ?? first.target,
    actual: capacityOf(read.map((r) => r.cells.actual)) ?? first.actual,
    reason: capacityOf(read.map((r) => r.reasonPieces)) ?? first.reason,
  });
}

/** The reason column is narrower than the name column: a line as wide as a name is a name. */
export function withNarrowReasons(caps: Caps): Caps {
  return { ...caps, reason: Math.min(caps.reason, caps.name - 1) };
}
