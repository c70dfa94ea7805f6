/**
 * The lines of text on a page without ruled tables, found in its pixels: what a PDF's text layer
 * would give for it (one box a phrase: a row's cells apart, a cell's wrapped lines apart), so that
 * each can be read on its own as a ruled table's cells are, and the stream reader (layout/stream.ts)
 * finds the table in their alignment.
 *
 * Tesseract's own layout (PSM AUTO) is not used for this: on a table without rules it draws one
 * line across two columns whose lines lie half a glyph apart in height (a label centred over its
 * rows beside a cell's wrapped text: 可持续影响 / 指标 beside 长效管理制度健全性), and reads it as garbage.
 *
 * How: dark pixels closer than a few points along a pixel row are joined into runs, and touching
 * runs into fragments (a glyph or a few); fragments then chain left to right into a line while the
 * next one starts within a gap of the line's end and is as high as the line (its middle within a
 * quarter glyph of the line's), or small and inside the line's height (a mark, a point).
 */
import { middle, type GrayImage, type PixelBox } from './image.js';
import type { Token } from './types.js';

/** A line of ink: its box (pixels) and the dark pixels in it. */
export interface InkLine extends PixelBox {
  dark: number;
  /**
   * A lone mark told by its shape, with nothing for OCR to read in it: a dash (an empty cell's -), or
   * a full stop (。) that a cell's text wrapped onto a line of its own.
   */
  mark?: '-' | '。';
}

type Fragment = InkLine;

/**
 * Ink, for finding lines: lighter than the OCR's dark (image.ts DARK, 140), which leaves a thin gray
 * glyph in pieces (a 5 of a Ming face's figures on a 200-dpi gray scan: its strokes 140–200).
 */
const INK = 200;
/** Dark pixels this close along a row (points) are one run: the strokes of a glyph, glyphs set close. */
const SMEAR_POINTS = 3;
/**
 * White at least this wide (glyph heights) between two fragments ends a line: white inside a glyph
 * and between two glyphs measured up to 0.61 (人 after 市 in a Ming face) on 200-dpi renderings, two
 * cells of a table without rules 0.67 and more apart (set off in height as well, then) or a glyph.
 */
const GAP = 0.8;
/** White inside a line at least this wide (glyph heights) is cut where it lies at a column's edge (cutAtColumns). */
const SOFT_GAP = 0.55;
/**
 * White inside a line at least this wide (glyph heights), narrower than SOFT_GAP, is cut only where
 * the ink after it starts a column: where lines of other rows nearby start (a label filling its
 * narrow column, 可持续影响 then the name 信息化覆盖率 0.45 glyph apart in a Ming face, where the
 * names of the rows above and below start at the same place).
 */
const TIGHT_GAP = 0.3;
/** Lines of text nearby that must start just after white inside a line for it to be cut there: wide white (SOFT_GAP), narrow (TIGHT_GAP). */
const SOFT_START_EVIDENCE = 1;
const TIGHT_START_EVIDENCE = 2;
/** Lines start at the same place (a column's left edge) within this many glyph heights. */
const SAME_START = 0.2;
/** How far above and below a line (glyph heights: two or three rows) the lines that show a column's left edge are looked for. */
const COLUMN_REACH = 6;
/**
 * After a mark or before a bracket, white inside a line at least this wide (glyph heights) may be a
 * column's edge: more than a full-width mark's square leaves (its ink at the left, 0.8–0.9 of white
 * after it in prose), as after a speck taken for a comma between two cells.
 */
const MARKED_SOFT_GAP = 1;
/** White after a mark (a comma's or stop's ink fills its square's lower left), or before an opening bracket, may be its own: 0.3 glyph more. */
const MARK_WHITE = 0.3;
/** Fragments whose middles lie within this many glyph heights of a line's are on it. */
const ALIGN = 0.25;
/**
 * Below this height (glyph heights) a fragment is part of a glyph, a mark or a speck: it does not set
 * a line's height (figures are about 0.65 of a Han glyph's).
 */
const SMALL = 0.5;
/** Small pieces of ink, one begun inside the other's span, at most this high together (glyph heights) are pieces of one glyph. */
const PIECES = 1.2;

/** A line's middle, down the page. */
const mid = (l: PixelBox): number => (l.y0 + l.y1) / 2;

