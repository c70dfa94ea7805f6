/**
 * Ruled tables from geometry (lattice): ruling lines → grid → merged cells → one gridded line per
 * table row, with each cell's text and its first column, the same shape a tab-separated export has.
 * Text outside tables stays as flow lines. Used by the PDF route; OCR can feed it detected rules too.
 */
import type { Box, Line, Page, Rule, Token } from '../ingest/types.js';
import { showsCentredLabels, streamTables } from './stream.js';

const SNAP_POINTS = 2; // rules closer than this (in PDF points) are the same rule
let SNAP = SNAP_POINTS;

/** The distinct values, in order: a value within `snap` of the last one kept is the same line. */
export function cluster(values: number[], snap = SNAP): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last !== undefined && v - last <= snap) continue;
    out.push(v);
  }
  return out;
}

const nearestIndex = (xs: number[], v: number): number => {
  let best = -1;
  let d = Infinity;
  xs.forEach((x, i) => {
    if (Math.abs(x - v) < d) {
      d = Math.abs(x - v);
      best = i;
    }
  });
  return d <= SNAP * 2 ? best : -1;
};

/** For each grid line (a clustered coordinate), the rules within SNAP of it. */
function rulesOnLines(rules: Rule[], lines: number[], horizontal: boolean): Rule[][] {
  const on: Rule[][] = lines.map(() => []);
  for (const r of rules) {
    const at = horizontal ? r.y1 : r.x1;
    for (let k = 0; k < lines.length; k++) if (Math.abs(at - lines[k]!) <= SNAP) on[k]!.push(r);
  }
  return on;
}

/** True when one of the rules on a grid line covers the segment (a,b) along it. */
function covered(onLine: Rule[], horizontal: boolean, a: number, b: number): boolean {
  const mid = (a + b) / 2;
  for (const r of onLine) if (horizontal ? r.x1 - SNAP <= mid && r.x2 + SNAP >= mid : r.y1 - SNAP <= mid && r.y2 + SNAP >= mid) return true;
  return false;
}

interface Cell {
  row: number;
  col: number;
  rowEnd: number;
  colEnd: number;
  tokens: Token[];
}

export interface Grid {
  xs: number[];
  ys: number[];
  cells: Cell[];
}

/** The lattice of a set of rules; `snap` is the distance (in the rules' units) within which rules are one. */
export function buildGrid(rules: Rule[], snap = SNAP_POINTS): Grid | null {
  SNAP = snap;
  const h = rules.filter((r) => r.y1 === r.y2);
  const v = rules.filter((r) => r.x1 === r.x2);
  if (h.length < 2 || v.length < 2) return null;
  const ys = cluster(h.map((r) => r.y1));
  const xs = cluster(v.map((r) => r.x1));
  if (ys.length < 2 || xs.length < 2) return null;
  const R = ys.length - 1;
  const C = xs.length - 1;
  const parent = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  const vOn = rulesOnLines(v, xs, false);
  const hOn = rulesOnLines(h, ys, true);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      if (j + 1 < C && !covered(vOn[j + 1]!, false, ys[i]!, ys[i + 1]!)) union(i * C + j, i * C + j + 1);
      if (i + 1 < R && !covered(hOn[i + 1]!, true, xs[j]!, xs[j + 1]!)) union(i * C + j, (i + 1) * C + j);
    }
  }
  const byRoot = new Map<number, Cell>();
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      const root = find(i * C + j);
      const c = byRoot.get(root);
      if (!c) byRoot.set(root, { row: i, col: j, rowEnd: i, colEnd: j, tokens: [] });
      else {
        c.row = Math.min(c.row, i);
        c.col = Math.min(c.col, j);
        c.rowEnd = Math.max(c.rowEnd, i);
        c.colEnd = Math.max(c.colEnd, j);
      }
    }
  }
  return { xs, ys, cells: [...byRoot.values()] };
}

function cellAt(grid: Grid, x: number, y: number): Cell | null {
  const { xs, ys } = grid;
  if (x < xs[0]! || x > xs.at(-1)! || y < ys[0]! || y > ys.at(-1)!) return null;
  const j = xs.findIndex((_, k) => k + 1 < xs.length && x >= xs[k]! && x <= xs[k + 1]!);
  const i = ys.findIndex((_, k) => k + 1 < ys.length && y >= ys[k]! && y <= ys[k + 1]!);
  return grid.cells.find((c) => i >= c.row && i <= c.rowEnd && j >= c.col && j <= c.colEnd) ?? null;
}

/**
 * Tokens of one cell in reading order: visual lines (centres within half a glyph, side by side),
 * then x. Tokens that overlap across are on lines of their own, however close their centres: an
 * OCR'd line's box may reach into the lines about it (tesseract's boxes of a scan's paragraph, 45
 * px tall at a line pitch of 27), and two such lines taken as one were put in x order, the second
 * line before the first.
 */
