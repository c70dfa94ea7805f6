import { toJson } from '../src/output/json.js';
import { Output, type DocumentResult } from '../src/schema/output.js';

/**
 * The output of `docs` as written, and as the output schema describes it. The zod schema drops
 * every key it does not describe: an output that comes back from it unchanged is described in
 * full, and so is it by its JSON Schema (derived from the zod schema).
 */
export function describedInFull(docs: DocumentResult[]): { written: unknown; described: unknown } {
  const written = JSON.parse(toJson(docs)) as unknown;
  return { written, described: Output.parse(written) };
}
