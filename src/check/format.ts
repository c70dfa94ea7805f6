/** Numbers in finding details. */
import type { Interval } from './interval.js';
import type { PrintedValue } from './precision.js';

/** At most `decimals` decimals, trailing zeros dropped: 96.96321 → "96.963". */
export function fmt(x: number, decimals = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  return String(Number(x.toFixed(decimals)));
}

export function fmtInterval(i: Interval, decimals = 4): string {
  return `[${fmt(i.lo, decimals)}, ${fmt(i.hi, decimals)}]`;
}

/** A printed percent figure with its sign: `96.97` → `96.97%`. */
export function pct(p: PrintedValue): string {
  return /%\)?$/.test(p.text) ? p.text : `${p.text}%`;
}

/** How x prints with `decimals` decimals when rounded and when truncated. */
export function roundedAndTruncated(x: number, decimals: number): string {
  const rounded = x.toFixed(decimals);
  const f = 10 ** decimals;
  const truncated = (Math.trunc(x * f + (x >= 0 ? 1e-9 : -1e-9)) / f).toFixed(decimals);
  return rounded === truncated ? `${rounded} whether rounded or truncated` : `${rounded} rounded, ${truncated} truncated`;
}
