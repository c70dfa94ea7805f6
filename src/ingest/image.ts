/**
 * Pure functions on 8-bit gray page images: skew estimation and correction, table-rule
 * detection, and a cheap encoding (PGM) that tesseract's Leptonica reads without PNG's cost.
 */
import type { Rule } from './types.js';

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black, row-major. */
  data: Uint8Array;
}

/** The resolution page images are made and read at: the OCR's thresholds and tesseract are tuned for it. */
export const OCR_DPI = 200;

/**
 * How much redder than green and blue a pixel must be to be a seal's ink: an official seal (公章)
 * stamped in red over a form's last rows. Its red is as dark as print by luminance (a red of
 * 215/35/40 is 80 of 255), and tesseract read the cells under it as garbage (a sample scan with a
 * seal over each form's last rows: 33 fields wrong, 22 made up). Not less: the chroma noise of a
 * colour scan of black print (the photocopy samples' gray JPEGs) reaches 25, and its pixels would
 * be lightened at random; a seal's edges, paler from JPEG's halved colour, pass 60 as well.
 */
const SEAL_RED = 60;
/**
 * A seal's ink passes red light as paper does, save a little (a red of 215): its red channel,
 * brightened by 255/215 (in 256ths), is the page without it. Print under the seal stays dark in red.
 */
const SEAL_LIFT = 304;

/** A pixel's gray: its luminance, or for a seal's red ink its red brightened, paper to the reader. */
function grayOf(r: number, g: number, b: number): number {
  return r - Math.max(g, b) > SEAL_RED ? Math.min(255, (r * SEAL_LIFT) >> 8) : (r * 77 + g * 150 + b * 29) >> 8;
}

export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    // A pixel a word (R in its low byte on a little-endian host): a third less time than byte by byte.
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, data.length);
    for (let j = 0; j < data.length; j++) {
      const v = px[j]!;
      data[j] = grayOf(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff);
    }
    return { width, height, data };
  }
  for (let i = 0, j = 0; j < data.length; i += 4, j++) {
    data[j] = grayOf(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!);
  }
  return { width, height, data };
}

/** One output sample as a weighted sum of source samples: weights sum to 1. */
interface Taps {
  from: number;
  weights: number[];
}

/** 1-D resampling taps from `src` to `dst` samples: area averaging when shrinking, linear when enlarging. */
function taps(src: number, dst: number): Taps[] {
  const s = src / dst;
  const out: Taps[] = [];
  for (let i = 0; i < dst; i++) {
    if (s >= 1) {
      const a = i * s;
      const b = Math.min(src, a + s);
      const from = Math.floor(a);
      const weights: number[] = [];
      for (let k = from; k < Math.ceil(b); k++) weights.push((Math.min(b, k + 1) - Math.max(a, k)) / (b - a));
      out.push({ from, weights });
    } else {
      const c = Math.min(src - 1, Math.max(0, (i + 0.5) * s - 0.5));
      const from = Math.min(src - 1, Math.floor(c));
      const t = c - from;
      out.push(from + 1 < src && t > 0 ? { from, weights: [1 - t, t] } : { from, weights: [1] });
    }
  }
  return out;
}

/** The image resampled to width × height: area averaging when shrinking (a 300-dpi scan to 200), linear when enlarging. */
export function resample(img: GrayImage, width: number, height: number): GrayImage {
  if (width === img.width && height === img.height) return img;
  const xs = taps(img.width, width);
  const ys = taps(img.height, height);
  // Rows first, into floats, then columns.
  const mid = new Float32Array(width * img.height);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < width; x++) {
      const { from, weights } = xs[x]!;
      let v = 0;
      for (let k = 0; k < weights.length; k++) v += weights[k]! * img.data[row + from + k]!;
      mid[y * width + x] = v;
    }
  }
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const { from, weights } = ys[y]!;
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = 0; k < weights.length; k++) v += weights[k]! * mid[(from + k) * width + x]!;
      data[y * width + x] = Math.round(v);
    }
  }
  return { width, height, data };
}

/** Darker than this (0–255) is ink. */
export const DARK = 140;

/**
 * Pixels: a dark pixel with ink SOLID and 2 × SOLID pixels above it (or below), and 2 × SOLID pixels
 * to both sides of it and of the first of those, lies in a dark block at least 2 × SOLID high and
 * 4 × SOLID wide, not on a rule (2 to 4 pixels thick at 200 dpi) or a glyph's stroke.
 */
const SOLID = 5;

/**
 * Skew in degrees (−maxDeg…maxDeg) that makes dark pixels line up in rows best: table rules and
 * text lines give sharp row profiles when level. rotate(img, skew) straightens the page. A sheet
 * laid on the glass by hand is turned by several degrees (a declaration scanned 2.4–5.1° off read
 * no form while the search stopped at 2°); the wider search costs some 10 ms a page.
 */
export function estimateSkew(img: GrayImage, maxDeg = 6, stepDeg = 0.05): number {
  const { width, height, data } = img;
  // Sample dark pixels on every row (a row step would alias with the 0° bins) but a sparse set of
  // columns; not those inside a dark block (six points about them dark, SOLID), such as the shadow a
  // scanner's lid casts along the glass's edge: it lies level with the glass, not with the sheet,
  // and a band of it along the top outweighed the page's rules and lines (a page 1.2° off read as
  // level). Measured on the sample scans: their lid shadows along the sides are left out, and 0.1–1.5%
  // of the dark pixels inside the page (where rules cross, bold strokes), the angle unchanged on each.
  const dark = (x: number, y: number): boolean => shade(img, true, y, x) < DARK;
  const block = (x: number, y: number, s: number): boolean =>
    dark(x, y + SOLID * s) && dark(x, y + 2 * SOLID * s) && dark(x - 2 * SOLID, y + SOLID * s) && dark(x + 2 * SOLID, y + SOLID * s);
  const region = (x: number, y: number): boolean => dark(x - 2 * SOLID, y) && dark(x + 2 * SOLID, y) && (block(x, y, -1) || block(x, y, 1));
  // One pass (the block test costs more than the sampling did): the places taken, then their coordinates.
  const taken: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x += 4) if (data[y * width + x]! < DARK && !region(x, y)) taken.push(y * width + x);
  const n = taken.length;
  if (n < 100) return 0;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [x, y] = [taken[k]! % width, Math.floor(taken[k]! / width)];
    px[k] = x - width / 2;
    py[k] = y + width + 0.5; // offset so every bin index is positive; +0.5 so truncation rounds
  }
  const bins = new Int32Array(height + 2 * width + 1);
  const score = (d: number): number => {
    const t = Math.tan((d * Math.PI) / 180);
    bins.fill(0);
    for (let k = 0; k < n; k++) bins[(py[k]! - px[k]! * t) | 0]!++;
    let sum = 0;
    for (let b = 0; b < bins.length; b++) sum += bins[b]! * bins[b]!;
    return sum;
  };
  // Coarse steps first, then the fine steps within one coarse step of the best coarse angle: the
  // score has one peak near the true angle and falls away from it on both sides, so the best coarse
  // angle lies within a coarse step of the peak.
  const coarse = 5 * stepDeg;
  let best = 0;
  let bestScore = -1;
  const tryAngle = (d: number): void => {
    const v = score(d);
    if (v > bestScore) {
      bestScore = v;
      best = d;
    }
  };
  for (let d = -maxDeg; d <= maxDeg + 1e-9; d += coarse) tryAngle(d);
  const around = best;
  for (let k = -4; k <= 4; k++) {
    const d = around + k * stepDeg;
    if (k !== 0 && d >= -maxDeg - 1e-9 && d <= maxDeg + 1e-9) tryAngle(d);
  }
  return Math.round(best * 100) / 100;
}

