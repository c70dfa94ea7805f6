/**
 * Extraction QA of a flow-text self-evaluation: the form's own redundancy (weights and scores add up
 * to the 总分 row, rates follow from amounts, the budget score from the rate) and the reading's own
 * doubts (rows that needed a doubtful cut, labels left incomplete, lines not accounted for).
 */
import type { SelfEvaluation } from '../../schema/records.js';
import type { QaNote } from '../types.js';
import { FUNDING_KEYS } from './flow-head.js';
import { scoreRangeNote, totalNotes, type TotalsPrinted } from './qa.js';

const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol + 1e-9;
const round = (x: number): number => Math.round(x * 1e4) / 1e4;

function rateNotes(r: SelfEvaluation): QaNote[] {
  const out: QaNote[] = [];
  for (const key of FUNDING_KEYS) {
    const f = r.funding[key];
    if (f.annualBudget === null || f.executed === null || f.executionRate === null) continue;
    if (f.annualBudget === 0) {
      const ok = f.executed === 0 && f.executionRate === 0;
      out.push({ check: 'qa.rate_from_amounts', ok, ...(ok ? {} : { likelyCause: 'document' as const }), detail: `${key}: 0 budget, rate ${f.executionRate}` });
      continue;
    }
    const computed = (f.executed / f.annualBudget) * 100;
    const ok = near(computed, f.executionRate, 0.011 + computed * 1e-4);
    const scaled = !ok && [10, 100, 1000, 0.1, 0.01, 0.001].some((k) => near(computed / f.executionRate!, k, k * 0.01));
    out.push({
      check: 'qa.rate_from_amounts',
      ok,
      ...(ok ? {} : { likelyCause: scaled ? ('extraction' as const) : ('document' as const) }),
      detail: `${key}: 执行率 ${f.executionRate} vs 全年执行数/全年预算数 = ${round(computed)}`,
    });
  }
  return out;
}

function budgetScoreNote(r: SelfEvaluation): QaNote | null {
  const t = r.funding.total;
  if (t.weight === null || t.executionRate === null || t.score === null) return null;
  const expected = (t.weight * Math.min(t.executionRate, 100)) / 100;
  const ok = near(expected, t.score, 0.011);
  return {
    check: 'qa.budget_score',
    ok,
    ...(ok ? {} : { likelyCause: 'document' as const }),
    detail: `budget 得分 ${t.score} vs 分值 × 执行率 = ${round(expected)}`,
  };
}

function breakdownNote(r: SelfEvaluation): QaNote | null {
  const { total, currentYearFiscal: a, carryover: b, other: c } = r.funding;
  const bad: string[] = [];
  for (const k of ['initialBudget', 'annualBudget', 'executed'] as const) {
    const parts = [a[k], b[k], c[k]];
    if (total[k] === null || parts.every((p) => p === null)) continue;
    const sum = parts.reduce<number>((s, p) => s + (p ?? 0), 0);
    if (!near(sum, total[k], 0.011 * 3)) bad.push(`${k} ${total[k]} ≠ ${round(sum)}`);
  }
  return bad.length === 0
    ? { check: 'qa.funding_breakdown', ok: true, detail: '年度资金总额 = 当年财政拨款 + 上年结转 + 其他资金' }
    : { check: 'qa.funding_breakdown', ok: false, likelyCause: 'document', detail: bad.join('; ') };
}

export interface ReadingDoubts {
  /** Names of rows whose cut into cells was doubtful. */
  riskyRows: string[];
  rows: number;
  incompleteRows: string[];
  labelsClosed: boolean;
  unlabelled: number;
  leftoverLines: number[];
}

function doubtNotes(d: ReadingDoubts): QaNote[] {
  return [
    d.incompleteRows.length === 0 && d.rows > 0
      ? { check: 'qa.indicator_count', ok: true, detail: `${d.rows} indicator rows, each with name, target and actual` }
      : { check: 'qa.indicator_count', ok: false, likelyCause: 'extraction', detail: `${d.rows} row(s); without target or actual: ${d.incompleteRows.join('、') || '—'}` },
    d.riskyRows.length === 0
      ? { check: 'qa.row_splits', ok: true, detail: 'every row split cleanly into name | target | actual' }
      : { check: 'qa.row_splits', ok: false, likelyCause: 'extraction', detail: `doubtful cut: ${d.riskyRows.join('、')}` },
    d.labelsClosed && d.unlabelled === 0
      ? { check: 'qa.level_labels', ok: true, detail: 'every row under a complete 一级/二级 label' }
      : { check: 'qa.level_labels', ok: false, likelyCause: 'extraction', detail: `${d.unlabelled} row(s) without labels${d.labelsClosed ? '' : '; a label stayed incomplete'}` },
    d.leftoverLines.length === 0
      ? { check: 'qa.unread_lines', ok: true, detail: 'every line of the table was read' }
      : { check: 'qa.unread_lines', ok: false, likelyCause: 'extraction', detail: `lines not read: ${d.leftoverLines.join(', ')}` },
  ];
}

export function flowQa(r: SelfEvaluation, printed: TotalsPrinted, d: ReadingDoubts): QaNote[] {
  const wellFormed = d.riskyRows.length === 0 && d.incompleteRows.length === 0;
  return [
    ...totalNotes(r, printed, wellFormed),
    ...rateNotes(r),
    budgetScoreNote(r),
    breakdownNote(r),
    scoreRangeNote(r),
    ...doubtNotes(d),
  ].filter((n): n is QaNote => n !== null);
}

/** Share of notes that hold, lowered for every row whose cut was doubtful. */
export function flowConfidence(notes: QaNote[], riskyRows: number, rows: number): number {
  if (notes.length === 0) return 0.5;
  const held = notes.filter((n) => n.ok).length / notes.length;
  const penalty = rows > 0 ? Math.min(0.3, (0.5 * riskyRows) / rows) : 0;
  return Math.round(Math.max(0, held - penalty) * 1000) / 1000;
}
