/**
 * Merged label cells printed in the middle of the rows they span (vertical-align: middle), in a
 * table with no rules: the level1 / level2 labels of an indicator table (产出指标 over four rows,
 * 数量指标 over two), 年度总体目标 beside its header and its text. Such a label sits on its middle
 * row, or between two rows when it spans an even number of them; a reader taking it as the label
 * of the rows below it gives the rows above it the previous label.
 *
 * A label between two rows (a "floating" row: its cells all left of the cells of the row below)
 * is what shows the table is centred; only label columns are changed: those of floating cells and
 * the columns left of them. Each label of such a column is given the run of rows it is centred on
 * and is moved to the first of them, as the lattice reader places a merged cell; the rows of the
 * run after the first are told it spans them (their column gaps then see it, as a lattice's do).
 * Runs follow one another down a column: a label's run starts at or after the end of the previous
 * one and ends at the row that puts the run's middle closest to the label's middle. When a label
 * between rows lies farther than a fraction of its glyph height from the middle of every run it
 * could have, its column is left as it was read; a label on a row so placed stays on that row (as
 * if printed at the top of its cell), the runs of the labels after it starting below it.
 *
 * A label between rows may have the label of the column on its left on the row below it (社会效益指标
 * floats, 效益指标 sits on the middle of its three rows). And the columns right of the floating
 * labels, up to the body of the rows those span (innerLabelColumns), hold labels too: a level2
 * label over an odd number of rows sits level with its middle row, and is lifted as well.
 */

export interface LabelCell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Glyph height of the cell's text (of its last line). */
  lastH: number;
}

export interface LabelRow<C extends LabelCell> {
  cells: C[];
}

export interface Lifted<R extends LabelRow<LabelCell>> {
  /** The rows, labels moved to the first row of their runs; rows left empty are dropped. */
  rows: R[];
  /** For each row, the moved labels whose runs continue over it. */
  spanned: R['cells'][number][][];
}

/** How far (in glyph heights) a label's middle may lie from the middle of the rows it spans. */
const CENTRE_TOLERANCE = 0.6;
/** In the rows a floating label spans: the body has a cell in this share of them, a label column in at most LABEL_SHARE. */
const BODY_SHARE = 0.8;
const LABEL_SHARE = 0.5;
/** The widest label cell of an inner label column, in glyphs. */
const LABEL_GLYPHS = 10;
/** Rows a floating label must span before the columns beside it are taken for labels. */
const MIN_SECTION = 3;

interface Interval {
  x0: number;
  x1: number;
}

const width = (c: Interval): number => c.x1 - c.x0;
const shared = (a: Interval, b: Interval): number => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/**
 * Rows of labels only, printed between two rows: every cell left of the cells of the row below
 * (which has two or more), under a row reaching further right (not a heading over the table).
 */
export function floatingRows<C extends LabelCell>(rows: LabelRow<C>[]): boolean[] {
  const right = (r: LabelRow<C>): number => Math.max(...r.cells.map((c) => c.x1));
  return rows.map((r, i) => {
    const [above, below] = [rows[i - 1], rows[i + 1]];
    if (!above || !below || r.cells.length === 0) return false;
    // The row below's cells from the label's column on: a label left of it (a level1 on the row below) is no other row's.
    const left = Math.min(...r.cells.map((c) => c.x0));
    const beside = below.cells.filter((c) => c.x1 > left);
    return beside.length >= 2 && right(r) < Math.min(...beside.map((c) => c.x0)) && right(above) > right(r);
  });
}

/** Same column: overlapping by half the narrower (a wide label's edge may reach into the next column). */
const sameColumn = (a: Interval, b: Interval): boolean => shared(a, b) >= 0.5 * Math.min(width(a), width(b));

/** Cells' extents merged into columns, left to right. */
function merged(spans: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const s of [...spans].sort((a, b) => a.x0 - b.x0)) {
    const last = out.at(-1);
    if (last && sameColumn(last, s)) last.x1 = Math.max(last.x1, s.x1);
    else out.push({ x0: s.x0, x1: s.x1 });
  }
  return out;
}

interface Label<C> {
  cell: C;
  /** The row the label was read in. */
  from: number;
  /** Bounds on its run, in indices of the ordinary rows: it starts at or before `lastStart` and ends at or after `firstEnd`. */
  lastStart: number;
  firstEnd: number;
  floating: boolean;
}

interface Move<C> {
  cell: C;
  from: number;
  /** The rows of its run (indices into the rows). */
  run: number[];
}

/**
 * Moves centred labels to the first row of the run they span. Rows are in printed order; the input
 * is not changed. `centred`: the document's other pages show its tables centred (a label between
 * rows there), so a page with no label between rows is read so too, its label columns being those
 * left of the body (innerLabelColumns over all its rows).
 */
