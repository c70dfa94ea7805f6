/**
 * Tables without vertical rules ("stream" tables: ruled between rows only, or not at all), read from
 * text alignment into the same gridded lines the lattice reader (grid.ts) produces, so the parsers
 * are shared:
 *  - rows: horizontal rules, where the table has them, separate rows; without rules a text line
 *    continues the cell above it when it lies under that cell at a line pitch (≤ 1.5 glyph heights),
 *    so wrapped cell text is one cell, and anything further down starts a new row;
 *  - columns: the gaps between a row's cells; a gap that overlaps a gap of the rows above narrows it
 *    to their common part (a centred header over left-aligned values), and rows that share gaps are
 *    one table. A row whose cells cross the table's gaps starts another table (with the rows just
 *    above that it agrees with, e.g. that table's header) unless it is a coarser row of the same table
 *    (a 总分 row spanning columns: each of its gaps is one of the table's gaps);
 *  - a cell's column is named by the column gap left of its first glyph (a spanning cell takes its
 *    first column, as a merged lattice cell does), by the position where that gap begins.
 * Blocks with fewer than two rows of several cells are not tables and stay flow lines, as do form
 * titles (which also end a table).
 */
import { readByOcr, type Line, type Page, type Rule, type Token } from '../ingest/types.js';
import { isTitleOrYear } from './titles.js';
import { floatingRows, liftCentredLabels } from './centred-labels.js';
import { marksOnly, repairWrappedEnd } from '../ingest/ocr-lexicon.js';

interface Span {
  x0: number;
  x1: number;
}

interface SCell extends Span {
  tokens: Token[];
  y0: number;
  y1: number;
  /** Top of the cell's last text line. */
  lastTop: number;
  lastH: number;
  /** From its second line on, the smallest step between two of its lines' tops (its line pitch; a speck beside a line widens a step, never narrows one). */
  step?: number;
}

interface SRow {
  cells: SCell[];
  lines: Line[];
  top: number;
  /** Rule band (ruled tables): the number of row rules above the row. */
  band?: number;
  /** Merged cells of rows above that continue over this row (centred labels, see centred-labels.ts). */
  spanned?: SCell[];
}

const box = (t: Token): NonNullable<Token['box']> => t.box!;
const lineTop = (l: Line): number => Math.min(...l.tokens.map((t) => box(t).y));
const lineH = (l: Line): number => {
  const hs = l.tokens.map((t) => box(t).h).sort((a, b) => a - b);
  return hs[hs.length >> 1]!;
};
const overlaps = (a: Span, b: Span, slack = 0): boolean => a.x0 < b.x1 + slack && b.x0 < a.x1 + slack;

function newCell(t: Token): SCell {
  const b = box(t);
  return { tokens: [t], x0: b.x, x1: b.x + b.w, y0: b.y, y1: b.y + b.h, lastTop: b.y, lastH: b.h };
}

function extend(c: SCell, t: Token): void {
  const b = box(t);
  c.tokens.push(t);
  c.x0 = Math.min(c.x0, b.x);
  c.x1 = Math.max(c.x1, b.x + b.w);
  c.y1 = Math.max(c.y1, b.y + b.h);
  c.y0 = Math.min(c.y0, b.y);
  if (b.y > c.lastTop + b.h * 0.5) [c.step, c.lastTop] = [Math.min(c.step ?? Infinity, b.y - c.lastTop), b.y];
  c.lastH = b.h;
}

/** Adds a line's tokens to a row: a token joins the cell it overlaps horizontally, else opens one. */
function addToRow(row: SRow, tokens: Token[]): void {
  for (const t of tokens) {
    const b = box(t);
    const cell = row.cells.find((c) => overlaps(c, { x0: b.x, x1: b.x + b.w }));
    if (cell) extend(cell, t);
    else row.cells.push(newCell(t));
  }
}

/** Row separators: horizontal rules (clustered by height) covering a good part of the block's width. */
function separators(rules: Rule[], x0: number, x1: number, y0: number, y1: number, unit: number): number[] {
  const hs = rules.filter((r) => r.y1 === r.y2 && r.y1 >= y0 - 4 * unit && r.y1 <= y1 + 4 * unit && r.x2 > x0 && r.x1 < x1).sort((a, b) => a.y1 - b.y1);
  const ys: { y: number; len: number }[] = [];
  for (const r of hs) {
    const last = ys.at(-1);
    const len = Math.min(r.x2, x1) - Math.max(r.x1, x0);
    if (last && r.y1 - last.y <= 2 * unit) last.len += len;
    else ys.push({ y: r.y1, len });
  }
  return ys.filter((s) => s.len >= (x1 - x0) * 0.3).map((s) => s.y);
}

