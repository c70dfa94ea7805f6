import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { createOcrMemory, inkDistance, inkMask, recall, rememberable, type InkMask, type Remembered } from '../src/ingest/ocr-memory.js';
import { ocrPage, shutdownOcr } from '../src/ingest/ocr.js';
import { ingestPdf } from '../src/ingest/pdf.js';
import type { Token } from '../src/ingest/types.js';

afterAll(shutdownOcr);

/** A white image with black rectangles [x, y, w, h]. */
function drawn(width: number, height: number, rects: [number, number, number, number][]): GrayImage {
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, w, h] of rects) for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data[y * width + x] = 0;
  return { width, height, data };
}

const whole = (img: GrayImage) => ({ x0: 0, y0: 0, x1: img.width, y1: img.height });

function maskOf(img: GrayImage): InkMask {
  const m = inkMask(img, whole(img));
  if (!m) throw new Error('no ink');
  return m;
}

/** A glyph-like block: a frame 30 px square with a bar across it at each of `bars` (heights from its top). */
function glyph(x: number, bars: number[]): [number, number, number, number][] {
  return [[x, 10, 30, 2], [x, 38, 30, 2], [x, 10, 2, 30], [x + 28, 10, 2, 30], ...bars.map((b): [number, number, number, number] => [x + 4, 10 + b, 22, 2])];
}

describe('ink masks', () => {
  it('cuts the ink of a box to its bounding box, with its count and its one-pixel growth', () => {
    const img = drawn(60, 40, [[10, 5, 4, 3], [30, 20, 2, 2]]);
    const m = maskOf(img);
    expect([m.x0, m.y0, m.width, m.height, m.count]).toEqual([10, 5, 22, 17, 16]);
    expect(m.ink[0]).toBe(1);
    expect(m.grown[4]).toBe(1); // right of the first block
    expect(m.grown[5]).toBe(0);
    expect(inkMask(img, { x0: 40, y0: 0, x1: 60, y1: 40 })).toBeNull();
  });

  it('finds two printings of one label close, whatever a pixel of blur or shift does', () => {
    const a = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [8, 20])]));
    // The second glyph printed a pixel lower, and a speck of 2 × 2 beside the first.
    const b = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [9, 21]), [36, 25, 2, 2]]));
    expect(inkDistance(a, a)).toBe(0);
    expect(inkDistance(a, b)).toBeLessThanOrEqual(4);
  });

  it('finds 一 and 二 in otherwise equal labels apart: one bar is a window of unmatched ink', () => {
    const one = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [8, 20])]));
    const two = maskOf(drawn(120, 50, [...glyph(5, [8, 20]), ...glyph(45, [8, 20])]));
    expect(inkDistance(one, two)).toBeGreaterThan(16);
    // A limit gives up early, with an answer above it.
    expect(inkDistance(one, two, 16, 6)).toBeGreaterThan(6);
  });

  it('never matches masks of different sizes', () => {
    const a = maskOf(drawn(120, 50, glyph(5, [14])));
    const b = maskOf(drawn(120, 50, [...glyph(5, [14]), [36, 25, 4, 2]]));
    expect(inkDistance(a, b)).toBe(Infinity);
  });
});

const token = (text: string, x: number, y: number, confidence = 0.95): Token => ({ text, x: x / 20, width: 3, box: { x, y, w: 60, h: 20 }, confidence });

