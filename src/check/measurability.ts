/**
 * `target.unmeasurable` (info, 申报表): a target one cannot check at year end because it states
 * neither a quantity (a number, in digits or Chinese numerals with a unit: `一个半小时内`), nor a
 * threshold, nor a deadline (`年内完成`, `年底前完成`). `有效改善`, `安全`, `及时`, `较上年度降低` are
 * such targets; `全年稳定运行` names a period, not a deadline, and is one too.
 */
import { parseMeasure, textKey } from '../parse/values.js';

const DIGIT = /\d/;
const CHINESE_QUANTITY =
  /[零〇一二两三四五六七八九十百千万半]+个?半?(?:小时|分钟|秒|天|日|周|星期|月|季度|年|工作日|次|项|件|人|名|家|户|份|条|台|套|处|个)/;
/** A time bound: …内, …前, 年底, 月末. */
const DEADLINE = /(?:年|年度|季度|月|周|日|天|工作日|小时|分钟|期限?)(?:以内|之内|内|底前|末前|前)|年底|年末|月底|月末|季末/;
const TIMELINESS = /及时|按时|准时/;
const COMPARISON = /^(?:较|比|同比|环比)/;
const DOWNWARD = /降低|下降|减少|缩短|压缩/;

/** Why the target has no measurable value, or null when it has one (or is missing). */
export function unmeasurableReason(target: string | null): string | null {
  const key = textKey(target);
  if (key === '') return null;
  const measure = parseMeasure(target);
  if (measure && !measure.qualitative) return null;
  if (DIGIT.test(key) || CHINESE_QUANTITY.test(key) || DEADLINE.test(key)) return null;
  const quoted = `指标目标值 '${target}'`;
  if (TIMELINESS.test(key)) return `${quoted}: qualitative, no deadline or rate`;
  if (COMPARISON.test(key)) {
    return `${quoted}: direction only, no amount or rate of ${DOWNWARD.test(key) ? 'reduction' : 'increase'}`;
  }
  return `${quoted}: qualitative, no quantity or threshold`;
}
