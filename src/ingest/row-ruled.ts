/**
 * Tables ruled between rows only (no vertical rules) on a page image. Their columns are found in
 * the white between cells and given as inferred vertical rules, so that the cell-by-cell OCR and the
 * lattice reader (layout/grid.ts) read them as they read a fully ruled table:
 *  - a table: three or more long horizontal rules one under another, sharing their extent, that
 *    form no lattice with vertical rules, and the shorter rules within it (under merged cells);
 *  - its rows: the bands between successive rule heights;
 *  - its sections: runs of rows that share their columns (the budget rows, the indicator rows).
 *    A row joins the section above when neither cuts the other's text: its gaps between cells fall
 *    where the section is white, and the section's column gaps where the row is white. A row that
 *    fits both the section above and the row below, sharing a column boundary with it, where the
 *    row below does not fit that section, is the header of the row below (预期目标 | 实际完成情况
 *    over the goal texts). Text heights are measured under each cell apart;
 *  - a section's column boundaries: the gaps that all its rows leave white, with text on both sides
 *    in two rows, wide in two of them; or wide with white around it in one (a header centred over
 *    its column) where the others hold left-aligned texts of several lines starting at the gap
 *    (texts filling their cells). A very wide gap with text on both sides in one row is a
 *    boundary (项目名称 and its value), and so is one where a rule between the section's rows
 *    stops (a merged cell's side), the rule's end giving the boundary's place. The white after a
 *    。or ，inside a line of text, up to a text height wide, is in one row only, or not followed
 *    by the text's other lines;
 *  - a photocopy's speckle (blots of a few pixels) is not ink here.
 * The table's left and right ends are its rules' ends.
 *
 * Also the rules of ruled (lattice) tables that a photocopy lost: column rules (lostColumnRules),
 * row rules (lostRowRules, with the column rules standing on one row rule, columnStubs, and labels
 * centred in merged cells kept whole, labelSpans).
 */
import { blots, type GrayImage } from './image.js';
import { cluster, type Grid } from '../layout/grid.js';
import type { Rule } from './types.js';

/** A table's long row rules span at least this share of the page's width. */
const MIN_RULE_SHARE = 0.4;
/** Rules further apart than this share of the page's height are not one table's. */
const MAX_ROW_SHARE = 0.25;

/**
 * Gap widths, in text heights: a gap between two cells of a row is at least WIDE_GAP (wider than
 * the white after a 。or ，inside a line of text, up to a text height); a section's rows leave at
 * least NARROW_GAP white along a column boundary; a gap of ROW_GAP is a boundary on its own.
 */
const WIDE_GAP = 1.5;
const NARROW_GAP = 0.5;
const ROW_GAP = 2;

const isH = (r: Rule): boolean => r.y1 === r.y2;

/**
 * The horizontal rules (of `candidates`) that stack into tables ruled between rows: long rules
 * (MIN_RULE_SHARE of the page's width), none of them `taken` (part of a lattice table), one under
 * another with a shared extent; then the shorter rules lying within such a table (under merged
 * cells), which divide its rows too. Each table's rules, top to bottom.
 */
export function rowRuledStacks(candidates: Rule[], width: number, height: number, snap: number, taken: (r: Rule) => boolean = () => false): Rule[][] {
  const free = candidates.filter((r) => isH(r) && r.x2 > r.x1 && !taken(r)).sort((a, b) => a.y1 - b.y1);
  const stacks: { rules: Rule[]; x0: number; x1: number; y: number }[] = [];
  for (const r of free.filter((q) => q.x2 - q.x1 >= MIN_RULE_SHARE * width)) {
    const s = stacks.find((t) => r.y1 - t.y <= MAX_ROW_SHARE * height && Math.min(t.x1, r.x2) - Math.max(t.x0, r.x1) >= 0.5 * (r.x2 - r.x1));
    if (s) {
      s.rules.push(r);
      s.x0 = Math.min(s.x0, r.x1);
      s.x1 = Math.max(s.x1, r.x2);
      s.y = r.y1;
    } else stacks.push({ rules: [r], x0: r.x1, x1: r.x2, y: r.y1 });
  }
  return stacks
    .filter((s) => cluster(s.rules.map((r) => r.y1), snap).length >= 3)
    .map((s) => {
      const [top, bottom] = [s.rules[0]!.y1, s.y];
      const inside = free.filter((r) => !s.rules.includes(r) && r.y1 > top + snap && r.y1 < bottom - snap && r.x1 >= s.x0 - snap && r.x2 <= s.x1 + snap);
      return [...s.rules, ...inside].sort((p, q) => p.y1 - q.y1);
    });
}

/** A run of white columns (in page x); `inner` when ink lies on both sides of it within the table. */
interface Gap {
  a: number;
  b: number;
  inner: boolean;
}

/** Lighter than DARK: a thin horizontal stroke (一) scanned at 200 dpi is light gray, and is ink between glyphs. */
const INK = 190;

/** The ink of a table's box, in box coordinates, without the speckle of a photocopy. */
interface InkMap {
  x0: number;
  y0: number;
  width: number;
  height: number;
  ink: Uint8Array;
}

/**
 * The ink in the box with its specks removed: connected blots (8-neighbours) of fewer than
 * `minSize` pixels (a photocopy's speckle, 1 to 6 pixels at 200 dpi; a printed full stop has more).
 * Blots are found as runs of ink along rows, joined where runs of neighbouring rows touch.
 */