export function readingOrder(tokens: Token[]): Token[] {
  const byY = [...tokens].sort((a, b) => a.box!.y + a.box!.h / 2 - (b.box!.y + b.box!.h / 2));
  const lines: Token[][] = [];
  for (const t of byY) {
    const line = lines.at(-1);
    const c = t.box!.y + t.box!.h / 2;
    const ref = line?.[0];
    if (line && ref && Math.abs(c - (ref.box!.y + ref.box!.h / 2)) < Math.min(t.box!.h, ref.box!.h) * 0.6 && line.every((o) => !acrossOverlap(o.box!, t.box!))) line.push(t);
    else lines.push([t]);
  }
  return lines.flatMap((l) => l.sort((a, b) => a.box!.x - b.box!.x));
}

/** Whether two boxes overlap across by more than a fifth of the narrower (side-by-side tokens may touch). */
function acrossOverlap(a: Box, b: Box): boolean {
  const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  return overlap > 0.2 * Math.min(a.w, b.w);
}

/** Rules that touch or cross (within `snap`) belong to one table; returns the groups of connected rules. */
export function ruleComponents(rules: Rule[], snap: number): Rule[][] {
  const n = rules.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const isH = (r: Rule): boolean => r.y1 === r.y2;
  const touch = (a: Rule, b: Rule): boolean => {
    if (isH(a) && isH(b)) return Math.abs(a.y1 - b.y1) <= snap && a.x1 <= b.x2 + snap && b.x1 <= a.x2 + snap;
    if (!isH(a) && !isH(b)) return Math.abs(a.x1 - b.x1) <= snap && a.y1 <= b.y2 + snap && b.y1 <= a.y2 + snap;
    const [h, v] = isH(a) ? [a, b] : [b, a];
    return v.x1 >= h.x1 - snap && v.x1 <= h.x2 + snap && h.y1 >= v.y1 - snap && h.y1 <= v.y2 + snap;
  };
  // Sorted by top edge, a rule can only touch rules starting above its bottom (plus snap).
  const order = rules.map((_, i) => i).sort((a, b) => rules[a]!.y1 - rules[b]!.y1);
  for (let i = 0; i < order.length; i++) {
    const a = rules[order[i]!]!;
    for (let j = i + 1; j < order.length; j++) {
      const b = rules[order[j]!]!;
      if (b.y1 > a.y2 + snap) break;
      if (touch(a, b)) parent[find(order[i]!)] = find(order[j]!);
    }
  }
  const groups = new Map<number, Rule[]>();
  rules.forEach((r, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(r);
    else groups.set(root, [r]);
  });
  return [...groups.values()];
}