/**
 * The cell of `rows` (the last few) that a token continues: it lies under it at a line pitch (in glyph
 * heights) and, without rules, no further down than OWN_PITCH times the cell's own pitch where it has
 * one (the table head under a goal's paragraph is further down than the paragraph's lines are apart).
 * Rows of cells centred between a tall cell's lines come between that cell's lines.
 */
function continued(rows: SRow[], t: Token, ruledBetween: (c: SCell, t: Token) => boolean, pitch: number, ruled: boolean, ocr: boolean): SCell | undefined {
  const b = box(t);
  const near = (cell: SCell): boolean => b.y - cell.lastTop <= cell.lastH * pitch && (ruled || cell.step === undefined || b.y - cell.lastTop <= OWN_PITCH * cell.step);
  for (const row of rows.slice(-4).reverse()) {
    const c = row.cells.find((cell) => !(ocr && marksOnlyCell(cell)) && overlaps(cell, { x0: b.x, x1: b.x + b.w }) && b.y - cell.lastTop > cell.lastH * 0.5 && near(cell));
    if (c) return ruledBetween(c, t) ? undefined : c;
  }
  return undefined;
}

/**
 * A cell of marks alone (no letter, digit or Han glyph). Read by OCR it is a speck read as a mark,
 * which no text wraps from: such a speck between a table's head and its first row (- read half a
 * line under 三级指标 on a copy200 flowscan) drew the first row's name into the head. (Not every
 * token of an OCR'd page has a confidence: that - had none, so a block is OCR'd when any token has
 * one.) A text layer's - is printed, and a line under it may continue it (- 因疫情影响… wrapped).
 */
const marksOnlyCell = (c: SCell): boolean => c.tokens.every((t) => marksOnly(t.text));

/** How many times its own line pitch further down a line may still continue a cell (rule-less tables). */
const OWN_PITCH = 1.4;

/**
 * The largest distance (in glyph heights) at which a line continues the cell above it. Between row
 * rules a continuation never crosses a rule, so text under a cell with no rule between is that
 * (merged) cell: any line pitch (up to 1.75). Without rules 1.6 (CJK fonts' normal line height is
 * about 1.5 glyphs), and only where some pitch is larger than 1.7 (rows with padding); where every
 * pitch is a line pitch nothing can be told apart (0).
 */
function linePitch(lines: Line[], ruled: boolean): number {
  if (ruled) return 1.75;
  const ps = lines.slice(1).map((l, i) => (lineTop(l) - lineTop(lines[i]!)) / lineH(l));
  return ps.some((p) => p > 1.7) ? 1.6 : 0;
}

/**
 * Groups a block's lines into rows. Where horizontal rules separate rows, the lines between two
 * rules are one row, except text that continues a cell above with no rule between them (a merged
 * cell's wrapped label). Without rules a line continues the cell above it at a line pitch (see
 * linePitch); when lines and rows cannot be told apart each line is its own row.
 */
function rowsOf(lines: Line[], rules: Rule[], unit: number, centred: boolean): SRow[] {
  const { rows, centrable } = groupedRows(lines, rules, unit);
  if (!centrable) return rows;
  const lifted = liftCentredLabels(rows, centred);
  return lifted.rows.map((r, i) => ({ ...r, spanned: lifted.spanned[i]! }));
}

/**
 * The rows of rowsOf before centred labels are lifted, and whether they may hold such labels: a
 * table without rules whose rows are set apart by padding (where every line is its own row, a
 * label's second line is a row of its own too, and no row tells a centred label from a wrapped one).
 */
