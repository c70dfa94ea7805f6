/**
 * `unit.suspicious` (info): a unit that cannot fit what the indicator's name says it measures.
 *
 * - a count or volume (name ending in 量/数: 发放量, 人数, 次数) measured in %;
 * - a rate (name ending in 率, a frequency 频率 aside) measured as a bare count (次, 件, 个 …);
 * - a bare magnitude joined to a per-unit (`万/人次`): 万 is no unit of its own.
 */
import { type Measure, parseMeasure, textKey } from '../parse/values.js';

/** 量/数 words that name a quality or a ratio, not a count. */
const NOT_A_COUNT = /(?:质量|含量|指数|系数|分数|倍数|参数|函数)$/;
const COUNT_NAME = /[量数]$/;
const RATE_NAME = /率$/;
const FREQUENCY_NAME = /频率$/;
const COUNT_UNIT = /^(?:次|件|个|起|人|人次|户|份|条|台|项|笔|家|例|张|辆|块|本|套|处|篇|场|名)$/;
const MAGNITUDE_PER = /^([十百千万亿]+)\/(.+)$/;
const MAGNITUDE: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1e3, 万: 1e4, 亿: 1e8 };

function magnitudeOf(prefix: string): number {
  return [...prefix].reduce((m, ch) => m * (MAGNITUDE[ch] ?? 1), 1);
}

/** 30000000000 → 300亿, 15000 → 1.5万. */
function chineseMagnitude(n: number): string {
  if (Math.abs(n) >= 1e8) return `${n / 1e8}亿`;
  if (Math.abs(n) >= 1e4) return `${n / 1e4}万`;
  return String(n);
}

function unitOf(m: Measure | null): string | null {
  return m?.unit ? textKey(m.unit) : null;
}

function sides(target: string | null, actual: string | null): string {
  return actual ? `target ${target ?? '—'}, actual ${actual}` : `target ${target ?? '—'}`;
}

function magnitudePerUnit(target: string | null, measure: Measure | null, unit: string): string | null {
  const m = MAGNITUDE_PER.exec(unit);
  if (!m || !measure || measure.value === null) return null;
  const [, prefix = '', base = ''] = m;
  const factor = magnitudeOf(prefix);
  const op = measure.op ?? '';
  return (
    `指标目标值 '${target ?? measure.text}': unit '${unit}' joins the magnitude ${prefix} to a per-unit ` +
    `(${measure.value}${prefix} = ${chineseMagnitude(measure.value * factor)} ${base}); likely ${op}${measure.value}${base} or ${op}${measure.value / factor}${prefix}${base}`
  );
}

/** Why the indicator's unit looks wrong, or null when it fits (or cannot be told). */
export function suspiciousUnit(name: string, target: string | null, actual: string | null): string | null {
  const nameKey = textKey(name);
  const measures = [parseMeasure(target), parseMeasure(actual)];
  const units = measures.map(unitOf);
  for (const [i, unit] of units.entries()) {
    const reason = unit === null ? null : magnitudePerUnit(i === 0 ? target : actual, measures[i] ?? null, unit);
    if (reason) return reason;
  }
  if (COUNT_NAME.test(nameKey) && !NOT_A_COUNT.test(nameKey) && units.includes('%')) {
    return `"${name}" names a volume/count but is measured in %: ${sides(target, actual)}`;
  }
  const countUnit = units.find((u) => u !== null && COUNT_UNIT.test(u));
  if (RATE_NAME.test(nameKey) && !FREQUENCY_NAME.test(nameKey) && countUnit) {
    return `"${name}" names a rate but is measured as a count (${countUnit}): ${sides(target, actual)}`;
  }
  return null;
}