/** Rotates about the centre by `deg` (nearest neighbour), filling with white. */
export function rotate(img: GrayImage, deg: number): GrayImage {
  if (Math.abs(deg) < 0.01) return img;
  const { width, height, data } = img;
  const out = new Uint8Array(width * height).fill(255);
  const r = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(r), Math.sin(r)];
  const [cx, cy] = [width / 2, height / 2];
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    // The source point moves by (c, s) per output pixel along the row; +0.5 and truncation round it
    // (truncation is the floor only from 0 up: below 0 the point is off the page anyway).
    let fx = cx - cx * c - dy * s + 0.5;
    let fy = cy - cx * s + dy * c + 0.5;
    const row = y * width;
    for (let x = 0; x < width; x++, fx += c, fy += s) {
      if (fx < 0 || fy < 0) continue;
      const sx = fx | 0;
      const sy = fy | 0;
      if (sx < width && sy < height) out[row + x] = data[sy * width + sx]!;
    }
  }
  return { width, height, data: out };
}

interface Run {
  a: number;
  b: number;
  at: number;
}

/** Rules are thin and, once blurred by a scan, light gray: a looser threshold than for ink. */
const RULE_DARK = 205;

/** Light pixels a run bridges along a row or column (a scan's dropouts in a rule). */
const RUN_GAP = 4;

/** Long dark runs along rows (horizontal) or columns (vertical), tolerating small breaks. */
function runs(img: GrayImage, horizontal: boolean, minLen: number, maxGap = RUN_GAP): Run[] {
  return horizontal ? rowRuns(img, minLen, maxGap) : columnRuns(img, minLen, maxGap);
}

/**
 * Whether any of a word's four pixels is darker than RULE_DARK: 255 − p > 50 for one of its bytes p
 * (a SWAR test: adding 127 − 50 to each byte of the complement sets a byte's top bit when it is
 * above 50, and a carry from a lower byte only ever comes from a byte that is).
 */
const anyRuleDark = (w: number): boolean => ((((~w >>> 0) + 0x4d4d4d4d) | ~w) & 0x80808080) !== 0;

/** The image's pixels four to a word, when its bytes start on a word boundary (byte order does not matter to anyRuleDark). */
function wordsOf(data: Uint8Array): Uint32Array | null {
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
}

/**
 * The first x from `x` (within the row starting at `row`) that may be dark: words of four light
 * pixels are passed over once x reaches a word boundary. Most of a page is white.
 */
function skipLight(words: Uint32Array | null, row: number, x: number, width: number): number {
  if (!words) return x;
  let i = row + x;
  if ((i & 3) !== 0) return x;
  while (x + 4 <= width && !anyRuleDark(words[i >> 2]!)) {
    x += 4;
    i += 4;
  }
  return x;
}

function rowRuns({ width, height, data }: GrayImage, minLen: number, maxGap: number): Run[] {
  const out: Run[] = [];
  const words = wordsOf(data);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = -1;
    let lastDark = -1;
    for (let x = 0; x <= width; x++) {
      if (start < 0) x = skipLight(words, row, x, width);
      if (x < width && data[row + x]! < RULE_DARK) {
        if (start < 0) start = x;
        lastDark = x;
      } else if (start >= 0 && x - lastDark > maxGap) {
        if (lastDark - start + 1 >= minLen) out.push({ a: start, b: lastDark, at: y });
        start = -1;
      }
    }
  }
  return out;
}

/**
 * The same down the columns, read row by row (a column walk misses the cache at every pixel): each
 * row's dark pixels open or extend their column's run, then the columns with a run open are
 * checked for its end. Runs still open at the bottom within maxGap of it are not kept, as along the rows.
 */
function columnRuns({ width, height, data }: GrayImage, minLen: number, maxGap: number): Run[] {
  const out: Run[] = [];
  const start = new Int32Array(width).fill(-1);
  const lastDark = new Int32Array(width).fill(-1);
  const open = new Int32Array(width);
  let opened = 0;
  const words = wordsOf(data);
  for (let y = 0; y <= height; y++) {
    const row = y * width;
    for (let x = y < height ? skipLight(words, row, 0, width) : width; x < width; x = skipLight(words, row, x + 1, width)) {
      if (data[row + x]! >= RULE_DARK) continue;
      if (start[x]! < 0) {
        start[x] = y;
        open[opened++] = x;
      }
      lastDark[x] = y;
    }
    let kept = 0;
    for (let j = 0; j < opened; j++) {
      const x = open[j]!;
      if (y - lastDark[x]! <= maxGap) open[kept++] = x;
      else {
        if (lastDark[x]! - start[x]! + 1 >= minLen) out.push({ a: start[x]!, b: lastDark[x]!, at: x });
        start[x] = -1;
      }
    }
    opened = kept;
  }
  return out;
}

/** How far (pixels) beyond a chain's outer rows its sides are looked at: past a rule's blur, near enough for glyphs beside it. */
const SIDE = 3;

/**
 * Merges runs into rules: runs on neighbouring rows/columns that overlap are one rule's thickness;
 * runs that follow each other end to end on (almost) the same row are one rule broken by the scan
 * (a binarised rule deskewed by a degree or two is a staircase of short runs with dropouts).
 * A chain joins pieces at most `join` apart and one row up or down from its last piece; its ends
 * then reach over shorter pieces beside them (reachEnd), at most `piece`, the least length of a run.
 */
