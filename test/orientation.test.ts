import { afterAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { bestTurn, hanSureness, probeWindow, suspectTurned, turnImage } from '../src/ingest/orientation.js';
import { closePipeline, processFile } from '../src/pipeline.js';
import type { Line } from '../src/ingest/types.js';

afterAll(closePipeline);

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

describe('a scan whose sheets were laid on the glass turned (real tesseract.js)', () => {
  // The declaration's gray scan with its sheets turned a quarter clockwise, a half and a quarter
  // anticlockwise (eval/make-holdout-samples.py turned; scan-gray200 is the same scan upright).
  it('reads each page turned upright, finds every form and says how each page was turned', async () => {
    const result = await processFile('samples/holdout/sh-sibao-2022-target-declaration.scan-turned.pdf');
    expect(result.errors).toEqual([]);
    expect(result.records.map((r) => r.projectName)).toEqual(['办公房及附属设施维修专项', '社会保险服务费', '社会保险经办业务费']);
    expect(result.pages?.map((p) => p.turned)).toEqual([270, 180, 90]);
    // each page's frame is its turned image's: portrait
    for (const p of result.pages ?? []) expect(p.width! < p.height!).toBe(true);
  }, 180_000);
});
