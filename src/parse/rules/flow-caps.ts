/**
 * Column capacities of a flow-text indicator table, estimated from the form itself: a first guess
 * from lines whose role is plain (single-line rows, operator-led target pieces, the first line
 * after a deducted row), then the widest piece each column actually holds in a first reading.
 */
import type { Line } from '../../ingest/types.js';
import type { Caps } from './flow-cells.js';
import { isFragmentShape } from './flow-labels.js';
import { closingAt, type FlowRow } from './flow-rows.js';
import { isHanText, isNumberLed, isOperatorLed, isScoreNumber, printedWidth, tokensWidth } from './flow-text.js';

const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

/** Leading tokens that may be label fragments printed on a row's line (`时效 基层受理点…`). */
function skipFragments(tokens: Line['tokens']): Line['tokens'] {
  let k = 0;
  while (k < tokens.length - 1 && k < 2 && isFragmentShape(tokens[k]!.text) && printedWidth(tokens[k]!.text) <= 3) k++;
  return tokens.slice(k);
}

export function initialCaps(lines: Line[]): Caps {
  const names: number[] = [];
  const singles: number[] = [];
  const targets: number[] = [];
  const actuals: number[] = [];
  const reasons: number[] = [];
  lines.forEach((l, i) => {
    const pair = closingAt(l);
    if (pair >= 0) {
      const cells = skipFragments(l.tokens.slice(0, pair));
      if (cells.length >= 3) names.push(printedWidth(cells[0]!.text));
      const w = Number(l.tokens[pair]!.text);
      const s = Number(l.tokens[pair + 1]!.text);
      const next = lines[i + 1];
      if (s < w && next && closingAt(next) < 0 && l.tokens.length === pair + 2) reasons.push(tokensWidth(next.tokens));
      return;
    }
    if (l.tokens.length !== 1) return;
    const t = l.tokens[0]!;
    const w = printedWidth(t.text);
    if (isOperatorLed(t.text)) targets.push(w);
    else if (isNumberLed(t.text) && !isScoreNumber(t.text)) actuals.push(w);
    else if (!isFragmentShape(t.text) || w > 3) singles.push(w);
  });
  const name = max(names) ?? max(singles) ?? 12;
  return {
    name: Math.max(name, max(singles.filter((w) => w <= name + 2)) ?? 0),
    target: max(targets) ?? name / 2,
    actual: max(actuals) ?? name / 2,
    reason: max(reasons) ?? name * 0.65,
  };
}

type Pieces = Line['tokens'][];

/**
 * A column's capacity from the lines it holds: the widest line, but where Chinese-only lines that
 * wrapped (so were full) are known, no more than one character wider than those, since a wider
 * measured line is Latin text whose printed width the metric only approximates, or a unit too long
 * to break.
 */
export function capacityOf(cells: Pieces[]): number | null {
  const all = max(cells.flatMap((c) => c.map(tokensWidth)));
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
  const ok = rows.filter((r) => Number.isFinite(r.cost));
  return {
    name: capacityOf(ok.map((r) => r.cells.name)) ?? first.name,
    target: capacityOf(ok.map((r) => r.cells.target)) ?? first.target,
    actual: capacityOf(ok.map((r) => r.cells.actual)) ?? first.actual,
    reason: capacityOf(ok.map((r) => r.reasonPieces)) ?? first.reason,
  };
}
