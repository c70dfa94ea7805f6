/**
 * A page without ruled tables is read whole, in tesseract's own layout (PSM AUTO). Tesseract lays a
 * table without rules out in blocks of a column or two, so one row of the table comes as several
 * lines, and it reads two columns a glyph apart as one line (the two goals of a target
 * declaration). This module rebuilds what a PDF's text layer gives instead: one line per row of
 * text across the page, cut into phrases at the white between cells, so that the stream reader
 * (layout/stream.ts) finds the table's columns in the phrases' alignment.
 *
 * The white is measured on the page's pixels, not on tesseract's boxes: the LSTM places a glyph
 * only roughly (过 read 140 pixels wide, 保 and 养 overlapping), and now and then draws a glyph's
 * box far taller than its ink.
 */
import { DARK, type GrayImage } from './image.js';

export interface Piece {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  confidence: number;
}

export type OcrWord = Piece & { symbols?: Piece[] };

/** A line as tesseract's layout finds it: its box, and its words. */
export interface TextLine {
  bbox: Piece['bbox'];
  words: OcrWord[];
}

/** A phrase of a row: its words (a word cut where a phrase ends inside it) and where its ink lies. */
export interface Phrase {
  words: OcrWord[];
  /** The ink's left and right ends, and the row's middle and glyph height (pixels). */
  x0: number;
  x1: number;
  mid: number;
  size: number;
}

/**
 * White at least this wide (in glyph heights, tesseract's line height) between two glyphs ends a
 * phrase. Measured in a row's band on 200-dpi renderings: white inside a glyph and between two
 * glyphs up to 0.61 (人 after 市 in a Ming face), a letter-spaced label's about half a glyph; two
 * cells of a table without rules one glyph or more (the two goals of a target declaration: 1.0).
 */
const PHRASE_GAP = 0.8;
/** White this wide sets glyphs apart enough to tell a speck between two cells from a mark in text. */
const SPECK_GAP = 0.5;
/**
 * A mark's ink fills a corner or a side of its square: a full-width stop's the left third, a
 * bracket's or a quote's one side, and the half-width marks a figure or a date is printed with
 * stand in white too (2022-01-01). White beside a mark may be its own: up to 0.79 of a glyph after
 * a comma measured, so white beside a mark is a gap only if 0.3 of a glyph wider than elsewhere.
 */
const MARK_WHITE = 0.3;
const MARK = /^[，。、；：！？,.;:\-－—–（）()〈〉《》「」『』【】“”‘’"'·]$/u;
/** A column with no more dark pixels than this in a row's band is white (a photocopy's speck). */
const SPECK = 2;

const middle = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** A word's glyphs: its symbols where they spell it, else the word as one. */
export function glyphsOf(w: OcrWord): Piece[] {
  const syms = w.symbols ?? [];
  return syms.length > 0 && syms.map((g) => g.text).join('') === w.text.replace(/\s+/g, '') ? syms : [w];
}

/** Pieces read as one: their texts in order, the box round them, the least confidence. */
export function joinPieces(ps: Piece[]): Piece {
  return {
    text: ps.map((p) => p.text).join(''),
    bbox: { x0: Math.min(...ps.map((p) => p.bbox.x0)), y0: Math.min(...ps.map((p) => p.bbox.y0)), x1: Math.max(...ps.map((p) => p.bbox.x1)), y1: Math.max(...ps.map((p) => p.bbox.y1)) },
    confidence: Math.min(...ps.map((p) => p.confidence)),
  };
}

/** Dark pixels in each column of a band, from column `a` on. */
export interface ColumnInk {
  a: number;
  dark: Uint16Array;
}

/** The dark pixels of each column between x0 and x1 in the band y0..y1 (clipped to the image). */
export function columnInk(img: GrayImage, x0: number, x1: number, y0: number, y1: number): ColumnInk {
  const [a, b] = [Math.max(0, Math.floor(x0)), Math.min(img.width, Math.ceil(x1))];
  const [top, bottom] = [Math.max(0, Math.floor(y0)), Math.min(img.height, Math.ceil(y1))];
  const dark = new Uint16Array(Math.max(0, b - a));
  for (let y = top; y < bottom; y++) {
    const at = y * img.width;
    for (let x = a; x < b; x++) if (img.data[at + x]! < DARK) dark[x - a]!++;
  }
  return { a, dark };
}

/** White runs (no more than SPECK dark pixels a column) at least `min` wide within the band's columns: [start, end) pairs. */
export function whiteRuns({ a, dark }: ColumnInk, min: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= dark.length; i++) {
    const white = i < dark.length && dark[i]! <= SPECK;
    if (white && start < 0) start = i;
    if (!white && start >= 0) {
      // White at either end is the margin, not a gap between glyphs.
      if (start > 0 && i < dark.length && i - start >= min) runs.push([a + start, a + i]);
      start = -1;
    }
  }
  return runs;
}

