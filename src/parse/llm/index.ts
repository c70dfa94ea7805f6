/**
 * The LLM backend (issue #4). Off unless configured; everything else stays offline.
 *
 *   configure  config.ts     env JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL / JIXIAO_LLM_API_KEY (falling back to
 *                            OPENAI_BASE_URL / OPENAI_API_KEY), CLI --llm --llm-model --llm-base-url --llm-provider
 *                            --backend --no-llm-cache; provider profiles (openai | json_object | local | generic) as data
 *   schema     wire-schema.ts the zod record schemas → strict wire schema (optional → nullable, mapped back) + response_format
 *   split      split.ts      requests within JIXIAO_LLM_MAX_REQUEST_TOKENS (2,500): head | table header repeated + rows,
 *                            cut at 一级/二级指标 groups, `(续)` labels carried over; merge.ts merges parts in printed order
 *   prompt     prompts.ts + prompts/<docType>.md, prompts/parts.md; serialise.ts (one form, gridded rows as `a | b | c`, noise and
 *                            injection-like lines dropped; token estimate CJK 1 / other ¼)
 *   request    client.ts     openai SDK, p-limit, timeout, retries with backoff honouring retry-after (429/5xx),
 *                            response_format fallback json_schema → json_object → none on a 400
 *   validate   extract.ts    zod on every reply, 1–2 re-asks with the zod errors, per-document token budget,
 *                            long forms read in parts and merged, disk cache (cache.ts)
 *   ground     ground.ts     every value must be in the form's text; ungrounded figures → null; figures away from
 *                            their row's label are doubted
 *   combine    hybrid.ts     rules | llm | hybrid (rules first, LLM for refused / QA-failing forms, field-by-field comparison)
 */
export { LlmBackend, TokenBudget, type LlmFormOutcome } from './extract.js';
export { mergeRecords, mergeOrdered, mergeParts } from './merge.js';
export { splitForm, planParts, analyseTable, requestTokens, partOverhead, type FormPart, type SplitOptions } from './split.js';
export { LlmClient, LlmError, emptyUsage, addUsage, type Usage } from './client.js';
export { llmConfig, describeConfig, splitSettings, DEFAULT_MAX_REQUEST_TOKENS, defaultCacheDir, profileFor, PROFILES, LlmConfigError, type LlmConfig, type LlmFlags, type SplitSettings, type ProviderProfile, type ResponseMode } from './config.js';
export { parseFormWith, compareRecords, BACKENDS, type Backend, type FormOutcome } from './hybrid.js';
export { serialiseForm, estimateTokens } from './serialise.js';
export { wireSchema, wireOf } from './wire-schema.js';