function groupedRows(lines: Line[], rules: Rule[], unit: number): { rows: SRow[]; centrable: boolean } {
  const x0 = Math.min(...lines.flatMap((l) => l.tokens.map((t) => box(t).x)));
  const x1 = Math.max(...lines.flatMap((l) => l.tokens.map((t) => box(t).x + box(t).w)));
  const seps = separators(rules, x0, x1, lineTop(lines[0]!), Math.max(...lines.map((l) => lineTop(l) + lineH(l))), unit);
  const ruled = seps.length >= 3;
  const hRules = rules.filter((r) => r.y1 === r.y2);
  const ruledBetween = (c: SCell, t: Token): boolean => {
    const b = box(t);
    const mid = b.x + Math.min(b.w, b.h) / 2;
    return hRules.some((r) => r.y1 > c.lastTop + c.lastH * 0.5 && r.y1 < b.y + b.h * 0.5 && r.x1 <= mid && r.x2 >= mid);
  };
  const band = (l: Line): number => seps.filter((y) => y < lineTop(l) + lineH(l) / 2).length;
  const pitch = linePitch(lines, ruled);
  const ocr = readByOcr(lines);
  const canContinue = pitch > 0;
  const rows: SRow[] = [];
  let curBand = -1;
  for (const l of lines) {
    const row = rows.at(-1);
    const cont: [SCell, Token][] = [];
    const fresh: Token[] = [];
    for (const t of l.tokens) {
      const c = canContinue ? continued(rows, t, ruledBetween, pitch, ruled, ocr) : undefined;
      if (c) cont.push([c, t]);
      else fresh.push(t);
    }
    for (const [c, t] of cont) extend(c, t);
    if (row && cont.length) row.lines.push(l);
    if (!fresh.length) continue;
    const b = ruled ? band(l) : -1;
    if (ruled && row && b === curBand) {
      addToRow(row, fresh);
      if (!cont.length) row.lines.push(l);
    } else {
      const r: SRow = { cells: [], lines: cont.length ? [] : [l], top: lineTop(l), band: b };
      addToRow(r, fresh);
      rows.push(r);
    }
    curBand = b;
  }
  if (ruled) {
    liftMergedCells(rows, seps, hRules, unit);
    return { rows: rows.filter((r) => r.cells.length), centrable: false };
  }
  joinMiddleAligned(rows, unit);
  return { rows: rows.filter((r) => r.cells.length), centrable: canContinue };
}

/**
 * Whether the page's tables without rules print their merged labels centred: a label between two
 * rows (floatingRows). A document's pages are printed alike, so its other pages are read so too.
 */
export function showsCentredLabels(lines: Line[], rules: Rule[], page: Page): boolean {
  const flow = flowLines(lines);
  return flow !== null && blocks(flow).some((blk) => {
    if (!blk.table) return false;
    const { rows, centrable } = groupedRows(blk.lines, rules, page.scale ?? 1);
    return centrable && floatingRows(rows).some(Boolean);
  });
}

/**
 * Cells centred in their row (Excel / HTML vertical-align: middle) sit between the lines of the
 * row's wrapped cells: a row whose text lies within the height of the row before it, beside (not
 * under) its cells, is part of that row.
 */
function joinMiddleAligned(rows: SRow[], unit: number): void {
  const extent = (r: SRow): [number, number] => [Math.min(...r.cells.map((c) => c.y0)), Math.max(...r.cells.map((c) => c.y1))];
  for (let i = 1; i < rows.length; i++) {
    const [p, r] = [rows[i - 1]!, rows[i]!];
    if (!p.cells.length || !r.cells.length) continue;
    const [pt, pb] = extent(p);
    const [rt, rb] = extent(r);
    // Within the other's height, or centred with one of its cells (a three-line reason whose first
    // line is above a row whose two-line label reaches below the reason's last line).
    const within = rt >= pt - unit && rb <= pb + unit;
    const centred = r.cells.some((c) => p.cells.some((q) => Math.abs(c.y0 + c.y1 - q.y0 - q.y1) / 2 <= 0.25 * Math.min(c.lastH, q.lastH)));
    if (!(within || centred) || r.cells.some((c) => p.cells.some((q) => overlaps(c, q)))) continue;
    p.cells.push(...r.cells);
    p.lines.push(...r.lines);
    r.cells = [];
    rows.splice(i, 1);
    i--;
  }
}

/**
 * A cell whose column has no rule above it, up to an earlier row, is a merged cell (its text printed
 * in the middle of the rows it spans): it is read with the first row it spans, as in a lattice.
 */
