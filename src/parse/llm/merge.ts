/**
 * Merging the answers for the parts of one form (src/parse/llm/split.ts).
 *
 * Forms with an indicator table (自评表, 申报表) are split in printed order, so their lists are
 * concatenated in part order — two distinct indicators may share a name, so rows are never merged by
 * key; only a row repeated identically at a seam (the last row of one part, the first of the next) is
 * dropped. Scalars: the first non-empty value wins; a goal text that a head part continues is joined.
 * Evaluation reports (cut at lines, a code printed in the scoring table, the analysis and 附件1 alike)
 * keep the keyed merge: rows with the same code / item / name are merged.
 */
import type { DocType } from '../../schema/records.js';
import { normaliseText } from './ground.js';
import type { PartKind } from './prompts.js';

const empty = (v: unknown): boolean => v === null || v === undefined || v === '';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keyed merge: first non-empty scalar wins; list rows with the same code / item / name merged. */
export function mergeRecords(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: unknown[] = [...a];
    for (const row of b) {
      const key = rowKey(row);
      const at = key === null ? -1 : out.findIndex((r) => rowKey(r) === key);
      if (at >= 0) out[at] = mergeRecords(out[at], row);
      else if (!out.some((r) => JSON.stringify(r) === JSON.stringify(row))) out.push(row);
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeRecords(out[k], v) : v;
    return out;
  }
  return empty(a) ? b : a;
}

function rowKey(row: unknown): string | null {
  if (!isObject(row)) return null;
  for (const k of ['code', 'item', 'name']) {
    const v = row[k];
    if (typeof v === 'string' && v !== '') return `${k}:${normaliseText(v)}`;
  }
  return null;
}

/** Text fields of a form's head that may run on from one head part into the next. */
const CONTINUED = new Set(['goals.expected', 'goals.actual', 'goals.overall', 'goals.annual']);

/** Order-preserving merge of part `b` (of kind `kind`) into the merge so far `a`. */
export function mergeOrdered(a: unknown, b: unknown, kind: PartKind, path = ''): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const seam = a.length > 0 && b.length > 0 && JSON.stringify(a.at(-1)) === JSON.stringify(b[0]);
    return [...a, ...(seam ? b.slice(1) : b)];
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const p = path ? `${path}.${k}` : k;
      out[k] = k in out ? mergeOrdered(out[k], v, kind, p) : v;
    }
    return out;
  }
  if (kind === 'head' && CONTINUED.has(path) && typeof a === 'string' && typeof b === 'string' && a !== '' && b !== '') {
    return normaliseText(a).includes(normaliseText(b)) ? a : a + b;
  }
  return empty(a) ? b : a;
}

/** The answers of a form's parts, in part order (failed parts left out) → one value to validate. */
export function mergeParts(docType: DocType, answers: { record: unknown; kind: PartKind }[]): unknown {
  if (answers.length === 0) return null;
  if (docType === 'evaluation_report') return answers.map((x) => x.record).reduce((a, b) => mergeRecords(a, b));
  return answers.slice(1).reduce((acc, x) => mergeOrdered(acc, x.record, x.kind), answers[0]!.record);
}
