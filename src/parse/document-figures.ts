/**
 * What a document's forms show together of how it prints its figures, for a form whose own
 * readings cannot tell: OCR can lose the point of most amounts of one form (4,104,326.00 read as
 * 410432600), while the document's other forms show its amounts printed with cents. Such a form,
 * read by the deterministic parser, is read again knowing it (see restoreCents).
 */
import type { Form } from '../segment/forms.js';
import type { FormRecord, SelfEvaluation } from '../schema/records.js';
import type { FormResult } from './types.js';
import { parseForm } from './index.js';
import { readByOcr } from './rules/grid.js';
import { AMOUNTS, pointsLost, printsCents } from './rules/self-eval-grid.js';

/**
 * A document prints cents where three or more of its non-zero amounts, and a third of them, are
 * read with cents: an amount printed as an integer is not read with cents, while a blurred or
 * binarised scan can lose the point of half the amounts that have one.
 */
const MIN_VOTES = 3;
const SHARE = 1 / 3;

/**
 * The results of a document's forms, those of OCR'd self-evaluation forms read by the rules
 * (`byRules`) read again where the document prints cents and the form's amounts show points lost
 * (see pointsLost: amounts printed as integers do not). A form keeps its first reading unless the
 * second parses and its funding relations hold better.
 */
export function rereadWithDocumentFigures(forms: readonly Form[], results: readonly FormResult[], byRules: readonly boolean[]): FormResult[] {
  const printeds = results.flatMap((r) => (r.status === 'parsed' ? [r.printed] : []));
  if (!printsCents(printeds, MIN_VOTES, SHARE)) return [...results];
  return results.map((r, i) => {
    const form = forms[i]!;
    if (!byRules[i] || r.status !== 'parsed' || form.docType !== 'self_evaluation' || !pointsLost(r.printed) || !readByOcr(form.lines)) return r;
    // Kept only where the funding block's own relations confirm it better: amounts printed as
    // integers (236200) taken for ones that lost their points would all be scaled alike.
    const again = parseForm({ ...form, figures: { amountsWithCents: true } });
    return again.status === 'parsed' && fundingAgreement(again.record) > fundingAgreement(r.record) ? again : r;
  });
}

const PARTS = ['currentYearFiscal', 'carryover', 'other'] as const;

/**
 * How many of the funding block's relations hold: per amount column, 年度资金总额 is the sum of
 * the rows under it; 年初预算数 equals 全年预算数 (as it mostly does); 执行率 is 全年执行数 / 全年预算数.
 */
export function fundingAgreement(record: FormRecord): number {
  if (record.docType !== 'self_evaluation') return 0;
  const f: SelfEvaluation['funding'] = record.funding;
  const same = (a: number | null, b: number | null): boolean => a !== null && b !== null && Math.abs(a - b) < 0.005;
  let n = 0;
  for (const col of AMOUNTS) {
    const parts = PARTS.map((p) => f[p][col]).filter((v): v is number => v !== null);
    if (parts.length > 0 && same(f.total[col], parts.reduce((a, b) => a + b, 0))) n++;
  }
  if (same(f.total.initialBudget, f.total.annualBudget)) n++;
  const { annualBudget, executed, executionRate } = f.total;
  if (annualBudget && executed !== null && executionRate !== null && Math.abs((100 * executed) / annualBudget - executionRate) < 0.01) n++;
  return n;
}

/** Forms of a document that must agree on a money unit before a form whose label OCR garbled takes it. */
const MIN_UNIT_VOTES = 2;

/**
 * The money unit of a form read by OCR whose unit label was garbled past reading (项目资金(让 for
 * 项目资金(元)), taken from the document's other forms of its kind: a department's batch prints its
 * forms from one template. Only where at least two of them read a unit and all read the same one;
 * a QA note says where the unit came from.
 */
export function withDocumentUnits(forms: readonly Form[], results: readonly FormResult[]): FormResult[] {
  return results.map((r, i) => {
    const form = forms[i]!;
    if (r.status !== 'parsed' || r.record.moneyUnit !== null || !readByOcr(form.lines)) return r;
    const units = results.flatMap((o, j) => (j !== i && o.status === 'parsed' && o.record.docType === r.record.docType && o.record.moneyUnit !== null ? [o.record.moneyUnit] : []));
    const unit = units[0];
    if (unit === undefined || units.length < MIN_UNIT_VOTES || units.some((u) => u !== unit)) return r;
    const note = { check: 'qa.money_unit_from_document', ok: true, detail: `no money unit was read on this form; ${unit}, as the document's ${units.length} other forms of its kind print it` };
    return { ...r, record: { ...r.record, moneyUnit: unit } as FormRecord, qa: [...r.qa, note] };
  });
}
