import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { createOcrMemory, inkDistance, inkMask, recallLabel, rememberable, type InkMask, type Remembered } from '../src/ingest/ocr-memory.js';
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
    // Grown on a canvas a pixel larger each way: mask (x, y) at ((y + 1) × 24 + x + 1).
    expect(m.grown[0]).toBe(1); // above and left of the first block, outside the mask
    expect(m.grown[1 * 24 + 5]).toBe(1); // right of the first block
    expect(m.grown[1 * 24 + 6]).toBe(0);
    expect(inkMask(img, { x0: 40, y0: 0, x1: 60, y1: 40 })).toBeNull();
  });

  it('finds two printings of one label close, whatever a pixel of blur or shift does', () => {
    const a = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [8, 20])]));
    // The second glyph printed a pixel lower, and a speck of 2 × 2 beside the first.
    const b = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [9, 21]), [36, 25, 2, 2]]));
    expect(inkDistance(a, a)).toBe(0);
    expect(inkDistance(a, b)).toBeLessThanOrEqual(4);
    expect(inkDistance(a, b, 16, 6)).toBeLessThanOrEqual(6);
  });

  it('lines two printings up by a pixel either way: a glyph two pixels off matches only once shifted', () => {
    const a = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(45, [8, 20])]));
    const b = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(47, [8, 20])]));
    expect(b.width).toBe(a.width + 2);
    expect(inkDistance(a, b)).toBeLessThanOrEqual(2);
    // Without the shifts (a window no search can line up) the vertical strokes stand two pixels apart.
    const c = maskOf(drawn(120, 50, [...glyph(5, [14]), ...glyph(48, [8, 20])]));
    expect(inkDistance(a, c)).toBe(Infinity);
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
    // Two CJK glyphs at least; no running text (three lines, or a long line).
    expect(rememberable(mask, [token('（元）', 20, 10)])).toBeNull();
    expect(rememberable(mask, [token('（）', 20, 10)])).toBeNull();
    expect(rememberable(mask, [token('偏差原因分析', 20, 10), token('及改进措施', 20, 32)])).not.toBeNull();
    expect(rememberable(mask, ['项目绩效指标', '还不够完善', '影响管理'].map((t, i) => token(t, 20, 10 + 22 * i)))).toBeNull();
    expect(rememberable(mask, [token('保障市社保卡中心社保卡居住证信息系统交换平台的正常运行', 20, 10)])).toBeNull();
    expect(rememberable(null, [token('数量指标', 20, 10)])).toBeNull();
  });

  it('recalls a label where the same ink is printed again, placed at the new ink', () => {
    // Read at (22, 12), 2 px right of and below the ink's corner (20, 10).
    const entry = rememberable(mask, [token('数量指标', 22, 12)])!;
    const again = drawn(300, 200, [...glyph(120, [14]).map(([x, y, w, h]): [number, number, number, number] => [x, y + 90, w, h]), ...glyph(160, [8, 20]).map(([x, y, w, h]): [number, number, number, number] => [x, y + 90, w, h])]);
    const got = recallLabel([entry], maskOf(again), 200);
    expect(got?.map((t) => t.text)).toEqual(['数量指标']);
    expect(got?.[0]?.box).toEqual({ x: 122, y: 102, w: 60, h: 20 });
    expect(got?.[0]?.x).toBeCloseTo(122 / 20);
    expect(got?.[0]?.width).toBeCloseTo(60 / 20);
    const other = drawn(300, 200, [...glyph(120, [8, 20]), ...glyph(160, [8, 20])]);
    expect(recallLabel([entry], maskOf(other), 200)).toBeNull();
  });

  it('recalls the closest printing of a label; none when labels of different text are both within reach', () => {
    const specked = maskOf(drawn(200, 100, [...glyph(20, [14]), ...glyph(60, [8, 20]), [52, 25, 2, 2]]));
    const near = rememberable(specked, [token('数量指标', 24, 10)])!;
    const exact = rememberable(mask, [token('数量指标', 20, 10)])!;
    expect(recallLabel([near, exact], mask, 200)?.[0]?.box?.x).toBe(20);
    const other = rememberable(specked, [token('质量指标', 20, 10)])!;
    expect(recallLabel([exact, other], mask, 200)).toBeNull();
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

  it('keeps no more ink than its budget', async () => {
    const memory = createOcrMemory();
    const t0 = memory.turn();
    memory.turn().remember([]);
    const t2 = memory.turn();
    const big = (label: string): Remembered => ({ mask: maskOf(drawn(2000, 1500, [[0, 0, 2000, 2], [0, 1498, 2000, 2]])), tokens: [token(label, 0, 0)] });
    t0.remember([big('年度指标值'), big('实际完成值'), big('偏差原因')]);
    expect((await t2.recall()).map((e) => e.tokens[0]!.text)).toEqual(['年度指标值', '实际完成值']);
  });

  it('lets the next pages go on when a page has nothing to remember (a blank page)', async () => {
    const memory = createOcrMemory();
    const blank = { width: 400, height: 300, data: new Uint8Array(400 * 300).fill(255) };
    const page = await ocrPage(blank, 1, 200, memory);
    expect(page.lines).toEqual([]);
    memory.turn().remember([]);
    expect(await memory.turn().recall()).toEqual([]);
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
    const found = pairs.filter(([, b]) => b !== undefined);
    expect(found.length / pairs.length).toBeGreaterThanOrEqual(0.9);
    expect(found.filter(([a, b]) => a !== b)).toEqual([]);
    // What is recalled does not depend on how the pages' reads happened to interleave.
    const twice = createOcrMemory();
    const withMemoryAgain = await ingestPdf(file, bytes, { ocr: (img, n, dpi) => ocrPage(img, n, dpi, twice) });
    expect(withMemoryAgain.pages.map((p) => p.lines.map((l) => l.text))).toEqual(withMemory.pages.map((p) => p.lines.map((l) => l.text)));
    // And each is on the page whose cell it was given to, in the tokens the page returns.
    for (const { page, t } of recalled) expect(withMemory.pages[page - 1]!.lines.some((l) => l.tokens.some((x) => x.text === t.text && x.box === t.box))).toBe(true);
  }, 300_000);
});
