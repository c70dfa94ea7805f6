/**
 * A document's forms print the same labels again and again: a department's batch of self-evaluation
 * forms repeats 数量指标, 实际完成值 or 偏差原因分析及改进措施 on every form, a tenth of a clean scan's
 * text. A cell whose ink matches, pixel for pixel, a label read earlier in the same document is
 * given that reading instead of being read again.
 *
 * Only labels are remembered: CJK text of two or more glyphs, read with confidence. Figures are
 * never recalled, since two figures can differ by a few pixels (1.30 and 1.50). CJK labels differ
 * by whole strokes. The closest different labels measured on the sample scans, 一级指标 and 二级指标,
 * are 16 pixels apart. The same label printed twice is a median of 2 pixels apart, and 4 at the
 * 90th percentile, on a 200-dpi gray scan.
 * A photocopy's speckle puts its repeats further apart than MAX_DISTANCE: they are read again, as
 * without a memory.
 *
 * The recall is deterministic, whatever the timing and the number of cores. The k-th page read
 * recalls only what the pages read two or more turns before it remembered, and waits for them:
 * the page before it is read at the same time. More pages than two are not read at once within one
 * document (a batch reads documents side by side instead).
 */
import { DARK, type GrayImage, type PixelBox } from './image.js';
import { nearLexiconWord } from './ocr-lexicon.js';
import type { Token } from './types.js';

/** The ink of a crop: the dark pixels within their bounding box (page coordinates x0, y0). */
export interface InkMask {
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** 1 where the pixel is ink, row by row. */
  ink: Uint8Array;
  /**
   * The ink grown by one pixel each way: the tolerance a blur or a half-pixel shift needs. One
   * pixel larger than the mask on every side: (width + 2) × (height + 2), the mask's (0, 0) at (1, 1).
   */
  grown: Uint8Array;
  count: number;
}

/** A label read on an earlier page: its ink, and its tokens with boxes relative to the ink's corner. */
export interface Remembered {
  mask: InkMask;
  tokens: Token[];
}

/** One page's turn in the document's memory. */
export interface MemoryTurn {
  /** What the pages read two or more turns before this one remembered (waits for them). */
  recall(): Promise<readonly Remembered[]>;
  /** This page's labels. Only the first call counts; a page that has none still calls it. */
  remember(entries: Remembered[]): void;
  /** Notes the labels page `page` took from the memory instead of reading them. */
  recalled(page: number, tokens: Token[]): void;
}

export interface OcrMemory {
  /** The next page's turn, in the order pages are handed to OCR. */
  turn(): MemoryTurn;
  /** The labels taken from the memory, for each page as it is read (tests and diagnostics). */
  readonly recalls: { page: number; tokens: Token[] }[];
}

/** What a remembered label reads: its lines' texts. */
const labelText = (r: Remembered): string => r.tokens.map((t) => t.text).join('\n');

/** Pages read at the same time as this one (the one before it) are not waited for. */
const LAG = 2;

/** Printings kept per label (its cells differ in size from one part of a form to another). */
const PER_LABEL = 4;

/** Ink kept per document (pixels of the masks): a bound on memory and on the search, whatever the document's length. */
const MAX_KEPT_PIXELS = 8e6;

/**
 * A document's memory. Each page's labels are folded in in turn order, whatever order the pages
 * finish in, and a page sees the memory as it stood after the turn two before its own: what it
 * recalls does not depend on timing.
 */
