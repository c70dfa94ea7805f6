/**
 * Helpers over the record types that need no schema at run time: the offline pipeline imports these
 * without loading zod (a tenth of a second at every start; records.ts re-exports them).
 */
import type { SelfEvaluation } from './records.js';

/** A self-evaluation's 分值 or 得分 column, top to bottom: the budget row's, then each indicator's. */
export function tableColumn(r: SelfEvaluation, kind: 'weight' | 'score'): (number | null)[] {
  return [r.funding.total[kind], ...r.indicators.map((i) => i[kind])];
}

/** An indicator row's cells that hold its figures, each with its own provenance (indicators.3.target …). */
export const ROW_FIGURE_CELLS = ['target', 'actual', 'weight', 'score'] as const;
export type RowFigureCell = (typeof ROW_FIGURE_CELLS)[number];