export function liftCentredLabels<R extends LabelRow<LabelCell>>(rows: R[], centred = false): Lifted<R> {
  type C = R['cells'][number];
  const floating = floatingRows(rows);
  const none: Lifted<R> = { rows, spanned: rows.map(() => []) };
  const floats = rows.flatMap((r, i) => (floating[i] ? r.cells : []));
  if (floats.length === 0 && !centred) return none;
  // A label is no more than twice as wide as the widest floating one: a long text (a goal) spans
  // columns. (Up to a label's width on one line, 服务对象满意度指标 beside floating labels of four
  // glyphs, read one more officeflow field and four fewer on a flowscan declaration.)
  const widest = Math.max(...floats.map(width));
  const narrow = (c: C): boolean => floats.length > 0 && width(c) <= 2 * widest;
  const floatCols = merged(floats);
  // Columns left of the floating ones: a label centred on an odd number of rows sits on its middle row.
  const leftCols = floats.length ? merged(rows.flatMap((r) => r.cells.filter((c) => narrow(c) && c.x1 <= floatCols[0]!.x0))) : [];
  const cols = [...leftCols, ...floatCols];
  // Each label belongs to one column: the one it shares most with (a wide label reaches into the next).
  const owner = new Map<C, Interval>();
  for (const c of rows.flatMap((r) => r.cells.filter(narrow))) {
    const best = columnOf(c, cols);
    if (best) owner.set(c, best);
  }
  const ownLabels = (col: Interval) => (c: C): boolean => owner.get(c) === col;
  // A first reading of these columns: the rows their labels span, where the inner columns are looked for.
  const section = new Set(cols.flatMap((col) => (columnRuns(rows, floating, ownLabels(col), []) ?? []).flatMap((m) => m.run)));
  // The columns between the floating labels and the body of the rows they span (level2 labels, each on a row).
  const spannedRows = floats.length ? rows.filter((_, i) => section.has(i)) : rows;
  const inner = innerLabelColumns(floatCols, spannedRows);
  // An inner column's labels are its cells in those rows; its other cells (二级指标 of the header, where
  // those rows are a floating label's) bound their runs.
  const innerLabels = (col: Interval): ((c: C) => boolean) => {
    const labels = new Set(spannedRows.flatMap((r) => r.cells.filter((c) => labelSized(c) && !owner.has(c) && columnOf(c, inner) === col)));
    return (c) => labels.has(c);
  };
  const cells = rows.map((r) => [...r.cells]);
  const spanned: C[][] = rows.map(() => []);
  // Right to left: a label's run holds whole runs of the column right of it (a level1 its level2s'), so
  // that of two runs it is centred on it takes the one that cuts none (rows at the top of a page that a
  // group from the page before runs on over belong to no run of this page's labels).
  let right: Move<C>[] = [];
  for (const isLabel of [...cols.map(ownLabels), ...inner.map(innerLabels)].reverse()) {
    const moves = columnRuns(rows, floating, isLabel, right.map((m) => m.run)) ?? [];
    for (const { cell, from, run } of moves) {
      cells[from] = cells[from]!.filter((c) => c !== cell);
      cells[run[0]!]!.push(cell);
      for (const i of run.slice(1)) spanned[i]!.push(cell);
    }
    right = moves;
  }
  const keep = rows.map((_, i) => cells[i]!.length > 0);
  return {
    rows: rows.flatMap((r, i) => (keep[i] ? [{ ...r, cells: cells[i]! }] : [])),
    spanned: spanned.filter((_, i) => keep[i]),
  };
}

/**
 * Label columns right of the floating labels' columns, in the rows those labels span (all the
 * page's rows where no label floats and the document shows its labels centred): a level2 column
 * whose labels each sit level with a row (it is a level1 label between two rows that showed the
 * table centred). They end at the body: the first column with a cell in most of those rows
 * (三级指标's names); a label column has a cell in at most half of them.
 */
function innerLabelColumns<C extends LabelCell>(floatCols: Interval[], spannedRows: LabelRow<C>[]): Interval[] {
  if (spannedRows.length < MIN_SECTION) return [];
  const right = Math.max(...floatCols.map((c) => c.x1));
  const cols = merged(spannedRows.flatMap((r) => r.cells.filter((c) => labelSized(c) && c.x0 >= right)));
  const share = (col: Interval): number => spannedRows.filter((r) => r.cells.some((c) => labelSized(c) && sameColumn(c, col))).length / spannedRows.length;
  const body = cols.findIndex((col) => share(col) >= BODY_SHARE);
  const labels = body > 0 ? cols.slice(0, body) : [];
  return labels.every((col) => share(col) <= LABEL_SHARE) ? labels : [];
}