describe('remembering and recalling labels', () => {
  const img = drawn(200, 100, [...glyph(20, [14]), ...glyph(60, [8, 20])]);
  const mask = maskOf(img);

  it('remembers labels read with confidence, not figures or unsure readings', () => {
    expect(rememberable(mask, [token('数量指标', 20, 10)])).not.toBeNull();
    expect(rememberable(mask, [token('100.00(%)', 20, 10)])).toBeNull();
    expect(rememberable(mask, [token('完成率1', 20, 10)])).toBeNull();
    expect(rememberable(mask, [token('数量指标', 20, 10, 0.6)])).toBeNull();
    expect(rememberable(mask, [token('指', 20, 10)])).toBeNull();
    // A confident misread of a lexicon word is not passed on.
    expect(rememberable(mask, [token('数最指标', 20, 10)])).toBeNull();
    expect(rememberable(mask, [token('上海市公安局', 20, 10)])).not.toBeNull();
    expect(rememberable(null, [token('数量指标', 20, 10)])).toBeNull();
  });

  it('recalls a label where the same ink is printed again, placed at the new ink', () => {
    const entry = rememberable(mask, [token('数量指标', 20, 10)])!;
    const again = drawn(300, 200, [...glyph(120, [14]), ...glyph(160, [8, 20])]);
    const got = recall([entry], maskOf(again), 200);
    expect(got?.map((t) => t.text)).toEqual(['数量指标']);
    expect(got?.[0]?.box).toEqual({ x: 120, y: 10, w: 60, h: 20 });
    expect(got?.[0]?.x).toBeCloseTo(120 / 20);
    const other = drawn(300, 200, [...glyph(120, [8, 20]), ...glyph(160, [8, 20])]);
    expect(recall([entry], maskOf(other), 200)).toBeNull();
  });
});

describe('a document’s memory', () => {
  const entry = (label: string): Remembered => ({ mask: maskOf(drawn(40, 40, [[5, 5, 10, 10]])), tokens: [token(label, 5, 5)] });

  it('gives each page what the pages two or more turns before it remembered, in turn order, whatever order they finish in', async () => {
    const memory = createOcrMemory();
    const [t0, t1, t2, t3] = [memory.turn(), memory.turn(), memory.turn(), memory.turn()];
    expect(await t1!.recall()).toEqual([]);
    t1!.remember([entry('实际完成值')]);
    t0!.remember([entry('年度指标值')]);
    t0!.remember([entry('ignored')]); // only the first call counts
    expect((await t2!.recall()).map((e) => e.tokens[0]!.text)).toEqual(['年度指标值']);
    t2!.remember([]);
    expect((await t3!.recall()).map((e) => e.tokens[0]!.text)).toEqual(['年度指标值', '实际完成值']);
  });

  it('keeps a few printings of each label', async () => {
    const memory = createOcrMemory();
    const t0 = memory.turn();
    memory.turn().remember([]);
    const t2 = memory.turn();
    t0.remember(Array.from({ length: 6 }, () => entry('数量指标')));
    expect(await t2.recall()).toHaveLength(4);
  });
});

describe('labels recalled on a scan', () => {
  it('takes labels printed again from earlier pages, as the page itself reads them', async () => {
    const file = 'samples/scan/sh-sibao-2022-target-declaration.pdf';
    const bytes = new Uint8Array(readFileSync(file));
    const memory = createOcrMemory();
    const withMemory = await ingestPdf(file, bytes, { ocr: (img, n, dpi) => ocrPage(img, n, dpi, memory) });
    const alone = await ingestPdf(file, bytes, { ocr: (img, n, dpi) => ocrPage(img, n, dpi) });
    const recalled = memory.recalls.flatMap((r) => r.tokens.map((t) => ({ page: r.page, t })));
    expect(recalled.length).toBeGreaterThan(5);
    // Each recalled label is what the cell reads alone, without the memory.
    const aloneTokens = alone.pages.flatMap((p) => p.lines.flatMap((l) => l.tokens.map((t) => ({ page: p.number, t }))));
    const near = (a: Token, b: Token) => Math.abs(a.box!.x - b.box!.x) < 8 && Math.abs(a.box!.y - b.box!.y) < 8;
    const pairs = recalled.map(({ page, t }) => [t.text, aloneTokens.find((o) => o.page === page && near(o.t, t))?.t.text]);
    expect(pairs.filter(([a, b]) => a === b).length / pairs.length).toBeGreaterThanOrEqual(0.9);
    // And each is on the page whose cell it was given to, in the tokens the page returns.
    for (const { page, t } of recalled) expect(withMemory.pages[page - 1]!.lines.some((l) => l.tokens.some((x) => x.text === t.text && x.box === t.box))).toBe(true);
  }, 180_000);
});