function mergeRuns(img: GrayImage, rs: Run[], horizontal: boolean, minLen: number, join: number, piece: number): Rule[] {
  rs.sort((p, q) => p.a - q.a || p.at - q.at);
  type Group = { a: number; b: number; lo: number; hi: number; last: number };
  const groups: Group[] = [];
  const open: Group[] = [];
  for (const r of rs) {
    // Groups whose end lies more than `join` before this run can take nothing more.
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.b + join < r.a) open.splice(k, 1);
    const g = open.find((x) => r.at >= x.lo - 1 && r.at <= x.hi + 1 && Math.abs(r.at - x.last) <= 1 + (r.a <= x.b ? 1 : 0));
    if (g) {
      if (r.b >= g.b) g.last = r.at;
      g.b = Math.max(g.b, r.b);
      g.lo = Math.min(g.lo, r.at);
      g.hi = Math.max(g.hi, r.at);
    } else {
      const n = { a: r.a, b: r.b, lo: r.at, hi: r.at, last: r.at };
      groups.push(n);
      open.push(n);
    }
  }
  // A chain of text strokes has glyphs along it: ink just beyond one edge or the other over much
  // of its length, where a rule has white (but for crossing rules and text touching it). A side
  // inked all along is a parallel rule (a double border), not glyphs.
  const glyphSided = (g: Group): boolean => {
    let before = 0;
    let after = 0;
    let either = 0;
    for (let i = g.a; i <= g.b; i++) {
      const p = dark(img, horizontal, g.lo - SIDE, i);
      const q = dark(img, horizontal, g.hi + SIDE, i);
      if (p) before++;
      if (q) after++;
      if (p || q) either++;
    }
    const len = g.b - g.a + 1;
    const sides = [before, after].filter((n) => n < 0.9 * len);
    const inked = sides.length === 2 ? either : Math.max(0, ...sides);
    return inked > 0.25 * len;
  };
  // Ink on both sides all along, on average less than SHADE_CONTRAST lighter than the run's middle
  // line: inside a dark region (the shadow a scanner's lid casts along the glass's edge, its
  // gradient and noise broken into runs), not a rule. (Cells shaded darker than RULE_DARK lose their
  // rules before this: the shade's own runs chain with the rule's into a group wider than 8 rows.
  // The middle line of a triple border, 3 pixels from each outer one, is no longer taken.)
  const inDarkRegion = (g: Group): boolean => {
    let both = 0;
    let [run, sides] = [0, 0];
    const mid = Math.round((g.lo + g.hi) / 2);
    for (let i = g.a; i <= g.b; i++) {
      if (!dark(img, horizontal, g.lo - SIDE, i) || !dark(img, horizontal, g.hi + SIDE, i)) continue;
      both++;
      run += shade(img, horizontal, mid, i);
      sides += (shade(img, horizontal, g.lo - SIDE, i) + shade(img, horizontal, g.hi + SIDE, i)) / 2;
    }
    return both >= 0.9 * (g.b - g.a + 1) && sides - run < SHADE_CONTRAST * both;
  };
  return groups
    .filter((g) => g.b - g.a + 1 >= minLen && g.hi - g.lo <= 8 && !glyphSided(g) && !inDarkRegion(g))
    .map((g) => ({ ...g, a: reachEnd(img, horizontal, g, g.a, -1, piece), b: reachEnd(img, horizontal, g, g.b, 1, piece) }))
    .map((g) => {
      const at = (g.lo + g.hi) / 2;
      return horizontal ? { x1: g.a, y1: at, x2: g.b, y2: at } : { x1: at, y1: g.a, x2: at, y2: g.b };
    });
}

/** The rows (or columns) across a chain of runs, lo to hi: where its ink lies. */
interface Across {
  lo: number;
  hi: number;
}

/** Whether any row of a chain is dark at a place along it. */
function inkAcross(img: GrayImage, horizontal: boolean, g: Across, along: number): boolean {
  for (let k = g.lo; k <= g.hi; k++) if (dark(img, horizontal, k, along)) return true;
  return false;
}

/**
 * Where a chain's end, at `from`, reaches going `dir` over ink in its rows beyond its first or last
 * run: a thin rule whose middle falls between two rows of the straightened page is split between
 * them in pieces, and those at its ends, where it meets the frame, may be shorter than a run (a
 * declaration scan deskewed by exactly its 1.2° kept a row rule 8 pixels short of both verticals,
 * so it crossed none and the two rows it parts were read as one). Ink is taken within RUN_GAP + 1
 * of the last taken, as a run bridges, and no further than `most` from the end (a longer piece would
 * be a run). The reach stops at a stroke crossing the chain (ink in its rows and just beyond them on
 * one side), a vertical or a glyph's, so it does not go on into the next cell's text; a chain ending
 * on such a stroke does not reach at all.
 */
function reachEnd(img: GrayImage, horizontal: boolean, g: Across, from: number, dir: 1 | -1, most: number): number {
  let end = from;
  for (let i = from; Math.abs(i - from) <= most && Math.abs(i - end) <= RUN_GAP + 1; i += dir) {
    if (!inkAcross(img, horizontal, g, i)) continue;
    end = i;
    if (dark(img, horizontal, g.lo - SIDE, i) || dark(img, horizontal, g.hi + SIDE, i)) break;
  }
  return end;
}

/** How much lighter (0–255) than a run's middle line its two sides must be on average, where both are dark, for it to be a rule. */
const SHADE_CONTRAST = 60;

/** The gray level at a place given across and along a run (white beyond the image). */
function shade(img: GrayImage, horizontal: boolean, across: number, along: number): number {
  const [x, y] = horizontal ? [along, across] : [across, along];
  return x >= 0 && y >= 0 && x < img.width && y < img.height ? img.data[y * img.width + x]! : 255;
}

function dark(img: GrayImage, horizontal: boolean, across: number, along: number): boolean {
  return shade(img, horizontal, across, along) < RULE_DARK;
}

/** Long straight strokes of a (deskewed) page image, in pixels: the candidates for table rules. */
export interface RuleCandidates {
  horizontal: Rule[];
  vertical: Rule[];
}

export function ruleCandidates(img: GrayImage, pxPerPoint = OCR_DPI / 72): RuleCandidates {
  const minH = Math.max(30, Math.round(img.width * 0.08));
  const minV = Math.max(20, Math.round(img.height * 0.012));
  // Pieces of a glyph's stroke length and more; chained across gaps of up to 2.5 pt.
  const piece = Math.max(8, Math.round(4 * pxPerPoint));
  const join = Math.round(2.5 * pxPerPoint);
  return {
    horizontal: mergeRuns(img, runs(img, true, piece), true, minH, join, piece),
    vertical: mergeRuns(img, runs(img, false, piece), false, minV, join, piece),
  };
}

/**
 * The candidates that make ruled (lattice) tables: verticals crossing two horizontals and
 * horizontals crossing two kept verticals (strokes of bold characters meet none).
 */
export function latticeRules({ horizontal: h, vertical: v }: RuleCandidates, pxPerPoint = OCR_DPI / 72): Rule[] {
  const tol = Math.round(1.8 * pxPerPoint);
  const crosses = (hr: Rule, vr: Rule): boolean =>
    vr.x1 >= hr.x1 - tol && vr.x1 <= hr.x2 + tol && hr.y1 >= vr.y1 - tol && hr.y1 <= vr.y2 + tol;
  const twice = v.filter((vr) => h.filter((hr) => crosses(hr, vr)).length >= 2);
  // A table cut by a page break has no rule across its merged label columns at the cut: their
  // verticals cross one rule, and run the same length as the verticals that cross two.
  const sameSpan = (vr: Rule, k: Rule): boolean => Math.abs(k.y1 - vr.y1) <= tol && Math.abs(k.y2 - vr.y2) <= tol;
  const vKept = v.filter((vr) => twice.includes(vr) || h.some((hr) => crosses(hr, vr) && twice.some((k) => crosses(hr, k) && sameSpan(vr, k))));
  const hKept = h.filter((hr) => vKept.filter((vr) => crosses(hr, vr)).length >= 2);
  return [...hKept, ...vKept];
}

