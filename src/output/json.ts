/**
 * Machine output: `{"documents":[{"file","records","findings","errors","forms","pages"}]}`.
 * records and findings are exactly the contract of samples/SCHEMA.md; `forms` adds per-form
 * status, confidence and extraction-QA notes.
 */
import { z } from 'zod';
import type { DocumentResult } from '../pipeline.js';
import { FormRecord } from '../schema/records.js';
import { Finding } from '../schema/findings.js';

export function toJson(docs: DocumentResult[]): string {
  return JSON.stringify({ documents: docs }, null, 2) + '\n';
}

const Output = z.object({
  documents: z.array(
    z.object({
      file: z.string(),
      records: z.array(FormRecord),
      findings: z.array(Finding),
      errors: z.array(z.object({ file: z.string(), form: z.number().int().optional(), message: z.string() })),
    }),
  ),
});

export type SchemaName = 'record' | 'finding' | 'output';

/** The JSON Schema users get, derived from the zod schemas. */
export function jsonSchema(which: SchemaName = 'output'): unknown {
  const schema = which === 'record' ? FormRecord : which === 'finding' ? Finding : Output;
  return z.toJSONSchema(schema, { target: 'draft-2020-12' });
}