export function inkMap(img: GrayImage, left: number, top: number, right: number, bottom: number, minSize: number): InkMap {
  // Whole pixels within the image.
  const [x0, y0] = [Math.max(0, Math.round(left)), Math.max(0, Math.round(top))];
  const [width, height] = [Math.max(0, Math.min(img.width, Math.round(right)) - x0), Math.max(0, Math.min(img.height, Math.round(bottom)) - y0)];
  const ink = new Uint8Array(width * height);
  const { runs, blot, size } = blots(img, x0, y0, width, height, INK);
  for (let r = 0; r < blot.length; r++) {
    if (size[blot[r]!]! >= minSize) ink.fill(1, runs[3 * r]! * width + runs[3 * r + 1]!, runs[3 * r]! * width + runs[3 * r + 2]!);
  }
  return { x0, y0, width, height, ink };
}

/** Columns holding ink in the band's rows (page y0 … y1), as 0/1 by column of the map. */
function inkedColumns(map: InkMap, y0: number, y1: number): Uint8Array {
  const out = new Uint8Array(map.width);
  for (let y = Math.max(0, y0 - map.y0); y < Math.min(map.height, y1 - map.y0); y++) {
    const row = y * map.width;
    for (let x = 0; x < map.width; x++) if (map.ink[row + x]) out[x] = 1;
  }
  return out;
}

/** The runs of white columns (in page x). */
function gapsOf(inked: Uint8Array, x0: number): Gap[] {
  const gaps: Gap[] = [];
  let start = -1;
  for (let i = 0; i <= inked.length; i++) {
    const white = i < inked.length && inked[i] === 0;
    if (white && start < 0) start = i;
    else if (!white && start >= 0) {
      gaps.push({ a: x0 + start, b: x0 + i, inner: start > 0 && i < inked.length });
      start = -1;
    }
  }
  return gaps;
}

/** Heights of the runs of rows (page y0 … y1) holding ink in the map's columns a … b: its lines of text there. */
function rowRuns(map: InkMap, y0: number, y1: number, a: number, b: number): number[] {
  const [ya, yb] = [Math.max(0, y0 - map.y0), Math.min(map.height, y1 - map.y0)];
  const runs: number[] = [];
  let start = -1;
  for (let y = ya; y <= yb; y++) {
    const ink = y < yb && map.ink.subarray(y * map.width + a, y * map.width + b).includes(1);
    if (ink && start < 0) start = y;
    else if (!ink && start >= 0) {
      runs.push(y - start);
      start = -1;
    }
  }
  return runs;
}

/**
 * The usual height of a line of text in the bands, in pixels: runs of inked rows between white
 * rows, measured under each run of inked columns apart (a one-line figure centred beside a
 * two-line label would fill the white between the label's lines).
 */
function textHeight(map: InkMap, bands: [number, number][], inked: Uint8Array[], fallback: number): number {
  const heights = bands.flatMap(([y0, y1], band) => gapsOf(Uint8Array.from(inked[band]!, (v) => 1 - v), 0).flatMap(({ a, b }) => rowRuns(map, y0, y1, a, b)));
  const tall = heights.filter((h) => h >= 3).sort((x, y) => x - y);
  return tall.length ? tall[tall.length >> 1]! : fallback;
}

/** The columns of a section of rows (band indexes, top to bottom), judged on their ink. */
class Columns {
  constructor(
    private readonly map: InkMap,
    private readonly bands: [number, number][],
    private readonly inked: Uint8Array[],
    private readonly em: number,
  ) {
    this.gaps = inked.map((ink) => gapsOf(ink, map.x0));
  }

  /** Each band's runs of white. */
  private readonly gaps: Gap[][];

  /** Union of the bands' ink. */
  private union(bands: number[]): Uint8Array {
    const u = new Uint8Array(this.inked[0]?.length ?? 0);
    for (const b of bands) {
      const ink = this.inked[b]!;
      for (let i = 0; i < u.length; i++) u[i] = u[i]! | ink[i]!;
    }
    return u;
  }

  /** The band's run of white that holds the gap, when it has ink on both sides. */
  private within(band: number, g: Gap): Gap | undefined {
    return this.gaps[band]!.find((w) => w.inner && w.a <= g.a && w.b >= g.b);
  }

  /** Lines of text in the band that begin at x (ink within a third of a text height after it): a left-aligned cell's lines. */
  private linesStartingAt(band: number, x: number): number {
    const [y0, y1] = this.bands[band]!;
    const a = x - this.map.x0;
    return rowRuns(this.map, y0, y1, a, Math.min(this.map.width, a + Math.round(this.em / 3))).length;
  }

  /**
   * The section's column gaps, white in every band: one where a rule between two of the bands
   * ends (`ruleEnds`: a merged cell's side); a very wide one with text on both sides in a band (two
   * cells of a one-row section, 项目名称 and its value); one with text on both sides in two bands,
   * lying in a wide gap between cells in two of them, or else in one of them with white around it
   * (a header centred over its column) where every other band holds a left-aligned text of several
   * lines starting at the gap (texts filling their cells). The white after a 。or ，inside a line
   * of text is up to a text height wide: in one band only, or not followed by the text's other lines.
   */
  boundaries(bands: number[], ruleEnds: number[] = []): Gap[] {
    const em = this.em;
    return gapsOf(this.union(bands), this.map.x0).filter((g) => {
      if (!g.inner || g.b - g.a < NARROW_GAP * em) return false;
      if (ruleEnds.some((e) => e > g.a && e < g.b)) return true;
      const flanked = bands.flatMap((b) => {
        const w = this.within(b, g);
        return w ? [{ b, w }] : [];
      });
      if (g.b - g.a >= ROW_GAP * em && flanked.length >= 1) return true;
      if (flanked.length < 2) return false;
      const wide = flanked.filter(({ w }) => w.b - w.a >= WIDE_GAP * em);
      if (wide.length >= 2) return true;
      const clear = wide.some(({ w }) => g.a - w.a >= NARROW_GAP * em && w.b - g.b >= NARROW_GAP * em);
      return clear && flanked.every(({ b, w }) => w.b - w.a >= WIDE_GAP * em || this.linesStartingAt(b, g.b) >= 2);
    });
  }

