import type { FormRecord } from '../schema/records.js';
import type { SourceSpan } from '../ingest/types.js';
import type { QaNote } from '../schema/output.js';

export type { QaNote } from '../schema/output.js';

export interface ParsedForm {
  status: 'parsed';
  record: FormRecord;
  /** 0–1: how far the form's own redundancy (sums, rates) confirms the extraction. */
  confidence: number;
  qa: QaNote[];
  /** The printed string of numeric fields, keyed by field path (`funding.total.executionRate`,
   *  `indicators.3.score`), so checks know each number's printed precision. */
  printed: Record<string, string>;
  /** Where values came from, keyed by field path (`indicators.3`, `funding.total`). */
  provenance: Record<string, SourceSpan>;
}

export interface RefusedForm {
  status: 'unparsed' | 'unsupported';
  /** Why the form was not turned into a record, for a person to read. */
  reason: string;
}

export type FormResult = ParsedForm | RefusedForm;
