import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { ocrPage, shutdownOcr } from '../src/ingest/ocr.js';
import { bestTurn, hanSureness, probeWindow, suspectTurned, turnImage } from '../src/ingest/orientation.js';
import { ingestPdf } from '../src/ingest/pdf.js';
import type { Line } from '../src/ingest/types.js';

afterAll(shutdownOcr);

/** A 3 × 2 image whose pixels are 0…5, row by row. */
const tiny = (): GrayImage => ({ width: 3, height: 2, data: Uint8Array.from([0, 1, 2, 3, 4, 5]) });

describe('turning a page image', () => {
  it('turns clockwise a quarter: the left column becomes the top row, read bottom to top', () => {
    const t = turnImage(tiny(), 90);
    expect([t.width, t.height]).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([3, 0, 4, 1, 5, 2]);
  });
  it('turns anticlockwise a quarter (270) and upside down (180)', () => {
    const a = turnImage(tiny(), 270);
    expect([a.width, a.height]).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([2, 5, 1, 4, 0, 3]);
    expect(Array.from(turnImage(tiny(), 180).data)).toEqual([5, 4, 3, 2, 1, 0]);
  });
  it('comes back to the page after a full turn', () => {
    const img = tiny();
    expect(turnImage(turnImage(img, 90), 270)).toEqual(img);
    expect(turnImage(turnImage(turnImage(img, 90), 90), 180)).toEqual(img);
  });
});

const line = (text: string, glyphConfidence: number[]): Line => ({ page: 1, lineNo: 1, tokens: [{ text, x: 0, width: text.length, confidence: 0.9, glyphConfidence }], text, cells: false, gapBefore: 0 });

describe('a reading that looks like a turned page’s', () => {
  const text = '一级指标二级指标三级指标年度指标值实际完'; // 20 glyphs
  const lines = (sure: number, n = 2): Line[] => Array.from({ length: n }, () => line(text, Array.from(text, (_, i) => (i < sure ? 0.97 : 0.6))));
  it('counts the Chinese glyphs read at 0.8 or more', () => {
    expect(hanSureness([line('100.00(%)优', [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9])])).toEqual({ glyphs: 1, sure: 1 });
    expect(hanSureness(lines(15))).toEqual({ glyphs: 40, sure: 30 });
  });
  it('is suspected with under 0.8 of its glyphs sure, and enough glyphs to tell', () => {
    expect(suspectTurned(lines(15))).toBe(true); // 0.75
    expect(suspectTurned(lines(16))).toBe(false); // 0.8
    expect(suspectTurned(lines(0, 1))).toBe(false); // 20 glyphs say nothing
  });
});

describe('the turn a sample reads surest in', () => {
  it('is taken when clearly surer than the page as it stands', () => {
    expect(bestTurn([4, 2, 3, 150])).toBe(270);
    expect(bestTurn([12, 5, 200, 9])).toBe(180);
    expect(bestTurn([0, 11, 0, 0])).toBe(90);
  });
  it('is not taken when the page as it stands reads about as well, or nothing reads', () => {
    expect(bestTurn([60, 10, 150, 5])).toBe(0); // under three times as many
    expect(bestTurn([0, 9, 0, 0])).toBe(0); // too few to tell
    expect(bestTurn([0, 0, 0, 0])).toBe(0);
  });
});

describe('the sample window', () => {
  it('lies on the densest text, not on a photocopy’s dark edge', () => {
    const width = 1000;
    const height = 1400;
    const data = new Uint8Array(width * height).fill(255);
    // a black band down the left edge, beyond the edge margin, and a rule across the page
    for (let y = 0; y < height; y++) for (let x = 40; x < 120; x++) data[y * width + x] = 0;
    for (let y = 500; y < 504; y++) for (let x = 40; x < 960; x++) data[y * width + x] = 0;
    // "text": short strokes in a block at (600–900, 900–1200); a sparser block at the top
    for (let y = 900; y < 1200; y += 12) for (let x = 600; x < 900; x += 10) for (let k = 0; k < 6; k++) data[(y + 2) * width + x + k] = 0;
    for (let y = 100; y < 300; y += 30) for (let x = 300; x < 700; x += 40) data[y * width + x] = 0;
    const w = probeWindow({ width, height, data }, 200 / 72);
    expect(w.x1 - w.x0).toBe(w.y1 - w.y0);
    expect(w.x0).toBeGreaterThanOrEqual(500);
    expect(w.y0).toBeGreaterThanOrEqual(800);
    expect(w.x0).toBeLessThanOrEqual(650);
    expect(w.y0).toBeLessThanOrEqual(950);
  });
});

describe('pages scanned turned (real tesseract.js)', () => {
  // The declaration's scan with its sheets laid on the glass a quarter turn clockwise, upside down
  // and a quarter turn anticlockwise (eval/make-holdout-samples.py turned).
  const file = 'samples/holdout/sh-sibao-2022-target-declaration.scan-turned.pdf';
  const blank = (width: number, height: number, n: number) => ({ number: n, lines: [], rules: [], width, height });
  it.each([
    [2, 180, ['一级指标', '养老金按时足额发放']],
    [3, 90, ['一级指标', '项目实施贯穿整个年度']],
  ])('reads page %i turned by %i degrees', async (n, turned, labels) => {
    const doc = await ingestPdf(file, readFileSync(file), { ocr: (img, k, dpi) => (k === n ? ocrPage(img, k, dpi) : Promise.resolve(blank(img.width, img.height, k))) });
    const page = doc.pages[n - 1]!;
    expect(page.turned).toBe(turned);
    const text = page.lines.map((l) => l.text).join('\n');
    for (const label of labels) expect(text).toContain(label);
    // the page's shape is the turned image's
    expect(page.width! < page.height!).toBe(true);
  }, 120_000);
});