export function createOcrMemory(): OcrMemory {
  const kept: Remembered[] = [];
  let keptPixels = 0;
  const perLabel = new Map<string, number>();
  /** kept.length once turn k is folded in. */
  const keptAfter: Promise<number>[] = [];
  const recalls: { page: number; tokens: Token[] }[] = [];
  const fold = (entries: Remembered[]): number => {
    for (const e of entries) {
      const label = labelText(e);
      const n = perLabel.get(label) ?? 0;
      const pixels = e.mask.width * e.mask.height;
      if (n >= PER_LABEL || keptPixels + pixels > MAX_KEPT_PIXELS) continue;
      perLabel.set(label, n + 1);
      keptPixels += pixels;
      kept.push(e);
    }
    return kept.length;
  };
  return {
    recalls,
    turn() {
      const k = keptAfter.length;
      // A promise settles once: a second remember() is ignored.
      let settle: (entries: Remembered[]) => void = () => undefined;
      const entries = new Promise<Remembered[]>((resolve) => (settle = resolve));
      keptAfter.push((keptAfter[k - 1] ?? Promise.resolve(0)).then(() => entries).then(fold));
      return {
        recall: async () => (k >= LAG ? kept.slice(0, await keptAfter[k - LAG]!) : []),
        remember: (es) => settle(es),
        recalled(page, tokens) {
          if (tokens.length) recalls.push({ page, tokens });
        },
      };
    },
  };
}

/** The ink in `box` of the page, cut to its bounding box; null when the box holds none. */
export function inkMask(img: GrayImage, box: PixelBox): InkMask | null {
  let [x0, y0, x1, y1] = [box.x1, box.y1, box.x0 - 1, box.y0 - 1];
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * img.width;
    for (let x = box.x0; x < box.x1; x++) {
      if (img.data[row + x]! >= DARK) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < x0) return null;
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const ink = new Uint8Array(width * height);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const row = (y0 + y) * img.width + x0;
    for (let x = 0; x < width; x++) {
      if (img.data[row + x]! >= DARK) continue;
      ink[y * width + x] = 1;
      count++;
    }
  }
  return { x0, y0, width, height, ink, grown: grow(ink, width, height), count };
}

/** The mask dilated by one pixel (3 × 3), on a canvas one pixel larger on every side. */
function grow(ink: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width + 2;
  const out = new Uint8Array(stride * (height + 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!ink[y * width + x]) continue;
      for (let dy = 0; dy <= 2; dy++) out.fill(1, (y + dy) * stride + x, (y + dy) * stride + x + 3);
    }
  }
  return out;
}

/** Whether the grown ink of `m` covers its pixel (x, y), in mask coordinates (−1 … width). */
function covered(m: InkMask, x: number, y: number): boolean {
  return x >= -1 && y >= -1 && x <= m.width && y <= m.height && m.grown[(y + 1) * (m.width + 2) + x + 1] === 1;
}

/** Masks whose sizes differ by more than this many pixels (at 200 dpi) are different text. */
const SIZE_SLACK = 2;

/** The window (pixels, at 200 dpi) in which unmatched ink is counted: about half a glyph. */
const WINDOW = 16;

/** The nine one-pixel shifts of one mask against the other, no shift first (where most matches are). */
const SHIFTS: readonly (readonly [number, number])[] = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [-1, -1], [1, -1], [-1, 1], [1, 1]];

/**
 * How far apart two masks are: the unmatched ink (ink of one with no ink of the other within a
 * pixel) in the worst window × window square, at the best of the nine one-pixel shifts of one
 * against the other. Counting in a window, not over the whole mask, keeps one missing stroke (一
 * against 二) from drowning in a long label. Infinity when their sizes differ by more than
 * `slack`. With a finite `limit` the search stops early: a shift is given up as soon as one window
 * exceeds the limit, and the first shift within it gives the answer. The answer is then above the
 * limit exactly when the distance is, and otherwise no more than the limit.
 */
