/**
 * The printed precision of a record's numbers. The parser hands the checks the printed string of
 * each numeric field (`printed['funding.total.executionRate'] = '96.97%'`); where there is none, the
 * JSON number's own decimals are used (fewer decimals → a wider interval → never a false report).
 */
import { parsePrintedNumber } from '../parse/values.js';
import { type Interval, printedInterval } from './interval.js';

export type PrintedMap = Readonly<Record<string, string>>;

export interface PrintedValue {
  value: number;
  decimals: number;
  /** As printed when known, else the JSON number. */
  text: string;
  interval: Interval;
}

/** Decimals of a JSON number as written in its shortest form: 98.6 → 1, 10 → 0, 1e-7 → 7. */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const [mantissa = '', exponent] = String(Math.abs(value)).split(/e/i);
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** A record's number with the precision it was printed with; null when the value is missing. */
export function printedValue(value: number | null | undefined, path: string, printed?: PrintedMap): PrintedValue | null {
  if (value == null || !Number.isFinite(value)) return null;
  const text = printed?.[path];
  const parsed = text === undefined ? null : parsePrintedNumber(text);
  const decimals = parsed ? parsed.decimals : decimalsOf(value);
  return {
    value,
    decimals,
    text: parsed && text !== undefined ? text.trim() : String(value),
    interval: printedInterval(value, decimals),
  };
}