/** Table rules of a (deskewed) page image, in pixels: the rules of its lattice tables. */
export function detectRules(img: GrayImage, pxPerPoint = OCR_DPI / 72): Rule[] {
  return latticeRules(ruleCandidates(img, pxPerPoint), pxPerPoint);
}

/**
 * Paints the rules white, so that OCR reads the cells' text and not the grid (tesseract reads a
 * table border as I, T or E). Returns a new image.
 */
export function eraseRules(img: GrayImage, rules: Rule[], halfWidth = 3): GrayImage {
  const data = new Uint8Array(img.data);
  const { width, height } = img;
  for (const r of rules) {
    const horizontal = r.y1 === r.y2;
    const [a, b] = horizontal ? [Math.floor(r.x1), Math.ceil(r.x2)] : [Math.floor(r.y1), Math.ceil(r.y2)];
    const at = Math.round(horizontal ? r.y1 : r.x1);
    for (let i = a; i <= b; i++) {
      for (let d = -halfWidth; d <= halfWidth; d++) {
        const [x, y] = horizontal ? [i, at + d] : [at + d, i];
        if (x >= 0 && x < width && y >= 0 && y < height) data[y * width + x] = 255;
      }
    }
  }
  return { width, height, data };
}

/**
 * Leptonica's own serialised form ("spix": a 28-byte header, then the raster as 32-bit words), the
 * image format tesseract reads fastest: a copy, where its PGM reader takes one fread per pixel.
 * Within a word the first pixel is the most significant byte, so on the little-endian wasm heap
 * pixel x of a row sits at byte x ^ 3.
 */
export function toSpix(img: GrayImage): Uint8Array {
  const wpl = Math.ceil(img.width / 4);
  const rowBytes = 4 * wpl;
  const out = new Uint8Array(SPIX_HEADER + rowBytes * img.height);
  const header = new DataView(out.buffer, 0, SPIX_HEADER);
  out.set([0x73, 0x70, 0x69, 0x78]); // "spix"
  for (const [i, v] of [img.width, img.height, 8, wpl, 0, rowBytes * img.height].entries()) header.setUint32(4 + 4 * i, v, true);
  const { width, data } = img;
  // Whole words at once (a fifth of the time byte by byte), then the row's last pixels. A word is
  // written in the host's byte order, the wasm heap's only on a little-endian host.
  const words = new Uint32Array(out.buffer, SPIX_HEADER, wpl * img.height);
  const whole = LITTLE_ENDIAN ? width >> 2 : 0;
  for (let y = 0; y < img.height; y++) {
    let s = y * width;
    let o = y * wpl;
    for (let k = 0; k < whole; k++, s += 4) words[o++] = (data[s]! << 24) | (data[s + 1]! << 16) | (data[s + 2]! << 8) | data[s + 3]!;
    const dst = SPIX_HEADER + y * rowBytes;
    for (let x = whole << 2; x < width; x++) out[dst + (x ^ 3)] = data[y * width + x]!;
  }
  return out;
}
/** "spix", width, height, depth, words per line, colours in the colormap (none), raster bytes. */
const SPIX_HEADER = 28;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Share of dark pixels: a blank page is near 0. */
export function inkRatio(img: GrayImage): number {
  let dark = 0;
  for (let i = 0; i < img.data.length; i += 7) if (img.data[i]! < DARK) dark++;
  return dark / Math.ceil(img.data.length / 7);
}

/**
 * Share of the ink (< 140) that is solid black (< 50): about 0.2 on gray scans, where strokes are
 * blurred, and near 0.8 on a binarised (fax, photocopier "text" mode) page downsampled to the
 * OCR resolution, whose strokes come out thick and solid.
 */
export function inkSaturation(img: GrayImage): number {
  let dark = 0;
  let solid = 0;
  for (let i = 0; i < img.data.length; i += 3) {
    const v = img.data[i]!;
    if (v < DARK) {
      dark++;
      if (v < 50) solid++;
    }
  }
  return dark === 0 ? 0 : solid / dark;
}

/** Lightens the mid-grays (v → 255·(v/255)^gamma, gamma < 1): thins strokes at a binariser's threshold. Returns a new image. */
export function lighten(img: GrayImage, gamma: number): GrayImage {
  const lut = new Uint8Array(256).map((_, v) => Math.round(255 * Math.pow(v / 255, gamma)));
  return { width: img.width, height: img.height, data: img.data.map((v) => lut[v]!) };
}

/** A rectangle of a page image, in pixels (x0,y0 inclusive; x1,y1 exclusive). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Where one crop sits in a stacked strip: strip row `at` holds page row `box.y0 - pad`. */
export interface Placement {
  box: PixelBox;
  at: number;
  height: number;
}

/** Where one crop sits in a row of crops: row column `at` holds page column `box.x0 - pad`; `width` with its padding. */
export interface RowPlacement {
  box: PixelBox;
  at: number;
  width: number;
}

/**
 * Stacks crops of a page (table cells, the bands above and below a table) into one narrow
 * left-aligned strip with white gaps between them. OCR reads the strip as one uniform block in
 * one call: each cell is read on its own, without the page layout analysis that runs text of
 * neighbouring cells together, and without the overhead of a call per cell.
 */
export function stackCrops(img: GrayImage, boxes: PixelBox[], pad = 4, gap = 16): { strip: GrayImage; placements: Placement[] } {
  const placements: Placement[] = [];
  let height = 0;
  let width = 0;
  for (const box of boxes) {
    const h = box.y1 - box.y0 + 2 * pad;
    placements.push({ box, at: height, height: h });
    height += h + gap;
    width = Math.max(width, box.x1 - box.x0 + 2 * pad);
  }
  const strip = whiteImage(width, height);
  for (const { box, at } of placements) paste(img, box, strip, pad, at + pad);
  return { strip, placements };
}

/** A white image of the size (at least one pixel). */
const whiteImage = (width: number, height: number): GrayImage => ({ width: Math.max(1, width), height: Math.max(1, height), data: new Uint8Array(Math.max(1, width * height)).fill(255) });

/** Copies the page's pixels in `box` into `into`, the box's top-left corner at (x, y). */
function paste(img: GrayImage, box: PixelBox, into: GrayImage, x: number, y: number): void {
  const w = box.x1 - box.x0;
  for (let row = box.y0; row < box.y1; row++) {
    const src = row * img.width + box.x0;
    into.data.set(img.data.subarray(src, src + w), (y + row - box.y0) * into.width + x);
  }
}

/**
 * Lays crops of a page side by side in one row, top-aligned, `gap` pixels of white before each
 * and after the last: read as one line of text, each crop a word of its own.
 */
