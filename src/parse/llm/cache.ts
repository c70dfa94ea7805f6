/**
 * Content-addressed disk cache of validated LLM answers. Key: sha256 over the form text, the full
 * prompt, the model, the endpoint and the wire-schema version, so any change to one is a miss.
 * Lives under the cache dir (default ~/.cache/jixiao, or JIXIAO_CACHE_DIR), never the working
 * directory. A damaged entry is a miss; a failing write is ignored (the cache is an optimisation).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CacheEntry {
  /** The validated wire JSON. */
  content: string;
  promptTokens: number;
  completionTokens: number;
}

export function cacheKey(parts: { text: string; prompt: string; model: string; baseURL: string; schema: string }): string {
  const h = createHash('sha256');
  for (const v of [parts.schema, parts.model, parts.baseURL, parts.prompt, parts.text]) h.update(v).update('\u0000');
  return h.digest('hex');
}

export class DiskCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, 'llm', key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CacheEntry | null> {
    try {
      const v: unknown = JSON.parse(await readFile(this.path(key), 'utf8'));
      if (typeof v === 'object' && v !== null && typeof (v as CacheEntry).content === 'string') {
        const e = v as CacheEntry;
        return { content: e.content, promptTokens: Number(e.promptTokens) || 0, completionTokens: Number(e.completionTokens) || 0 };
      }
    } catch {
      /* miss */
    }
    return null;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const file = this.path(key);
    try {
      await mkdir(join(file, '..'), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify(entry));
      await rename(tmp, file);
    } catch {
      /* the cache is an optimisation */
    }
  }
}
