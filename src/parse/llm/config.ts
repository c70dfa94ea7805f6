/**
 * LLM backend configuration: environment + CLI flags → one value. The API key comes from the
 * environment only and is never printed (see `describeConfig`).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** How the response format is requested. */
export type ResponseMode = 'json_schema' | 'json_object' | 'none';

/** An endpoint family, as data: which response modes to try in order, and whether the prompt carries the schema. */
export interface ProviderProfile {
  name: string;
  /** Tried in order; a 400 rejecting `response_format` moves to the next. */
  modes: ResponseMode[];
  /** The JSON Schema is written into the system prompt (endpoints that do not enforce it). */
  schemaInPrompt: boolean;
  /** `strict: true` on json_schema (OpenAI's constrained decoding). */
  strict: boolean;
}

export const PROFILES: Record<string, ProviderProfile> = {
  /** OpenAI and Azure OpenAI: strict json_schema is enforced by the server. */
  openai: { name: 'openai', modes: ['json_schema', 'json_object', 'none'], schemaInPrompt: false, strict: true },
  /** DeepSeek, Qwen/DashScope, Moonshot …: json_object only; the schema must be in the prompt. */
  json_object: { name: 'json_object', modes: ['json_object', 'none'], schemaInPrompt: true, strict: false },
  /** ollama, llama.cpp server, vLLM: accept a json_schema (grammar) but the model needs it in the prompt too. */
  local: { name: 'local', modes: ['json_schema', 'json_object', 'none'], schemaInPrompt: true, strict: false },
  /** Unknown endpoint: try json_schema, fall back; schema in the prompt to be safe. */
  generic: { name: 'generic', modes: ['json_schema', 'json_object', 'none'], schemaInPrompt: true, strict: true },
};

