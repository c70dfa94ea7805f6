/**
 * Interval arithmetic for printed numbers (samples/SCHEMA.md, "Rounding").
 *
 * A printed number with d decimals stands for every value that prints as it, whether the form
 * rounded or truncated: half a unit of the last decimal on the side towards zero, a full unit on
 * the side away from zero (positive `98.60` covers [98.595, 98.61), `10` covers [9.5, 11)).
 * A check recomputes a derived value's interval from its inputs' intervals and reports only when
 * that interval cannot meet the printed value's interval, so no rounding artefact is ever reported.
 *
 * Intervals are treated as closed (the half-open upper end is accepted too): at an exact boundary
 * the check errs towards "agrees", never towards a false report.
 */

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** Stands for "any value": the result of a division by an interval that holds 0. */
export const UNBOUNDED: Interval = { lo: -Infinity, hi: Infinity };

export function interval(lo: number, hi: number): Interval {
  return lo <= hi ? { lo, hi } : { lo: hi, hi: lo };
}

/** One unit of the last printed decimal: 0.01 for 2 decimals, 1 for none. */
export function unitOf(decimals: number): number {
  return 10 ** -decimals;
}

/** The values a number printed with `decimals` decimals may stand for (rounded or truncated). */
export function printedInterval(value: number, decimals: number): Interval {
  const u = unitOf(decimals);
  if (value > 0) return { lo: value - u / 2, hi: value + u };
  if (value < 0) return { lo: value - u, hi: value + u / 2 };
  return { lo: -u, hi: u };
}

export function isBounded(a: Interval): boolean {
  return Number.isFinite(a.lo) && Number.isFinite(a.hi);
}

export function add(a: Interval, b: Interval): Interval {
  return { lo: a.lo + b.lo, hi: a.hi + b.hi };
}

export function sub(a: Interval, b: Interval): Interval {
  return { lo: a.lo - b.hi, hi: a.hi - b.lo };
}

export function mul(a: Interval, b: Interval): Interval {
  if (!isBounded(a) || !isBounded(b)) return UNBOUNDED;
  const products = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: Math.min(...products), hi: Math.max(...products) };
}

/** a / b; unbounded when b may be 0 (nothing can be concluded from it). */
export function div(a: Interval, b: Interval): Interval {
  if (b.lo <= 0 && b.hi >= 0) return UNBOUNDED;
  return mul(a, { lo: 1 / b.hi, hi: 1 / b.lo });
}

/** k × a for an exact constant k (e.g. 100 for a percent). */
export function scale(a: Interval, k: number): Interval {
  if (k === 0) return { lo: 0, hi: 0 };
  return k > 0 ? { lo: a.lo * k, hi: a.hi * k } : { lo: a.hi * k, hi: a.lo * k };
}

/** min(a, c) for an exact constant c, e.g. min(执行率, 100%). */
export function minWith(a: Interval, c: number): Interval {
  return { lo: Math.min(a.lo, c), hi: Math.min(a.hi, c) };
}

export function sum(items: readonly Interval[]): Interval {
  return items.reduce(add, { lo: 0, hi: 0 });
}

/** Float slack, far below any printed unit. */
function slack(...xs: number[]): number {
  const finite = xs.filter(Number.isFinite).map(Math.abs);
  return 1e-9 * Math.max(1, ...finite);
}

/** True when the two intervals share a value. */
export function meets(a: Interval, b: Interval): boolean {
  const eps = slack(a.lo, a.hi, b.lo, b.hi);
  return a.lo <= b.hi + eps && b.lo <= a.hi + eps;
}

/** |a − b| ≤ one unit of `decimals` (score totals are sums of printed scores). */
export function withinOneUnit(a: number, b: number, decimals: number): boolean {
  return Math.abs(a - b) <= unitOf(decimals) + slack(a, b);
}