export function rowCrops(img: GrayImage, boxes: PixelBox[], pad: number, gap: number): { row: GrayImage; placements: RowPlacement[] } {
  const placements: RowPlacement[] = [];
  let width = gap;
  let height = 0;
  for (const box of boxes) {
    const w = box.x1 - box.x0 + 2 * pad;
    placements.push({ box, at: width, width: w });
    width += w + gap;
    height = Math.max(height, box.y1 - box.y0 + 2 * pad);
  }
  const row = whiteImage(width, height);
  for (const { box, at } of placements) paste(img, box, row, at + pad, pad);
  return { row, placements };
}

/** Dark pixels inside a box (a cell with none is empty and not read). */
export function inkIn(img: GrayImage, box: PixelBox): number {
  let dark = 0;
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * img.width;
    for (let x = box.x0; x < box.x1; x++) if (img.data[row + x]! < DARK) dark++;
  }
  return dark;
}

/** A band of rows holding ink: its first row and the row after its last. */
export type Band = { y0: number; y1: number };

/**
 * Lines of text in the box: runs of rows holding ink (two dark pixels or more: a speck's row is
 * no line), `minHeight` rows or more, between white rows; each as its first row and the row after its last.
 */
export function inkBands(img: GrayImage, box: PixelBox, minHeight: number): Band[] {
  const bands: Band[] = [];
  let run = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    let dark = 0;
    if (y < box.y1) {
      const row = y * img.width;
      for (let x = box.x0; x < box.x1 && dark < 2; x++) if (img.data[row + x]! < DARK) dark++;
    }
    if (dark >= 2) run++;
    else {
      if (run >= minHeight) bands.push({ y0: y - run, y1: y });
      run = 0;
    }
  }
  return bands;
}

/** Lighter than DARK: the faint strokes of a blurred glyph still count as ink when trimming. */
const FAINT = 160;

/**
 * The box cut down to the rows that hold ink, `margin` rows kept on each side: the white of a
 * tall merged cell (产出指标 spanning ten rows) or of the page below a table is not worth reading.
 * A box without ink is returned as it is.
 */
export function trimRows(img: GrayImage, box: PixelBox, margin: number): PixelBox {
  const inked = (y: number): boolean => {
    const row = y * img.width;
    for (let x = box.x0; x < box.x1; x++) if (img.data[row + x]! < FAINT) return true;
    return false;
  };
  let top = box.y0;
  while (top < box.y1 && !inked(top)) top++;
  if (top === box.y1) return box;
  let bottom = box.y1 - 1;
  while (bottom > top && !inked(bottom)) bottom--;
  return { ...box, y0: Math.max(box.y0, top - margin), y1: Math.min(box.y1, bottom + 1 + margin) };
}

/**
 * Crops grouped by width, widest first, each group's widths within `ratio` of its widest: a strip
 * is as wide as its widest crop, so one strip for a page's narrow cells and its full-width bands
 * would be mostly white (five times the crops' area: memory and copies, if little OCR time).
 * Each group lists crop indices in their original order.
 */
export function widthGroups(boxes: PixelBox[], ratio = 3): number[][] {
  const width = (i: number): number => boxes[i]!.x1 - boxes[i]!.x0;
  const order = boxes.map((_, i) => i).sort((a, b) => width(b) - width(a) || a - b);
  const groups: number[][] = [];
  let widest = 0;
  for (const i of order) {
    if (groups.length === 0 || width(i) * ratio < widest) {
      groups.push([]);
      widest = width(i);
    }
    groups.at(-1)!.push(i);
  }
  return groups.map((g) => g.sort((a, b) => a - b));
}

/**
 * The box cut across, between its lines of text, into pieces of at most `most` dark pixels each
 * (a line holding more stays whole), each with its dark pixels: a page's prose band or a long
 * reason, read in one strip, keeps one core busy while the other waits. Cuts fall midway in the
 * white between two lines; each piece spans the box's width. A box within `most` is one piece.
 */
export function rowPieces(img: GrayImage, box: PixelBox, most: number): { box: PixelBox; ink: number }[] {
  const dark: number[] = [];
  let total = 0;
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * img.width;
    let n = 0;
    for (let x = box.x0; x < box.x1; x++) if (img.data[row + x]! < DARK) n++;
    dark.push(n);
    total += n;
  }
  if (total <= most) return [{ box, ink: total }];
  const pieces: { box: PixelBox; ink: number }[] = [];
  let start = 0; // the current piece's first row (relative to the box)
  let ink = 0; // its dark pixels so far
  let white = -1; // the first white row after the last line, -1 inside a line
  let lined = false; // the piece holds a line
  for (let y = 0; y < dark.length; y++) {
    const inked = dark[y]! >= 2;
    if (inked && white >= 0) {
      // A line begins after the white rows white..y-1: the piece ends before it if it would overflow.
      if (lined && ink + lineInk(dark, y) > most) {
        const cut = (white + y) >> 1;
        pieces.push({ box: { ...box, y0: box.y0 + start, y1: box.y0 + cut }, ink: inkOf(dark, start, cut) });
        start = cut;
        ink = inkOf(dark, cut, y);
      }
      white = -1;
    } else if (!inked && white < 0) white = y;
    lined ||= inked;
    ink += dark[y]!;
  }
  pieces.push({ box: { ...box, y0: box.y0 + start }, ink });
  return pieces;
}

const inkOf = (dark: number[], from: number, to: number): number => dark.slice(from, to).reduce((a, b) => a + b, 0);

/** The dark pixels of the line of text starting at row `y` (up to the next row with fewer than two). */
function lineInk(dark: number[], y: number): number {
  let n = 0;
  for (let k = y; k < dark.length && dark[k]! >= 2; k++) n += dark[k]!;
  return n;
}

/**
 * Consecutive runs of `items` of at most `most` weight together (an item heavier than that is a
 * run of its own): the strips of a width group, so that no one OCR call holds a core for long.
 */
export function weightRuns(items: number[], weight: (i: number) => number, most: number): number[][] {
  const runs: number[][] = [];
  let sum = 0;
  for (const i of items) {
    const w = weight(i);
    if (runs.length === 0 || (sum + w > most && runs.at(-1)!.length > 0)) {
      runs.push([]);
      sum = 0;
    }
    runs.at(-1)!.push(i);
    sum += w;
  }
  return runs;
}

/**
 * Which way a chevron in `box` points: '>' when its arms meet on the right (the middle rows' ink
 * stands right of the top rows'), '<' when on the left, null when the ink is no chevron. What
 * tells ⩾ from ⩽ where OCR merged the operator into the digit after it.
 */