interface Table {
  grid: Grid;
  box: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * The ruled tables of a page: each group of connected rules with at least two horizontal and two
 * vertical rules is one lattice, so text between two tables (a form's title), a running header's
 * underline or a rule under a signature never join a table. Rules left over (horizontal rules of a
 * table ruled only between rows, underlines) are returned apart.
 */
export function pageTables(rules: Rule[], snap: number): { tables: Table[]; loose: Rule[] } {
  const tables: Table[] = [];
  const loose: Rule[] = [];
  for (const group of ruleComponents(rules, snap)) {
    closeOpenEdges(group, snap);
    const grid = group.filter((r) => r.y1 === r.y2).length >= 2 && group.some((r) => r.x1 === r.x2) ? buildGrid(group, snap) : null;
    if (!grid || grid.xs.length < 2 || grid.ys.length < 2 || grid.cells.length < 2) {
      loose.push(...group);
      continue;
    }
    tables.push({ grid, box: { x0: grid.xs[0]!, y0: grid.ys[0]!, x1: grid.xs.at(-1)!, y1: grid.ys.at(-1)! } });
  }
  return { tables, loose };
}

/**
 * A table cut by a page break may be drawn without its top (or bottom) border: the vertical rules
 * then reach past the first (last) horizontal rule, and the row they enclose is closed with a rule
 * at their end, so its text is read as a table row.
 */
function closeOpenEdges(group: Rule[], snap: number): void {
  const h = group.filter((r) => r.y1 === r.y2);
  const v = group.filter((r) => r.x1 === r.x2);
  if (h.length < 1 || v.length < 2) return;
  const top = Math.min(...h.map((r) => r.y1));
  const bottom = Math.max(...h.map((r) => r.y1));
  const vTop = Math.min(...v.map((r) => r.y1));
  const vBottom = Math.max(...v.map((r) => r.y2));
  const span = (ys: Rule[]): Rule => ({ x1: Math.min(...ys.map((r) => r.x1)), y1: 0, x2: Math.max(...ys.map((r) => r.x1)), y2: 0 });
  if (vTop < top - 3 * snap) {
    const reach = v.filter((r) => r.y1 <= vTop + snap);
    if (reach.length >= 2) {
      const r = span(reach);
      group.push({ ...r, y1: vTop, y2: vTop });
    }
  }
  if (vBottom > bottom + 3 * snap) {
    const reach = v.filter((r) => r.y2 >= vBottom - snap);
    if (reach.length >= 2) {
      const r = span(reach);
      group.push({ ...r, y1: vBottom, y2: vBottom });
    }
  }
}

type Placed = Line & { y: number };

/** One gridded line per table row that holds text: each cell's text (reading order) and its first column (the x of its left rule). */
function tableRows(grid: Grid, pageNo: number): Placed[] {
  const rows = new Map<number, Cell[]>();
  for (const c of grid.cells) {
    if (!c.tokens.length) continue;
    // The geometry tells which rows a merged cell spans: its text is read with the first of them.
    rows.set(c.row, [...(rows.get(c.row) ?? []), c]);
  }
  return [...rows.entries()].map(([r, cells]) => {
    const tokens: Token[] = cells
      .sort((a, b) => a.col - b.col)
      .map((c) => {
        const ts = readingOrder(c.tokens);
        const x0 = Math.min(...ts.map((t) => t.box!.x));
        const y0 = Math.min(...ts.map((t) => t.box!.y));
        const x1 = Math.max(...ts.map((t) => t.box!.x + t.box!.w));
        const y1 = Math.max(...ts.map((t) => t.box!.y + t.box!.h));
        const text = ts.map((t) => t.text).join('');
        // The column is named by its left rule's position, so a table continued on the next page (or
        // a header on one page and its rows on the next) keeps its column numbers.
        const confs = ts.flatMap((t) => (t.confidence === undefined ? [] : [t.confidence]));
        // An OCR'd cell is as sure as its least sure word.
        const confidence = confs.length ? { confidence: Math.min(...confs) } : {};
        return { text, col: Math.round(grid.xs[c.col]!), x: ts[0]!.x, width: ts.reduce((s, t) => s + t.width, 0), box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, ...confidence };
      });
    return { page: pageNo, lineNo: 0, tokens, text: tokens.map((t) => t.text).join(' '), cells: true, ruled: true, gapBefore: 0, y: grid.ys[r]! + 0.01 };
  });
}

/**
 * A page with rules → lines where every table row is one gridded line (`cells: true`); text outside
 * the ruled tables goes to the stream reader (tables ruled only between rows, or not at all), and
 * what is not a table there stays as flow lines. A page without rules or tables is returned unchanged.
 */
export function gridPage(page: Page, centred = false): Page {
  return gridSplit(page, splitPage(page), centred);
}

/** gridPage on a page already split into its ruled tables and the rest (splitPage). */
function gridSplit(page: Page, { tables, loose, outside }: PageSplit, centred: boolean): Page {
  const tableLines = tables.flatMap((t) => tableRows(t.grid, page.number));
  const flow = streamTables(outside, loose, page, centred);
  if (!tableLines.length && !flow.some((l) => l.cells)) return page;
  const merged = [...flow.map((l) => ({ line: l, y: lineTop(l) })), ...tableLines.map((l) => ({ line: l as Line, y: l.y }))].sort((a, b) => a.y - b.y);
  const lines = merged.map(({ line }, i) => {
    const { y: _y, ...rest } = line as Line & { y?: number };
    return { ...rest, lineNo: i + 1 };
  });
  return { ...page, lines };
}

/**
 * A document's pages gridded (gridPage), its tables without rules read as printing their merged
 * labels centred on every page where two of its pages show it (a label between rows; one such row
 * may be a name set above its figures): a page whose labels all sit level with rows tells nothing
 * by itself.
 */
export function gridDocument(pages: readonly Page[]): Page[] {
  const splits = pages.map(splitPage);
  const showing = pages.filter((p, i) => showsCentredLabels(splits[i]!.outside, splits[i]!.loose, p));
  return pages.map((p, i) => gridSplit(p, splits[i]!, showing.length >= CENTRED_PAGES));
}

/** Pages of a document that must show centred labels before its other pages are read so. */
const CENTRED_PAGES = 2;

/** A page's ruled tables (their cells filled with the page's tokens), the rules that formed none, and its lines' tokens outside the tables. */
interface PageSplit {
  tables: ReturnType<typeof pageTables>['tables'];
  loose: Rule[];
  outside: Line[];
}

function splitPage(page: Page): PageSplit {
  const snap = SNAP_POINTS * (page.scale ?? 1);
  const { tables, loose } = pageTables(page.rules ?? [], snap);
  const outside: Line[] = [];
  for (const line of page.lines) {
    const rest: Token[] = [];
    for (const t of line.tokens) {
      const b = t.box;
      let cell: Cell | null = null;
      if (b) {
        const [x, y] = [b.x + Math.min(b.w, b.h) / 2, b.y + b.h / 2];
        const table = tables.find((tb) => x >= tb.box.x0 && x <= tb.box.x1 && y >= tb.box.y0 && y <= tb.box.y1);
        if (table) SNAP = snap;
        cell = table ? cellAt(table.grid, x, y) : null;
      }
      if (cell) cell.tokens.push(t);
      else rest.push(t);
    }
    if (rest.length) outside.push({ ...line, tokens: rest, text: rest.map((t) => t.text).join(' ') });
  }
  return { tables, loose, outside };
}

const lineTop = (l: Line): number => Math.min(...l.tokens.map((t) => t.box?.y ?? 0));
