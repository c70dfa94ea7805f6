/**
 * Machine output: `{"documents":[{"file","records","findings","errors","forms","llmUsage","pages"}]}`.
 * records and findings are exactly the contract of samples/SCHEMA.md; the rest (per-form status,
 * QA and provenance, page frames, errors) is described by src/schema/output.ts.
 */
import { z } from 'zod';
import { Output, type DocumentResult } from '../schema/output.js';
import { FormRecord } from '../schema/records.js';
import { Finding } from '../schema/findings.js';

export function toJson(docs: DocumentResult[]): string {
  return JSON.stringify({ documents: docs }, null, 2) + '\n';
}

export type SchemaName = 'record' | 'finding' | 'output';

/** The JSON Schema users get, derived from the zod schemas. */
export function jsonSchema(which: SchemaName = 'output'): unknown {
  const schema = which === 'record' ? FormRecord : which === 'finding' ? Finding : Output;
  return z.toJSONSchema(schema, { target: 'draft-2020-12' });
}
