/**
 * One form → one record through the LLM: serialise, split into requests within the per-request token
 * limit (split.ts; parts merged in printed order, merge.ts), ask (structured output), validate with zod,
 * re-ask with the zod errors (1–2 times, within the document's token budget), ground every value
 * in the source, and score confidence. Answers are cached on disk by content hash.
 */
import type { Form } from '../../segment/forms.js';
import type { DocType, FormRecord, SelfEvaluation } from '../../schema/records.js';
import type { FormResult, ParsedForm, QaNote } from '../types.js';
import { selfEvalQa } from '../rules/qa.js';
import { LlmClient, LlmError, addUsage, emptyUsage, type Usage } from './client.js';
import { DiskCache, cacheKey } from './cache.js';
import type { LlmConfig, ResponseMode } from './config.js';
import { displacedNumbers, ground, indexSource, normaliseText } from './ground.js';
import { retryPrompt, systemPrompt, userPrompt, type ChatMessage, type Part } from './prompts.js';
import { estimateTokens, serialiseForm } from './serialise.js';
import { planParts, requestTokens, type FormPart } from './split.js';
import { mergeParts } from './merge.js';
import { describeIssues, wireSchema } from './wire-schema.js';

/** Tokens one document may still spend; shared by its forms. */
export class TokenBudget {
  spent = 0;
  constructor(readonly limit: number) {}
  get remaining(): number {
    return this.limit - this.spent;
  }
}

export interface LlmFormOutcome {
  result: FormResult;
  usage: Usage;
  /** Estimated input tokens of the largest request (system prompt + user message). */
  estimatedInputTokens: number;
  attempts: number;
}

/** Share of leaves that may be ungrounded before the record is refused outright. */
const MAX_UNGROUNDED_SHARE = 0.25;

function stripFences(s: string): string {
  const t = s.trim();
  const m = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(t);
  return m ? m[1]! : t;
}

/** Provenance: the whole form for the record, and for each indicator the first line that carries its name. */
function rowSpans(form: Form, record: FormRecord): ParsedForm['provenance'] {
  const first = form.lines[0];
  const last = form.lines.at(-1);
  if (!first || !last) return {};
  const out: ParsedForm['provenance'] = { record: { page: first.page, fromLine: first.lineNo, toLine: last.lineNo } };
  const lines = form.lines.map((l) => normaliseText(l.text));
  record.indicators.forEach((ind, i) => {
    const name = normaliseText(ind.name);
    const head = Array.from(name).slice(0, 6).join('');
    const at = lines.findIndex((l) => l.includes(name));
    const k = at >= 0 ? at : lines.findIndex((l) => head.length >= 2 && l.includes(head));
    const line = form.lines[k];
    if (line) out[`indicators.${i}`] = { page: line.page, fromLine: line.lineNo, toLine: line.lineNo };
  });
  return out;
}

export class LlmBackend {
  readonly client: LlmClient;
  private readonly cache: DiskCache | null;

  constructor(readonly config: LlmConfig) {
    this.client = new LlmClient(config);
    this.cache = config.cacheDir ? new DiskCache(config.cacheDir) : null;
  }

  get usage(): Usage {
    return this.client.total;
  }

  newBudget(): TokenBudget {
    return new TokenBudget(this.config.documentTokenBudget);
  }

  /** The system prompt's tokens for this form: the largest over the response modes still reachable (a fallback adds the schema). */
  systemTokens(docType: DocType): number {
    const wire = wireSchema(docType);
    return Math.max(...this.client.reachableModes.map((mode) => estimateTokens(systemPrompt(docType, this.config.profile, wire.jsonSchema, mode))));
  }

  /** The parts a form is sent in (one unless system + form exceed the per-request limit). */
  plan(form: Form, text = serialiseForm(form).text): FormPart[] {
    return planParts(form.docType, text, this.systemTokens(form.docType), this.config);
  }