function liftMergedCells(rows: SRow[], seps: number[], hRules: Rule[], unit: number): void {
  const ruledAt = (y: number, x: number): boolean => hRules.some((r) => Math.abs(r.y1 - y) <= 2 * unit && r.x1 <= x && r.x2 >= x);
  for (let i = rows.length - 1; i > 0; i--) {
    const row = rows[i]!;
    for (const cell of [...row.cells]) {
      const x = (cell.x0 + cell.x1) / 2;
      let k = i;
      while (k > 0) {
        const [above, here] = [rows[k - 1]!.band!, rows[k]!.band!];
        const between = seps.slice(above, here);
        if (between.length === 0 || between.some((y) => ruledAt(y, x))) break;
        if (rows[k - 1]!.cells.some((c) => overlaps(c, cell))) break;
        k--;
      }
      if (k === i) continue;
      row.cells.splice(row.cells.indexOf(cell), 1);
      rows[k]!.cells.push(cell);
    }
  }
}

interface Gap extends Span {
  support: number;
}

/** The gaps between a row's cells, and the merged cells over it from rows above. */
const gapsOf = (row: SRow): Span[] => {
  const cs = [...row.cells, ...(row.spanned ?? [])].sort((a, b) => a.x0 - b.x0);
  return cs.slice(1).map((c, i) => ({ x0: cs[i]!.x1, x1: c.x0 }));
};

/** A cell crosses a gap when it covers it and reaches past both ends by more than a glyph. */
const crosses = (c: SCell, g: Span): boolean => c.x0 < g.x0 - c.lastH && c.x1 > g.x1 + c.lastH;

/** True when `row` fits the column gaps `gaps`: none crossed, or every gap of the row is one of them. */
function fits(row: SRow, gaps: Span[]): boolean {
  if (!row.cells.some((c) => gaps.some((g) => crosses(c, g)))) return true;
  return gapsOf(row).every((rg) => gaps.some((g) => overlaps(rg, g)));
}

function addGaps(model: Gap[], row: SRow): void {
  for (const rg of gapsOf(row)) {
    const hit = model.filter((g) => overlaps(rg, g));
    if (hit.length === 1) {
      const g = hit[0]!;
      const [a, b] = [Math.max(g.x0, rg.x0), Math.min(g.x1, rg.x1)];
      if (b > a) Object.assign(g, { x0: a, x1: b });
      g.support++;
    } else if (hit.length === 0) model.push({ ...rg, support: 1 });
  }
}

const modelOf = (rows: SRow[]): Gap[] => {
  const model: Gap[] = [];
  for (const r of rows) addGaps(model, r);
  return model;
};

const agree = (a: SRow, b: SRow): boolean => fits(a, gapsOf(b)) && fits(b, gapsOf(a));

/**
 * Rows of a table that are not aligned with its fullest rows: fewer cells, and (of two or more cells)
 * at most one starting, ending or centred where a cell of a fullest row does.
 */
function looseRows(g: SRow[], unit: number): (r: SRow) => boolean {
  const most = Math.max(...g.map((r) => r.cells.length));
  const fine = g.filter((r) => r.cells.length === most).flatMap((r) => r.cells);
  const aligned = (c: SCell): boolean =>
    fine.some((f) => Math.abs(f.x0 - c.x0) <= 2 * unit || Math.abs(f.x1 - c.x1) <= 2 * unit || Math.abs(f.x0 + f.x1 - c.x0 - c.x1) <= 4 * unit);
  return (r) => r.cells.length < most && r.cells.filter(aligned).length < Math.min(2, r.cells.length);
}

/** Splits a table's rows into sub-tables that share column gaps, and returns each row's gaps. */
function columnModels(rows: SRow[], unit: number): Map<SRow, Gap[]> {
  const groups: SRow[][] = [];
  let members: SRow[] = [];
  let model: Gap[] = [];
  for (const row of rows) {
    if (!members.length || fits(row, model)) {
      members.push(row);
      addGaps(model, row);
      continue;
    }
    // Another table: it takes along the rows just above that agree with it and are not aligned with
    // the table being left (its header, a period line).
    const loose = looseRows(members, unit);
    let k = members.length;
    while (k > 0 && loose(members[k - 1]!) && agree(row, members[k - 1]!)) k--;
    if (k > 0) groups.push(members.slice(0, k));
    members = [...members.slice(k), row];
    model = modelOf(members);
  }
  if (members.length) groups.push(members);
  const out = new Map<SRow, Gap[]>();
  for (const g of groups) {
    const m = modelOf(g);
    // A row with a cell across the table's column gaps starts a table of its own together with the
    // neighbouring rows it agrees with that are not aligned with the table's fullest rows (a goals
    // header and its text under a funding table).
    const loose = looseRows(g, unit);
    const seed = (r: SRow): boolean => loose(r) && r.cells.some((c) => m.some((gap) => crosses(c, gap)));
    const own = new Map<SRow, SRow[]>();
    g.forEach((r, i) => {
      if (own.has(r) || !seed(r)) return;
      let [a, b] = [i, i];
      while (a > 0 && !own.has(g[a - 1]!) && loose(g[a - 1]!) && agree(g[a - 1]!, g[a]!)) a--;
      while (b + 1 < g.length && loose(g[b + 1]!) && agree(g[b]!, g[b + 1]!)) b++;
      const run = g.slice(a, b + 1);
      if (run.filter((x) => x.cells.length >= 2).length >= 2) for (const x of run) own.set(x, run);
    });
    const models = new Map<SRow[], Gap[]>();
    for (const r of g) {
      const run = own.get(r);
      if (run && !models.has(run)) models.set(run, modelOf(run));
      out.set(r, run ? models.get(run)! : m);
    }
  }
  return out;
}