  /** Neither the band nor the section cuts the other's text: the band's wide gaps between cells and the section's column gaps. */
  fits(band: number, section: number[]): boolean {
    if (section.length === 0) return true;
    const white = (gaps: Gap[], g: Gap): boolean => gaps.some((w) => Math.min(w.b, g.b) - Math.max(w.a, g.a) >= NARROW_GAP * this.em);
    const own = this.gaps[band]!.filter((g) => g.inner && g.b - g.a >= WIDE_GAP * this.em);
    const theirs = this.boundaries(section);
    const sectionWhite = gapsOf(this.union(section), this.map.x0);
    return own.every((g) => white(sectionWhite, g)) && theirs.every((g) => white(this.gaps[band]!, g));
  }
}

/** Groups the bands into sections of rows that share their columns (a band without ink joins the one above). */
function sections(cols: Columns, inked: Uint8Array[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  const empty = (b: number): boolean => !inked[b]!.includes(1);
  for (let b = 0; b < inked.length; b++) {
    const inkedSoFar = cur.filter((k) => !empty(k));
    let joins = empty(b) || cols.fits(b, inkedSoFar);
    if (joins && !empty(b) && inkedSoFar.length > 0) {
      // The header of the row below: that row does not fit this section with it, and it fits that
      // row, the two sharing a column boundary (a row spanning the columns has none to share).
      const next = b + 1 < inked.length && !empty(b + 1) ? b + 1 : -1;
      if (next >= 0 && !cols.fits(next, [...inkedSoFar, b]) && cols.fits(next, [b]) && cols.boundaries([b, next]).length > 0) joins = false;
    }
    if (!joins) {
      out.push(cur);
      cur = [];
    }
    cur.push(b);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** How far inside a cell its ink is looked at: off the (erased) rule and its blur. */
const ruleEdge = (pxPerPoint: number): number => Math.round(1.6 * pxPerPoint);
/** Blots of fewer pixels are a photocopy's speckle (8 at 200 dpi). */
const speckSize = (pxPerPoint: number): number => Math.round(8 * (pxPerPoint / (200 / 72)) ** 2);

/**
 * Inferred vertical rules for one table ruled between rows (`rules`, its horizontal rules) on an
 * image whose rules are erased: its two ends and every column boundary of each section, from the
 * rule above the section's first row to the rule below its last.
 */
export function inferredColumns(img: GrayImage, rules: Rule[], pxPerPoint: number): Rule[] {
  const snap = 2 * pxPerPoint;
  const ys = cluster(rules.map((r) => r.y1), snap).filter((y) => y >= 0 && y < img.height);
  if (ys.length < 2) return [];
  const x0 = Math.max(0, Math.round(Math.min(...rules.map((r) => Math.min(r.x1, r.x2)))));
  const x1 = Math.min(img.width, Math.round(Math.max(...rules.map((r) => Math.max(r.x1, r.x2)))));
  if (x1 - x0 < 2) return [];
  const edge = ruleEdge(pxPerPoint);
  const bands: [number, number][] = ys.slice(1).map((y, i) => [Math.round(ys[i]! + edge), Math.round(y - edge)]);
  const map = inkMap(img, x0, ys[0]!, x1, ys.at(-1)!, speckSize(pxPerPoint));
  const inked = bands.map(([y0, y1]) => inkedColumns(map, y0, y1));
  const em = textHeight(map, bands, inked, 10 * pxPerPoint);
  const cols = new Columns(map, bands, inked, em);
  const out: Rule[] = [
    { x1: x0, y1: ys[0]!, x2: x0, y2: ys.at(-1)!, inferred: true },
    { x1: x1, y1: ys[0]!, x2: x1, y2: ys.at(-1)!, inferred: true },
  ];
  for (const section of sections(cols, inked)) {
    const [top, bottom] = [ys[section[0]!]!, ys[section.at(-1)! + 1]!];
    // Rule ends short of the table's ends between the section's rows: the sides of merged cells.
    const ends = rules
      .filter((r) => r.y1 > top + snap && r.y1 < bottom - snap)
      .flatMap((r) => [r.x1, r.x2])
      .filter((x) => x > x0 + snap && x < x1 - snap);
    for (const g of cols.boundaries(section.filter((b) => inked[b]!.includes(1)), ends)) {
      const x = Math.round(ends.find((e) => e > g.a && e < g.b) ?? (g.a + g.b) / 2);
      out.push({ x1: x, y1: top, x2: x, y2: bottom, inferred: true });
    }
  }
  return out;
}

/**
 * The least white (points, and text heights) a column rule a photocopy lost leaves between the
 * texts of the cells it divided: a value and its neighbour column's (100.00 | 10.00 under
 * 执行率(%) | 得分, 27 points and three text heights apart at 200 dpi). Words inside a cell of these
 * forms stand at most a full-width space apart.
 */
const LOST_RULE_WHITE = 15;
const LOST_RULE_EMS = 2;
/** Cells one under another, of one span, that a lost rule must run through: a table's column, not a cell or two. */
const LOST_RULE_CELLS = 3;
/** Text on a side of a lost rule, in two of its cells at least, this many text heights wide: more than a glyph (a letter-spaced 项 目 名 称 is no columns). */
const LOST_RULE_SIDE = 1.5;

/**
 * Column rules of a lattice table that a photocopy lost whole (a thin rule under the copy's
 * threshold, its cells read two columns as one: 执行率(%)得分, 100.001000 on a binarised copy): in a
 * stack of LOST_RULE_CELLS or more cells one under another with the same left and right rules, one
 * run of columns white in every cell of the stack (a photocopy's speckle is no ink) and at least
 * LOST_RULE_WHITE points and LOST_RULE_EMS text heights wide, with ink on both sides of it in
 * every cell but one, and text wider than LOST_RULE_SIDE text heights on both sides in two cells.
 * A stack with two such runs or more is letter-spaced text, and has none. Given as inferred
 * vertical rules through the stack, so that the cells are read, and laid out, as the printed rule
 * divided them. `grids` are the page's lattice tables (with column rules of their own), `img` the
 * page with their rules erased.
 */
export function lostColumnRules(img: GrayImage, grids: readonly Grid[], pxPerPoint: number): Rule[] {
  const out: Rule[] = [];
  const edge = ruleEdge(pxPerPoint);
  for (const grid of grids) {
    const spans = new Map<string, Grid['cells']>();
    for (const c of grid.cells) spans.set(`${c.col}:${c.colEnd}`, [...(spans.get(`${c.col}:${c.colEnd}`) ?? []), c]);
    for (const cells of spans.values()) {
      for (const stack of stacksOf([...cells].sort((a, b) => a.row - b.row))) {
        const [first, last] = [stack[0]!, stack.at(-1)!];
        const [top, bottom] = [grid.ys[first.row]!, grid.ys[last.rowEnd + 1]!];
        const map = inkMap(img, grid.xs[first.col]! + edge, top, grid.xs[first.colEnd + 1]! - edge, bottom, speckSize(pxPerPoint));
        const bands = stack.map((c): [number, number] => [Math.round(grid.ys[c.row]! + edge), Math.round(grid.ys[c.rowEnd + 1]! - edge)]);
        const inked = bands.map(([y0, y1]) => inkedColumns(map, y0, y1));
        const em = textHeight(map, bands, inked, 10 * pxPerPoint);
        const any = inked.reduce((acc, row) => acc.map((v, i) => v | row[i]!), new Uint8Array(map.width));
        const lost = gapsOf(any, map.x0).filter((g) => {
          if (!g.inner || g.b - g.a < Math.max(LOST_RULE_WHITE * pxPerPoint, LOST_RULE_EMS * em)) return false;
          const [a, b] = [g.a - map.x0, g.b - map.x0];
          const sided = inked.filter((row) => row.subarray(0, a).includes(1) && row.subarray(b).includes(1)).length;
          const wide = inked.filter((row) => textBeside(row, a - 1, -1, em) >= LOST_RULE_SIDE * em && textBeside(row, b, 1, em) >= LOST_RULE_SIDE * em).length;
          return sided >= stack.length - 1 && wide >= 2;
        });
        if (lost.length !== 1) continue;
        const x = Math.round((lost[0]!.a + lost[0]!.b) / 2);
        out.push({ x1: x, y1: top, x2: x, y2: bottom, inferred: true });
      }
    }
  }
  return out;
}

/** Ink narrower than this many text heights on its own is a sliver: what a lost rule left of itself, a speck. */
const SLIVER = 0.3;

/**
 * How wide the text is that stands nearest to column `from` of a row's inked columns, looking one
 * way (`step` -1 leftwards, 1 rightwards): its glyphs, white of less than half a text height
 * between them (a letter-spaced label's glyphs stand apart). Slivers (SLIVER) are passed over.
 */
function textBeside(row: Uint8Array, from: number, step: 1 | -1, em: number): number {
  let x = from;
  while (x >= 0 && x < row.length) {
    while (x >= 0 && x < row.length && !row[x]) x += step;
    if (x < 0 || x >= row.length) return 0;
    const start = x;
    let end = x;
    for (let white = 0; x >= 0 && x < row.length && white < 0.5 * em; x += step) {
      if (row[x]) [end, white] = [x, 0];
      else white++;
    }
    const width = Math.abs(end - start) + 1;
    if (width >= SLIVER * em) return width;
  }
  return 0;
}

/** Runs of LOST_RULE_CELLS or more cells (sorted by row), each starting on the row after the last one's end. */
function stacksOf<C extends { row: number; rowEnd: number }>(cells: C[]): C[][] {
  const out: C[][] = [];
  let run: C[] = [];
  for (const c of cells) {
    if (run.length && c.row !== run.at(-1)!.rowEnd + 1) {
      if (run.length >= LOST_RULE_CELLS) out.push(run);
      run = [];
    }
    run.push(c);
  }
  if (run.length >= LOST_RULE_CELLS) out.push(run);
  return out;
}

/**
 * The least white (text heights) between two rows whose rule a photocopy lost: more than the
 * leading between the lines of one cell (about half a text height in these forms; a row's margins
 * and its rule's place make about one). A narrower white is a lost rule only where two column
 * rules standing on one row rule end in it together.
 */
const LOST_ROW_EMS = 0.7;
/** A lost row rule across a band's column strips `first` … `last`. */
interface Strips {
  rule: Rule;
  first: number;
  last: number;
}

/** The rows (band-relative) of one column strip of a band that hold ink, as 0/1. */
function stripRows(map: InkMap, y0: number, y1: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, y1 - y0));
  for (let y = y0; y < y1; y++) {
    const my = y - map.y0;
    if (my >= 0 && my < map.height && map.ink.subarray(my * map.width + a, my * map.width + b).includes(1)) out[y - y0] = 1;
  }
  return out;
}

/**
 * The white rows of a strip around row `at` (band-relative), as [first, end): null where `at` is inked.
 */
function whiteAround(rows: Uint8Array, at: number): [number, number] | null {
  if (at < 0 || at >= rows.length || rows[at]) return null;
  let [a, b] = [at, at + 1];
  while (a > 0 && !rows[a - 1]) a--;
  while (b < rows.length && !rows[b]) b++;
  return [a, b];
}

/**
 * Row rules of a lattice table that a photocopy lost (an office suite's hairline rules, 0.1 pt,
 * gone under the copy's threshold, while the frame and the column rules stayed): a band between
 * two found row rules that holds several rows, its cells each read as one block of text
 * (项目名称 over 主管部门 read as 项目名称主管部门). A band's columns are those its column rules
 * (`verticals`) run in. A run of white rows across neighbouring columns, reaching the table's right
 * side, is a lost rule across them:
 *  - where column rules standing on one row rule (`ending`, columnStubs) end in it together (the row below
 *    has columns the row above has not), with text above and below it in two columns;
 *  - or where it is LOST_ROW_EMS text heights high, with text above and below in half its columns.
 * The rule runs where such column rules end, else through the middle of the white. Labels centred
 * in merged cells keep their cells whole (mergedLabels). `grids` are the page's lattice tables,
 * `img` the page with their rules erased.
 */
export function lostRowRules(img: GrayImage, grids: readonly Grid[], verticals: readonly Rule[], ending: readonly Rule[], pxPerPoint: number): Rule[] {
  const out: Rule[] = [];
  const edge = ruleEdge(pxPerPoint);
  const snap = 2 * pxPerPoint;
  for (const grid of grids) {
    const { xs, ys } = grid;
    if (xs.length < 3 || ys.length < 2) continue;
    const map = inkMap(img, xs[0]! + edge, ys[0]!, xs.at(-1)! - edge, ys.at(-1)!, speckSize(pxPerPoint));
    const bands = ys.slice(1).map((y, i): [number, number] => [Math.round(ys[i]! + edge), Math.round(y - edge)]);
    const em = textHeight(map, bands, bands.map(([y0, y1]) => inkedColumns(map, y0, y1)), 10 * pxPerPoint);
    const inner = verticals.filter((v) => v.x1 === v.x2 && v.x1 > xs[0]! + snap && v.x1 < xs.at(-1)! - snap);
    // Column rules standing on one row rule whose free ends, inside the table, meet another's: the
    // columns of a row whose rule was lost (a column rule a scan broke ends where it broke, alone).
    const own = inner.filter((v) => ending.includes(v));
    const inside = (y: number): boolean => y > ys[0]! + snap && y < ys.at(-1)! - snap && !ys.some((r) => Math.abs(r - y) <= snap);
    const freeEnds = own.flatMap((v) => [v.y1, v.y2].filter(inside).map((y) => ({ v, y })));
    const paired = freeEnds.filter((e) => freeEnds.some((o) => o.v !== e.v && Math.abs(o.v.x1 - e.v.x1) > snap && Math.abs(o.y - e.y) <= snap));
    // Each band's columns (between the column rules that run in it: the table's other sections
    // have columns of their own), and their inked rows.
    const columns = bands.map(([y0, y1]) => {
      const bandXs = xs.filter((x, j) => j === 0 || j === xs.length - 1 || inner.some((v) => Math.abs(v.x1 - x) <= snap && v.y1 < y1 - snap && v.y2 > y0 + snap));
      const strips = bandXs.slice(1).map((x, j): [number, number] => [Math.max(0, Math.round(bandXs[j]! + edge) - map.x0), Math.max(0, Math.min(map.width, Math.round(x - edge) - map.x0))]);
      return { bandXs, strips, rows: strips.map(([a, b]) => stripRows(map, y0, y1, a, b)) };
    });
    bands.forEach(([y0, y1], band) => {
      if (y1 - y0 < 2 * em) return;
      const { bandXs, strips, rows } = columns[band]!;
      const inkedAt = (j: number, from: number, to: number): boolean => rows[j]!.subarray(Math.max(0, from), Math.min(rows[j]!.length, to)).includes(1);
      // Where the white of strip j about `at` runs: the strips beside it white over it too, the
      // white they share, and how many of them hold ink above and below it.
      type Found = Strips & { span: [number, number] };
      const across = (j: number, at: number, least: number, ruleEnds: boolean): Found | null => {
        const own = whiteAround(rows[j]!, at);
        if (!own) return null;
        let [lo, hi] = own;
        let [first, last] = [j, j];
        const take = (k: number): boolean => {
          const w = whiteAround(rows[k]!, at);
          if (!w || Math.min(w[1], hi) - Math.max(w[0], lo) < least) return false;
          [lo, hi] = [Math.max(w[0], lo), Math.min(w[1], hi)];
          return true;
        };
        while (first > 0 && take(first - 1)) first--;
        while (last + 1 < strips.length && take(last + 1)) last++;
        const span: [number, number] = [lo, hi];
        // The white reaches the table's right side: only merged labels, at the left, stand across a
        // row boundary (a cell's two lines beside another's, their white across two columns only,
        // are one row's).
        if (span[1] - span[0] < least || last !== strips.length - 1) return null;
        let sided = 0;
        for (let k = first; k <= last; k++) if (inkedAt(k, 0, span[0]) && inkedAt(k, span[1], rows[k]!.length)) sided++;
        // Without a column rule ending in it, text above and below in half the strips at least: a
        // row boundary, where the white between the lines of one or two cells has the single lines
        // of the others centred beside it.
        if (sided < (ruleEnds ? 2 : Math.max(2, (last - first + 1) / 2))) return null;
        // At the end of a column rule that ends in the white, where the lost rule was printed (a
        // rule drawn lower, through the middle of the white, left the column rules short of it and
        // their cells joined across it); else through the middle.
        const [top, bottom] = [y0 + span[0], y0 + span[1]];
        const ends = paired.map((e) => e.y).filter((e) => e >= top - snap && e <= bottom + snap && e > y0 + snap && e < y1 - snap).sort((a, b) => a - b);
        const y = ends.length ? ends[ends.length >> 1]! : (top + bottom) / 2;
        return { rule: { x1: bandXs[first]!, y1: y, x2: bandXs[last + 1]!, y2: y, inferred: true }, span: [top, bottom], first, last };
      };
      const candidates: Found[] = [];
      const add = (f: Found | null): void => {
        if (f) candidates.push(f);
      };
      // Column rules ending together inside the band: the white where each ends, beside it.
      for (const { v, y: end } of paired) {
        if (end <= y0 + snap || end >= y1 - snap) continue;
        const j = bandXs.findIndex((x) => Math.abs(x - v.x1) <= snap);
        for (const k of [j - 1, j]) if (k >= 0 && k < strips.length) add(across(k, Math.round(end - y0), 2, true));
      }
      // White high enough on its own.
      const least = Math.round(LOST_ROW_EMS * em);
      rows.forEach((r, j) => {
        for (let at = 0; at < r.length; at++) {
          const w = whiteAround(r, at);
          if (!w) continue;
          if (w[1] - w[0] >= least && w[0] > 0 && w[1] < r.length) add(across(j, Math.round((w[0] + w[1]) / 2), least, false));
          at = w[1];
        }
      });
      // The rules across most strips first; a white that meets the white of a rule taken already
      // (in strips they share) takes no other (the white above a label centred in a merged cell,
      // under the rule across the rows beside it).
      const found: Found[] = [];
      for (const c of candidates.sort((p, q) => q.last - q.first - (p.last - p.first))) {
        const divided = found.some((f) => f.rule.x1 < c.rule.x2 && c.rule.x1 < f.rule.x2 && f.span[0] <= c.span[1] + 1 && c.span[0] <= f.span[1] + 1);
        if (!divided) found.push(c);
      }
      out.push(...mergedLabels(found, rows, bandXs, y0, least, em));
    });
  }
  return out;
}

/** The least length (points) of a column rule standing on one row rule of a lattice: longer than a glyph's stroke. */
const STUB_LEAST = 12;
/** How far (in crossing tolerances) such a rule may reach beyond its table's frame (a copy's blur, 7 pixels above it at 200 dpi). */
const OVERSHOOT = 3;
/** A free end this near a row rule (in crossing tolerances) is a column rule broken short of it, not one standing on one rule. */
const SHORT = 2.5;

/**
 * Column rules of a lattice table standing on one of its row rules only, their other end inside the
 * table: the column rules of rows whose rule between them a photocopy lost (the rule under 项目名称
 * gone, the rules between the cells of 主管部门's row below it stand on the row rule under that
 * row only); and `ending`, those of them whose line does not go on beyond the free end (goesOn).
 * `verticals` are the page's vertical candidates, `lattice` its lattice rules, `boxes` its lattice
 * tables.
 */
export function columnStubs(img: GrayImage, verticals: readonly Rule[], lattice: readonly Rule[], boxes: readonly { x0: number; y0: number; x1: number; y1: number }[], pxPerPoint: number): { stubs: Rule[]; ending: Rule[] } {
  const tol = Math.round(1.8 * pxPerPoint);
  const rows = lattice.filter(isH);
  const taken = new Set(lattice);
  const meets = (v: Rule, y: number, within: number): boolean => rows.some((h) => v.x1 >= h.x1 - tol && v.x1 <= h.x2 + tol && Math.abs(h.y1 - y) <= within);
  // Its free end: on a row rule at one end, the other not just short of one (a column rule a scan
  // broke there, or a glyph's stroke in a row ruled above and below); null where it stands on none.
  const freeEnd = (v: Rule): number | null =>
    meets(v, v.y1, OVERSHOOT * tol) && !meets(v, v.y2, SHORT * tol) ? v.y2 : meets(v, v.y2, OVERSHOOT * tol) && !meets(v, v.y1, SHORT * tol) ? v.y1 : null;
  const stubs: { v: Rule; end: number }[] = [];
  for (const v of verticals) {
    if (taken.has(v) || v.y2 - v.y1 < STUB_LEAST * pxPerPoint) continue;
    if (!boxes.some((b) => v.x1 > b.x0 + tol && v.x1 < b.x1 - tol && v.y1 >= b.y0 - OVERSHOOT * tol && v.y2 <= b.y1 + OVERSHOOT * tol)) continue;
    const end = freeEnd(v);
    // The free end in white, where the lost rule ran (a stroke ending inside a line of text is a glyph's).
    if (end === null || endsInText(img, v.x1, end, pxPerPoint) || crossedStroke(img, v, rows, pxPerPoint)) continue;
    stubs.push({ v, end });
  }
  return { stubs: stubs.map((s) => s.v), ending: stubs.filter((s) => !goesOn(img, s.v, s.end, pxPerPoint)).map((s) => s.v) };
}

/** Whether the page has ink (darker than INK) at a place; white beyond its edges. */
const inkAt = (img: GrayImage, x: number, y: number): boolean => x >= 0 && y >= 0 && x < img.width && y < img.height && img.data[y * img.width + x]! < INK;

/** Where beyond a stroke's free end (points) a column rule a scan broke goes on, and the share of those rows it inks. */
const GAP_NEAR = 2;
const GAP_FAR = 10;
const GOES_ON = 0.5;

/**
 * Whether a vertical stroke's line goes on beyond its free end after a gap: a column rule a scan
 * broke (a lighter band across the page breaks every column rule at one height), no sign of a row
 * rule lost there (though the stroke is still a column rule of its rows).
 */
function goesOn(img: GrayImage, v: Rule, end: number, pxPerPoint: number): boolean {
  const dir = end === v.y2 ? 1 : -1;
  const x = Math.round(v.x1);
  let [inked, seen] = [0, 0];
  for (let d = Math.round(GAP_NEAR * pxPerPoint); d <= Math.round(GAP_FAR * pxPerPoint); d++) {
    const y = Math.round(end) + dir * d;
    if (y < 0 || y >= img.height) break;
    seen++;
    if ([-1, 0, 1].some((dx) => inkAt(img, x + dx, y))) inked++;
  }
  return seen > 0 && inked >= GOES_ON * seen;
}

/** Where beside a stroke's end (points from it, across) ink is looked for, and how much of it is text. */
const END_NEAR = 1.5;
const END_FAR = 5.5;
const END_INK = 8;

/** Whether ink stands beside a vertical stroke's end, at its height: the end lies in a line of text (社's stroke through 2021年(社保卡中心)). */
function endsInText(img: GrayImage, x: number, y: number, pxPerPoint: number): boolean {
  const [near, far] = [Math.round(END_NEAR * pxPerPoint), Math.round(END_FAR * pxPerPoint)];
  const side = (dir: 1 | -1): number => {
    let n = 0;
    for (let yy = Math.round(y) - 2; yy <= Math.round(y) + 2; yy++) for (let d = near; d <= far; d++) if (inkAt(img, Math.round(x) + dir * d, yy)) n++;
    return n;
  };
  return side(-1) >= END_INK || side(1) >= END_INK;
}

/** Ink this near (points) beyond a stroke's edge on both sides, at one height, is a glyph's strokes crossing it: a cell's text keeps further from its rules. */
const CROSSING_NEAR = 2;
/** A stroke's half width (points) at most; ink reaching further from its middle is a stroke crossing it. */
const STROKE_HALF = 1;
/** Rows with such ink: a glyph's crossing strokes (two pixels thick at 200 dpi). */
const CROSSING_ROWS = 2;

/**
 * Whether a vertical stroke has ink close on both sides over CROSSING_ROWS rows (away from the row
 * rules it meets): the long stroke of a glyph touching a row rule (称's, under the rule over
 * 项目名称), not a column rule.
 */
function crossedStroke(img: GrayImage, v: Rule, rows: readonly Rule[], pxPerPoint: number): boolean {
  const tol = Math.round(1.8 * pxPerPoint);
  const [half, near] = [Math.max(2, Math.round(STROKE_HALF * pxPerPoint)), Math.max(3, Math.round(CROSSING_NEAR * pxPerPoint))];
  const reach = half + near + 2;
  // Without a photocopy's speckle (a speck on each side at one height is no stroke).
  const map = inkMap(img, v.x1 - reach, v.y1, v.x1 + reach + 1, v.y2 + 1, speckSize(pxPerPoint));
  const x = Math.round(v.x1) - map.x0;
  const inked = (xx: number, y: number): boolean => xx >= 0 && xx < map.width && map.ink[y * map.width + xx] === 1;
  // Ink on one side: the stroke's own ink, then white, then ink within `near`; or ink all the way out.
  const side = (y: number, dir: 1 | -1): boolean => {
    let d = 1;
    while (d <= half + 1 && inked(x + dir * d, y)) d++;
    if (d > half + 1) return true;
    for (let e = d + 1; e <= d + near; e++) if (inked(x + dir * e, y)) return true;
    return false;
  };
  let crossed = 0;
  for (let y = 0; y < map.height; y++) {
    if (!rows.some((h) => Math.abs(h.y1 - (y + map.y0)) <= tol) && side(y, -1) && side(y, 1)) crossed++;
    if (crossed >= CROSSING_ROWS) return true;
  }
  return false;
}

/** What a label centred on its span is worth against rows covered: more than any number of them. */
const CENTRED = 1000;
/** How far (text heights) a label's middle may lie from the middle of the rows its merged cell spans. */
const LABEL_CENTRE = 0.6;
/** A column with text in this share of a band's rows is a column of values (names, figures), not of labels. */
const DENSE_SHARE = 0.8;

/** Runs of inked rows joined over white lower than `least`: a strip's blocks of text (a label's lines), [top, end). */
function blocksOf(rows: Uint8Array, least: number): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < rows.length; y++) {
    if (!rows[y]) continue;
    const last = out.at(-1);
    let end = y;
    while (end < rows.length && rows[end]) end++;
    if (last && y - last[1] < least) last[1] = end;
    else out.push([y, end]);
    y = end;
  }
  return out;
}