/** Fragments of ink: runs of dark pixels (gaps up to `smear` filled) joined where they touch row to row. */
export function fragments(img: GrayImage, smear: number): Fragment[] {
  const { width: w, height: h, data } = img;
  const x0s: number[] = [];
  const x1s: number[] = [];
  const darks: number[] = [];
  const rowOf: number[] = [];
  const rowStart = new Int32Array(h + 1);
  for (let y = 0; y < h; y++) {
    rowStart[y] = x0s.length;
    let last = -Infinity;
    const at = y * w;
    for (let x = 0; x < w; x++) {
      if (data[at + x]! >= INK) continue;
      const n = x0s.length;
      if (n > rowStart[y]! && x - last <= smear) {
        x1s[n - 1] = x + 1;
        darks[n - 1]!++;
      } else {
        x0s.push(x);
        x1s.push(x + 1);
        darks.push(1);
        rowOf.push(y);
      }
      last = x;
    }
  }
  rowStart[h] = x0s.length;
  const parent = Int32Array.from({ length: x0s.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let y = 1; y < h; y++) {
    let j = rowStart[y - 1]!;
    for (let i = rowStart[y]!; i < rowStart[y + 1]!; i++) {
      while (j < rowStart[y]! && x1s[j]! < x0s[i]!) j++;
      // Runs that touch, corner to corner too.
      for (let k = j; k < rowStart[y]! && x0s[k]! <= x1s[i]!; k++) {
        const [a, b] = [find(i), find(k)];
        if (a !== b) parent[a] = b;
      }
    }
  }
  const byRoot = new Map<number, Fragment>();
  for (let i = 0; i < x0s.length; i++) {
    const r = find(i);
    const f = byRoot.get(r);
    const y = rowOf[i]!;
    if (!f) byRoot.set(r, { x0: x0s[i]!, y0: y, x1: x1s[i]!, y1: y + 1, dark: darks[i]! });
    else {
      f.x0 = Math.min(f.x0, x0s[i]!);
      f.x1 = Math.max(f.x1, x1s[i]!);
      f.y1 = Math.max(f.y1, y + 1);
      f.dark += darks[i]!;
    }
  }
  return [...byRoot.values()];
}

/** The page's glyph height: the middle height of fragments that span glyphs (wider than high), else a 10.5-point glyph. */
export function glyphSize(frags: Fragment[], pxPerPoint: number): number {
  const hs = frags.filter((f) => f.x1 - f.x0 >= 1.5 * (f.y1 - f.y0) && f.y1 - f.y0 >= 4 * pxPerPoint && f.y1 - f.y0 <= 30 * pxPerPoint).map((f) => f.y1 - f.y0);
  return hs.length ? middle(hs) : 10.5 * pxPerPoint;
}

/**
 * True when the line ends in a mark: its last glyph (the ink after the last white column) is
 * narrow and low, in the lower half of the line only (a comma, a stop, a 、).
 */
export function endsInMark(img: GrayImage, l: PixelBox, size: number): boolean {
  const inked = (x: number): number => {
    for (let y = l.y0; y < l.y1; y++) if (img.data[y * img.width + x]! < INK) return y;
    return -1;
  };
  let top = Infinity;
  let x = l.x1 - 1;
  for (; x >= l.x0; x--) {
    const t = inked(x);
    if (t < 0) break;
    top = Math.min(top, t);
  }
  if (x < l.x0 || l.x1 - 1 - x > 0.35 * size) return false;
  if (top > l.y0 + 0.5 * (l.y1 - l.y0)) return true;
  // Or it is set in two dots one above the other (：；！).
  let pieces = 0;
  let was = false;
  for (let y = l.y0; y < l.y1; y++) {
    let any = false;
    for (let c = x + 1; c < l.x1 && !any; c++) any = img.data[y * img.width + c]! < INK;
    if (any && !was) pieces++;
    was = any;
  }
  return pieces >= 2;
}

/**
 * True when the fragment begins with an opening bracket: its first glyph (the ink before the first
 * white column) narrow, and bowed: its top rows' ink right of its middle rows' (（ of （万元）, whose
 * square holds white on its left).
 */
export function startsWithBracket(img: GrayImage, f: PixelBox, size: number): boolean {
  const h = f.y1 - f.y0;
  if (h < SMALL * size) return false;
  const meanX = (y0: number, y1: number, x1: number): number => {
    let [n, sum] = [0, 0];
    for (let y = y0; y < y1; y++) for (let x = f.x0; x < x1; x++) if (img.data[y * img.width + x]! < INK) [n, sum] = [n + 1, sum + x];
    return n ? sum / n : NaN;
  };
  let x = f.x0;
  const inkedColumn = (c: number): boolean => {
    for (let y = f.y0; y < f.y1; y++) if (img.data[y * img.width + c]! < INK) return true;
    return false;
  };
  while (x < f.x1 && inkedColumn(x)) x++;
  if (x >= f.x1 || x - f.x0 > 0.35 * size) return false;
  const q = Math.max(1, Math.round(h / 4));
  return meanX(f.y0, f.y0 + q, x) > meanX(f.y0 + q, f.y1 - q, x) + 1;
}

/**
 * True when the box holds a full stop (。): a ring between a sixth and a half of a glyph across,
 * about as wide as high, its middle white and ink all round it.
 */
export function isStop(img: GrayImage, b: PixelBox, size: number): boolean {
  const [w, h] = [b.x1 - b.x0, b.y1 - b.y0];
  if (w < size / 6 || h < size / 6 || w > 0.5 * size || h > 0.5 * size || w > 1.6 * h || h > 1.6 * w) return false;
  const ink = (x: number, y: number): boolean => img.data[y * img.width + x]! < INK;
  const [cx, cy] = [Math.floor((b.x0 + b.x1) / 2), Math.floor((b.y0 + b.y1) / 2)];
  if (ink(cx, cy)) return false;
  // Ink on each side of the middle, along its row and its column.
  const any = (xs: number[], ys: number[]): boolean => xs.some((x) => ys.some((y) => ink(x, y)));
  const range = (a: number, z: number): number[] => Array.from({ length: Math.max(0, z - a) }, (_, i) => a + i);
  return any(range(b.x0, cx), [cy]) && any(range(cx + 1, b.x1), [cy]) && any([cx], range(b.y0, cy)) && any([cx], range(cy + 1, b.y1));
}

/** A line being chained: its box, its fragments, and white inside it that may be a column's edge. */
interface Chain extends InkLine {
  /** The line's height is its tall fragments' (a line of marks only has none yet). */
  tall: boolean;
  marked: boolean | null;
  frags: Fragment[];
  /** White between two of its fragments at least SOFT_GAP wide (MARKED_SOFT_GAP after a mark or before a bracket): [x0, x1). */
  soft: [number, number][];
  /** White between two of its fragments from TIGHT_GAP to SOFT_GAP wide (after a mark or before a bracket, see `ownWhite`): [x0, x1). */
  tight: [number, number][];
  /** White after a mark or before a bracket from SOFT_GAP to MARKED_SOFT_GAP wide (none of it in `tight`): [x0, x1). */
  ownWhite: [number, number][];
}

/** The box of some fragments: as high as the tall ones where there are any. */
function boxOf(frags: Fragment[], size: number): InkLine {
  const tall = frags.filter((f) => f.y1 - f.y0 >= SMALL * size);
  const high = tall.length ? tall : frags;
  return {
    x0: Math.min(...frags.map((f) => f.x0)),
    x1: Math.max(...frags.map((f) => f.x1)),
    y0: Math.min(...high.map((f) => f.y0)),
    y1: Math.max(...high.map((f) => f.y1)),
    dark: frags.reduce((n, f) => n + f.dark, 0),
  };
}

/** Fragments chained into lines (see above), in any order. */
function chains(img: GrayImage, text: Fragment[], size: number): Chain[] {
  const open: Chain[] = [];
  for (const f of [...text].sort((a, b) => a.x0 - b.x0)) {
    const fh = f.y1 - f.y0;
    const tall = fh >= SMALL * size;
    const fm = (f.y0 + f.y1) / 2;
    let best: Chain | null = null;
    let bestD = Infinity;
    let opens: boolean | undefined;
    for (const l of open) {
      // (A fragment that begins inside the line's span is a part of its glyphs: the bottom of 卡.)
      const gap = f.x0 - l.x1;
      if (gap > GAP * size) {
        if (gap > (GAP + MARK_WHITE) * size || !((l.marked ??= endsInMark(img, l, size)) || (opens ??= startsWithBracket(img, f, size)))) continue;
      }
      const lm = (l.y0 + l.y1) / 2;
      const inside = (a: PixelBox, b: PixelBox): boolean => a.y0 >= b.y0 - 0.2 * size && a.y1 <= b.y1 + 0.2 * size;
      // Within the line's height (a part of a glyph, a mark), or as high as the line and level with it,
      // or, small and begun inside a line of small pieces, a piece of the same glyph: the two no
      // higher than a glyph (a thin 5 binarised in two: its bar, and its body below).
      const fits =
        inside(f, l) ||
        (!l.tall && inside(l, f)) ||
        (tall && l.tall && Math.abs(fm - lm) < ALIGN * size) ||
        (!tall && !l.tall && gap < 0 && Math.max(l.y1, f.y1) - Math.min(l.y0, f.y0) <= PIECES * size);
      if (!fits) continue;
      const d = Math.abs(fm - lm);
      if (d < bestD) [best, bestD] = [l, d];
    }
    if (!best) {
      open.push({ ...f, tall, marked: null, frags: [f], soft: [], tight: [], ownWhite: [] });
      continue;
    }
    // White that may be a column's edge; after a mark or before a bracket, only beyond their own
    // allowance (a speck read as a comma bridged 质量指标 and the name beside it).
    const white = f.x0 - best.x1;
    if (white >= TIGHT_GAP * size) {
      const own = (best.marked ??= endsInMark(img, best, size)) || (opens ??= startsWithBracket(img, f, size));
      if (white >= (own ? MARKED_SOFT_GAP : SOFT_GAP) * size) best.soft.push([best.x1, f.x0]);
      else if (!own) best.tight.push([best.x1, f.x0]);
      else if (white >= SOFT_GAP * size) best.ownWhite.push([best.x1, f.x0]);
    }
    best.frags.push(f);
    best.x1 = Math.max(best.x1, f.x1);
    best.dark += f.dark;
    best.marked = null;
    if (tall && !best.tall) [best.y0, best.y1, best.tall] = [f.y0, f.y1, true];
    else if (tall) [best.y0, best.y1] = [Math.min(best.y0, f.y0), Math.max(best.y1, f.y1)];
    else if (!best.tall) {
      // Small pieces that make a glyph's height together are a glyph.
      [best.y0, best.y1] = [Math.min(best.y0, f.y0), Math.max(best.y1, f.y1)];
      best.tall = best.y1 - best.y0 >= SMALL * size;
    }
  }
  return open;
}

/**
 * Lines cut at white inside them (SOFT_GAP to GAP wide) where that white lies at a column's edge: in
 * line with white between two lines of a row nearby (a narrow column whose text fills it, 效益指标
 * then 经济效益指 0.74 glyph apart in a Ming face, where other rows leave more white there). Narrower
 * white (TIGHT_GAP to SOFT_GAP) is cut where the ink after it starts where two lines of rows nearby
 * start: a column's left edge.
 */
function cutAtColumns(lines: Chain[], size: number): Chain[] {
  const sorted = [...lines].sort((a, b) => a.x0 - b.x0);
  const edges: { x0: number; x1: number; y: number }[] = [];
  const starts: { x: number; y: number }[] = [];
  for (const l of sorted) {
    const next = sorted.find((n) => n !== l && n.x0 >= l.x1 && Math.abs(mid(n) - mid(l)) < 0.5 * size);
    if (next && next.x0 - l.x1 <= 4 * size) edges.push({ x0: l.x1, x1: next.x0, y: mid(l) });
    // Only lines of text count: two glyphs wide or more, and as high as a Han glyph (figures are lower).
    if (l.x1 - l.x0 >= 1.5 * size && l.y1 - l.y0 >= 0.9 * size) starts.push({ x: l.x0, y: mid(l) });
  }
  const near = (y: number, l: InkLine): boolean => Math.abs(y - mid(l)) <= 20 * size;
  const atEdge = (l: Chain, [a, b]: [number, number]): boolean => edges.some((e) => e.x0 < b && a < e.x1 && near(e.y, l));
  // Narrow white is cut only between text at least two glyphs wide on either side (not inside a
  // figure: 1 and 0 of a 10 above a column's single digits), only where the lines just above and
  // below do not run on across it (a paragraph's lines do: their own narrow white does not stop
  // them, since a paragraph's glyphs stand in columns, its lines' narrow white one above the
  // other), and only where two lines of text in rows within COLUMN_REACH start just after it.
  const crosses = (n: Chain, [a, b]: [number, number]): boolean => n.x0 < a && n.x1 > b && !n.soft.some(([p, q]) => p < b && a < q);
  /** Whether a line within `reach` glyph heights above or below `l` runs on across its white `w` (NEXT_LINE: a paragraph's next line). */
  const crossedWithin = (l: Chain, w: [number, number], reach: number): boolean => lines.some((n) => n !== l && Math.abs(mid(n) - mid(l)) <= reach * size && crosses(n, w));
  const startsColumn = (l: Chain, w: [number, number], evidence: number): boolean => {
    const [a, b] = w;
    if (a - l.x0 < 1.5 * size || l.x1 - b < 1.5 * size || b - a < TIGHT_GAP * (l.y1 - l.y0)) return false;
    if (crossedWithin(l, w, NEXT_LINE)) return false;
    return starts.filter((s) => Math.abs(s.x - b) <= SAME_START * size && Math.abs(s.y - mid(l)) >= 0.5 * size && Math.abs(s.y - mid(l)) <= COLUMN_REACH * size).length >= evidence;
  };
  // Wide white (SOFT_GAP) is cut at a column's edge, or where one line of text nearby starts just
  // after it (two columns of prose side by side, the left one's line filled to its edge: 交换平台的正
  // | 项目实施, the next row 常运行。 … 证信息 starting the right column); narrow white needs two.
  // Wide white in line with wide white of the line just above or below (both its ends within
  // SAME_START) is a gutter between two columns of prose whose lines both fill their column (及时更新
  // …并保障 | 能按时完成…, 行车安全…高 | 用高效…): no glyph of a paragraph leaves such white but after
  // a mark, whose white counts only from MARKED_SOFT_GAP.
  const gutter = (l: Chain, w: [number, number]): boolean => {
    const [a, b] = w;
    const nearby = lines.filter((n) => n !== l && Math.abs(mid(n) - mid(l)) <= NEXT_LINE * size);
    return nearby.some((n) => n.soft.some(([p, q]) => Math.abs(p - a) <= SAME_START * size && Math.abs(q - b) <= SAME_START * size)) && !nearby.some((n) => crosses(n, w));
  };
  // White after a mark (or before a bracket) wide enough for a column's edge but within the mark's
  // own allowance is cut where it lies inside the white between two lines of a row above and of a
  // row below, each within COLUMN_ROWS, no line within COLUMN_ROWS running across it, and text 1.5
  // glyphs wide on either side: a target's bracket faded to a mark's remnant (=4.00(次/月 then
  // 4.00(次/月), 0.78 glyph apart) beside a centred column whose starts show no edge.
  const betweenColumns = (l: Chain, w: [number, number]): boolean => {
    const [a, b] = w;
    if (a - l.x0 < 1.5 * size || l.x1 - b < 1.5 * size) return false;
    if (crossedWithin(l, w, COLUMN_ROWS)) return false;
    const around = edges.filter((e) => e.x0 <= a && e.x1 >= b && Math.abs(e.y - mid(l)) >= 0.5 * size && Math.abs(e.y - mid(l)) <= COLUMN_ROWS * size);
    return around.some((e) => e.y < mid(l)) && around.some((e) => e.y > mid(l));
  };
  return lines.flatMap((l) => {
    const cuts = [
      ...l.soft.filter((w) => atEdge(l, w) || startsColumn(l, w, SOFT_START_EVIDENCE) || gutter(l, w)),
      ...l.tight.filter((w) => startsColumn(l, w, TIGHT_START_EVIDENCE)),
      ...l.ownWhite.filter((w) => startsColumn(l, w, TIGHT_START_EVIDENCE) || betweenColumns(l, w)),
    ].sort((p, q) => p[0] - q[0]);
    if (cuts.length === 0) return [l];
    const parts: Fragment[][] = Array.from({ length: cuts.length + 1 }, () => []);
    for (const f of l.frags) parts[cuts.filter(([a, b]) => (f.x0 + f.x1) / 2 > (a + b) / 2).length]!.push(f);
    return parts.filter((p) => p.length).map((p) => ({ ...l, ...boxOf(p, size), frags: p, soft: [], tight: [], ownWhite: [] }));
  });
}

/** How far above and below a line (glyph heights) the line just above or below it stands. */
const NEXT_LINE = 1.6;
/** How far above and below a line (glyph heights: the next row or so) white between two lines shows a column's edge for white after a mark, and no line may run across it. */
const COLUMN_ROWS = 4;

/** Rows of text this far above or below a line (glyph heights: the next row or the one after) show a gutter it runs across. */
const GUTTER_REACH = 3.2;
/** Passes of cutAtGutters at most (each may show the gutter to the next). */
const GUTTER_PASSES = 3;
/** How far above and below a line (glyph heights: four rows or so) the rows that show a gutter are counted. */
const GUTTER_BLOCK = 5;
/** White between two lines of a row at most this wide (glyph heights) is a gutter between columns of prose. */
const GUTTER_WHITE = 2;

/**
 * A line that runs across the gutter between two columns of prose, where lines of the rows just
 * above and just below both break at it (their right-hand lines starting at one place): cut at the
 * gutter's middle, a fragment that spans it split there. Two columns whose lines fill them leave
 * white about half a glyph wide between them; a speck in it, or a glyph set tight against it, joins
 * the two (业务通知 | 类相关业务, the left column's line ended with no white before the right's), and
 * the stream reader would then take the two columns' text for one cell's.
 */
function cutAtGutters(img: GrayImage, lines: Chain[], size: number): Chain[] {
  // A line cut shows the gutter to the next: two rows running across it near each other are cut one after the other.
  for (let pass = 0; pass < GUTTER_PASSES; pass++) {
    const cut = cutAtGuttersOnce(img, lines, size);
    if (cut.length === lines.length) return cut;
    lines = cut;
  }
  return lines;
}

function cutAtGuttersOnce(img: GrayImage, lines: Chain[], size: number): Chain[] {
  const isText = (l: Chain): boolean => l.tall && l.x1 - l.x0 >= 1.5 * size;
  const text = bands(lines.filter(isText).sort((a, b) => a.x0 - b.x0), mid, size);
  const found: { a: number; b: number; y: number }[] = [];
  for (const l of text.all) {
    const r = text.near(mid(l), 0.5).find((n) => n.x0 >= l.x1 && n.x0 - l.x1 <= GUTTER_WHITE * size && Math.abs(mid(n) - mid(l)) < 0.5 * size);
    if (r) found.push({ a: l.x1, b: r.x0, y: mid(l) });
  }
  if (found.length < 2) return lines;
  const gutters = bands(found, (g) => g.y, size);
  // The rows about the line (GUTTER_BLOCK glyph heights either way) whose lines break at b against
  // those whose lines run across it: two columns of prose break in most rows, glyphs that stand one
  // above the other in a paragraph (a mark's white in two rows) in few.
  const gutterOfBlock = (l: Chain, b: number): boolean => {
    const breaks = new Set(gutters.near(mid(l), GUTTER_BLOCK).filter((g) => Math.abs(g.b - b) <= SAME_START * size).map((g) => Math.round(g.y / size)));
    const crosses = new Set(text.near(mid(l), GUTTER_BLOCK).filter((n) => n.x0 < b - size && n.x1 > b + size).map((n) => Math.round(mid(n) / size)));
    return breaks.size >= 3 && breaks.size >= 2 * crosses.size;
  };
  return lines.flatMap((l) => {
    if (!isText(l)) return [l];
    const across = gutters.near(mid(l), GUTTER_REACH).filter((g) => l.x0 < g.a - 0.5 * size && l.x1 > g.b + 0.5 * size && Math.abs(g.y - mid(l)) >= 0.5 * size);
    const above = across.filter((g) => g.y < mid(l));
    const pair = above.flatMap((g) => across.filter((h) => h.y > mid(l) && Math.abs(h.b - g.b) <= SAME_START * size).map((h) => [g, h] as const))[0];
    if (!pair || !gutterOfBlock(l, pair[0].b)) return [l];
    const [g, h] = pair;
    const cut = Math.round((Math.max(g.a, h.a) + Math.min(g.b, h.b)) / 2);
    // Only through a speck or a stroke: a glyph standing in the gutter (a heading or a spanning row's
    // text between two blocks of two columns) is no bridge.
    if (tallInk(img, cut, l.y0, l.y1) > SMALL * size) return [l];
    const left: Fragment[] = [];
    const right: Fragment[] = [];
    for (const f of l.frags) {
      if (f.x1 <= cut) left.push(f);
      else if (f.x0 >= cut) right.push(f);
      else {
        // A fragment across the gutter: its ink split at the cut, in proportion to its width either side.
        const share = (cut - f.x0) / (f.x1 - f.x0);
        left.push({ ...f, x1: cut, dark: Math.round(f.dark * share) });
        right.push({ ...f, x0: cut, dark: f.dark - Math.round(f.dark * share) });
      }
    }
    const parts = [left, right].map((p) => ({ ...l, ...boxOf(p, size), frags: p, soft: [], tight: [], ownWhite: [] }));
    return parts.every((p) => p.frags.length > 0 && p.x1 - p.x0 >= 0.5 * size) ? parts : [l];
  });
}

/**
 * Items filed by row (one band a glyph high), so that those within a reach of a height are found
 * without a pass over the page's every line: `near(y, reach)` holds every item whose y is within
 * reach glyph heights of y, in the order of `all`.
 */
function bands<T>(all: T[], yOf: (t: T) => number, size: number): { all: T[]; near: (y: number, reach: number) => T[] } {
  const band = new Map<number, T[]>();
  for (const t of all) {
    const k = Math.floor(yOf(t) / size);
    const row = band.get(k);
    if (row) row.push(t);
    else band.set(k, [t]);
  }
  const order = new Map(all.map((t, i) => [t, i]));
  const near = (y: number, reach: number): T[] => {
    const out: T[] = [];
    for (let k = Math.floor((y - reach * size) / size); k <= Math.floor((y + reach * size) / size); k++) out.push(...(band.get(k) ?? []));
    return out.filter((t) => Math.abs(yOf(t) - y) <= reach * size).sort((p, q) => order.get(p)! - order.get(q)!);
  };
  return { all, near };
}

/** The longest run of ink down the pixel columns x-1..x+1 between y0 and y1. */
function tallInk(img: GrayImage, x: number, y0: number, y1: number): number {
  let longest = 0;
  for (let c = Math.max(0, x - 1); c <= Math.min(img.width - 1, x + 1); c++) {
    let run = 0;
    for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
      run = img.data[y * img.width + c]! < INK ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
  }
  return longest;
}

/**
 * Bars of a speck's size that are the top of a thin 5 binarised in two: flat (wider than high),
 * over the body of the glyph, a piece of ink lower than half a glyph (SMALL) but more than a dash
 * is high, and no speck itself, that begins under it a little below (within BAR_GAP) and makes with
 * it at least half a glyph's height and no more than a glyph's (PIECES). Its body alone is no line
 * (too low), nor, as a speck, is the bar. The bodies are looked up by the row they begin in.
 */
function barsOverBodies(frags: readonly Fragment[], size: number, speckSized: (f: Fragment) => boolean): (bar: Fragment) => boolean {
  const bodies = new Map<number, Fragment[]>();
  for (const f of frags) {
    const h = f.y1 - f.y0;
    if (h >= SMALL * size || h <= DASH_HIGH * size || speckSized(f)) continue;
    bodies.set(f.y0, [...(bodies.get(f.y0) ?? []), f]);
  }
  return (bar) => {
    if (bar.x1 - bar.x0 <= bar.y1 - bar.y0) return false;
    for (let y = bar.y1; y <= bar.y1 + BAR_GAP * size; y++) {
      for (const body of bodies.get(y) ?? []) {
        const high = body.y1 - bar.y0;
        if (body.x0 <= bar.x1 && body.x1 >= bar.x0 && high >= SMALL * size && high <= PIECES * size) return true;
      }
    }
    return false;
  };
}

/** How far after a glyph (glyph heights) a mark's ink begins: a comma's, set at the left of its square. */
const MARK_AFTER = 0.35;
/** How far below a glyph's foot (glyph heights) a mark's ink may reach (a comma's tail), and how far above it its foot may stand. */
const MARK_BELOW = 0.3;
const MARK_ABOVE = 0.1;
/** The most white (glyph heights) from a glyph to the next one of its line that a mark between them stands in. */
const MARK_SQUARE = 1.5;
/**
 * A comma's ink: higher than wide, at least this high (glyph heights) and this dark (pixels per
 * pixel of glyph height). A Ming face's comma at 200 dpi: 2–3 × 4–6 pixels, 8–11 dark, of a
 * 24-pixel glyph; a binarised photocopy's specks (1 × 1 to 4 × 3, 1–9 dark) are lower, flat or fainter.
 */
const MARK_HIGH = 0.16;
const MARK_INK = 0.3;

/**
 * Marks of a speck's size between two glyphs of a line: a thin face's comma (9 dark pixels of a
 * 24-pixel glyph, 措施:改进应用程序，增加功能 in a Ming face at 200 dpi), which the speck filter would
 * drop and with it the white's reason. Ink shaped as a comma's (MARK_HIGH, MARK_INK), in the lower
 * half of a line, begun just after a glyph (within MARK_AFTER), its foot level with the glyph's
 * (MARK_ABOVE over it to MARK_BELOW under it), with a glyph of the same line after it within
 * MARK_SQUARE of the first. A photocopy's specks lie anywhere; rarely so.
 */
function marksBetweenGlyphs(frags: readonly Fragment[], size: number, speckSized: (f: Fragment) => boolean): (mark: Fragment) => boolean {
  const byFoot = bands(
    frags.filter((f) => f.y1 - f.y0 >= SMALL * size && f.y1 - f.y0 <= 2.5 * size && !speckSized(f)),
    (g) => g.y1,
    size,
  );
  const commaShaped = (m: Fragment): boolean => m.y1 - m.y0 > m.x1 - m.x0 && m.y1 - m.y0 >= MARK_HIGH * size && m.dark >= MARK_INK * size;
  return (m) =>
    commaShaped(m) &&
    byFoot.near(m.y1, MARK_BELOW).some(
      (g) =>
        m.x0 >= g.x1 &&
        m.x0 - g.x1 <= MARK_AFTER * size &&
        m.y0 >= mid(g) &&
        m.y1 >= g.y1 - MARK_ABOVE * size &&
        m.y1 - g.y1 <= MARK_BELOW * size &&
        byFoot.near(g.y1, 1).some((h) => h.x0 >= m.x1 && h.x0 - g.x1 <= MARK_SQUARE * size && Math.abs(mid(h) - mid(g)) < ALIGN * size),
    );
}

/** A figure's glyphs are lower than a Han glyph: from half (SMALL) to this many glyph heights high (0.7 in the samples' faces). */
const FIGURE_HIGH = 0.85;
/** A decimal point's ink: at most this wide and high (glyph heights), about as wide as high, at least this dark (pixels per pixel of glyph height). */
const POINT_SIDE = 0.3;
const POINT_INK = 0.25;
/** The most white (glyph heights) on each side of a decimal point: a thin face sets it in the middle of its own narrow square. */
const POINT_WHITE = 0.5;
/** The most white (glyph heights) from the glyph before a decimal point to the glyph after it: 0.91 in 1,321.18 (Ming face, 200 dpi). */
const POINT_GAP = 1;
/** How far (glyph heights) a point's foot and the feet and tops of the glyphs either side of it may stand apart. */
const POINT_LEVEL = 0.1;
/** A decimal point is at most this many times as wide as high, or as high as wide. */
const POINT_ASPECT = 1.6;

/**
 * Decimal points of a speck's size between two figures' glyphs: a thin face's point (3 × 3 pixels,
 * 7 dark, of a 23-pixel glyph: 1,321.18 in a Ming face at 200 dpi), which the speck filter would
 * drop, and with it the line across the white it stands in (1,321 and 18 read apart, 18 taken for
 * the next column's). Ink about as wide as high (POINT_SIDE, POINT_ASPECT, POINT_INK) whose foot
 * is level with the glyphs' on either side (POINT_LEVEL), each within POINT_WHITE of it and the two
 * within POINT_GAP of each other (two figures of two columns stand further apart), both as high as
 * figures (SMALL to FIGURE_HIGH) and level with each other.
 */
function pointsBetweenFigures(frags: readonly Fragment[], size: number): (point: Fragment) => boolean {
  // (A figure's glyph, at least half a glyph high, is no speck.)
  const byFoot = bands(
    frags.filter((f) => f.y1 - f.y0 >= SMALL * size && f.y1 - f.y0 <= FIGURE_HIGH * size),
    (g) => g.y1,
    size,
  );
  const level = (a: number, b: number): boolean => Math.abs(a - b) <= POINT_LEVEL * size;
  const pointShaped = (m: Fragment): boolean => {
    const [w, h] = [m.x1 - m.x0, m.y1 - m.y0];
    return w <= POINT_SIDE * size && h <= POINT_SIDE * size && w <= POINT_ASPECT * h && h <= POINT_ASPECT * w && m.dark >= POINT_INK * size;
  };
  return (m) => {
    if (!pointShaped(m)) return false;
    // (near() holds the glyphs whose feet are level with the point's.)
    const near = byFoot.near(m.y1, POINT_LEVEL);
    return near.some(
      (g) =>
        m.x0 >= g.x1 &&
        m.x0 - g.x1 <= POINT_WHITE * size &&
        near.some((h) => h.x0 >= m.x1 && h.x0 - m.x1 <= POINT_WHITE * size && h.x0 - g.x1 <= POINT_GAP * size && level(h.y0, g.y0)),
    );
  };
}

/** The most a dash's ink is high (glyph heights), as findLines tells a lone dash. */
const DASH_HIGH = 0.25;

/** The most white between a thin 5's bar and its body (glyph heights): 4 pixels of a 23-pixel glyph on a binarised 200-dpi photocopy. */
const BAR_GAP = 0.3;

/** The page's lines of text (see above), top to bottom and left to right, and its glyph height. */
export function findLines(img: GrayImage, pxPerPoint: number): { lines: InkLine[]; size: number } {
  const frags = fragments(img, Math.max(1, Math.round(SMEAR_POINTS * pxPerPoint)));
  const size = glyphSize(frags, pxPerPoint);
  // Not text: ink far taller than a glyph (a seal, a picture, a scanner's shadowed edge), or a long
  // thin stroke (what erasing left of a rule).
  // Nor a speck (a photocopy's): less ink than a 、 in a box smaller than a third of a glyph; specks
  // chained into a line would bridge the white between two cells.
  const speckSized = (f: Fragment): boolean => f.dark < 0.02 * size * size && f.x1 - f.x0 < 0.3 * size && f.y1 - f.y0 < 0.3 * size;
  const barOverBody = barsOverBodies(frags, size, speckSized);
  const comma = marksBetweenGlyphs(frags, size, speckSized);
  const point = pointsBetweenFigures(frags, size);
  const speck = (f: Fragment): boolean => speckSized(f) && !barOverBody(f) && !comma(f) && !point(f);
  const text = frags.filter((f) => f.y1 - f.y0 <= 2.5 * size && !(f.y1 - f.y0 < 0.25 * size && f.x1 - f.x0 > 3 * size) && !speck(f));
  // Specks: a line of marks only, or too little ink for a glyph. A lone dash is kept: it holds an
  // empty cell's place (其中 … - 99.14 -), by which the stream reader aligns the row's columns.
  // So is a lone full stop: a ring, its middle white. It is given a glyph's square, its ink at the
  // bottom, as a text layer places it.
  const dash = (l: Chain): boolean => !l.tall && l.frags.length === 1 && l.x1 - l.x0 >= 0.25 * size && l.x1 - l.x0 <= 1.5 * size && l.y1 - l.y0 <= DASH_HIGH * size && l.dark >= 0.6 * (l.x1 - l.x0) * (l.y1 - l.y0);
  const markOf = (l: Chain): InkLine['mark'] => (dash(l) ? '-' : !l.tall && l.frags.length === 1 && isStop(img, l, size) ? '。' : undefined);
  const lines = cutAtGutters(img, cutAtColumns(chains(img, text, size), size), size)
    .flatMap((l): InkLine[] => {
      if (l.tall && l.dark >= 0.03 * size * size) return [{ x0: l.x0, y0: l.y0, x1: l.x1, y1: l.y1, dark: l.dark }];
      const mark = markOf(l);
      if (mark === '-') return [{ x0: l.x0, y0: l.y0, x1: l.x1, y1: l.y1, dark: l.dark, mark }];
      return mark ? [{ x0: l.x0, y0: Math.min(l.y0, Math.round(l.y1 - 0.9 * size)), x1: l.x1, y1: l.y1, dark: l.dark, mark }] : [];
    })
    .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  return { lines, size };
}

/**
 * The tokens read in a line of ink, placed as a text layer places a phrase: where its ink is, and
 * at least a glyph high about the line's middle (figures' ink is lower than a glyph; the stream
 * reader tells a cell's next line from the next row by the pitch in glyph heights). A line read as
 * several keeps the places its reading gave them.
 */
export function placed(l: PixelBox, size: number, read: Token[]): Token[] {
  if (read.length !== 1) return read;
  const h = Math.max(size, l.y1 - l.y0);
  const box = { x: l.x0, y: (l.y0 + l.y1) / 2 - h / 2, w: l.x1 - l.x0, h };
  return [{ ...read[0]!, x: box.x / h, width: box.w / h, box }];
}

/** Tokens in rows as a text layer's items are set in lines: middles within half a glyph of the row's first; each row left to right. */
export function tokenRows(tokens: Token[]): Token[][] {
  const mid = (t: Token): number => t.box!.y + t.box!.h / 2;
  const rows: Token[][] = [];
  for (const t of tokens.filter((t) => t.box).sort((a, b) => mid(a) - mid(b))) {
    const ref = rows.at(-1)?.[0];
    if (ref && Math.abs(mid(t) - mid(ref)) < 0.5 * Math.min(t.box!.h, ref.box!.h)) rows.at(-1)!.push(t);
    else rows.push([t]);
  }
  return rows.map((r) => r.sort((a, b) => a.box!.x - b.box!.x));
}
