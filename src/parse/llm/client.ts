/**
 * A chat-completions client for any OpenAI-compatible endpoint (openai SDK), with the resilience
 * the pipeline needs: a concurrency limit shared by all files, a timeout per request, retries with
 * exponential backoff that honour `retry-after` on 429 and 5xx, and response-format fallback
 * (json_schema → json_object → none) when the endpoint answers 400 to `response_format`.
 * The SDK's own retries are off so that every wait is ours and testable.
 */
import type OpenAI from 'openai';
import type { APIError } from 'openai';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ChatMessage } from './prompts.js';
import type { LlmConfig, ResponseMode } from './config.js';
import type { WireSchema } from './wire-schema.js';
import type { Usage } from '../../schema/output.js';

export type { Usage } from '../../schema/output.js';

type OpenAIModule = typeof import('openai');
let openaiModule: Promise<OpenAIModule> | null = null;
/** The SDK is loaded when a client first talks to its endpoint: a run without an LLM does not pay for loading it. */
const loadOpenAI = (): Promise<OpenAIModule> => (openaiModule ??= import('openai'));

export type LlmErrorKind = 'unreachable' | 'timeout' | 'auth' | 'http' | 'rejected' | 'budget' | 'invalid';

/** A failure to report per file: the message is for a person and never carries a stack or the key. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const emptyUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0, requests: 0, cached: 0 });

export function addUsage(into: Usage, u: Usage): Usage {
  into.promptTokens += u.promptTokens;
  into.completionTokens += u.completionTokens;
  into.requests += u.requests;
  into.cached += u.cached;
  return into;
}

export interface Completion {
  content: string;
  mode: ResponseMode;
  usage: Usage;
  finishReason: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; null when absent. */
export function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers?.get('retry-after');
  if (!ra) return null;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** A 400 that is about `response_format` (unsupported json_schema / json_object), not about the input. */
function rejectsResponseFormat(e: APIError): boolean {
  if (e.status !== 400 && e.status !== 422) return false;
  const text = `${e.message} ${JSON.stringify(e.error ?? '')} ${e.param ?? ''}`.toLowerCase();
  return /response_format|json_schema|json_object|structured output|guided|grammar/.test(text);
}

function responseFormat(mode: ResponseMode, wire: WireSchema, strict: boolean): OpenAI.ChatCompletionCreateParams['response_format'] {
  if (mode === 'json_object') return { type: 'json_object' };
  if (mode === 'json_schema') return { type: 'json_schema', json_schema: { ...wire.responseFormat.json_schema, strict } };
  return undefined;
}

/** The innermost cause of a connection failure (`ECONNREFUSED`, `bad port` …), for the message. */
function rootCause(e: unknown): string {
  let c: unknown = e instanceof Error ? e.cause : undefined;
  let last: string | undefined;
  for (let depth = 0; c instanceof Error && depth < 5; depth++, c = c.cause) {
    const code = (c as NodeJS.ErrnoException).code;
    last = code ?? (c.message === 'fetch failed' ? last : c.message);
  }
  return last ? ` (${last})` : '';
}

export class LlmClient {
  readonly config: LlmConfig;
  private sdkReady: Promise<{ sdk: OpenAI; api: OpenAIModule }> | null = null;
  /** The SDK module, once loaded (every error it throws comes after loading it). */
  private api: OpenAIModule | null = null;
  private readonly limit: LimitFunction;
  /** Index into profile.modes of the first mode not yet rejected by this endpoint. */
  private modeIndex = 0;
  private probe: Promise<void> | null = null;
  /** Request parameters this endpoint turned out to reject (reasoning models: max_tokens, temperature). */
  private useMaxCompletionTokens = false;
  private sendTemperature = true;
  readonly total: Usage = emptyUsage();

  constructor(config: LlmConfig) {
    this.config = config;
    this.limit = pLimit(config.concurrency);
  }

