/**
 * The record schemas (src/schema/records.ts) as the LLM sees them, derived once.
 *
 * OpenAI strict structured output requires every property to be `required`; a field that may be absent
 * must be sent as `nullable`. This layer rewrites a zod schema accordingly — every `.optional()` becomes
 * `.nullable()` on the wire (descriptions kept) — and maps a wire value back: `null` in a field that
 * was optional in the record schema becomes absent. Nothing else in src/parse/llm deals with strictness.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import { RECORD_SCHEMAS, type DocType, type FormRecord } from '../../schema/records.js';

/** Describes where optional fields sit, so wire values can be mapped back. */
type Shape =
  | { kind: 'leaf' }
  | { kind: 'object'; fields: Record<string, { optional: boolean; shape: Shape }> }
  | { kind: 'array'; item: Shape }
  | { kind: 'nullable'; inner: Shape };

interface Rewritten {
  wire: z.ZodType;
  shape: Shape;
}

function withDescription<T extends z.ZodType>(from: z.ZodType, to: T): T {
  return from.description ? (to.describe(from.description) as T) : to;
}

function rewrite(schema: z.ZodType): Rewritten & { optional: boolean } {
  if (schema instanceof z.ZodOptional) {
    const inner = rewrite(schema.unwrap() as z.ZodType);
    const wire = inner.wire instanceof z.ZodNullable ? inner.wire : inner.wire.nullable();
    return { wire: withDescription(schema, wire), shape: { kind: 'nullable', inner: inner.shape }, optional: true };
  }
  if (schema instanceof z.ZodNullable) {
    const inner = rewrite(schema.unwrap() as z.ZodType);
    return { wire: withDescription(schema, inner.wire.nullable()), shape: { kind: 'nullable', inner: inner.shape }, optional: false };
  }
  if (schema instanceof z.ZodObject) {
    const fields: Record<string, { optional: boolean; shape: Shape }> = {};
    const wireShape: Record<string, z.ZodType> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const r = rewrite(value);
      wireShape[key] = r.wire;
      fields[key] = { optional: r.optional, shape: r.shape };
    }
    return { wire: withDescription(schema, z.object(wireShape)), shape: { kind: 'object', fields }, optional: false };
  }
  if (schema instanceof z.ZodArray) {
    const item = rewrite(schema.element as z.ZodType);
    return { wire: withDescription(schema, z.array(item.wire)), shape: { kind: 'array', item: item.shape }, optional: false };
  }
  // Scalars, literals and enums go over the wire unchanged.
  return { wire: schema, shape: { kind: 'leaf' }, optional: false };
}

/** Wire value → record value: drops `null` where the record schema has an optional field. */
function fromWireValue(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.kind) {
    case 'leaf':
      return value;
    case 'nullable':
      return fromWireValue(value, shape.inner);
    case 'array':
      return Array.isArray(value) ? value.map((v) => fromWireValue(v, shape.item)) : value;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const field = shape.fields[k];
        if (field?.optional && v === null) continue;
        out[k] = field ? fromWireValue(v, field.shape) : v;
      }
      return out;
    }
  }
}

export interface WireSchema {
  docType: DocType;
  /** The strict wire schema (every property required, absent = null). */
  wire: z.ZodType;
  /** The record schema the mapped-back value must satisfy. */
  record: z.ZodType<FormRecord>;
  /** JSON Schema of the wire schema in OpenAI strict form (as zodResponseFormat sends it). */
  jsonSchema: Record<string, unknown>;
  /** `response_format` for json_schema mode. */
  responseFormat: { type: 'json_schema'; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } };
  /** Short hash of the JSON Schema: part of every cache key, so a schema change invalidates the cache. */
  version: string;
  /** Wire JSON → record: JSON-parse result mapped back, then validated against the record schema. */
  toRecord(value: unknown): z.ZodSafeParseResult<FormRecord>;
}

/** Any zod schema → its strict wire form and the mapping back (null in a field optional in `schema` → absent). */
export function wireOf<T>(schema: z.ZodType<T>): { wire: z.ZodType; toValue(value: unknown): z.ZodSafeParseResult<T> } {
  const { wire, shape } = rewrite(schema);
  return {
    wire,
    toValue(value) {
      const onWire = wire.safeParse(value);
      if (!onWire.success) return onWire as z.ZodSafeParseResult<T>;
      return schema.safeParse(fromWireValue(onWire.data, shape));
    },
  };
}

const cache = new Map<DocType, WireSchema>();

export function wireSchema(docType: DocType): WireSchema {
  const hit = cache.get(docType);
  if (hit) return hit;
  const record = RECORD_SCHEMAS[docType] as unknown as z.ZodType<FormRecord>;
  const { wire, toValue } = wireOf(record);
  const name = `jixiao_${docType}`;
  const rf = zodResponseFormat(wire, name);
  const schema = (rf.json_schema.schema ?? {}) as Record<string, unknown>;
  const ws: WireSchema = {
    docType,
    wire,
    record,
    jsonSchema: schema,
    responseFormat: { type: 'json_schema', json_schema: { name, strict: true, schema } },
    version: createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 12),
    toRecord: toValue,
  };
  cache.set(docType, ws);
  return ws;
}

/** zod issues as short lines for the retry prompt: `indicators.3.score: expected number, received string`. */
export function describeIssues(error: z.ZodError, max = 12): string {
  const lines = error.issues.slice(0, max).map((i) => `- ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  if (error.issues.length > max) lines.push(`- … and ${error.issues.length - max} more`);
  return lines.join('\n');
}