/**
 * The lost row rules of a band (`found`, page y, across the band's strips of `xs`) kept out of
 * merged label cells: the level1 and level2 labels left of an indicator table's names are printed
 * in the middle of the rows they span (产出指标 over three rows, on the middle one), so the white
 * above and below such a label is no row's boundary in its column. Label columns are the columns
 * left of the first column with text in most rows; in each, a label spans the rows about it whose
 * middle is its own (labelSpans), the rules inside that span leave its column, and its side is a
 * column rule down the span. `rows` are each strip's inked rows (band-relative, from page y `y0`).
 */
function mergedLabels(found: readonly Strips[], rows: Uint8Array[], xs: readonly number[], y0: number, least: number, em: number): Rule[] {
  const rules = found.map((f) => f.rule);
  if (rules.length === 0) return rules;
  const cuts: number[] = [];
  for (const y of [0, ...rules.map((r) => r.y1 - y0).sort((a, b) => a - b), rows[0]!.length]) if (cuts.length === 0 || y - cuts.at(-1)! > 1) cuts.push(y);
  const blocks = rows.map((r) => blocksOf(r, least));
  const dense = blocks.map((bs) => cuts.slice(1).filter((c, i) => bs.some(([t, e]) => (t + e) / 2 >= cuts[i]! && (t + e) / 2 < c)).length >= DENSE_SHARE * (cuts.length - 1));
  const firstDense = dense.indexOf(true);
  if (firstDense <= 0) return rules;
  // For each label strip, the cut heights inside a label's span; and the span's sides, column rules
  // down the merged cell (its right side a hairline lost as well, 总分's cell beside 满意度指标's
  // was joined with it).
  const sides: Rule[] = [];
  const inside = blocks.slice(0, firstDense).map((bs, k) => {
    const out = new Set<number>();
    for (const [p, q] of labelSpans(bs, cuts, LABEL_CENTRE * em)) {
      for (let c = p + 1; c < q; c++) out.add(cuts[c]!);
      if (q - p > 1) sides.push({ x1: xs[k + 1]!, y1: y0 + cuts[p]!, x2: xs[k + 1]!, y2: y0 + cuts[q]!, inferred: true });
    }
    return out;
  });
  // A rule's height among the cuts (a rule within a pixel of the one before shares its cut).
  const cutOf = (at: number): number => cuts.reduce((best, c) => (Math.abs(c - at) < Math.abs(best - at) ? c : best), cuts[0]!);
  return found
    .flatMap(({ rule: r, first, last }) => {
      const at = cutOf(r.y1 - y0);
      const pieces: Rule[] = [];
      for (let k = first; k <= last; k++) {
        if (k < firstDense && inside[k]!.has(at)) continue;
        const prev = pieces.at(-1);
        if (prev && prev.x2 === xs[k]) prev.x2 = xs[k + 1]!;
        else pieces.push({ ...r, x1: xs[k]!, x2: xs[k + 1]! });
      }
      return pieces;
    })
    .concat(sides);
}