/** Two tokens of one line of a cell: their tops within half the lower one's height. */
const sameLine = (a: { y: number; h: number }, b: { y: number; h: number }): boolean => Math.abs(a.y - b.y) < 0.5 * Math.min(a.h, b.h);

/** A cell of more than one line. */
const wrapped = (c: SCell): boolean => c.lastTop > c.y0;

/**
 * A cell begun level with another's first line: their tops within half its height, or half its
 * first line's where it is wrapped (a goal's paragraph beside 年度总体目标 centred on its lines
 * begins far above the label, within half the paragraph's height).
 */
const onFirstLine = (b: SCell, a: SCell): boolean => Math.abs(b.y0 - a.y0) < 0.5 * (wrapped(b) ? b.lastH : b.y1 - b.y0);

/**
 * Cells a row opened on a wrapped cell's first line, inside the span its later lines reach, are
 * parts of it: a paragraph's first line read in pieces (通过项目开展 | 确保养老金按时足额发放 |
 * 方便享受本市, white between them wider than a column gap), under which the next line runs
 * across all three. Each such piece joins the cell, read in its place (cellToken orders a cell's
 * tokens by line, then left to right), not after the cell's text. A piece starting where a cell of
 * another row starts stays a cell: it is a column's (a label's second line read into the next
 * column's text runs over that column's cell), unless most of the wrapped cell's inner lines run
 * on just past that start (runsAcross).
 */
function absorbPieces(row: SRow, rows: SRow[], unit: number): void {
  const column = (b: SCell): boolean => startsColumn(b, row, rows, unit);
  // A piece that starts where cells of other rows start stays a cell, unless the wrapped cell's own
  // lines run on across that start: then those cells are another table's (a funding table's 得分
  // column above a deviation reason read in pieces, 初审合格率有提升空间 | 措施：提) or a centred
  // header's (实际完成情况), and the piece is its first line's.
  const stays = (b: SCell, a: SCell): boolean => column(b) && !runsAcross(a, b.x0 + COLUMN_START * unit);
  // The widest wrapped cells first: a cell taken into one takes none of its own afterwards.
  const widest = row.cells.filter(wrapped).sort((a, b) => b.x1 - b.x0 - (a.x1 - a.x0));
  for (const a of widest) {
    if (!row.cells.includes(a)) continue;
    row.cells = row.cells.filter((b) => {
      // (The column test, a pass over the block's other rows, only for a piece the cell's span holds.)
      if (b === a || b.x0 < a.x0 - unit || b.x1 > a.x1 + unit || !onFirstLine(b, a) || stays(b, a)) return true;
      for (const t of b.tokens) extend(a, t);
      return false;
    });
  }
}

/**
 * Whether most of a wrapped cell's inner lines (neither its first nor its last, which may stop
 * short) reach right of `x`: a paragraph that fills its cell's width runs across it. Lines are the
 * cell's tokens grouped by top (a token joins the first line whose first token is on its line by
 * sameLine, the test cellToken orders tokens by); a cell of fewer than three lines has none to tell by.
 */
export function runsAcross(c: Pick<SCell, 'tokens'>, x: number): boolean {
  const lines: { y: number; h: number; right: number }[] = [];
  for (const t of [...c.tokens].sort((p, q) => box(p).y - box(q).y)) {
    const b = box(t);
    const line = lines.find((l) => sameLine(l, b));
    if (line) line.right = Math.max(line.right, b.x + b.w);
    else lines.push({ y: b.y, h: b.h, right: b.x + b.w });
  }
  const inner = lines.slice(1, -1);
  return inner.filter((l) => l.right > x).length * 2 > inner.length;
}

