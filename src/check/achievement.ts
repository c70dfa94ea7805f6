/**
 * Whether an indicator's 实际完成值 meets its 年度指标值. Only clear cases get an answer;
 * everything else is `unknown`, so the warnings built on it never over-report.
 *
 * - numeric: both sides read by parseMeasure, compared with the target's operator; the units must
 *   agree (or the actual has none), percent figures compare as numbers;
 * - qualitative: an actual equal to the target (NFKC, no whitespace), or a plain statement of
 *   achievement (达成指标, 已完成…) meets it; a partial statement (部分达成…, 未完成…, 基本 + the
 *   target or an achievement verb: 基本健全, 基本完成) misses it.
 */
import { type Measure, type Operator, parseMeasure, textKey } from '../parse/values.js';

export type Achievement = 'met' | 'unmet' | 'unknown';

/** 达成指标, 已达成, 完成, 已完成目标, 全部完成 … : the actual only says the target was reached. */
const MET_STATEMENT = /^(?:已经?|全部|全面|均已?)?(?:达成|完成|达到|实现)(?:指标|目标|指标值|年度目标)?$/;
/** 部分达成指标并具有一定效果, 部分完成 … */
const PARTIAL_STATEMENT = /^部分(?:达成|完成|达到|实现)/;
/** 未达成指标, 未完成, 尚未实现 … */
const MISSED_STATEMENT = /^(?:未能?|尚未|没有)(?:达成|完成|达到|达标|实现)/;
/** 基本 + an achievement verb: 基本完成, 基本达标, 基本达成指标 … */
const MOSTLY_STATEMENT = /^基本(?:达成|完成|达到|达标|实现|符合|满足)/;

const EPS = 1e-9;

function satisfies(x: number, op: Operator, t: number): boolean {
  switch (op) {
    case '=':
      return Math.abs(x - t) <= EPS * Math.max(1, Math.abs(t));
    case '≥':
      return x >= t - EPS;
    case '>':
      return x > t + EPS;
    case '≤':
      return x <= t + EPS;
    case '<':
      return x < t - EPS;
  }
}

function unitKey(unit: string | null): string | null {
  return unit === null ? null : textKey(unit).replace(/^\((.*)\)$/, '$1');
}

/** The actual's unit agrees with the target's, or the actual carries none. */
function unitsAgree(target: Measure, actual: Measure): boolean {
  return actual.unit === null || unitKey(actual.unit) === unitKey(target.unit);
}

function numericAchievement(target: Measure, actual: Measure): Achievement {
  if (target.qualitative || actual.qualitative || target.op === null) return 'unknown';
  if (target.value === null || actual.value === null || !unitsAgree(target, actual)) return 'unknown';
  if (actual.op === null || actual.op === '=') {
    return satisfies(actual.value, target.op, target.value) ? 'met' : 'unmet';
  }
  // An actual stated as a bound (`≤5毫秒`) is clear only when it restates the target's bound.
  return actual.op === target.op && actual.value === target.value ? 'met' : 'unknown';
}

function qualitativeAchievement(targetKey: string, actualKey: string): Achievement {
  if (actualKey === targetKey || MET_STATEMENT.test(actualKey)) return 'met';
  if (PARTIAL_STATEMENT.test(actualKey) || MISSED_STATEMENT.test(actualKey) || MOSTLY_STATEMENT.test(actualKey)) return 'unmet';
  if (targetKey !== '' && actualKey === `基本${targetKey}`) return 'unmet';
  return 'unknown';
}

export function assessAchievement(target: string | null, actual: string | null): Achievement {
  const targetKey = textKey(target);
  const actualKey = textKey(actual);
  if (targetKey === '' || actualKey === '') return 'unknown';
  const qualitative = qualitativeAchievement(targetKey, actualKey);
  if (qualitative !== 'unknown') return qualitative;
  const t = parseMeasure(target);
  const a = parseMeasure(actual);
  return t && a ? numericAchievement(t, a) : 'unknown';
}