/** Profile from the base URL, unless named explicitly. */
export function profileFor(baseURL: string, name?: string): ProviderProfile {
  if (name) {
    const p = PROFILES[name];
    if (!p) throw new LlmConfigError(`unknown LLM provider profile '${name}' (${Object.keys(PROFILES).join(', ')})`);
    return p;
  }
  let host = '';
  let port = '';
  try {
    ({ hostname: host, port } = new URL(baseURL));
  } catch {
    /* validated elsewhere */
  }
  if (/(^|\.)openai\.com$|openai\.azure\.com$/.test(host)) return PROFILES['openai']!;
  if (/deepseek|dashscope|aliyuncs|moonshot|qwen|zhipu|bigmodel/.test(host)) return PROFILES['json_object']!;
  if (port === '11434' || port === '8080' || port === '8000' || /^(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(host)) return PROFILES['local']!;
  return PROFILES['generic']!;
}

export interface LlmConfig {
  baseURL: string;
  model: string;
  /** From the environment only. */
  apiKey: string;
  profile: ProviderProfile;
  /** Per request. */
  timeoutMs: number;
  /** Attempts after the first, for 429 / 5xx / timeouts / connection errors. */
  maxRetries: number;
  /** First backoff; doubles per attempt (with jitter); a `retry-after` header takes precedence. */
  backoffMs: number;
  /** Longest wait honoured from `retry-after`. */
  maxRetryAfterMs: number;
  /** Requests in flight at once (p-limit), across files. */
  concurrency: number;
  /** Re-asks after a response that fails validation (1–2). */
  validationRetries: number;
  /** Input + output tokens one document may spend (retries included). */
  documentTokenBudget: number;
  maxOutputTokens: number;
  /** Input tokens one request may carry (system prompt + user message, by `estimateTokens`): a form that
   *  would need more is read in parts (split.ts). */
  maxRequestTokens: number;
  /** A form whose text is estimated above this many tokens is read in parts … */
  chunkAboveTokens: number;
  /** … of at most this many tokens of form text each (besides the request limit). */
  chunkTokens: number;
  /** Disk cache directory; null disables the cache. */
  cacheDir: string | null;
}

export class LlmConfigError extends Error {}

/** The per-request input target of issue #4 (system prompt + user message). */
export const DEFAULT_MAX_REQUEST_TOKENS = 2_500;

function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export type SplitSettings = Pick<LlmConfig, 'maxRequestTokens' | 'chunkAboveTokens' | 'chunkTokens'>;

/** How forms are split into requests; from the environment alone, so it is known without an endpoint (`npm run eval -- --tokens`). */
export function splitSettings(env: NodeJS.ProcessEnv = process.env): SplitSettings {
  return {
    maxRequestTokens: envNumber(env, 'JIXIAO_LLM_MAX_REQUEST_TOKENS', DEFAULT_MAX_REQUEST_TOKENS),
    chunkAboveTokens: envNumber(env, 'JIXIAO_LLM_CHUNK_ABOVE_TOKENS', 6_000),
    chunkTokens: envNumber(env, 'JIXIAO_LLM_CHUNK_TOKENS', 1_500),
  };
}

export interface LlmFlags {
  llm?: boolean;
  model?: string;
  baseURL?: string;
  provider?: string;
  noCache?: boolean;
}

/** ~/.cache/jixiao (or $XDG_CACHE_HOME/jixiao, or JIXIAO_CACHE_DIR), absolute, never the working directory. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(env['JIXIAO_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'jixiao'));
  if (dir === resolve(process.cwd())) throw new LlmConfigError(`the LLM cache directory must not be the working directory (${dir}); set JIXIAO_CACHE_DIR elsewhere`);
  return dir;
}

/**
 * The configuration, or null when no LLM is configured (everything stays offline).
 * Configured = `--llm` given, or JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL set. Throws LlmConfigError
 * when switched on but incomplete.
 */
export function llmConfig(flags: LlmFlags = {}, env: NodeJS.ProcessEnv = process.env, overrides: Partial<LlmConfig> = {}): LlmConfig | null {
  const wanted = flags.llm === true || Boolean(env['JIXIAO_LLM_BASE_URL'] || env['JIXIAO_LLM_MODEL']);
  if (!wanted) return null;
  const baseURL = flags.baseURL || env['JIXIAO_LLM_BASE_URL'] || env['OPENAI_BASE_URL'] || 'https://api.openai.com/v1';
  try {
    const u = new URL(baseURL);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new LlmConfigError(`LLM base URL '${baseURL}' is not an http(s) URL`);
  }
  const model = flags.model || env['JIXIAO_LLM_MODEL'] || (/api\.openai\.com/.test(baseURL) ? 'gpt-4o-mini' : '');
  if (!model) throw new LlmConfigError('no LLM model: set JIXIAO_LLM_MODEL or pass --llm-model');
  // Local servers take any key; hosted ones answer 401, reported per file.
  const apiKey = env['JIXIAO_LLM_API_KEY'] || env['OPENAI_API_KEY'] || 'none';
  const num = (name: string, fallback: number): number => envNumber(env, name, fallback);
  return {
    baseURL,
    model,
    apiKey,
    profile: profileFor(baseURL, flags.provider || env['JIXIAO_LLM_PROVIDER'] || undefined),
    timeoutMs: num('JIXIAO_LLM_TIMEOUT_MS', 120_000),
    maxRetries: 3,
    backoffMs: 1_000,
    maxRetryAfterMs: 60_000,
    concurrency: num('JIXIAO_LLM_CONCURRENCY', 4),
    validationRetries: 2,
    documentTokenBudget: num('JIXIAO_LLM_DOC_TOKENS', 200_000),
    maxOutputTokens: num('JIXIAO_LLM_MAX_OUTPUT_TOKENS', 8_000),
    ...splitSettings(env),
    cacheDir: flags.noCache ? null : defaultCacheDir(env),
    ...overrides,
  };
}

/** For logs and reports: everything but the key. */
export function describeConfig(c: LlmConfig): string {
  return `${c.model} at ${c.baseURL} (profile ${c.profile.name})`;
}