  private client(): Promise<{ sdk: OpenAI; api: OpenAIModule }> {
    const { apiKey, baseURL, timeoutMs } = this.config;
    return (this.sdkReady ??= loadOpenAI().then((api) => {
      this.api = api;
      return { api, sdk: new api.OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries: 0 }) };
    }));
  }

  /** `e` is the SDK's error class `name` (false before the SDK is loaded: it threw nothing yet). */
  private isError<K extends 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError'>(e: unknown, name: K): e is InstanceType<OpenAIModule[K]> {
    return this.api !== null && e instanceof this.api[name];
  }

  get mode(): ResponseMode {
    return this.config.profile.modes[Math.min(this.modeIndex, this.config.profile.modes.length - 1)]!;
  }

  /** The mode in use and those a rejected `response_format` may still fall back to. */
  get reachableModes(): ResponseMode[] {
    const { modes } = this.config.profile;
    return modes.slice(Math.min(this.modeIndex, modes.length - 1));
  }

  /**
   * Is the endpoint there at all? One GET /models per client (any HTTP answer, even 404, counts as
   * reachable), so an unreachable endpoint gives one clear error per file instead of a retry storm.
   */
  ready(): Promise<void> {
    this.probe ??= this.client()
      .then(({ sdk }) => sdk.models.list({ timeout: Math.min(this.config.timeoutMs, 10_000), maxRetries: 0 }))
      .then(
        () => undefined,
        (e: unknown) => {
          if (this.isError(e, 'APIConnectionError')) throw this.describe(e);
          // An HTTP answer: the server is there (many compatible servers have no /models).
        },
      );
    return this.probe;
  }

  /** One completion; `messagesFor(mode)` builds the messages for the response mode in use. */
  complete(wire: WireSchema, messagesFor: (mode: ResponseMode) => ChatMessage[], maxTokens?: number): Promise<Completion> {
    return this.limit(() => this.completeNow(wire, messagesFor, maxTokens));
  }

  private async completeNow(wire: WireSchema, messagesFor: (mode: ResponseMode) => ChatMessage[], maxTokens?: number): Promise<Completion> {
    const { config } = this;
    const usage = emptyUsage();
    let attempt = 0;
    for (;;) {
      const mode = this.mode;
      try {
        const rf = responseFormat(mode, wire, config.profile.strict);
        usage.requests++;
        const limit = maxTokens ?? config.maxOutputTokens;
        const { sdk } = await this.client();
        const res = await sdk.chat.completions.create({
          model: config.model,
          messages: messagesFor(mode),
          ...(this.sendTemperature ? { temperature: 0 } : {}),
          ...(this.useMaxCompletionTokens ? { max_completion_tokens: limit } : { max_tokens: limit }),
          ...(rf ? { response_format: rf } : {}),
        });
        usage.promptTokens += res.usage?.prompt_tokens ?? 0;
        usage.completionTokens += res.usage?.completion_tokens ?? 0;
        addUsage(this.total, usage);
        const choice = res.choices[0];
        return { content: choice?.message?.content ?? '', mode, usage, finishReason: choice?.finish_reason ?? null };
      } catch (e) {
        if (this.isError(e, 'APIError') && e.status !== undefined && rejectsResponseFormat(e) && this.modeIndex < config.profile.modes.length - 1) {
          this.modeIndex++; // sticky for this endpoint: later forms start at the mode that works
          continue;
        }
        if (this.isError(e, 'APIError') && e.status === 400) {
          const text = `${e.message} ${e.param ?? ''}`;
          if (!this.useMaxCompletionTokens && /max_tokens/.test(text)) {
            this.useMaxCompletionTokens = true;
            continue;
          }
          if (this.sendTemperature && /temperature/.test(text)) {
            this.sendTemperature = false;
            continue;
          }
        }
        const retriable =
          this.isError(e, 'APIConnectionError') || // includes timeouts
          (this.isError(e, 'APIError') && e.status !== undefined && (e.status === 429 || e.status === 408 || e.status >= 500));
        if (!retriable || attempt >= config.maxRetries) {
          addUsage(this.total, usage);
          throw this.describe(e, attempt + 1);
        }
        const hinted = this.isError(e, 'APIError') ? retryAfterMs(e.headers) : null;
        const backoff = config.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        await sleep(hinted !== null ? Math.min(hinted, config.maxRetryAfterMs) : backoff);
        attempt++;
      }
    }
  }

  private describe(e: unknown, attempts = 1): LlmError {
    const where = this.config.baseURL;
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (e instanceof LlmError) return e;
    if (this.isError(e, 'APIConnectionTimeoutError')) return new LlmError('timeout', `LLM endpoint ${where} did not answer within ${this.config.timeoutMs} ms${tries}`);
    if (this.isError(e, 'APIConnectionError')) {
      return new LlmError('unreachable', `LLM endpoint ${where} unreachable${rootCause(e)}${tries}`);
    }
    if (this.isError(e, 'APIError')) {
      const status = e.status ?? 0;
      const msg = e.message.replace(/\s+/g, ' ').slice(0, 200);
      if (status === 401 || status === 403) return new LlmError('auth', `LLM endpoint ${where} refused the credentials (HTTP ${status}); set JIXIAO_LLM_API_KEY`);
      if (status === 400 && rejectsResponseFormat(e)) return new LlmError('rejected', `LLM endpoint ${where} rejected every response format: ${msg}`);
      return new LlmError('http', `LLM endpoint ${where} failed: HTTP ${status} ${msg}${tries}`);
    }
    return new LlmError('http', `LLM request failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