/**
 * The rows of ink about row `mid` between x0 and x1: from the nearest inked row, up and down to the
 * first white row, at most `limit` rows each way; null where none is inked within a few rows.
 */
export function inkRows(img: GrayImage, x0: number, x1: number, mid: number, limit: number): [number, number] | null {
  const [a, b] = [Math.max(0, Math.floor(x0)), Math.min(img.width, Math.ceil(x1))];
  const inked = (y: number): boolean => {
    if (y < 0 || y >= img.height) return false;
    let n = 0;
    const at = y * img.width;
    for (let x = a; x < b && n <= SPECK; x++) if (img.data[at + x]! < DARK) n++;
    return n > SPECK;
  };
  const m = Math.round(mid);
  const start = [0, -1, 1, -2, 2, -3, 3].map((d) => m + d).find(inked);
  if (start === undefined) return null;
  let [top, bottom] = [start, start];
  while (start - top < limit && inked(top - 1)) top--;
  while (bottom - start < limit && inked(bottom + 1)) bottom++;
  return [top, bottom + 1];
}

/** The ink's left and right ends (columns with more than SPECK dark pixels) between x0 and x1, or null where there is none. */
function inkSpan({ a, dark }: ColumnInk, x0: number, x1: number): [number, number] | null {
  let lo = -1;
  let hi = -1;
  for (let x = Math.max(a, Math.floor(x0)); x < Math.min(a + dark.length, Math.ceil(x1)); x++) {
    if (dark[x - a]! > SPECK) {
      if (lo < 0) lo = x;
      hi = x + 1;
    }
  }
  return lo < 0 ? null : [lo, hi];
}

/**
 * The page's rows of text, each cut into phrases (see above). `lines`: tesseract's lines (their
 * words, boxes in `img`'s pixels), in any order.
 */
export function flowPhrases(img: GrayImage, lines: TextLine[]): Phrase[][] {
  const sized = lines.filter((l) => l.words.length > 0).map((l) => ({ words: l.words, size: Math.max(1, l.bbox.y1 - l.bbox.y0) }));
  if (sized.length === 0) return [];
  // A line's box is tesseract's layout's, as high as its glyphs (the words' boxes are the LSTM's);
  // one far from the page's glyph size (a title, a line drawn across two rows) takes the page's.
  const pageSize = middle(sized.map((l) => l.size));
  const words = sized
    .flatMap(({ words, size }) => {
      const s = size < 0.7 * pageSize || size > 1.3 * pageSize ? pageSize : size;
      return words.map((w) => ({ w, size: s, mid: (w.bbox.y0 + w.bbox.y1) / 2 }));
    })
    .sort((a, b) => a.mid - b.mid);
  // Words whose middles lie within half a glyph of the first of a row are that row: the lines of
  // one row from several blocks, and not a line tesseract drew across two rows (a label printed
  // midway between them takes one of the two).
  const rows: (typeof words)[] = [];
  for (const x of words) {
    const ref = rows.at(-1)?.[0];
    if (ref && Math.abs(x.mid - ref.mid) < 0.5 * Math.min(x.size, ref.size)) rows.at(-1)!.push(x);
    else rows.push([x]);
  }
  return rows.map((row) =>
    phrasesOfRow(
      img,
      [...row].sort((a, b) => a.w.bbox.x0 - b.w.bbox.x0).map((x) => x.w),
      middle(row.map((x) => x.size)),
      middle(row.map((x) => x.mid)),
    ),
  );
}