/**
 * A cell of a row on a wrapped cell's first line, in its column (no column gap between them) and
 * reaching further right than any of its lines: a piece of that first line, joined to the wrapped
 * cell so that its text is read line by line (cellToken). A cell's first line read in pieces,
 * white between them where a photocopy lost a 。 (库房设施存在改进空间 | 措施：增), its second line
 * (加设施更新力度) shorter: absorbPieces takes no piece beyond the cell's span, and read cell after
 * cell the piece came after the second line. A cell inside the span is absorbPieces' to take or
 * leave (its column test keeps goals' 实际完成情况 apart from the 预期目标 read into it). A piece
 * that starts a column of its own is no such cell: other rows' cells starting there make white
 * before it a column gap, and so it another column. A piece after the white a lost mark leaves
 * (lostMark: 各分中心 | 使 on the UMing flowscans, their comma taken for a speck) is the line's too,
 * though that white, of its row alone, names a column: an OCR'd piece of one line (a cell of lines
 * of its own is a paragraph beside), Han glyph against Han glyph with the first line's end
 * (markLost), that starts no column (`columnStart`, startsColumn) and whose white before it is no
 * gap the table's other rows leave too (`columnGap`: a one-line actual goal a glyph from the
 * expected one, under its centred head).
 */
function joinColumnPieces(cells: readonly SCell[], colOf: (c: SCell) => number, columnStart: (c: SCell) => boolean, columnGap: (x0: number, x1: number) => boolean): SCell[] {
  const out: SCell[] = [];
  for (const c of cells) {
    const prev = out.at(-1);
    if (prev && wrapped(prev) && c.x1 > prev.x1 && onFirstLine(c, prev) && (colOf(prev) === colOf(c) || lostMarkBefore(prev, c, columnStart, columnGap))) {
      const joined: SCell = { ...prev, tokens: [...prev.tokens] };
      for (const t of c.tokens) extend(joined, t);
      out[out.length - 1] = joined;
    } else out.push(c);
  }
  return out;
}

/** Whether one-line cell `c` continues the line of `prev` it stands on past a lost mark (see joinColumnPieces). */
function lostMarkBefore(prev: SCell, c: SCell, columnStart: (c: SCell) => boolean, columnGap: (x0: number, x1: number) => boolean): boolean {
  const first = [...c.tokens].sort((p, q) => box(p).x - box(q).x)[0]!;
  const before = prev.tokens.filter((t) => sameLine(box(t), box(first)) && box(t).x < box(first).x).sort((p, q) => box(p).x + box(p).w - box(q).x - box(q).w).at(-1);
  if (wrapped(c) || !before || !markLost(before, first)) return false;
  return !columnStart(c) && !columnGap(box(before).x + box(before).w, box(first).x);
}

/** How near (in points) two cells' left ends stand where they start one column. */
const COLUMN_START = 3;

/** Whether a cell of `row` starts where a cell of another of `rows` starts: a column's left end. */
const startsColumn = (b: SCell, row: SRow, rows: readonly SRow[], unit: number): boolean =>
  rows.some((r) => r !== row && r.cells.some((c) => Math.abs(c.x0 - b.x0) <= COLUMN_START * unit));

/**
 * White between two pieces of a line of running text, ink to ink, that a full-width mark leaves
 * where the scan lost its ink (a thin face's comma, a few pixels at 200 dpi, taken for a speck): a
 * mark's square and the glyphs' sides, from LOST_MARK[0] to LOST_MARK[1] glyph heights (1.04–1.26
 * on the UMing flowscans). Two Han glyphs of a line stand 0.1–0.3 apart; two marks, two glyphs.
 */
const LOST_MARK = [0.85, 1.6] as const;
const lostMark = (white: number, glyph: number): boolean => white >= LOST_MARK[0] * glyph && white <= LOST_MARK[1] * glyph;

/**
 * The mark put back in such white between two Han glyphs: the commonest there (of the sample forms'
 * marks between Han glyphs, 298 ，, 151 、, 43 ；, 39 。).
 */
const LOST_MARK_READ = '，';

