/**
 * Specks OCR leaves at the end of a name: a comma, a stop or an opening quote read from a speck or
 * a rule's end beside the cell (相关职能部门满意度，, 上海市公安局“, 敬老卡制作费“). No name, unit or
 * indicator label of these forms ends in one, so on a record read by OCR they go. Running text
 * (goals, reasons, targets) keeps its punctuation; so does every record read from a text layer.
 */
import type { FormRecord } from '../schema/records.js';

/** Marks no name ends with: a pause, a stop, a colon, an opening quote or bracket. */
const END_SPECKS = /[，,、。．；;：:“‘（(《〈]+$/u;

/** `s` without the specks at its end (null when nothing else is left). */
export function trimEndSpecks(s: string): string;
export function trimEndSpecks(s: string | null): string | null;
export function trimEndSpecks(s: string | null): string | null {
  if (s === null) return null;
  const t = s.replace(END_SPECKS, '');
  return t === '' ? s : t;
}

interface Named {
  level1: string | null;
  level2: string | null;
  name: string;
}

const trimIndicator = <T extends Named>(i: T): T => ({ ...i, level1: trimEndSpecks(i.level1), level2: trimEndSpecks(i.level2), name: trimEndSpecks(i.name) });

/** The record with its names' end specks off: project name, department, implementing unit, indicator labels and names. */
export function trimNameSpecks<R extends FormRecord>(record: R): R {
  const r = record as FormRecord;
  const head = { projectName: trimEndSpecks(r.projectName), department: trimEndSpecks(r.department), implementingUnit: trimEndSpecks(r.implementingUnit) };
  // Each kind's indicators keep their own type: trimIndicator changes only the named fields.
  const indicators: Named[] = r.indicators;
  return { ...r, ...head, indicators: indicators.map(trimIndicator) } as R;
}
