/**
 * Fields of a record, for the eval: every scalar leaf of a record value is one field.
 *
 * Leaf paths are derived by walking the values (`funding.total.executionRate`, `indicators.3.score`),
 * never written by hand. The set of leaf *patterns* (`indicators.*.score`) that a docType may have
 * is derived from its zod schema in src/schema/records.ts, and each gold record's leaves are
 * cross-checked against it, so that gold, schema and eval cannot drift apart silently.
 */
import { z } from 'zod';
import { RECORD_SCHEMAS, DOC_TYPES, type DocType } from '../src/schema/records.js';

export type Scalar = string | number | boolean | null;

export interface Leaf {
  /** Concrete path, array elements by index: `indicators.3.score`. */
  path: string;
  /** The path with array indices replaced by `*`: `indicators.*.score`. */
  pattern: string;
  value: Scalar;
}

/** Text as the gold conventions compare it: Unicode NFKC, all whitespace removed. */
export function normText(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u200b\u200c\u200d\ufeff]+/gu, '');
}

export function isDocType(v: unknown): v is DocType {
  return typeof v === 'string' && (DOC_TYPES as readonly string[]).includes(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every scalar leaf of a JSON-like value, in document order. Arrays contribute one subtree per
 * element (path segment = index); empty arrays and empty objects contribute nothing; `undefined`
 * is skipped (JSON has no such value). Anything that is neither object, array nor JSON scalar
 * (functions, symbols, bigints) is kept as a leaf with its String() form, so it shows up as wrong.
 */
export function leaves(value: unknown): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: string[], pattern: string[]): void => {
    if (v === undefined) return;
    if (Array.isArray(v)) {
      v.forEach((el, i) => walk(el, [...path, String(i)], [...pattern, '*']));
      return;
    }
    if (isPlainObject(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k], [...pattern, k]);
      return;
    }
    const scalar: Scalar =
      v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    out.push({ path: path.join('.'), pattern: pattern.join('.'), value: scalar });
  };
  walk(value, [], []);
  return out;
}

export type LeafKind = 'string' | 'number' | 'boolean' | 'other';

export interface SchemaLeaf {
  pattern: string;
  kind: LeafKind;
  nullable: boolean;
}

/** Strip nullable/optional/default wrappers; report whether null is allowed. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let inner: z.ZodType = schema;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
      inner = inner.unwrap() as z.ZodType;
    } else {
      return { inner, nullable };
    }
  }
}

function leafKind(schema: z.ZodType): LeafKind {
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodEnum) {
    const values: unknown[] = schema.options;
    if (values.every((o) => typeof o === 'string')) return 'string';
    if (values.every((o) => typeof o === 'number')) return 'number';
    return 'other';
  }
  if (schema instanceof z.ZodLiteral) {
    const values: unknown[] = [...schema.values];
    if (values.every((o) => typeof o === 'string')) return 'string';
    if (values.every((o) => typeof o === 'number')) return 'number';
    if (values.every((o) => typeof o === 'boolean')) return 'boolean';
    return 'other';
  }
  return 'other';
}

/** The leaf patterns a zod object schema allows, in declaration order. */
export function schemaLeaves(schema: z.ZodType): SchemaLeaf[] {
  const out: SchemaLeaf[] = [];
  const walk = (s: z.ZodType, pattern: string[]): void => {
    const { inner, nullable } = unwrap(s);
    if (inner instanceof z.ZodObject) {
      const shape = inner.shape as Record<string, z.ZodType>;
      for (const [k, child] of Object.entries(shape)) walk(child, [...pattern, k]);
    } else if (inner instanceof z.ZodArray) {
      walk(inner.element as z.ZodType, [...pattern, '*']);
    } else {
      out.push({ pattern: pattern.join('.'), kind: leafKind(inner), nullable });
    }
  };
  walk(schema, []);
  return out;
}

const schemaCache = new Map<DocType, Map<string, SchemaLeaf>>();

/** Leaf patterns of a docType's record schema, keyed by pattern. */
export function docTypeLeaves(docType: DocType): Map<string, SchemaLeaf> {
  let m = schemaCache.get(docType);
  if (!m) {
    m = new Map(schemaLeaves(RECORD_SCHEMAS[docType]).map((l) => [l.pattern, l]));
    schemaCache.set(docType, m);
  }
  return m;
}

function kindOf(v: Scalar): LeafKind | 'null' {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'boolean';
}

/**
 * Cross-check a (gold) record's leaf paths against its docType's schema: leaves the schema does
 * not know, schema leaves the record lacks (array element fields only where the array has
 * elements), and leaves whose JSON type the schema does not allow. Empty list = consistent.
 */
export function crossCheckRecord(record: unknown): string[] {
  if (!isPlainObject(record)) return ['record is not an object'];
  const docType = record['docType'];
  if (!isDocType(docType)) return [`unknown docType ${JSON.stringify(docType)}`];
  const allowed = docTypeLeaves(docType);
  const ls = leaves(record);
  const issues: string[] = [];
  const seen = new Set<string>();
  for (const l of ls) {
    seen.add(l.pattern);
    const s = allowed.get(l.pattern);
    if (!s) {
      issues.push(`${l.path}: not a field of the ${docType} schema`);
      continue;
    }
    const k = kindOf(l.value);
    if (k === 'null' ? !s.nullable : s.kind !== 'other' && k !== s.kind) {
      issues.push(`${l.path}: ${k} where the schema has ${s.kind}${s.nullable ? ' | null' : ''}`);
    }
  }
  // Prefixes (up to and including the last `*`) of array elements the record actually has.
  const elementPrefixes = new Set<string>();
  for (const p of seen) {
    const parts = p.split('.');
    for (let i = 0; i < parts.length; i++) if (parts[i] === '*') elementPrefixes.add(parts.slice(0, i + 1).join('.') + '.');
  }
  for (const pattern of allowed.keys()) {
    if (seen.has(pattern)) continue;
    const star = pattern.lastIndexOf('*');
    if (star < 0 || elementPrefixes.has(pattern.slice(0, star + 1) + '.')) {
      issues.push(`${pattern}: schema field missing from the record`);
    }
  }
  return issues;
}

/** Equality of two field values under the gold conventions. */
export function fieldEqual(gold: Scalar, predicted: Scalar): boolean {
  if (gold === null || predicted === null) return gold === predicted;
  if (typeof gold === 'number' && typeof predicted === 'number') {
    return Math.abs(gold - predicted) <= 1e-9 || (Number.isNaN(gold) && Number.isNaN(predicted));
  }
  if (typeof gold === 'string' && typeof predicted === 'string') return normText(gold) === normText(predicted);
  return gold === predicted;
}