/**
 * Two OCR'd pieces of one line of a cell, Han glyph against Han glyph, with a lost mark's white
 * between them. A cell holds pieces of one line only where it is wrapped: its first line's pieces
 * (absorbPieces, joinColumnPieces) or a later line read in pieces under it (continued), the line
 * finder having cut the line at white wider than 0.8 of a glyph, which running Chinese text leaves
 * only where a mark stood. A text layer's pieces lose no ink. Not beside a 一: its one thin stroke
 * fades at its ends, and the white it leaves tells of no mark (进 | 一步提高 0.87 glyph apart on the
 * copy200 flowscan).
 */
function markLost(a: Token, b: Token): boolean {
  if (a.confidence === undefined || b.confidence === undefined || !sameLine(box(a), box(b))) return false;
  if (!HAN_END.test(a.text) || !HAN_START.test(b.text) || a.text.endsWith('一') || b.text.startsWith('一')) return false;
  return lostMark(box(b).x - (box(a).x + box(a).w), Math.min(box(a).h, box(b).h));
}
/** A piece with the lost mark before it, a guess among marks (LOST_MARK_CONFIDENCE). */
const withLostMark = (t: Token): Token => ({ ...t, text: LOST_MARK_READ + t.text, ...(t.glyphConfidence ? { glyphConfidence: [LOST_MARK_CONFIDENCE, ...t.glyphConfidence] } : {}) });
const LOST_MARK_CONFIDENCE = 0.5;
const HAN_END = /\p{Script=Han}$/u;
const HAN_START = /^\p{Script=Han}/u;

function cellToken(c: SCell, col: number): Token {
  const ordered = [...c.tokens].sort((a, b) => (sameLine(box(a), box(b)) ? box(a).x - box(b).x : box(a).y - box(b).y));
  const sorted = ordered.map((t, i) => (i > 0 && markLost(ordered[i - 1]!, t) ? withLostMark(t) : t));
  // Read by OCR, a cell's end wrapped onto a line of its own (各项帮办服务功能故 / 障素) was repaired
  // against the lexicon with no word to go by: it is repaired as the end of the cell's last two
  // tokens joined (its last two lines, or two words of its last line: 故障素 → 故障率), as a ruled
  // cell's is when it is read (ingest/ocr.ts). A mark the page reading put after it (a 。 with no
  // confidence of its own) stays after it.
  const read = sorted.findLastIndex((t) => t.confidence !== undefined);
  const ts = read < 0 ? sorted : [...repairWrappedEnd(sorted.slice(0, read + 1)), ...sorted.slice(read + 1)];
  const token: Token = {
    text: ts.map((t) => t.text).join(''),
    col,
    x: ts[0]!.x,
    width: ts.reduce((s, t) => s + t.width, 0),
    box: { x: c.x0, y: c.y0, w: c.x1 - c.x0, h: c.y1 - c.y0 },
  };
  // An OCR'd cell is as sure as its least sure word (as a lattice cell, layout/grid.ts).
  const confs = ts.flatMap((t) => (t.confidence === undefined ? [] : [t.confidence]));
  if (confs.length) token.confidence = Math.min(...confs);
  return token;
}

/**
 * Consecutive lines that may form one table: split at form titles and year lines, and at vertical gaps wider than
 * twice the page's usual gap between lines (a running header above a table), at most 3 glyph heights.
 */
function blocks(lines: Line[]): { lines: Line[]; table: boolean }[] {
  const gap = (a: Line, b: Line): number => lineTop(b) - (lineTop(a) + lineH(a));
  const gaps = lines.slice(1).map((l, i) => gap(lines[i]!, l)).filter((g) => g > 0).sort((a, b) => a - b);
  const usual = gaps[gaps.length >> 1] ?? 0;
  const out: { lines: Line[]; table: boolean }[] = [];
  let cur: Line[] = [];
  const flush = (): void => {
    if (cur.length) out.push({ lines: cur, table: true });
    cur = [];
  };
  for (const l of lines) {
    if (isTitleOrYear(l.text)) {
      flush();
      out.push({ lines: [l], table: false });
      continue;
    }
    const prev = cur.at(-1);
    const h = prev ? Math.max(lineH(l), lineH(prev)) : 0;
    if (prev && gap(prev, l) > Math.min(3 * h, Math.max(1.5 * h, 2 * usual))) flush();
    cur.push(l);
  }
  flush();
  return out;
}

