/**
 * Which way up a scanned page stands. A scanner takes a landscape table on its side, or a sheet fed
 * upside down, as readily as one upright; tesseract reads a turned page as confident garbage and no
 * form is found in it. Measured on a declaration's five pages turned a quarter and a half turn: the
 * share of Chinese glyphs read at 0.8 or more fell from 0.99–1.00 to 0.59–0.71, while upright
 * photocopies and binarised scans of the samples keep 0.89 and more. So a page whose reading has
 * too few sure glyphs is suspected turned; a sample of it is read in the four turns (probeWindow),
 * and the page is read again in the turn whose sample reads surest, if that is clearly surer.
 * Pixel cues were tried and set aside: the sharpness of the ink's row profile against its column
 * profile (Chinese print is a grid of square glyphs: a page of prose had a sharper column profile
 * upright), and where marks sit in their line (a table of figures and names has almost none).
 */
import { DARK, type GrayImage, type PixelBox } from './image.js';
import type { Token } from './types.js';

/** A page's turn, clockwise, in degrees. */
export type Turn = 0 | 90 | 180 | 270;

export const TURNS: readonly Turn[] = [0, 90, 180, 270];

/** The image turned clockwise by `turn` degrees, pixel for pixel. */
export function turnImage(img: GrayImage, turn: Turn): GrayImage {
  if (turn === 0) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  if (turn === 180) {
    for (let i = 0, n = w * h; i < n; i++) out[n - 1 - i] = data[i]!;
    return { width: w, height: h, data: out };
  }
  // A quarter turn: the turned image is h wide and w high. Clockwise (90), the source's pixel (x, y)
  // goes to column h-1-y of row x; anticlockwise (270), to column y of row w-1-x.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    if (turn === 90) for (let x = 0; x < w; x++) out[x * h + (h - 1 - y)] = data[row + x]!;
    else for (let x = 0; x < w; x++) out[(w - 1 - x) * h + y] = data[row + x]!;
  }
  return { width: h, height: w, data: out };
}

/** Confidence (0–1) at or above which a glyph counts as read surely. */
const SURE_GLYPH = 0.8;
/** Below this share of Chinese glyphs read surely, a page is suspected turned. */
const SURE_SHARE = 0.8;
/** Fewer Chinese glyphs than this say nothing of a page's turn (a page of figures, a blank). */
const MIN_GLYPHS = 30;

const HAN = /^\p{Script=Han}$/u;

/**
 * The Chinese glyphs of a reading, and how many of them were read at `sureAt` or more. A glyph
 * without a confidence was not read by OCR (a mark told by its shape) and counts as sure.
 */
export function hanSureness(tokens: readonly Pick<Token, 'text' | 'confidence' | 'glyphConfidence'>[], sureAt = SURE_GLYPH): { glyphs: number; sure: number } {
  let glyphs = 0;
  let sure = 0;
  for (const t of tokens) {
    Array.from(t.text).forEach((c, i) => {
      if (!HAN.test(c)) return;
      glyphs++;
      if ((t.glyphConfidence?.[i] ?? t.confidence ?? 1) >= sureAt) sure++;
    });
  }
  return { glyphs, sure };
}

/** The share of a reading's Chinese glyphs read surely (0 with none). */
export function sureShare(tokens: readonly Token[]): number {
  const { glyphs, sure } = hanSureness(tokens);
  return glyphs ? sure / glyphs : 0;
}

/** Whether a reading looks like a turned page's: enough Chinese glyphs, too few of them sure. */
export function suspectTurned(tokens: readonly Token[]): boolean {
  const { glyphs, sure } = hanSureness(tokens);
  return glyphs >= MIN_GLYPHS && sure < SURE_SHARE * glyphs;
}

/** The sample window's side, as a share of the page's shorter side: at 200 dpi on A4 some 15 glyphs by 10 lines of prose. */
const WINDOW = 0.3;
/**
 * Ink in a run along a row longer than this (points) is not text: a rule, a photocopy's dark edge,
 * a seal or a picture. A glyph's strokes run a glyph's width at most (a title's 18 points).
 */
const TEXT_RUN = 18;
/** The page's edges (this share of each side) are left out: a scanner's shadow, a punched hole. */
const EDGE = 0.03;

/**
 * The window of a page to read in each turn: the square of WINDOW of its shorter side holding the
 * most text ink (in runs no longer than TEXT_RUN), on a grid of quarter windows, leaving out the edges.
 */
export function probeWindow(img: GrayImage, pxPerPoint: number): PixelBox {
  const side = Math.max(1, Math.round(WINDOW * Math.min(img.width, img.height)));
  const cell = Math.max(1, Math.floor(side / 4));
  const [x0, y0] = [Math.floor(EDGE * img.width), Math.floor(EDGE * img.height)];
  const cols = Math.max(1, Math.floor((img.width - 2 * x0) / cell));
  const rows = Math.max(1, Math.floor((img.height - 2 * y0) / cell));
  const longest = TEXT_RUN * pxPerPoint;
  const ink = new Float64Array(cols * rows);
  for (let y = y0; y < Math.min(img.height, y0 + rows * cell); y++) {
    const at = y * img.width;
    const r = Math.floor((y - y0) / cell);
    const xe = Math.min(img.width, x0 + cols * cell);
    for (let x = x0; x < xe; ) {
      if (img.data[at + x]! >= DARK) {
        x++;
        continue;
      }
      const start = x;
      while (x < xe && img.data[at + x]! < DARK) x++;
      if (x - start <= longest) ink[r * cols + Math.floor((start - x0) / cell)]! += x - start;
    }
  }
  const span = Math.min(4, cols, rows);
  let best = { r: 0, c: 0, ink: -1 };
  for (let r = 0; r + span <= rows; r++) {
    for (let c = 0; c + span <= cols; c++) {
      let n = 0;
      for (let i = 0; i < span; i++) for (let j = 0; j < span; j++) n += ink[(r + i) * cols + c + j]!;
      if (n > best.ink) best = { r, c, ink: n };
    }
  }
  const bx = x0 + best.c * cell;
  const by = y0 + best.r * cell;
  return { x0: bx, y0: by, x1: Math.min(img.width, bx + span * cell), y1: Math.min(img.height, by + span * cell) };
}

/**
 * At or above this confidence a glyph of the sample counts. Tesseract reads a turned sample with
 * glyphs of 0.8 and 0.9 too (90–147 of 123–155 at 0.8 on a page turned a quarter), seldom at 0.95
 * (2–16 of 94–232, against 89–224 of 94–232 upright): a turned sample must beat the page as it
 * stands by more than that.
 */
export const PROBE_SURE = 0.95;
/** How many times as many glyphs read at PROBE_SURE a turned sample must have as the page as it stands, and how many more, for the page to be turned. */
const TURN_GAIN = 3;
const TURN_MARGIN = 20;

/**
 * The turn to read the page in, from its sample's sure glyphs in each turn (`sure[k]` for
 * TURNS[k]): the surest, if it is clearly surer than the page as it stands; else 0.
 */
export function bestTurn(sure: readonly number[]): Turn {
  let k = 0;
  sure.forEach((n, i) => {
    if (n > sure[k]!) k = i;
  });
  return k > 0 && sure[k]! >= TURN_GAIN * sure[0]! + TURN_MARGIN ? TURNS[k]! : 0;
}
