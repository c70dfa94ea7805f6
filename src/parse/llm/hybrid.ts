/**
 * Backend selection per form. `rules`: the deterministic parser only. `llm`: the LLM only.
 * `hybrid` (the default when an LLM is configured): the deterministic parser first; the LLM for
 * forms it refuses or whose QA invariants fail. When both produce a record they are compared field
 * by field and every disagreement becomes a QA note; the deterministic record is kept unless the
 * LLM's satisfies more of the form's invariants with every figure grounded.
 */
import type { Form } from '../../segment/forms.js';
import type { FormResult, ParsedForm, QaNote } from '../types.js';
import { parseForm } from '../index.js';
import { LlmError, emptyUsage, type Usage } from './client.js';
import type { LlmBackend, TokenBudget } from './extract.js';
import { normaliseText } from './ground.js';

export type Backend = 'rules' | 'llm' | 'hybrid';
export const BACKENDS: readonly Backend[] = ['rules', 'llm', 'hybrid'];

export interface FormOutcome {
  result: FormResult;
  /** Which reader produced the result's record (or the refusal). */
  by: 'rules' | 'llm';
  usage: Usage;
  /** Set when the LLM could not be used (endpoint down, budget): one message per file suffices. */
  llmError?: LlmError;
}

function rulesResult(form: Form): FormResult {
  try {
    return parseForm(form);
  } catch (e) {
    return { status: 'unparsed', reason: `parser failure: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function leaves(v: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, path ? `${path}.${i}` : String(i), out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
  else out.set(path, v);
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if ((a ?? null) === null || (b ?? null) === null) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (typeof a === 'string' && typeof b === 'string') return normaliseText(a) === normaliseText(b);
  return a === b;
}

/** Field-by-field disagreements between two records of the same form. */
export function compareRecords(rules: unknown, llm: unknown): { path: string; rules: unknown; llm: unknown }[] {
  const a = leaves(rules, '', new Map());
  const b = leaves(llm, '', new Map());
  const out: { path: string; rules: unknown; llm: unknown }[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (!same(a.get(path), b.get(path))) out.push({ path, rules: a.get(path) ?? null, llm: b.get(path) ?? null });
  }
  return out;
}

const failing = (r: ParsedForm): number => r.qa.filter((q) => !q.ok && !q.check.startsWith('llm.') && !q.check.startsWith('hybrid.')).length;

function disagreementNotes(rules: ParsedForm, llm: ParsedForm, kept: 'rules' | 'llm'): QaNote[] {
  const diffs = compareRecords(rules.record, llm.record);
  if (diffs.length === 0) return [{ check: 'hybrid.agree', ok: true, detail: 'the deterministic and the LLM reading agree on every field' }];
  const show = (v: unknown): string => (typeof v === 'string' && v.length > 30 ? JSON.stringify(v.slice(0, 30) + '…') : JSON.stringify(v));
  const shown = diffs.slice(0, 20).map((d) => ({
    check: 'hybrid.disagree',
    ok: false,
    likelyCause: 'extraction' as const,
    detail: `${d.path}: rules ${show(d.rules)} vs llm ${show(d.llm)} (kept ${kept})`,
  }));
  if (diffs.length > 20) shown.push({ check: 'hybrid.disagree', ok: false, likelyCause: 'extraction', detail: `… and ${diffs.length - 20} more fields differ` });
  return shown;
}

export async function parseFormWith(form: Form, backend: Backend, llm: LlmBackend | null, budget: TokenBudget | null): Promise<FormOutcome> {
  if (backend === 'rules' || !llm || !budget) return { result: rulesResult(form), by: 'rules', usage: emptyUsage() };
  const rules = backend === 'hybrid' ? rulesResult(form) : null;
  if (rules?.status === 'parsed' && rules.qa.every((q) => q.ok)) return { result: rules, by: 'rules', usage: emptyUsage() };

  let outcome;
  try {
    outcome = await llm.extract(form, budget);
  } catch (e) {
    const err = e instanceof LlmError ? e : new LlmError('http', e instanceof Error ? e.message : String(e));
    if (rules?.status === 'parsed') {
      return { result: { ...rules, qa: [...rules.qa, { check: 'llm.unavailable', ok: false, likelyCause: 'unknown', detail: `second reading by the LLM failed: ${err.message}` }] }, by: 'rules', usage: emptyUsage(), llmError: err };
    }
    const reason = rules ? `${rules.reason}; LLM: ${err.message}` : `LLM: ${err.message}`;
    return { result: { status: rules?.status ?? 'unparsed', reason }, by: rules ? 'rules' : 'llm', usage: emptyUsage(), llmError: err };
  }
  const l = outcome.result;
  if (!rules) return { result: l, by: 'llm', usage: outcome.usage };
  if (l.status !== 'parsed') {
    if (rules.status === 'parsed') {
      return { result: { ...rules, qa: [...rules.qa, { check: 'llm.refused', ok: false, likelyCause: 'unknown', detail: `second reading by the LLM gave no record: ${l.reason}` }] }, by: 'rules', usage: outcome.usage };
    }
    return { result: { status: rules.status, reason: `${rules.reason}; LLM: ${l.reason}` }, by: 'rules', usage: outcome.usage };
  }
  if (rules.status !== 'parsed') {
    return { result: { ...l, qa: [{ check: 'hybrid.llm_only', ok: true, detail: `deterministic parser: ${rules.reason}; record read by the LLM` }, ...l.qa] }, by: 'llm', usage: outcome.usage };
  }
  // Only where the LLM record went through the same invariants (qa.*) can it be judged better.
  const sameChecks = l.qa.some((q) => q.check.startsWith('qa.'));
  const llmBetter = sameChecks && failing(l) < failing(rules) && l.qa.every((q) => !q.check.startsWith('llm.') || q.ok);
  const kept = llmBetter ? l : rules;
  const by = llmBetter ? 'llm' : 'rules';
  return { result: { ...kept, qa: [...kept.qa, ...disagreementNotes(rules, l, by)] }, by, usage: outcome.usage };
}