export function chevron(img: GrayImage, box: PixelBox): '>' | '<' | null {
  const rows: number[] = [];
  // The whole pixels the box covers: a glyph box of a reading enlarged, scaled back, falls between them.
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(img.height, Math.ceil(box.y1)); y++) {
    let sum = 0;
    let n = 0;
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(img.width, Math.ceil(box.x1)); x++) {
      if (img.data[y * img.width + x]! < 185) {
        sum += x;
        n++;
      }
    }
    if (n > 0) rows.push(sum / n);
  }
  if (rows.length < 6) return null;
  const w = box.x1 - box.x0;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  // The top arm (first rows of ink) starts toward one edge, the apex (a quarter to a half down the
  // ink) stands toward the other, and the lower arm (60–80 % down) swings back. A 2 or a 3 is none:
  // its top arc is centred (no > ), and its middle stands right (no <).
  const at = (from: number, to: number): number[] => rows.slice(Math.round(from * rows.length), Math.max(Math.round(from * rows.length) + 1, Math.round(to * rows.length)));
  const top = mean(at(0, 0.15)) - box.x0;
  const apex = at(0.25, 0.55).map((x) => x - box.x0);
  const lower = at(0.6, 0.8).map((x) => x - box.x0);
  if (top <= 0.3 * w && Math.max(...apex) - top > 0.3 * w && Math.max(...apex) - Math.min(...lower) > 0.25 * w) return '>';
  if (top >= 0.6 * w && top - Math.min(...apex) > 0.3 * w && Math.max(...lower) - Math.min(...apex) > 0.25 * w) return '<';
  return null;
}

/**
 * True when a glyph read as > or < has a bar under its lower stroke, level (≥) or slanted (⩾ as
 * CJK fonts draw it): what tells ≥ from > once blur has thinned the bar. Down a column through the
 * glyph's lower half, a bare > crosses one stroke; ≥ crosses the stroke and the bar.
 */
export function hasUnderbar(img: GrayImage, box: PixelBox): boolean {
  const h = box.y1 - box.y0;
  const w = box.x1 - box.x0;
  if (w < 4 || h < 4) return false;
  const from = Math.max(0, Math.round(box.y0 + 0.45 * h));
  const to = Math.min(img.height - 1, Math.round(box.y1 + 0.35 * h));
  const { dark, light } = strokeLevels(img, box);
  let double = 0;
  for (const f of [0.3, 0.5, 0.7]) {
    const x = Math.min(img.width - 1, Math.max(0, Math.round(box.x0 + f * w)));
    let strokes = 0;
    let inStroke = false;
    for (let y = from; y <= to; y++) {
      const v = img.data[y * img.width + x]!;
      if (!inStroke && v < dark) {
        inStroke = true;
        strokes++;
      } else if (inStroke && v > light) inStroke = false;
    }
    if (strokes >= 2) double++;
  }
  return double >= 2;
}

/**
 * The gray levels a column scan takes for a glyph's stroke (darker than `dark`) and for paper
 * between strokes (lighter than `light`): 150 and 185 on a print of any contrast, raised on a faint
 * one to a third and three fifths of the way from the glyph's ink to white, the stroke's never past
 * MAX_FAINT_STROKE. The ink is the gray of the glyph box's darkest twentieth: a thin Ming face's
 * photocopied ⩾ has strokes of 110–180 and paper of 210 and more between its arm and its bar (AR PL
 * UMing at 200 dpi), which 150 does not take for strokes.
 */
function strokeLevels(img: GrayImage, box: PixelBox): { dark: number; light: number } {
  const values: number[] = [];
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(img.height, Math.ceil(box.y1)); y++) {
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(img.width, Math.ceil(box.x1)); x++) values.push(img.data[y * img.width + x]!);
  }
  if (values.length === 0) return { dark: 150, light: 185 };
  values.sort((a, b) => a - b);
  const ink = values[Math.floor(values.length * 0.05)]!;
  return { dark: Math.min(MAX_FAINT_STROKE, Math.max(150, ink + (255 - ink) / 3)), light: Math.max(185, ink + (3 * (255 - ink)) / 5) };
}

/**
 * The palest gray a faint glyph's stroke is taken at: a photocopy's speckle is gray too, and one
 * speck of 195 under the lower arm of a > whose ink is 175 gave it a bar at 202.
 */
const MAX_FAINT_STROKE = 190;

/**
 * The connected blots (8-neighbours) of pixels darker than `threshold` in a window of the image:
 * runs of such pixels along rows (`runs`: row, start, end exclusive, in window coordinates), each
 * run's blot (`blot`, an index into the per-blot arrays), and each blot's pixel count and box.
 */
export interface Blots {
  runs: Int32Array;
  blot: Int32Array;
  size: Int32Array;
  x0: Int32Array;
  y0: Int32Array;
  x1: Int32Array;
  y1: Int32Array;
}