  async extract(form: Form, budget: TokenBudget): Promise<LlmFormOutcome> {
    const wire = wireSchema(form.docType);
    const { text, suspicious } = serialiseForm(form);
    const usage = emptyUsage();
    const system = this.systemTokens(form.docType);
    // A form whose request would exceed the per-request limit is read in parts, merged in printed order.
    const parts = this.plan(form, text);
    const estimatedInputTokens = Math.max(...parts.map((p) => requestTokens(p, system)));
    const answers = await Promise.all(parts.map((p) => this.ask(form.docType, p.text, parts.length > 1 ? p : undefined, budget, usage)));
    const attempts = answers.reduce((s, a) => s + a.attempts, 0);
    const good = answers.flatMap((a) => (a.record ? [a.record] : []));
    const failed = answers.map((a, i) => ({ a, i })).filter(({ a }) => !a.record);
    if (good.length === 0) {
      const problem = failed[0]?.a.problem ?? 'no answer';
      return { result: { status: 'unparsed', reason: `LLM reply did not validate after ${attempts} attempt(s): ${problem.split('\n').slice(0, 4).join(' ')}` }, usage, estimatedInputTokens, attempts };
    }
    const kept = answers.flatMap((a, i) => (a.record ? [{ record: a.record as unknown, kind: parts[i]!.kind }] : []));
    const merged = good.length === 1 ? good[0]! : wire.record.safeParse(mergeParts(form.docType, kept));
    const record = 'success' in merged ? (merged.success ? merged.data : null) : merged;
    if (record === null) {
      return { result: { status: 'unparsed', reason: 'LLM parts could not be merged into one valid record' }, usage, estimatedInputTokens, attempts };
    }
    const result = this.finish(form, record, text, suspicious);
    if (result.status === 'parsed' && parts.length > 1) {
      result.qa.push(
        failed.length === 0
          ? { check: 'llm.parts', ok: true, detail: `read in ${parts.length} parts, merged` }
          : { check: 'llm.parts', ok: false, likelyCause: 'extraction', detail: `read in ${parts.length} parts; part(s) ${failed.map((f) => f.i + 1).join(', ')} gave no valid answer (${failed[0]!.a.problem.split('\n')[0]})` },
      );
    }
    return { result, usage, estimatedInputTokens, attempts };
  }

  /** One request (plus validation retries) for one text; answers are cached by content hash. */
  private async ask(docType: DocType, text: string, part: Part | undefined, budget: TokenBudget, usage: Usage): Promise<{ record: FormRecord | null; problem: string; attempts: number }> {
    const wire = wireSchema(docType);
    const { profile } = this.config;
    const user = userPrompt(text, part);
    const key = cacheKey({
      text: user,
      prompt: `${profile.name}\n${systemPrompt(docType, profile, wire.jsonSchema, 'json_schema')}`,
      model: this.config.model,
      baseURL: this.config.baseURL,
      schema: wire.version,
    });
    const cached = this.cache ? await this.cache.get(key) : null;
    if (cached) {
      const parsed = wire.toRecord(JSON.parse(cached.content) as unknown);
      if (parsed.success) {
        usage.cached++;
        addUsage(this.client.total, { ...emptyUsage(), cached: 1 });
        return { record: parsed.data, problem: '', attempts: 0 };
      }
    }
    const history: ChatMessage[] = [];
    let lastProblem = '';
    let attempts = 0;
    while (attempts <= this.config.validationRetries) {
      const messagesFor = (mode: ResponseMode): ChatMessage[] => [
        { role: 'system', content: systemPrompt(docType, profile, wire.jsonSchema, mode) },
        { role: 'user', content: user },
        ...history,
      ];
      const need = messagesFor(this.client.mode).reduce((s, m) => s + estimateTokens(m.content), 0);
      if (need > budget.remaining) {
        const why = `token budget of the document exhausted (${budget.spent}/${budget.limit} spent, this request needs ~${need})`;
        if (attempts === 0 && !part) throw new LlmError('budget', why);
        return { record: null, problem: lastProblem ? `${lastProblem}; ${why}` : why, attempts };
      }
      budget.spent += need; // reserved now, so parts asked concurrently see each other's spending
      attempts++;
      const reply = await this.client.complete(wire, messagesFor);
      addUsage(usage, reply.usage);
      const spent = reply.usage.promptTokens + reply.usage.completionTokens;
      budget.spent += (spent > 0 ? spent : need + estimateTokens(reply.content)) - need;

      if (reply.finishReason === 'length') {
        // Asking again would be cut off again: the form needs a larger output limit (JIXIAO_LLM_MAX_OUTPUT_TOKENS).
        return { record: null, problem: `reply cut off at the output limit (${this.config.maxOutputTokens} tokens)`, attempts };
      }
      let json: unknown;
      try {
        json = JSON.parse(stripFences(reply.content));
      } catch (e) {
        lastProblem = `not JSON: ${e instanceof Error ? e.message : String(e)}`;
        history.push({ role: 'assistant', content: reply.content.slice(0, 2000) }, { role: 'user', content: retryPrompt(`- ${lastProblem}`) });
        continue;
      }
      const parsed = wire.toRecord(json);
      if (parsed.success && parsed.data.docType === docType) {
        await this.cache?.set(key, { content: JSON.stringify(json), promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens });
        return { record: parsed.data, problem: '', attempts };
      }
      lastProblem = parsed.success ? `docType must be ${docType}` : describeIssues(parsed.error);
      history.push({ role: 'assistant', content: reply.content.slice(0, 8000) }, { role: 'user', content: retryPrompt(lastProblem) });
    }
    return { record: null, problem: lastProblem, attempts };
  }