/**
 * Whether cell `c` stands after column gap `g`: it starts past the gap's start, or less than half a
 * glyph before it and ends past the gap (the box OCR gave a wrapped name, 设备及应用软件巡查频, began
 * 14 pixels left of the names under one another, 2 pixels into the 二级指标 column a longer label
 * of another row ends at; a cell of that column has a glyph or more in it, or ends before the gap).
 */
const after = (g: Span, c: SCell, unit: number): boolean => g.x0 <= c.x0 + 0.5 * unit || (g.x0 - c.x0 < 0.5 * c.lastH && c.x1 > g.x1);

/**
 * The flow lines (not gridded, every token placed) a stream table may be read from, top to bottom;
 * null where fewer than two of them hold several tokens (no table there).
 */
function flowLines(lines: Line[]): Line[] | null {
  const flow = lines.filter((l) => !l.cells && l.tokens.length && l.tokens.every((t) => t.box));
  if (flow.filter((l) => l.tokens.length >= 2).length < 2) return null;
  return flow.sort((a, b) => lineTop(a) - lineTop(b));
}

/**
 * The page's lines outside ruled tables → stream tables as gridded lines, the rest unchanged.
 * `rules` are the page's rules that formed no lattice. Lengths are in the page's units: PDF points,
 * or pixels on a scan (page.scale pixels a point), where what the reader measures in points is scaled.
 * A scan's OCR'd lines reach it as a text layer's do only where no ruled table was found (the cells
 * of a ruled table are read one by one, each line a token of its own, which is no stream table).
 * `centred`: the document's tables print their merged labels centred (showsCentredLabels).
 */
export function streamTables(lines: Line[], rules: Rule[], page: Page, centred = false): Line[] {
  const unit = page.scale ?? 1;
  const flow = flowLines(lines);
  if (!flow) return lines;
  const done = new Set<Line>(flow);
  const out: Line[] = lines.filter((l) => !done.has(l));
  for (const blk of blocks(flow)) {
    if (!blk.table) {
      out.push(...blk.lines);
      continue;
    }
    const rows = rowsOf(blk.lines, rules, unit, centred);
    for (const r of rows) absorbPieces(r, rows, unit);
    const multi = rows.map((r, i) => (r.cells.length >= 2 ? i : -1)).filter((i) => i >= 0);
    if (multi.length < 2) {
      out.push(...blk.lines);
      continue;
    }
    const [first, last] = [multi[0]!, multi.at(-1)!];
    for (const r of [...rows.slice(0, first), ...rows.slice(last + 1)]) out.push(...r.lines);
    const table = rows.slice(first, last + 1);
    const models = columnModels(table, unit);
    for (const r of table) {
      const gaps = models.get(r) ?? [];
      // A cell's column is named by where the column before it ends (the right end of its text):
      // the same in every row of a table, and in a table continued on the next page no larger for a
      // centred header than for the left-aligned text under it. A cell that starts inside a gap (in
      // white every other row leaves: a speck before a wrapped name's second line) is after it.
      // A gap of this row alone that cells of two rows or more of its table run across is white inside
      // a cell (a faded glyph: 统 | 一着装素), no column: a cell after it is not named by it.
      // The rows of this row's own table (its column model).
      const peers = table.filter((o) => models.get(o) === gaps);
      const runAcross = (g: Gap): number => peers.filter((o) => o !== r && o.cells.some((c) => c.x0 < g.x0 && c.x1 > g.x1)).length;
      const cuts = gaps.filter((g) => g.support >= 2 || runAcross(g) < 2).sort((a, b) => a.x0 - b.x0);
      const colOf = (c: SCell): number => Math.round(cuts.filter((g) => after(g, c, unit)).at(-1)?.x0 ?? 0);
      const columnGap = (x0: number, x1: number): boolean => gaps.some((g) => g.support >= 2 && g.x0 < x1 && x0 < g.x1);
      // Columns start where cells of this row's own table start (not a table below it on the page: a
      // 偏差原因 cell under the goals' 实际完成情况 starts no column of the goals).
      const tokens = joinColumnPieces([...r.cells].sort((a, b) => a.x0 - b.x0), colOf, (c) => startsColumn(c, r, peers, unit), columnGap).map((c) => cellToken(c, colOf(c)));
      out.push({ page: page.number, lineNo: 0, tokens, text: tokens.map((t) => t.text).join(' '), cells: true, gapBefore: 0 });
    }
  }
  return out;
}
