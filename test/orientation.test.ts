import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { createOcrMemory } from '../src/ingest/ocr-memory.js';
import { ocrPage } from '../src/ingest/ocr.js';
import { bestTurn, hanSureness, probeWindow, suspectTurned, turnImage } from '../src/ingest/orientation.js';
import { ingestPdf } from '../src/ingest/pdf.js';
import type { Token } from '../src/ingest/types.js';
import { closePipeline } from '../src/pipeline.js';
import { segmentForms } from '../src/segment/forms.js';

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

const token = (text: string, glyphConfidence: number[]): Token => ({ text, x: 0, width: text.length, confidence: 0.9, glyphConfidence });

describe('a reading that looks like a turned page’s', () => {
  const text = '一级指标二级指标三级指标年度指标值实际完'; // 20 glyphs
  const lines = (sure: number, n = 2): Token[] => Array.from({ length: n }, () => token(text, Array.from(text, (_, i) => (i < sure ? 0.97 : 0.6))));
  it('counts the Chinese glyphs read at 0.8 or more', () => {
    expect(hanSureness([token('100.00(%)优', [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9])])).toEqual({ glyphs: 1, sure: 1 });
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
    expect(bestTurn([0, 21, 0, 0])).toBe(90);
  });
  it('is not taken when the page as it stands reads about as well, or nothing reads', () => {
    expect(bestTurn([60, 10, 150, 5])).toBe(0); // under three times as many
    expect(bestTurn([0, 19, 0, 0])).toBe(0); // no more than a turned sample may read at 0.95
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
  it('reads each page turned upright, and remembers no label of a page first read turned', async () => {
    const file = 'samples/holdout/sh-sibao-2022-target-declaration.scan-turned.pdf';
    const memory = createOcrMemory();
    const doc = await ingestPdf(file, readFileSync(file), { ocr: (img, n, dpi) => ocrPage(img, n, dpi, memory) });
    expect(doc.pages.map((p) => p.turned)).toEqual([270, 180, 90]);
    // each page's frame is its turned image's: portrait
    for (const p of doc.pages) expect(p.width! < p.height!).toBe(true);
    const forms = segmentForms(doc);
    expect(forms.map((f) => f.docType)).toEqual(['target_declaration', 'target_declaration', 'target_declaration']);
    const text = doc.pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
    for (const label of ['项目名称', '一级指标', '养老金按时足额发放', '项目实施贯穿整个年度']) expect(text).toContain(label);
    // Every page was first read on its side or upside down: nothing for the next pages to recall.
    expect(await memory.turn().recall()).toEqual([]);
  }, 180_000);

  it('leaves a page scanned upright as it is', async () => {
    const file = 'samples/holdout/sh-sibao-2022-target-declaration.scan-gray200.pdf';
    const blank = (width: number, height: number, n: number) => ({ number: n, lines: [], rules: [], width, height });
    const doc = await ingestPdf(file, readFileSync(file), { ocr: (img, n, dpi) => (n === 3 ? ocrPage(img, n, dpi) : Promise.resolve(blank(img.width, img.height, n))) });
    expect(doc.pages[2]!.turned).toBeUndefined();
    expect(doc.pages[2]!.lines.map((l) => l.text).join('\n')).toContain('项目实施贯穿整个年度');
  }, 60_000);
});