export function blots(img: GrayImage, left: number, top: number, width: number, height: number, threshold: number): Blots {
  const runs: number[] = [];
  const rowStart = new Int32Array(height + 1);
  for (let y = 0; y < height; y++) {
    rowStart[y] = runs.length / 3;
    const row = (top + y) * img.width + left;
    for (let x = 0; x < width; x++) {
      if (img.data[row + x]! >= threshold) continue;
      const a = x;
      while (x < width && img.data[row + x]! < threshold) x++;
      runs.push(y, a, x);
    }
  }
  rowStart[height] = runs.length / 3;
  const n = runs.length / 3;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let y = 1; y < height; y++) {
    let k = rowStart[y - 1]!;
    for (let r = rowStart[y]!; r < rowStart[y + 1]!; r++) {
      const [a, b] = [runs[3 * r + 1]!, runs[3 * r + 2]!];
      // Runs of the row above that end before this one begins (less a diagonal step) are passed.
      while (k < rowStart[y]! && runs[3 * k + 2]! < a) k++;
      for (let q = k; q < rowStart[y]! && runs[3 * q + 1]! <= b; q++) {
        const [ra, rb] = [find(r), find(q)];
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const blot = new Int32Array(n);
  const size = new Int32Array(n);
  const x0 = new Int32Array(n).fill(width);
  const y0 = new Int32Array(n).fill(height);
  const x1 = new Int32Array(n);
  const y1 = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const c = (blot[r] = find(r));
    const [y, a, b] = [runs[3 * r]!, runs[3 * r + 1]!, runs[3 * r + 2]!];
    size[c]! += b - a;
    x0[c] = Math.min(x0[c]!, a);
    x1[c] = Math.max(x1[c]!, b);
    y0[c] = Math.min(y0[c]!, y);
    y1[c] = Math.max(y1[c]!, y + 1);
  }
  return { runs: Int32Array.from(runs), blot, size, x0, y0, x1, y1 };
}

/** Lighter than this a pixel is no part of a speck (a photocopy's speckle is gray on a gray scan). */
const SPECK_INK = 190;

/**
 * The image with its specks whitened: blots (8-neighbours, pixels darker than SPECK_INK) of fewer
 * than `minSize` pixels whose box is at most `maxSide` pixels a side. Tesseract reads a speck
 * beside a glyph as a glyph of its own (和 or 人 in 待遇人员) or as part of the glyph (量 as 最).
 * Returns the input when nothing is removed.
 */
export function despeckle(img: GrayImage, minSize: number, maxSide: number): GrayImage {
  const b = blots(img, 0, 0, img.width, img.height, SPECK_INK);
  let out: Uint8Array | null = null;
  for (let r = 0; r < b.blot.length; r++) {
    const c = b.blot[r]!;
    if (b.size[c]! >= minSize || b.x1[c]! - b.x0[c]! > maxSide || b.y1[c]! - b.y0[c]! > maxSide) continue;
    out ??= Uint8Array.from(img.data);
    const row = b.runs[3 * r]! * img.width;
    out.fill(255, row + b.runs[3 * r + 1]!, row + b.runs[3 * r + 2]!);
  }
  return out ? { width: img.width, height: img.height, data: out } : img;
}

/** Darker than this a pixel is a digit's ink (as hasUnderbar's strokes on a print of full contrast). */
const DIGIT_INK = 150;

/**
 * What a digit read as 3 or 1 is where a thin face's strokes broke on a binarised or photocopied
 * scan (the thin strokes of a Ming face fade first; measured on the AR PL UMing photocopies):
 *  - a 5 whose short upright between its top bar and its bowl is lost reads as 3; a 3 has ink
 *    right of its middle a fifth to two fifths down (its upper bowl's right side, or the diagonal
 *    under a Ming face's flat top), a 5 has none there, only the bar above, the bowl below (which
 *    comes round on the right in its lower half) and what is left of its upright at the left;
 *  - a 4 whose diagonal is lost reads as 1 (a stem and a crossbar); a 1 has no bar across its
 *    lower half wider than half its height (its foot serif stands at the bottom, its flag at the
 *    top), and a 4's crossbar reaches left of its stem. Only the glyph's own blot inside its box
 *    counts: a neighbour's stroke is not its.
 * Null where the pixels show the digit read, or too little to tell (specks of fewer than 4 pixels,
 * or under a fifteenth of the glyph's ink, are not counted; a glyph under 10 pixels high is not judged).
 */
export function brokenDigit(img: GrayImage, box: PixelBox, read: '3' | '1'): '5' | '4' | null {
  const left = Math.max(0, Math.floor(box.x0) - 2);
  const top = Math.max(0, Math.floor(box.y0) - 2);
  const width = Math.min(img.width, Math.ceil(box.x1) + 2) - left;
  const height = Math.min(img.height, Math.ceil(box.y1) + 2) - top;
  if (width <= 0 || height <= 0) return null;
  const b = blots(img, left, top, width, height, DIGIT_INK);
  // The glyph's own blot: the largest.
  let main = -1;
  for (let r = 0; r < b.blot.length; r++) if (main < 0 || b.size[b.blot[r]!]! > b.size[main]!) main = b.blot[r]!;
  const largest = main < 0 ? 0 : b.size[main]!;
  const kept = (r: number): boolean => b.size[b.blot[r]!]! >= Math.max(4, largest / 15);
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (let r = 0; r < b.blot.length; r++) {
    if (!kept(r)) continue;
    const [y, a, e] = [b.runs[3 * r]!, b.runs[3 * r + 1]!, b.runs[3 * r + 2]!];
    [x0, y0, x1, y1] = [Math.min(x0, a), Math.min(y0, y), Math.max(x1, e), Math.max(y1, y + 1)];
  }
  const [w, h] = [x1 - x0, y1 - y0];
  if (h < 10 || w <= 0) return null;
  /** Dark pixels of kept blots in rows [from, to) × columns [fromX, toX), as shares of the ink box. */
  const inkIn = (from: number, to: number, fromX: number, toX: number): number => {
    let n = 0;
    for (let r = 0; r < b.blot.length; r++) {
      const y = b.runs[3 * r]!;
      if (!kept(r) || y < y0 + from * h || y >= y0 + to * h) continue;
      const a = Math.max(b.runs[3 * r + 1]!, x0 + fromX * w);
      const e = Math.min(b.runs[3 * r + 2]!, x0 + toX * w);
      if (e > a) n += Math.ceil(e) - Math.ceil(a);
    }
    return n;
  };
  if (read === '3') {
    const upperRight = inkIn(0.18, 0.38, 0.45, 1);
    const bar = inkIn(0, 0.15, 0, 1);
    const bowl = inkIn(0.55, 0.9, 0.55, 1);
    return upperRight === 0 && bar > 0 && bowl > 0 ? '5' : null;
  }
  // The glyph's own blot (the stem, with a 4's crossbar across it), inside the glyph's box: a
  // neighbour's stroke beside a 1 (the bar of the 4 in 1480) is not its.
  const [mx0, mx1] = [Math.max(b.x0[main]!, Math.floor(box.x0) - left), Math.min(b.x1[main]!, Math.ceil(box.x1) - left)];
  const [my0, mh] = [b.y0[main]!, b.y1[main]! - b.y0[main]!];
  // The stem: the column the blot inks most often.
  const column = new Int32Array(width);
  for (let r = 0; r < b.blot.length; r++) {
    if (b.blot[r] !== main) continue;
    for (let x = Math.max(b.runs[3 * r + 1]!, mx0); x < Math.min(b.runs[3 * r + 2]!, mx1); x++) column[x]!++;
  }
  let stem = mx0;
  for (let x = mx0; x < mx1; x++) if (column[x]! > column[stem]!) stem = x;
  // The widest run of a row across the lower half (not the foot) that reaches left of the stem:
  // a 4's crossbar stands out left of its stem; a bold 1 run into the 0 after it (100) reaches right.
  let bar = 0;
  for (let r = 0; r < b.blot.length; r++) {
    const y = b.runs[3 * r]!;
    if (b.blot[r] !== main || y < my0 + 0.45 * mh || y >= my0 + 0.85 * mh) continue;
    const [a, e] = [Math.max(b.runs[3 * r + 1]!, mx0), Math.min(b.runs[3 * r + 2]!, mx1)];
    if (a <= stem && e > stem && stem - a >= 0.35 * mh) bar = Math.max(bar, e - a);
  }
  const mw = mx1 - mx0;
  return mh >= 10 && mw >= 0.45 * mh && bar >= 0.6 * mw && bar >= 0.5 * mh ? '4' : null;
}

/**
 * True when a bar stands apart above a bowl read as 3 (`box`, the bowl's own): a thin face's 5
 * whose short upright faded leaves its top bar with white rows between it and the bowl. Over the
 * bowl's columns (a fifth of its width either side) and up to its height above it: rows of
 * ink at most 3 high, as wide as half the bowl, with white below them and none above. A 3 has
 * nothing apart above it.
 */
export function detachedBar(img: GrayImage, box: PixelBox): boolean {
  const [w, h] = [box.x1 - box.x0, box.y1 - box.y0];
  const [x0, x1] = [Math.max(0, Math.floor(box.x0 - 0.2 * w)), Math.min(img.width, Math.ceil(box.x1 + 0.2 * w))];
  const widest = (y: number): number => {
    let [best, run] = [0, 0];
    for (let x = x0; x < x1; x++) {
      run = img.data[y * img.width + x]! < DIGIT_INK ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  };
  const top = Math.max(0, Math.floor(box.y0 - h));
  // Rows from the bowl's box upward: white, then the bar, then white to the window's top.
  let y = Math.floor(box.y0) - 1;
  let white = 0;
  while (y >= top && widest(y) === 0) [y, white] = [y - 1, white + 1];
  if (white === 0 || y < top) return false;
  let bar = 0;
  let wide = 0;
  while (y >= top && widest(y) > 0) {
    wide = Math.max(wide, widest(y));
    [y, bar] = [y - 1, bar + 1];
  }
  // A bar reaching the window's top may be the foot of a line above, not a bar.
  if (bar > 3 || wide < 0.5 * w || y < top) return false;
  for (; y >= top; y--) if (widest(y) > 0) return false;
  return true;
}

/**
 * True when the widest row of ink in `box` (a cross: a stem and a bar) lies below 0.6 of the ink's
 * height, as a 4's crossbar does (about three quarters down); a plus sign's bar is at its middle.
 */
export function lowCrossbar(img: GrayImage, box: PixelBox): boolean {
  let [top, bottom, barAt, widest] = [-1, -1, -1, 0];
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(img.height, Math.ceil(box.y1)); y++) {
    let n = 0;
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(img.width, Math.ceil(box.x1)); x++) if (img.data[y * img.width + x]! < DIGIT_INK) n++;
    if (n === 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (n > widest) [widest, barAt] = [n, y];
  }
  return top >= 0 && bottom > top && (barAt - top) / (bottom - top) > 0.6;
}

/** The middle of some measures (of an even count, the upper of the two middles). */
export const middle = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Where a crop of `box` starts on its page: its top-left pixel, inside the page. */
export const cropOrigin = (box: PixelBox): [number, number] => [Math.max(0, Math.floor(box.x0)), Math.max(0, Math.floor(box.y0))];

/**
 * The crop `box` of `img` (its own frame, from cropOrigin) with each row's gaps of at most `gap`
 * pixels between two dark pixels filled in: a thin bar a binarised scan broke into pieces made whole again.
 */
export function bridgeRows(img: GrayImage, box: PixelBox, gap: number, threshold = DIGIT_INK): GrayImage {
  const [x0, y0] = cropOrigin(box);
  const [width, height] = [Math.max(0, Math.min(img.width, Math.ceil(box.x1)) - x0), Math.max(0, Math.min(img.height, Math.ceil(box.y1)) - y0)];
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + width), y * width);
    let last = -1; // the row's last dark pixel
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! >= threshold) continue;
      if (last >= 0 && x - last - 1 <= gap) data.fill(0, y * width + last + 1, y * width + x);
      last = x;
    }
  }
  return { width, height, data };
}