  /** Grounding, QA and confidence of a validated record. */
  private finish(form: Form, record: FormRecord, text: string, suspicious: ReturnType<typeof serialiseForm>['suspicious']): FormResult {
    const g = ground(record, indexSource(text));
    const ungrounded = g.ungroundedNumbers.length + g.ungroundedStrings.length;
    const share = g.checked === 0 ? 0 : ungrounded / g.checked;
    const list = (xs: { path: string; value: unknown }[]): string =>
      xs.slice(0, 8).map((x) => `${x.path}=${JSON.stringify(x.value)}`).join(', ') + (xs.length > 8 ? ` … (${xs.length})` : '');
    if (share > MAX_UNGROUNDED_SHARE) {
      return { status: 'unparsed', reason: `LLM record refused: ${ungrounded} of ${g.checked} values not found in the form's text (${list([...g.ungroundedNumbers, ...g.ungroundedStrings])})` };
    }
    const checked = wireSchema(form.docType).record.safeParse(g.record);
    if (!checked.success) {
      return { status: 'unparsed', reason: `LLM record refused: ungrounded required figures (${list(g.ungroundedNumbers)})` };
    }
    const out = checked.data;
    const notes: QaNote[] = [];
    let confidence = 0.6;
    if (out.docType === 'self_evaluation') {
      const qa = selfEvalQa(out as SelfEvaluation, 0);
      notes.push(...qa.qa);
      confidence = qa.confidence;
    }
    notes.push(
      g.ungroundedNumbers.length === 0
        ? { check: 'llm.grounded_numbers', ok: true, detail: `all ${Object.keys(g.printed).length} figures found in the form's text` }
        : { check: 'llm.grounded_numbers', ok: false, likelyCause: 'extraction', detail: `figures not printed in the form, set to null (a check on them is not run): ${list(g.ungroundedNumbers)}` },
    );
    if (g.ungroundedStrings.length > 0) {
      notes.push({ check: 'llm.grounded_text', ok: false, likelyCause: 'extraction', detail: `text not found in the form: ${list(g.ungroundedStrings)}` });
    }
    const displaced = displacedNumbers(out, text.split('\n'));
    if (displaced.length > 0) {
      notes.push({ check: 'llm.figure_placement', ok: false, likelyCause: 'extraction', detail: `figures printed in the form but not near their row's label: ${list(displaced)}` });
    }
    if (suspicious.length > 0) {
      notes.push({ check: 'llm.injection_suspected', ok: false, likelyCause: 'document', detail: `${suspicious.length} line(s) addressed to a model were withheld from it: ${suspicious.map((s) => `p${s.page} l${s.lineNo} 「${s.text.slice(0, 40)}」`).join('; ')}` });
    }
    // An LLM reading is worth less than a deterministic one with the same QA; ungrounded values cost more.
    const doubt = g.checked === 0 ? 0 : displaced.length / g.checked;
    confidence = Math.round(Math.max(0, Math.min(0.9, confidence * 0.9) * (1 - share) ** 2 * (1 - doubt)) * 1000) / 1000;
    return { status: 'parsed', record: out, confidence, qa: notes, printed: g.printed, provenance: rowSpans(form, out) };
  }
}