function phrasesOfRow(img: GrayImage, words: OcrWord[], size: number, mid: number): Phrase[] {
  const [y0, y1] = [mid - size / 2, mid + size / 2];
  const [x0, x1] = [Math.min(...words.map((w) => w.bbox.x0)), Math.max(...words.map((w) => w.bbox.x1))];
  const glyphs = words.flatMap((w, of) => glyphsOf(w).map((g) => ({ g, of })));
  // Each glyph's phrase: the white runs whose middle lies left of where the glyph begins (the LSTM
  // places a glyph's start well, and stretches its box to where the next glyph starts, across the
  // white between), never fewer than the glyph before it has.
  const ink = columnInk(img, x0, x1, y0, y1);
  const runs = whiteRuns(ink, SPECK_GAP * size);
  const cut = (x: number): number => runs.filter(([s, e]) => (s + e) / 2 <= x).length;
  const seg: number[] = [];
  glyphs.forEach(({ g }, k) => seg.push(Math.max(cut(g.bbox.x0), k > 0 ? seg[k - 1]! : 0)));
  // Marks alone between two runs, in white a gap wide, are a photocopy's specks read as marks
  // (实施单位。。上海市…): dropped, and the white about them is a gap.
  const segs = runs.length + 1;
  const speck = Array.from({ length: segs }, (_, r) => {
    const inSeg = glyphs.filter((_, k) => seg[k] === r);
    return r > 0 && r < segs - 1 && inSeg.length > 0 && inSeg.every(({ g }) => MARK.test(g.text)) && runs[r]![1] - runs[r - 1]![0] >= PHRASE_GAP * size;
  });
  const kept = glyphs.map((_, k) => !speck[seg[k]!]);
  // Other white is a gap between cells when a gap wide, and beside a mark wider by the mark's own white.
  const join = new Set<number>();
  runs.forEach(([s, e], r) => {
    if (speck[r] || speck[r + 1]) return;
    const before = glyphs.filter((_, k) => seg[k] === r).at(-1);
    const after = glyphs.find((_, k) => seg[k] === r + 1);
    const marked = [before, after].some((x) => x && MARK.test(x.g.text));
    if (e - s < (PHRASE_GAP + (marked ? MARK_WHITE : 0)) * size) join.add(r + 1);
  });
  const phraseOf = seg.map((s) => s - [...join].filter((j) => j <= s).length);
  const bounds = [x0, ...runs.map(([s, e]) => (s + e) / 2), x1];
  const parts = new Map<number, { of: number; glyphs: Piece[] }[]>();
  glyphs.forEach(({ g, of }, k) => {
    if (!kept[k]) return;
    const list = parts.get(phraseOf[k]!) ?? [];
    parts.set(phraseOf[k]!, list);
    const last = list.at(-1);
    if (last?.of === of) last.glyphs.push(g);
    else list.push({ of, glyphs: [g] });
  });
  const out: Phrase[] = [];
  for (const [p, list] of [...parts].sort((a, b) => a[0] - b[0])) {
    // Where the phrase's ink may lie: from the white before its first segment to the white after its last.
    const covered = glyphs.flatMap((_, k) => (kept[k] && phraseOf[k] === p ? [seg[k]!] : []));
    const [from, to] = [bounds[Math.min(...covered)]!, bounds[Math.max(...covered) + 1]!];
    const span = inkSpan(ink, from, to);
    const ws = list.map(({ of, glyphs: part }) => {
      const w = words[of]!;
      return part.length === glyphsOf(w).length ? w : { ...joinPieces(part), symbols: part };
    });
    const [left, right] = span ?? [Math.min(...ws.map((w) => w.bbox.x0)), Math.max(...ws.map((w) => w.bbox.x1))];
    out.push({ words: ws, x0: left, x1: right, mid, size });
  }
  return out;
}