/**
 * The white regions inside a glyph's box that its ink closes all round (those reaching the box's
 * edge are open: a neighbour's loop cut by the box is not the glyph's), of 3 pixels or more: the
 * height of each one's middle, as a share down the glyph's ink.
 */
export function holesIn(img: GrayImage, box: PixelBox): number[] {
  const left = Math.max(0, Math.floor(box.x0));
  const top = Math.max(0, Math.floor(box.y0));
  const width = Math.min(img.width, Math.ceil(box.x1)) - left;
  const height = Math.min(img.height, Math.ceil(box.y1)) - top;
  if (width < 3 || height < 3) return [];
  const ink = (p: number): boolean => img.data[(top + Math.floor(p / width)) * img.width + left + (p % width)]! < DIGIT_INK;
  let [iy0, iy1] = [height, 0];
  for (let p = 0; p < width * height; p++) {
    if (!ink(p)) continue;
    const y = Math.floor(p / width);
    [iy0, iy1] = [Math.min(iy0, y), Math.max(iy1, y + 1)];
  }
  const seen = new Uint8Array(width * height);
  const out: number[] = [];
  for (let start = 0; start < width * height; start++) {
    if (seen[start] || ink(start)) continue;
    seen[start] = 1;
    const stack = [start];
    let [n, open, sumY] = [0, false, 0];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const [x, y] = [p % width, Math.floor(p / width)];
      n++;
      sumY += y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) open = true;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && !seen[q] && !ink(q)) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    if (!open && n >= 3) out.push((sumY / n - iy0) / Math.max(1, iy1 - iy0));
  }
  return out;
}

/**
 * A 9 read as 5 or 3 (a bold face's 9 on a binarised scan: 90 read as 50, 89.5 as 83.5): neither
 * closes a loop, a 9 closes one in its upper half (its middle less than 0.45 down the ink) and
 * none below. Null where the pixels show no such loop (a loop filled in or broken open is no
 * evidence either way).
 */
export function loopedNine(img: GrayImage, box: PixelBox): '9' | null {
  const holes = holesIn(img, box);
  return holes.length === 1 && holes[0]! < 0.45 ? '9' : null;
}

/**
 * The slashes in a box: blots of ink (darker than DIGIT_INK) leaning right as they rise
 * (the top row's middle right of the bottom row's by a fifth of the blot's height or more),
 * thin (at most 0.7 of their height wide, their rows on average at most 0.2 of the box's height),
 * at least 0.7 of the box's height (a glyph's leaning stroke, 月's in 前, is shorter), and whole within the box
 * widened by two pixels (a glyph's stroke the box cuts is not counted). Looked for a little above
 * and below the box, where a slash reaches past the glyphs beside it.
 */
export function slashStrokes(img: GrayImage, box: PixelBox): number {
  const h = box.y1 - box.y0;
  if (h < 6) return 0;
  const left = Math.max(0, Math.floor(box.x0) - 2);
  const right = Math.min(img.width, Math.ceil(box.x1) + 2);
  const top = Math.max(0, Math.floor(box.y0 - 0.25 * h));
  const bottom = Math.min(img.height, Math.ceil(box.y1 + 0.25 * h));
  if (right - left < 3 || bottom - top < 6) return 0;
  const b = blots(img, left, top, right - left, bottom - top, DIGIT_INK);
  // Per blot: the middles of its top row's and bottom row's runs.
  const topX = new Map<number, number[]>();
  const bottomX = new Map<number, number[]>();
  for (let r = 0; r < b.blot.length; r++) {
    const c = b.blot[r]!;
    const [y, a, e] = [b.runs[3 * r]!, b.runs[3 * r + 1]!, b.runs[3 * r + 2]!];
    if (y === b.y0[c]) topX.set(c, [...(topX.get(c) ?? []), (a + e) / 2]);
    if (y === b.y1[c]! - 1) bottomX.set(c, [...(bottomX.get(c) ?? []), (a + e) / 2]);
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  let n = 0;
  for (const [c, tops] of topX) {
    const [bw, bh] = [b.x1[c]! - b.x0[c]!, b.y1[c]! - b.y0[c]!];
    const whole = b.x0[c]! > 0 && b.x1[c]! < right - left && b.y0[c]! > 0 && b.y1[c]! < bottom - top;
    const thin = b.size[c]! <= 0.2 * h * bh;
    if (whole && thin && bh >= 0.7 * h && bw <= 0.7 * bh && mean(tops) - mean(bottomX.get(c)!) >= 0.2 * bh) n++;
  }
  return n;
}
