/**
 * Extraction QA: the forms carry redundancy (weights sum to the 总分 分值, scores to the 总分 得分,
 * rates follow from amounts). When an invariant fails we say whether the document or our
 * extraction is the likelier cause, and the share of invariants that hold sets the confidence.
 */
import type { SelfEvaluation } from '../../schema/records.js';
import { tableColumn } from '../../schema/columns.js';
import type { QaNote } from '../types.js';
import { parsePrintedNumber } from '../values.js';

type Cause = NonNullable<QaNote['likelyCause']>;

const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol + 1e-9;
const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/** One unit of the last printed decimal of a total (`100.00` → 0.01, `97.5` → 0.1); 0.01 when unknown. */
export function printedUnit(printed: string | null | undefined): number {
  const d = parsePrintedNumber(printed)?.decimals ?? 2;
  return 10 ** -d;
}

/**
 * Which is likelier when a sum fails: a total equal to the sum of all rows but one points at a row
 * read that should not be (or misread); every row well-formed points at the document; a difference
 * the size of one row, with rows in doubt, at a dropped or misread row.
 */
export function sumCause(diff: number, parts: number[], wellFormed: boolean): Cause {
  if (parts.some((p) => p !== 0 && near(p, -diff, 1e-6))) return 'extraction';
  if (wellFormed) return 'document';
  const plausible = Math.abs(diff) <= Math.max(0, ...parts) && near(Math.abs(diff) * 2, Math.round(Math.abs(diff) * 2), 1e-6);
  return plausible ? 'extraction' : 'unknown';
}

/** A 总分 total against budget + Σ rows, within one unit of the total's last printed decimal. */
export function sumNote(
  check: string,
  what: string,
  total: number | null,
  totalPrinted: string | null,
  parts: (number | null)[],
  wellFormed: boolean,
): QaNote | null {
  if (total === null) return null;
  const known = parts.filter((p): p is number => p !== null);
  const sum = known.reduce((a, b) => a + b, 0);
  const diff = total - sum;
  const missing = parts.length - known.length;
  if (missing === 0 && near(diff, 0, printedUnit(totalPrinted))) {
    return { check, ok: true, detail: `budget + Σ ${what} = ${round(sum)} = 总分 ${total}` };
  }
  const likelyCause: Cause = missing > 0 ? 'extraction' : sumCause(diff, known, wellFormed);
  return {
    check,
    ok: false,
    likelyCause,
    detail:
      `budget + Σ ${what} = ${round(sum)} ≠ 总分 ${total} (difference ${round(diff)})` +
      (missing > 0 ? `; ${missing} row(s) without a figure` : ''),
  };
}

/** Both 总分 sums of a self-evaluation. */
export function totalNotes(r: SelfEvaluation, printed: TotalsPrinted, wellFormed: boolean): (QaNote | null)[] {
  return [
    sumNote('qa.weights_sum', '分值', r.totalWeight, printed.totalWeight, tableColumn(r, 'weight'), wellFormed),
    sumNote('qa.scores_sum', '得分', r.totalScore, printed.totalScore, tableColumn(r, 'score'), wellFormed),
  ];
}

export interface TotalsPrinted {
  totalWeight: string | null;
  totalScore: string | null;
}

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

export function scoreRangeNote(r: SelfEvaluation): QaNote {
  const bad = r.indicators.filter((i) => i.weight !== null && i.score !== null && (i.score > i.weight || i.score < 0));
  return bad.length === 0
    ? { check: 'qa.score_within_weight', ok: true, detail: 'every 得分 within 0…分值' }
    : { check: 'qa.score_within_weight', ok: false, likelyCause: 'unknown', detail: `${bad.length} row(s) score outside 0…分值: ${bad.map((b) => b.name).join('、')}` };
}

export function selfEvalQa(
  r: SelfEvaluation,
  repairedRows: number,
  printed: TotalsPrinted = { totalWeight: null, totalScore: null },
): { qa: QaNote[]; confidence: number } {
  const notes = [
    ...totalNotes(r, printed, true),
    rateCheck(r),
    scoreRangeNote(r),
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
