/**
 * Extraction QA: the forms carry redundancy (weights sum to the 总分 分值, scores to the 总分 得分,
 * rates follow from amounts). When an invariant fails we say whether the document or our
 * extraction is the likelier cause, and the share of invariants that hold sets the confidence.
 */
import type { SelfEvaluation } from '../../schema/records.js';
import type { QaNote } from '../types.js';

const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol + 1e-9;

function sumCheck(
  check: string,
  what: string,
  total: number | null,
  parts: (number | null)[],
): QaNote | null {
  if (total === null) return null;
  const known = parts.filter((p): p is number => p !== null);
  if (known.length === 0) return null;
  const sum = known.reduce((a, b) => a + b, 0);
  const diff = total - sum;
  if (near(diff, 0, 0.011 * Math.max(1, known.length / 10))) {
    return { check, ok: true, detail: `Σ ${what} ${round(sum)} = 总分 ${total}` };
  }
  const missing = parts.length - known.length;
  // A difference equal to one row's value, or rows without a value, points at a dropped or doubled row.
  const oneRow = known.some((p) => near(Math.abs(diff), p, 0.011));
  const likelyCause = missing > 0 || oneRow ? 'extraction' : 'document';
  return {
    check,
    ok: false,
    likelyCause,
    detail:
      `Σ ${what} ${round(sum)} ≠ 总分 ${total} (difference ${round(diff)})` +
      (missing ? `; ${missing} row(s) have no value` : oneRow ? '; the difference equals one row, a row may be misread' : '; every row is well-formed, the printed total is the likelier error'),
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function rateCheck(r: SelfEvaluation): QaNote | null {
  const t = r.funding.total;
  if (t.executed === null || t.annualBudget === null || t.executionRate === null || t.annualBudget === 0) return null;
  const computed = (t.executed / t.annualBudget) * 100;
  if (near(computed, t.executionRate, 0.02)) return { check: 'qa.rate_from_amounts', ok: true, detail: `执行率 ${t.executionRate} ≈ ${round(computed)}` };
  const ratio = computed / t.executionRate;
  const scaled = [10, 100, 1000, 0.1, 0.01, 0.001].some((k) => near(ratio, k, k * 0.01));
  return {
    check: 'qa.rate_from_amounts',
    ok: false,
    likelyCause: scaled ? 'extraction' : 'document',
    detail: `执行率 ${t.executionRate} vs 全年执行数/全年预算数 = ${round(computed)}` + (scaled ? ' (off by a power of ten: a misread separator or unit)' : ''),
  };
}

function scoreRangeCheck(r: SelfEvaluation): QaNote {
  const bad = r.indicators.filter((i) => i.weight !== null && i.score !== null && (i.score > i.weight || i.score < 0));
  return bad.length === 0
    ? { check: 'qa.score_within_weight', ok: true, detail: 'every 得分 within 0…分值' }
    : { check: 'qa.score_within_weight', ok: false, likelyCause: 'unknown', detail: `${bad.length} row(s) score outside 0…分值: ${bad.map((b) => b.name).join('、')}` };
}

export function selfEvalQa(r: SelfEvaluation, repairedRows: number): { qa: QaNote[]; confidence: number } {
  const notes = [
    sumCheck('qa.weights_sum', '分值', r.totalWeight, [r.funding.total.weight, ...r.indicators.map((i) => i.weight)]),
    sumCheck('qa.scores_sum', '得分', r.totalScore, [r.funding.total.score, ...r.indicators.map((i) => i.score)]),
    rateCheck(r),
    scoreRangeCheck(r),
    r.indicators.length >= 3
      ? { check: 'qa.indicator_count', ok: true, detail: `${r.indicators.length} indicator rows` }
      : { check: 'qa.indicator_count', ok: false, likelyCause: 'extraction' as const, detail: `only ${r.indicators.length} indicator row(s)` },
  ].filter((n): n is QaNote => n !== null);
  return { qa: notes, confidence: confidenceOf(notes, repairedRows, r.indicators.length) };
}

/** Share of invariants that hold, lowered a little for every row we had to repair. */
export function confidenceOf(notes: QaNote[], repairedRows: number, rows: number): number {
  if (notes.length === 0) return 0.5;
  const held = notes.filter((n) => n.ok).length / notes.length;
  const repairPenalty = rows > 0 ? Math.min(0.2, (0.2 * repairedRows) / rows) : 0;
  return Math.round(Math.max(0, held - repairPenalty) * 1000) / 1000;
}
