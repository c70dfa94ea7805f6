import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processFile, type IngestCache } from '../src/pipeline.js';
import type { IngestedDocument, Token } from '../src/ingest/types.js';
import type { TargetDeclaration } from '../src/schema/records.js';
import { diskIngestCache, importClosure, readingVersion } from '../eval/ocr-cache.js';

const PDF = 'samples/pdf/sh-sibao-2022-target-declaration.pdf';

function memoryCache(): IngestCache & { kept: Map<string, IngestedDocument> } {
  const kept = new Map<string, IngestedDocument>();
  return {
    kept,
    get: async (key) => kept.get(key) ?? null,
    set: async (key, doc) => void kept.set(key, doc),
  };
}

describe('the pipeline\'s ingest cache', () => {
  it('keeps a PDF\'s reading by the sha-256 of its bytes, and the next run parses the reading kept', async () => {
    const cache = memoryCache();
    const first = await processFile(PDF, { ingestCache: cache });
    const key = createHash('sha256').update(readFileSync(PDF)).digest('hex');
    expect([...cache.kept.keys()]).toEqual([key]);
    const again = await processFile(PDF, { ingestCache: cache });
    expect(again.records).toEqual(first.records);
    expect(again.findings).toEqual(first.findings);
    // What is parsed is the reading kept: a value changed in it comes out changed.
    const doc = cache.kept.get(key)!;
    const edit = (text: string): string => text.replace('一次性项目', '经常性项目');
    cache.kept.set(key, { ...doc, pages: doc.pages.map((p) => ({ ...p, lines: p.lines.map((l) => ({ ...l, tokens: l.tokens.map((t): Token => ({ ...t, text: edit(t.text) })), text: edit(l.text) })) })) });
    const edited = await processFile(PDF, { ingestCache: cache });
    expect((first.records[0] as TargetDeclaration).projectCategory).toBe('一次性项目');
    expect((edited.records[0] as TargetDeclaration).projectCategory).toBe('经常性项目');
  });

  it('is not asked for text inputs', async () => {
    const cache = memoryCache();
    await processFile('samples/sh-sibao-2022-target-declaration.md', { ingestCache: cache });
    expect(cache.kept.size).toBe(0);
  });
});

describe('eval --ocr-cache (eval/ocr-cache.ts)', () => {
  it('keeps readings on disk with their shared values shared, in a folder named by what they depend on', async () => {
    expect(await readingVersion()).toMatch(/^[0-9a-f]{16}$/);
    const cache = await diskIngestCache(mkdtempSync(join(tmpdir(), 'jixiao-ocr-cache-')));
    expect(await cache.get('absent')).toBeNull();
    // A label recalled on a later page shares its first reading's confidences (ocr-document.ts counts it once).
    const conf = [0.98, 0.97];
    const tok = (page: number): Token => ({ text: '指标', x: 0, width: 2, confidence: 0.97, glyphConfidence: conf });
    const doc: IngestedDocument = { file: 'x.pdf', source: 'ocr', format: 'plain', pages: [1, 2].map((n) => ({ number: n, lines: [{ page: n, lineNo: 1, tokens: [tok(n)], text: '指标', cells: true, gapBefore: 0 }] })) };
    await cache.set('k', doc);
    const kept = (await cache.get('k'))!;
    expect(kept).toEqual(doc);
    expect(kept.pages[0]!.lines[0]!.tokens[0]!.glyphConfidence).toBe(kept.pages[1]!.lines[0]!.tokens[0]!.glyphConfidence);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('versions readings by every source src/ingest imports at run time, however deeply, but not by the repairs run on a kept reading', async () => {
    const closure = await importClosure(['src/ingest/ocr.ts', 'src/ingest/ocr-document.ts']);
    // ocr.ts finds a scan's cells with layout/grid.ts, which reads rule-less tables with stream.ts, which knows titles from titles.ts.
    expect(closure).toEqual(expect.arrayContaining(['src/ingest/ocr.ts', 'src/ingest/tesseract-worker.cjs', 'src/ingest/leptonica-messages.cjs', 'src/layout/grid.ts', 'src/layout/stream.ts', 'src/layout/titles.ts']));
    expect(closure).not.toContain('src/ingest/ocr-document.ts');
    // Type-only imports (ingest/types.ts of schema/output.ts, titles.ts of schema/records.ts) are erased: a schema change keeps the readings.
    expect(closure.filter((f) => f.startsWith('src/schema/'))).toEqual([]);
    expect(closure).not.toContain('src/parse/index.ts');
    // ocr-document.ts is left out as a root only: a source that imports it depends on it.
    expect(await importClosure(['src/pipeline.ts'])).toContain('src/ingest/ocr-document.ts');
  });
});