/**
 * The rows each label of a column spans (as indexes of `cuts`, the row boundaries, first and last):
 * spans in order down the column, none overlapping another or holding another label, each with its
 * middle within `tolerance` of its label's: as many labels so centred as can be, then the most rows
 * in all (a label's span given up to let the next have one: 时效指标 over three rows, 社会效益指标
 * below it over the two it is centred on). A label centred on no span it can have (printed at the
 * top of a cell a page break cut) spans the rows it lies on.
 */
export function labelSpans(blocks: readonly [number, number][], cuts: readonly number[], tolerance: number): [number, number][] {
  // Each option a span [p, q] and its worth: the rows it covers, and before any number of rows a
  // label centred on its span (CENTRED).
  type Option = { p: number; q: number; worth: number };
  const options = blocks
    .map(([top, end], n): Option[] => {
      const next = blocks[n + 1]?.[0] ?? Infinity;
      const prev = blocks[n - 1]?.[1] ?? -Infinity;
      const mid = (top + end) / 2;
      const out: Option[] = [];
      for (let p = 0; p < cuts.length && cuts[p]! <= top; p++) {
        if (cuts[p]! < prev) continue;
        for (let q = p + 1; q < cuts.length; q++)
          if (cuts[q]! >= end && cuts[q]! <= next && Math.abs((cuts[p]! + cuts[q]!) / 2 - mid) <= tolerance) out.push({ p, q, worth: CENTRED + q - p });
      }
      // The rows it lies on, always an option: a label centred on no span (or on none its
      // neighbours leave it) keeps those.
      const p = cuts.findLastIndex((c) => c <= top);
      const q = cuts.findIndex((c) => c >= end);
      if (p >= 0 && q > p && !out.some((o) => o.p === p && o.q === q)) out.push({ p, q, worth: q - p });
      return out;
    })
    .filter((o) => o.length > 0);
  // best[n][k]: the most worth the spans of labels n… have with label n taking its option k
  // (-Infinity where the labels after it then have none), and the option of label n + 1 that gives it.
  const best: { worth: number; next: number }[][] = options.map((o) => o.map(() => ({ worth: -Infinity, next: -1 })));
  for (let n = options.length - 1; n >= 0; n--) {
    options[n]!.forEach(({ q, worth }, k) => {
      if (n + 1 === options.length) best[n]![k] = { worth, next: -1 };
      else
        options[n + 1]!.forEach(({ p: p2 }, k2) => {
          const after = best[n + 1]![k2]!.worth;
          if (p2 >= q && after + worth > best[n]![k]!.worth) best[n]![k] = { worth: after + worth, next: k2 };
        });
    });
  }
  if (options.length === 0) return [];
  let k = best[0]!.reduce((m, b, i) => (b.worth > best[0]![m]!.worth ? i : m), 0);
  if (!Number.isFinite(best[0]![k]!.worth)) return [];
  const out: [number, number][] = [];
  for (let n = 0; n < options.length; n++) {
    out.push([options[n]![k]!.p, options[n]![k]!.q]);
    k = best[n]![k]!.next;
  }
  return out;
}