/**
 * A cell no wider than a label on one line (服务对象满意度指标, nine glyphs): the floating labels'
 * width, a level1 wrapped a glyph or three a line, says nothing of a level2 column's.
 */
const labelSized = (c: LabelCell): boolean => width(c) <= LABEL_GLYPHS * c.lastH;

/** The column of `cols` a cell shares most with (a wide label reaches into the next). */
function columnOf(c: Interval, cols: Interval[]): Interval | undefined {
  return cols.filter((col) => sameColumn(c, col)).sort((a, b) => shared(c, b) - shared(c, a))[0];
}

/** The moves that place the labels of a column (`isLabel`) on the first rows of their runs, or null when they are not centred. */
function columnRuns<C extends LabelCell>(rows: LabelRow<C>[], floating: boolean[], isLabel: (c: C) => boolean, within: readonly number[][]): Move<C>[] | null {
  // The rows a run is made of: all but floating ones.
  const ordinary = rows.flatMap((r, i) => (floating[i] ? [] : [i]));
  // A row with another cell over the label ends its run.
  const blocks = (b: number, label: C): boolean => rows[ordinary[b]!]!.cells.some((c) => !isLabel(c) && shared(c, label) > 1);
  // Row extents without the column's labels (a label joined to a row reaches above it).
  const extent = ordinary.map((i) => {
    const rest = rows[i]!.cells.filter((c) => !isLabel(c));
    const cs = rest.length ? rest : rows[i]!.cells;
    return { top: Math.min(...cs.map((c) => c.y0)), bottom: Math.max(...cs.map((c) => c.y1)) };
  });
  const labels: Label<C>[] = [];
  let k = 0; // ordinary rows before row i
  rows.forEach((r, i) => {
    // A floating label lies between ordinary rows k - 1 and k; another lies on row k.
    const between = floating[i] === true;
    for (const cell of r.cells.filter(isLabel)) labels.push({ cell, from: i, lastStart: between ? k - 1 : k, firstEnd: k, floating: between });
    if (!floating[i]) k++;
  });
  const moves: Move<C>[] = [];
  let start = 0;
  for (let n = 0; n < labels.length; n++) {
    const l = labels[n]!;
    for (let b = l.firstEnd - 1; b >= start; b--) if (blocks(b, l.cell)) start = b + 1;
    const next = labels[n + 1];
    let lastEnd = next ? next.lastStart - 1 : ordinary.length - 1;
    for (let e = l.firstEnd; e <= lastEnd; e++) if ((l.floating || e !== l.firstEnd) && blocks(e, l.cell)) lastEnd = Math.min(lastEnd, e - 1);
    // A run may not cut one of the column right of it (in row indices: `within`).
    const cuts = (s: number, e: number): boolean => within.some((w) => (w[0]! < ordinary[s]! && ordinary[s]! <= w.at(-1)!) || (w[0]! <= ordinary[e]! && ordinary[e]! < w.at(-1)!));
    const run = centredRun(l, start, lastEnd, extent, cuts);
    if (!run && !l.floating) {
      // On a row and centred on no run: printed at the top of its cell (LibreOffice so prints a
      // merged cell a page break cuts), where the lattice reader places a merged cell. It stays on
      // its row; the labels after it have their runs after that row.
      start = l.firstEnd + 1;
      continue;
    }
    if (!run) return null;
    const span = ordinary.slice(run.start, run.end + 1);
    if (span[0] !== l.from || span.length > 1) moves.push({ cell: l.cell, from: l.from, run: span });
    start = run.end + 1;
  }
  return moves;
}

/**
 * The run of rows (indices into the row extents) a label is centred on: the earliest start from
 * `start` on (rows before it are left to the label above), with the end that puts the run's middle
 * closest to the label's, of the runs that cut none of the column right of it (`cuts`); null when no
 * run has its middle within the tolerance.
 */
function centredRun<C extends LabelCell>(l: Label<C>, start: number, lastEnd: number, extent: { top: number; bottom: number }[], cuts: (s: number, e: number) => boolean): { start: number; end: number } | null {
  const middle = (l.cell.y0 + l.cell.y1) / 2;
  for (let s = start; s <= l.lastStart; s++) {
    let best: { start: number; end: number } | null = null;
    let off = CENTRE_TOLERANCE * l.cell.lastH;
    for (let e = l.firstEnd; e <= lastEnd; e++) {
      if (cuts(s, e)) continue;
      const d = Math.abs((extent[s]!.top + extent[e]!.bottom) / 2 - middle);
      if (d <= off) [best, off] = [{ start: s, end: e }, d];
    }
    if (best) return best;
  }
  return null;
}