export function inkDistance(a: InkMask, b: InkMask, window = WINDOW, limit = Infinity, slack = SIZE_SLACK): number {
  if (Math.abs(a.width - b.width) > slack || Math.abs(a.height - b.height) > slack) return Infinity;
  const width = Math.max(a.width, b.width) + 2;
  const height = Math.max(a.height, b.height) + 2;
  const wx = Math.min(window, width);
  const wy = Math.min(window, height);
  const stride = width + 1;
  const sums = new Int32Array(stride * (height + 1));
  let best = Infinity;
  for (const [sx, sy] of SHIFTS) {
    // a sits at (1, 1) of the canvas, b at (1 + sx, 1 + sy).
    let worst = 0;
    for (let y = 0; y < height && worst <= limit; y++) {
      let run = 0;
      const ay = y - 1;
      const by = y - 1 - sy;
      const rowA = ay >= 0 && ay < a.height;
      const rowB = by >= 0 && by < b.height;
      for (let x = 0; x < width; x++) {
        const ax = x - 1;
        const bx = x - 1 - sx;
        const inA = rowA && ax >= 0 && ax < a.width;
        const inB = rowB && bx >= 0 && bx < b.width;
        const aInk = inA && a.ink[ay * a.width + ax] === 1;
        const bInk = inB && b.ink[by * b.width + bx] === 1;
        if ((aInk && !covered(b, bx, by)) || (bInk && !covered(a, ax, ay))) run++;
        sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1]! + run;
      }
      // The windows whose bottom row is this one.
      const y1 = y + 1;
      if (y1 < wy) continue;
      for (let x1 = wx; x1 <= width; x1++) {
        const s = sums[y1 * stride + x1]! - sums[(y1 - wy) * stride + x1]! - sums[y1 * stride + x1 - wx]! + sums[(y1 - wy) * stride + x1 - wx]!;
        if (s > worst) worst = s;
      }
    }
    if (worst < best) best = worst;
    if (best <= limit && limit !== Infinity) return best;
  }
  return best;
}

/**
 * The most unmatched ink (pixels, at 200 dpi, in one window) between two printings of one label.
 * Well under the 16 pixels between 一级指标 and 二级指标.
 */
const MAX_DISTANCE = 6;

/** How sure the reading of a label must be for the label to be remembered. */
const SURE_LABEL = 0.9;

/** A label: CJK glyphs (two or more) and the punctuation of a form's heads. */
const LABEL = /^(?=(?:[^\p{Script=Han}]*\p{Script=Han}){2})[\p{Script=Han}（）()：:、，]+$/u;

/** Lines and glyphs of a label: a cell of running text (a goal, a reason) is not a label printed again. */
const MAX_LABEL_LINES = 2;
const MAX_LABEL_GLYPHS = 24;

/**
 * The tokens of a cell, when they are all labels read with confidence: what a later page may
 * recall. A reading one glyph off a lexicon word (数最指标 for 数量指标) is a confident misread,
 * not passed on to the cells that print the label again.
 */
export function rememberable(mask: InkMask | null, tokens: Token[]): Remembered | null {
  const label = (t: Token): boolean => t.box !== undefined && LABEL.test(t.text) && (t.confidence ?? 0) >= SURE_LABEL && !nearLexiconWord(t.text);
  if (!mask || tokens.length === 0 || tokens.length > MAX_LABEL_LINES || !tokens.every(label)) return null;
  if (tokens.reduce((n, t) => n + Array.from(t.text).length, 0) > MAX_LABEL_GLYPHS) return null;
  return { mask, tokens: tokens.map((t) => ({ ...t, box: { ...t.box!, x: t.box!.x - mask.x0, y: t.box!.y - mask.y0 } })) };
}

/**
 * The reading of the remembered label whose ink is closest to `mask`, if within MAX_DISTANCE
 * (scaled to the page's resolution), placed at the mask's ink; null when none is, or when labels
 * of different text are both within reach (the ink does not say which it prints).
 */
export function recallLabel(seen: readonly Remembered[], mask: InkMask, dpi: number): Token[] | null {
  const scale = dpi / 200;
  const window = Math.max(4, Math.round(WINDOW * scale));
  const slack = Math.max(1, Math.round(SIZE_SLACK * scale));
  const limit = MAX_DISTANCE * scale * scale;
  let best: Remembered | null = null;
  let bestDistance = Infinity;
  for (const r of seen) {
    if (Math.abs(r.mask.count - mask.count) > 0.15 * Math.max(r.mask.count, mask.count)) continue;
    const d = inkDistance(r.mask, mask, window, limit, slack);
    if (d > limit) continue;
    if (best && labelText(best) !== labelText(r)) return null;
    if (d < bestDistance) [best, bestDistance] = [r, d];
  }
  return (
    best?.tokens.map((t) => {
      const box = { ...t.box!, x: t.box!.x + mask.x0, y: t.box!.y + mask.y0 };
      return { ...t, box, x: box.x / box.h, width: box.w / box.h };
    }) ?? null
  );
}
