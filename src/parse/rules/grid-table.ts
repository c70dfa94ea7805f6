/**
 * The indicator table of a gridded form → rows. Each line's cells are classified by what they
 * are (label, name, target, number, reason) rather than by column, because exports shift cells;
 * a small state machine then repairs what page breaks do to a table: a name or a reason split
 * across the break, a row printed before its name, a label printed after the rows it spans.
 */
import type { Box, Line, SourceSpan, Token } from '../../ingest/types.js';
import { DIGIT_LOOKALIKE_GLYPHS, editDistance, glyphsApart, marksOnly } from '../../ingest/ocr-lexicon.js';
import { percentRead, percentTailRead, percentUnitRead } from '../../ingest/ocr-percent.js';
import { UNITS } from '../../ingest/ocr-figures.js';
import { isNumberCell, parsePrintedNumber } from '../values.js';
import { HEADER_WORDS, KNOWN_LABELS, LEVEL2_PARENT, LabelTracker, isKnownLabel, isLabelCell, isLevel1, splitLabels } from './labels.js';
import { cellText, fuzzy, readByOcr, type LineCell } from './grid.js';
import { isGradedVerdict } from './flow-text.js';
import { ROW_FIGURE_CELLS, type RowFigureCell } from '../../schema/columns.js';

export type TableKind = 'scored' | 'target';

export interface GridRow {
  labels: string[];
  level1: string | null;
  level2: string | null;
  name: string | null;
  target: string | null;
  actual: string | null;
  weight: string | null;
  score: string | null;
  reason: string | null;
  span: SourceSpan;
  /** Where each figure cell of the row was read (its box and confidence), where one token holds it. */
  cells?: RowCells;
  /** True when the row was put together from pieces on several lines. */
  repaired: boolean;
}

export type RowCells = Partial<Record<RowFigureCell, SourceSpan>>;

interface Cell {
  text: string;
  col: number;
}

type LineKind =
  | { kind: 'row'; labels: string[]; name: string | null; target: string | null; actual: string | null; weight: string | null; score: string | null; reason: string | null }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'name'; text: string }
  | { kind: 'reason'; text: string }
  | { kind: 'other'; text: string };

export interface TableColumns {
  /** Column of 三级指标 in the header. */
  name: number;
  /** Column of 偏差原因分析及改进措施, or Infinity. */
  reason: number;
  /** Column of 得分, or Infinity. */
  score?: number;
  /** Column of 分值, or Infinity. */
  weight?: number;
  /** Columns of 年度指标值 and 实际完成值, or Infinity. */
  target?: number;
  actual?: number;
  /** Column of 三级指标 as the header column just left of 年度指标值 (where a name read by columns starts). */
  third?: number;
  /** How far a cell's column may stand left of the header's and still be in it (see IndicatorHeader.slack). */
  slack?: number;
}

type RowFields = Omit<Extract<LineKind, { kind: 'row' }>, 'kind' | 'labels'>;

/**
 * A scored row's fields by the header's columns (a cell's column is where it starts), or null
 * when the header does not place all five. Read by OCR, a cell can be lost (a faint 完善): by
 * position, the cells after it would shift one field left and the name would be taken for a value.
 */
function byColumns(cells: Cell[], cols: TableColumns, figure: (t: string) => boolean): RowFields | null {
  const { third = -1, target = Infinity, actual = Infinity, weight = Infinity, score = Infinity, reason, slack = 0 } = cols;
  if (!(third >= 0 && third < target && target < actual && actual < weight && weight < score && Number.isFinite(score))) return null;
  const pick = (lo: number, hi: number): string | null => cells.filter((c) => c.col >= lo - slack && c.col < hi - slack).map((c) => c.text).join('') || null;
  const fields = { name: pick(third, target), target: pick(target, actual), actual: pick(actual, weight), weight: pick(weight, score) };
  if (Number.isFinite(reason)) return { ...fields, score: pick(score, reason), reason: pick(reason, Infinity) };
  // No 偏差原因 column known: the 得分 is the first cell from its column on, when a figure; the rest is the reason.
  const after = cells.filter((c) => c.col >= score - slack).map((c) => c.text);
  const scored = after.length > 0 && figure(after[0]!);
  return { ...fields, score: scored ? after[0]! : null, reason: after.slice(scored ? 1 : 0).join('') || null };
}

/** Header cells at the start of a line that make it the table's header repeated (a continuation page's). */
const REPEATED_HEADER = 3;

/**
 * `绩效 指标` header cell fragments at the start of a line are not content; a line that starts
 * with three header cells is the header repeated, and none of it is (偏差原因分析及改进措施 read as
 * 仿差原因分析及改进措施 at its end is no reason).
 */
function dropHeaderFragments(cells: Cell[], ocr: boolean): Cell[] {
  // The header cells at the line's start: how many, and where the last ends. Read by OCR, a cell of
  // marks alone after the first of them is a speck (级指标 | 二级指标 | - | 三级指标 on a photocopy).
  const leading = (near: boolean): { words: number; end: number } => {
    let [words, end] = [0, 0];
    for (let i = 0; i < cells.length; i++) {
      if (isHeaderWord(cells[i]!.text, near)) [words, end] = [words + 1, i + 1];
      else if (!ocr || words === 0 || !marksOnly(cells[i]!.text)) break;
    }
    return { words, end };
  };
  // A cell one glyph off a header word counts toward a whole header only: alone at a row's start it
  // may be a label misread (效级指标), which the label reading puts right.
  if (leading(ocr).words >= REPEATED_HEADER) return [];
  const { words, end } = leading(false);
  return words >= REPEATED_HEADER ? [] : cells.slice(end);
}

/** Header words long enough to be recognised misread (one glyph in four off: 偏差原因分析及改进措施 two). */
const HEADER_MATCHER = fuzzy([...HEADER_WORDS].filter((w) => w.length >= 4));

/**
 * A header cell, never a row's label. Read by OCR, a header word misread as fuzzy allows counts
 * (一级指标 read as 级指标, 偏差原因 as 坊莽原因: two off in eleven), unless it is a framework label itself.
 */
function isHeaderWord(text: string, ocr: boolean): boolean {
  if (HEADER_WORDS.has(text)) return !isLabelCell(text);
  return ocr && !isKnownLabel(text) && HEADER_MATCHER.test(text);
}

const LABEL_MATCHERS = KNOWN_LABELS.map((l) => ({ label: l, m: fuzzy([l]) }));

/** Labels this long or longer may be two glyphs off as read (可持续及哟指标), where no other label is as near. */
const TWO_OFF_LENGTH = 6;

/**
 * The framework label an OCR-garbled cell most likely is (数最指标 → 数量指标), if any: one glyph
 * off, or, for a label of six glyphs or more ending in 指标, two glyphs off the only label that near
 * (可持续及哟指标 → 可持续影响指标; 社会双生指标 is as near 社会效益指标 as 社会成本指标, and stays
 * here: its level1 decides, levelUnder).
 */
function nearestLabel(text: string): string[] | null {
  const hit = LABEL_MATCHERS.find(({ m }) => m.test(text));
  if (hit) return [hit.label];
  const near = twoOff(text);
  return near.length === 1 ? [near[0]!] : null;
}

/** The framework labels of six glyphs or more, ending in 指标, at most two glyphs off `text` (of as many glyphs). */
function twoOff(text: string): string[] {
  if (Array.from(text).length < TWO_OFF_LENGTH || !text.endsWith('指标')) return [];
  return KNOWN_LABELS.filter((l) => glyphsApart(l, text) <= 2);
}

/**
 * An OCR-garbled level2 label two glyphs off several framework labels, as the one of them its
 * level1 holds (社会双生指标 under 效益指标: 社会效益指标, not 成本指标's 社会成本指标); else as read.
 */
export function levelUnder(label: string, level1: string | null): string {
  if (isKnownLabel(label) || level1 === null) return label;
  const held = twoOff(label).filter((l) => LEVEL2_PARENT[l] === level1);
  return held.length === 1 ? held[0]! : label;
}

/**
 * The level labels a cell holds, or null. Read by OCR (`ocr`), a label one glyph off a known
 * one (数最指标) is that one; a printed label is kept as printed (other provinces' labels).
 */
function labelsOf(text: string, ocr = false): string[] | null {
  // Two known labels run together (效益指标社会效益指标) are two, though shaped like one label.
  const split = isKnownLabel(text) ? null : splitLabels(text);
  const ls = split && split.length > 1 && split.every(isKnownLabel) ? split : isLabelCell(text) ? [text] : split;
  if (!ls || (ls.length < 2 && !isLabelCell(text))) return null;
  if (ocr && !ls.every(isKnownLabel)) return ls.map((l) => nearestLabel(l)?.[0] ?? l);
  return ls;
}

/**
 * A label column's cell, read by OCR, that holds a framework label and names beside it run into
 * it: the label then the name (效益指标档案丢失率), or names inside a label wrapped in its narrow
 * column, read round the name printed between its lines and before the next row's
 * (服务对象满 | 分中心和部门满意度 | 意度指标 | 系统用户满意度; its last part may be one glyph
 * misread: 服务对象满档案查询用户满意度总度指标). `after` is the next row's name. Null where a
 * part is no name of two glyphs or more, holds 指 (a second label misread: 效益指标社会效益指木
 * stays unread), or begins a label (满意度指标服务对象满意度: the second label's 指标 wrapped).
 */
export function labelAroundName(text: string): { label: string; name: string; after: string } | null {
  // A label's head cut from its 指标 on the next line (服务对象满意度, 质量) is no name.
  const isName = (s: string): boolean =>
    !s.includes('指') && (s.match(/\p{Script=Han}/gu) ?? []).length >= 2 && !KNOWN_LABELS.some((k) => k.startsWith(s));
  // Specks read at the seam (数字化外包质保期`) are no part of a name.
  const seams = (s: string): string => s.replace(/^[`'"~^_|.,:;，：；、\s]+|[`'"~^_|.,:;，：；、\s]+$/gu, '');
  const chars = Array.from(text);
  for (const label of KNOWN_LABELS) {
    const after = seams(text.slice(label.length));
    if (text.startsWith(label) && isName(after)) return { label, name: after, after: '' };
  }
  for (const exact of [true, false]) {
    for (const label of KNOWN_LABELS) {
      const l = Array.from(label);
      for (let k = l.length - 2; k >= 2; k--) {
        const [head, tail] = [l.slice(0, k), l.slice(k)];
        if (chars.slice(0, k).join('') !== head.join('')) continue;
        // The tail, as printed or (three glyphs or more) one glyph misread, after a name of two glyphs or more.
        for (let p = k + 2; p + tail.length <= chars.length; p++) {
          const window = chars.slice(p, p + tail.length);
          if (exact ? window.join('') !== tail.join('') : tail.length < 3 || window.at(-1) !== '标' || glyphsApart(window, tail) !== 1) continue;
          const [name, after] = [seams(chars.slice(k, p).join('')), seams(chars.slice(p + tail.length).join(''))];
          if (isName(name) && (after === '' || isName(after))) return { label, name, after };
        }
      }
    }
  }
  return null;
}

/**
 * The lines with each label-column cell that holds a label and names run into it (labelAroundName)
 * split: the label stays in its cell, the name goes to the name column where its line has no name,
 * and the next row's name to the next line where that has none. Only read by OCR, with geometry:
 * other lines are handed back as they are, uncopied (a text layer's table costs nothing here).
 */
export function unwrapLabelCells(lines: readonly Line[], cols: TableColumns): readonly Line[] {
  if (cols.name <= 0 || !readByOcr(lines)) return lines;
  const out = lines.map((l) => ({ ...l, tokens: [...l.tokens] }));
  const slack = cols.slack ?? 0;
  // A name cell anywhere from the name column to the target's (a name centred in a table without rules), where the target's is known.
  const inNameColumn = (t: Token): boolean =>
    t.col !== undefined && (cols.target === undefined ? Math.abs(t.col - cols.name) <= slack : t.col >= cols.name - slack && t.col < cols.target - slack);
  const named = (l: Line): boolean => l.tokens.some(inNameColumn);
  // A row's line has a value right of its name (a target, a figure); a line of labels alone has none.
  const valued = (l: Line): boolean => l.tokens.some((t) => t.col !== undefined && t.col >= cols.name - slack && !inNameColumn(t));
  out.forEach((line, i) => {
    if (!readByOcr([line]) || !valued(line)) return;
    const at = line.tokens.findIndex((t) => t.box && t.col !== undefined && t.col < cols.name - slack && !labelsOf(cellText(t), true) && !nearestLabel(cellText(t)));
    const cell = line.tokens[at];
    const around = cell ? labelAroundName(cellText(cell)) : null;
    if (!cell || !around || named(line)) return;
    line.tokens.splice(at, 1, { ...cell, text: around.label }, { ...cell, text: around.name, col: cols.name });
    const next = out[i + 1];
    if (around.after && next && !named(next)) next.tokens.unshift({ ...cell, text: around.after, col: cols.name });
  });
  return out.map((l) => ({ ...l, text: l.tokens.map((t) => t.text).join(' ') }));
}

/** A comparison a target starts with (=100%, ≥95%, ＜5次). */
const OPERATOR = '[=＝<>≤≥＜＞]';
const STARTS_WITH_OPERATOR = new RegExp(`^${OPERATOR}`);
const TARGETISH = new RegExp(`^(${OPERATOR}|[\\d.]+%?$)`);
const NOT_SCORE = /%$/;

export function classifyLine(line: Line, kind: TableKind, cols: TableColumns): LineKind {
  const ocr = readByOcr([line]);
  const cells = dropHeaderFragments(line.tokens.map((t) => ({ text: cellText(t), col: t.col ?? 0 })), ocr);
  const labels: string[] = [];
  const rest: Cell[] = [];
  // With geometry (PDF/scan tables) the columns are real: cells left of 三级指标 are level labels,
  // read with OCR tolerance, and never part of a name.
  const geometric = line.tokens.some((t) => t.box);
  const slack = cols.slack ?? 0;
  const near = (col: number, at: number | undefined): boolean => at !== undefined && Math.abs(col - at) <= slack;
  for (const c of cells) {
    if (geometric && cols.name > 0 && c.col < cols.name - slack) {
      const l = labelsOf(c.text, ocr) ?? nearestLabel(c.text);
      if (l) labels.push(...l);
      continue;
    }
    const ls = rest.length === 0 ? labelsOf(c.text, ocr) : null;
    if (ls) labels.push(...ls);
    else rest.push(c);
  }
  if (rest.length === 0) return labels.length ? { kind: 'labels', labels } : { kind: 'other', text: '' };

  if (kind === 'target') {
    if (rest.length === 1) {
      const only = rest[0]!;
      if (TARGETISH.test(only.text) && !labels.length)
        return { kind: 'row', labels, name: null, target: only.text, actual: null, weight: null, score: null, reason: null };
      return labels.length
        ? { kind: 'row', labels, name: only.text, target: null, actual: null, weight: null, score: null, reason: null }
        : { kind: 'name', text: only.text };
    }
    const target = rest.at(-1)!.text;
    const name = rest.slice(0, -1).map((c) => c.text).join('');
    return { kind: 'row', labels, name, target, actual: null, weight: null, score: null, reason: null };
  }

  // Scored table: … name target actual weight score [reason]
  let end = rest.length;
  let reason: string | null = null;
  // Trailing reason cells: everything after the last two plain numbers.
  let lastNum = -1;
  const scoreish = (t: string): boolean => isScoreCell(t) || (ocr && GARBLED_FIGURE.test(t));
  // Read by OCR, a glyph or two in the 分值 column before a 得分, after a name, a target and an
  // actual value, is the 分值 misread (4 read as 不).
  const garbledWeight = (i: number): boolean =>
    ocr && geometric && i >= 4 && near(rest[i]!.col, cols.score) && near(rest[i - 1]!.col, cols.weight) && LONE_GLYPHS.test(rest[i - 1]!.text);
  for (let i = rest.length - 1; i >= 1; i--) {
    if (scoreish(rest[i]!.text) && (scoreish(rest[i - 1]!.text) || garbledWeight(i))) {
      lastNum = i;
      break;
    }
  }
  if (lastNum < 0) {
    if (rest.length === 1) {
      const only = rest[0]!;
      // In or right of the 得分 column, text that is not a figure is a reason: a tall reason cell centred on its row
      // (a table without rules) starts a line above the row, where no column edge names its column.
      if (only.col >= cols.reason - slack || (only.col >= (cols.score ?? Infinity) - slack && !scoreish(only.text))) return { kind: 'reason', text: only.text };
      if (!labels.length) return { kind: 'name', text: only.text };
      return { kind: 'row', labels, name: only.text, target: null, actual: null, weight: null, score: null, reason: null };
    }
    // Read by OCR, a row that lost its 分值 or its 得分 (a figure in one of the two columns) still has its place.
    // So does one with a name, a target and an actual, whose only figure is a glyph or two in the
    // 分值 or 得分 column (银行发放量 … 之: a 2 misread, its 得分 lost), or whose 分值 and 得分 were
    // both lost (a photocopy's faint 2 and 2) where its target is a figure with an operator or its
    // actual a verdict (达成指标): no wrapped line of a name or a reason fills the name, target and
    // actual columns so.
    const byCol = ocr && geometric ? byColumns(rest, cols, scoreish) : null;
    const measured = byCol?.target != null && byCol.actual != null;
    const garbledOnly = (v: string | null): boolean => v !== null && LONE_GLYPHS.test(v) && measured;
    const bothLost =
      measured && byCol.weight === null && byCol.score === null && byCol.reason === null && (STARTS_WITH_OPERATOR.test(byCol.target!) || isGradedVerdict(byCol.actual!));
    if (byCol?.name && (bothLost || [byCol.weight, byCol.score].some((v) => v !== null && (scoreish(v) || garbledOnly(v))))) return { kind: 'row', labels, ...byCol };
    return labels.length ? { kind: 'labels', labels } : { kind: 'other', text: rest.map((c) => c.text).join(' ') };
  }
  if (lastNum < rest.length - 1) reason = rest.slice(lastNum + 1).map((c) => c.text).join('');
  end = lastNum + 1;
  const body = rest.slice(0, end);
  const score = body[end - 1]!.text;
  const weight = body[end - 2]!.text;
  const before = body.slice(0, end - 2);
  const actual = before.length >= 1 ? before.at(-1)!.text : null;
  const target = before.length >= 2 ? before.at(-2)!.text : null;
  const name = before.length >= 3 ? before.slice(0, -2).map((c) => c.text).join('') : null;
  // Read by OCR, a row that lost a cell is read by the header's columns, where they give it its name.
  if (name === null && ocr && geometric) {
    const byCol = byColumns(rest, cols, scoreish);
    if (byCol?.name) return { kind: 'row', labels, ...byCol };
  }
  return { kind: 'row', labels, name, target, actual, weight, score, reason };
}

/** What a thin 1 is read as, alone in a 分值 or 得分 cell of a Ming face's photocopy: a bracket, a bar, an l. */
const ONE_LOOKALIKES = '\\]\\[|lI!';

/**
 * An OCR'd figure with an unreadable glyph (二.00 for 4.00; 了 or 巧 for 15; ] for 1): it still
 * holds the row's place; its value stays unread.
 */
const GARBLED_FIGURE = new RegExp(
  `^(?:[^\\s%(（]{1,3}\\.\\d{2}|(?=\\D*$|.*[${DIGIT_LOOKALIKE_GLYPHS}${ONE_LOOKALIKES}])[\\d${DIGIT_LOOKALIKE_GLYPHS}${ONE_LOOKALIKES}]{1,3})$`,
  'u',
);

/** One or two glyphs, no space: what a misread one- or two-digit figure becomes. */
const LONE_GLYPHS = /^\S{1,2}$/u;

function isScoreCell(s: string): boolean {
  return isNumberCell(s) && !NOT_SCORE.test(s);
}

/**
 * Where a row's figure cells were read: the token of the line that holds each cell's text as it is.
 * They are taken from the right (得分, 分值, actual, target), each left of the one before, and left
 * of the tokens the row's reason was joined from (详见附件 | 2 is no 得分): the figures end a row
 * but for its reason, while its left cells may be pieces joined (a name, a target read as ≥ and
 * 95% apart), whose pieces must not stand for a cell to their right. A cell put together from
 * several tokens has none: its row's span stands for it.
 */
function cellSpansOf(line: Line, fields: Record<RowFigureCell | 'reason', string | null>): RowCells {
  const out: RowCells = {};
  let before = reasonStart(line, fields.reason);
  for (const key of [...ROW_FIGURE_CELLS].reverse()) {
    const text = fields[key];
    if (text === null) continue;
    const at = line.tokens.findLastIndex((t, i) => i < before && cellText(t) === text);
    if (at < 0) continue;
    out[key] = cellSpan(line, line.tokens[at]!);
    before = at;
  }
  return out;
}

/** The index of the first of the line's last tokens whose texts join into `reason`; the line's length where none do. */
function reasonStart(line: Line, reason: string | null): number {
  let tail = '';
  for (let i = line.tokens.length - 1; reason && i >= 0 && tail.length < reason.length; i--) {
    tail = cellText(line.tokens[i]!) + tail;
    if (tail === reason) return i;
  }
  return line.tokens.length;
}

/** Where a row stands: page, lines, and (PDF/scan) the box around its cells and the lowest OCR confidence. */
function spanOf(line: Line): SourceSpan {
  const span: SourceSpan = { page: line.page, fromLine: line.lineNo, toLine: line.lineNo };
  return withTokens(span, line);
}

/** A figure cell: a number, with an operator or a short unit (=100(%), ≥25.00(人次/日), 1,934.41), or one OCR garbled. */
const FIGURE_CELL = /^[=＝<>≤≥＜＞]*\s*[\d.,]+\s*(?:%|[(（][^\d()（）]{0,5}[)）]|[^\d\s]{0,3})$/u;

export function isFigureCell(text: string): boolean {
  return FIGURE_CELL.test(text) || GARBLED_FIGURE.test(text);
}

/**
 * Adds a line's cells to a span: the box around them and the lowest OCR confidence among its
 * figure cells — what a finding on the row rests on (a doubtful glyph in a name changes no sum).
 */
function withTokens(span: SourceSpan, line: Line): SourceSpan {
  const out = { ...span };
  for (const t of line.tokens) {
    if (t.box) out.box = out.box ? unionBox(out.box, t.box) : { ...t.box };
    if (t.confidence !== undefined && isFigureCell(cellText(t))) out.confidence = Math.min(out.confidence ?? 1, t.confidence);
  }
  return out;
}

/**
 * The span of one cell of a line: its line, its box where the route has one, and its confidence
 * where it holds a figure (a — or / read unsure is no figure to doubt), as withTokens has them.
 */
export function cellSpan(line: Line, t: Token): SourceSpan {
  return withTokens({ page: line.page, fromLine: line.lineNo, toLine: line.lineNo }, { ...line, tokens: [t] });
}

/**
 * The span of cells read in order across lines (a goal's text): the page and box of the first and
 * those of the others on its page (as a row mended across a page break keeps the page it started on).
 */
function spanOfCells(cells: readonly LineCell[]): SourceSpan | null {
  const [first, ...rest] = cells;
  if (!first) return null;
  return rest.reduce((span, c) => widen(span, { ...c.line, tokens: [c.token] }), cellSpan(first.line, first.token));
}

/** Each goal's span, as the provenance names it (goals.actual), from the cells its text was joined from. */
export function goalSpans(goals: Readonly<Record<string, readonly LineCell[] | null>>): Record<string, SourceSpan> {
  const out: Record<string, SourceSpan> = {};
  for (const [key, cells] of Object.entries(goals)) {
    const span = cells && spanOfCells(cells);
    if (span) out[`goals.${key}`] = span;
  }
  return out;
}

/** The span of a block of lines (a form's funding rows, its 总分 row). */
export function blockSpan(lines: Line[]): SourceSpan | null {
  const first = lines[0];
  if (!first) return null;
  return lines.slice(1).reduce((s, l) => widen(s, l), spanOf(first));
}

function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

function widen(span: SourceSpan, line: Line): SourceSpan {
  // A row mended across a page break keeps the page and box it started on.
  if (line.page !== span.page) return { ...span, toLine: span.toLine };
  return withTokens({ ...span, toLine: Math.max(span.toLine, line.lineNo), fromLine: Math.min(span.fromLine, line.lineNo) }, line);
}

const ENDS_SENTENCE = /[。！!；;]$/;

/** Lines of the table body (header excluded, 总分 excluded) → rows with labels assigned. */
export function readGridRows(lines: Line[], kind: TableKind, cols: TableColumns): GridRow[] {
  const rows: GridRow[] = [];
  let pendingLabels: string[] = [];
  let pendingName: { text: string; line: Line } | null = null;
  let pendingReason: { text: string; line: Line } | null = null;

  // The page a cut row was carried on at (a page break cuts one row).
  let carriedOn = -1;
  const unwrapped = unwrapLabelCells(lines, cols);
  for (const [k, line] of unwrapped.entries()) {
    const prev = rows.at(-1);
    // The first line of a page to give the table anything: no row of its own yet, nothing pending.
    const first = prev !== undefined && prev.span.page < line.page && !pendingName && !pendingReason && !pendingLabels.length;
    if (first && carriedOn !== line.page && carryOver(prev, line, kind, cols, unwrapped[k + 1])) {
      carriedOn = line.page;
      continue;
    }
    const c = classifyLine(line, kind, cols);
    switch (c.kind) {
      case 'labels':
        pendingLabels.push(...c.labels);
        break;
      case 'name':
        if (prev && prev.name === null) {
          prev.name = c.text;
          prev.span = widen(prev.span, line);
          prev.repaired = true;
        } else if (pendingName) pendingName.text += c.text;
        else pendingName = { text: c.text, line };
        break;
      case 'reason':
        if (pendingReason) pendingReason.text += c.text;
        else pendingReason = { text: c.text, line };
        break;
      case 'row': {
        const row: GridRow = {
          labels: [...pendingLabels, ...c.labels],
          level1: null,
          level2: null,
          name: c.name,
          target: c.target,
          actual: c.actual,
          weight: c.weight,
          score: c.score,
          reason: c.reason,
          span: spanOf(line),
          cells: cellSpansOf(line, c),
          repaired: false,
        };
        pendingLabels = [];
        if (kind === 'target' && row.name === null && prev && prev.target === null) {
          // A target printed on the line after its name.
          prev.target = row.target;
          if (row.cells?.target) prev.cells = { ...prev.cells, target: row.cells.target };
          prev.span = widen(prev.span, line);
          prev.repaired = true;
          break;
        }
        if (pendingName) {
          row.name = pendingName.text + (row.name ?? '');
          row.span = widen(row.span, pendingName.line);
          row.repaired = true;
          pendingName = null;
        }
        if (pendingReason) {
          attachReason(prev, row, pendingReason.text);
          row.repaired = true;
          pendingReason = null;
        }
        rows.push(row);
        break;
      }
      case 'other':
        break;
    }
  }
  if (pendingReason) attachReason(rows.at(-1), undefined, pendingReason.text);
  if (pendingLabels.length && rows.length) {
    // Labels printed after the last rows they span.
    const last = rows.at(-1)!;
    if (!last.labels.length) last.labels = pendingLabels;
  }
  assignLevels(rows, readByOcr(lines));
  return rows.filter((r) => r.name !== null || r.target !== null);
}

type CarriedField = 'name' | 'target' | 'actual' | 'reason';

/** The field a cell of a row holds by its column, where it is one a page break can cut (not a label, 分值 or 得分). */
function carriedField(col: number, kind: TableKind, cols: TableColumns): CarriedField | null {
  const slack = cols.slack ?? 0;
  const { target = Infinity, actual = Infinity, weight = Infinity, reason = Infinity } = cols;
  const from = (at: number): boolean => col >= at - slack;
  if (cols.name <= 0 || !from(cols.name)) return null;
  if (kind === 'scored' && from(reason)) return 'reason';
  if (kind === 'scored' && from(weight)) return null;
  if (from(actual)) return 'actual';
  return from(target) ? 'target' : 'name';
}

/**
 * A row of a ruled table cut by a page break: what of its cells did not fit on the page ends in a
 * row of its own at the top of the table on the next (LibreOffice: 部分达成指标并具有一定效 | 果).
 * A ruled line (or a stream table's, see ownCells), the first of its page to give the table
 * anything (readGridRows), with text only in the name, value and reason columns, each one where the
 * page before's last row has text (and not a figure under a figure), carries that text on into it:
 * it is no row, nor the next row's name. A stream table's line may hold the tail of the row's one
 * label too (可持续影响指 | 标), no label of its own.
 * On a ruled line a new row of a scored table has its 分值 and 得分; a declaration's has its name
 * and target, so there only one column carries on.
 */
function carryOver(prev: GridRow, line: Line, kind: TableKind, cols: TableColumns, next: Line | undefined): boolean {
  if (!line.tokens.length || !(line.ruled || (line.cells && ownCells(line, next, kind, cols)))) return false;
  const cells: { field: CarriedField; text: string }[] = [];
  // The tail of the row's one label, cut with it (可持续影响指 | 标), in a label column.
  let labelTail = '';
  for (const t of line.tokens) {
    const field = t.col === undefined ? null : carriedField(t.col, kind, cols);
    const text = cellText(t);
    if (!field && !line.ruled && t.col !== undefined && t.col < cols.name - (cols.slack ?? 0) && prev.labels.length === 1 && !labelTail && text && !isKnownLabel(text)) {
      labelTail = text;
      continue;
    }
    const before = field ? prev[field] : null;
    // A figure's cell is never cut (=100% under =100%: a row whose 分值 and 得分 a scan lost).
    if (!field || before === null || !text || (isFigureCell(before) && isFigureCell(text))) return false;
    cells.push({ field, text });
  }
  // A declaration's row has no figures to tell a new one by: a name and a target together are one.
  if (!cells.length || (kind === 'target' && new Set(cells.map((c) => c.field)).size > 1)) return false;
  for (const c of cells) prev[c.field] += c.text;
  // (A label read whole already, 可持续影响指标 known from its head, keeps as it is.)
  if (labelTail && !isKnownLabel(prev.labels[0]!)) prev.labels = [prev.labels[0]! + labelTail];
  prev.repaired = true;
  return true;
}

/**
 * A stream table's line (no rules) is a cut row's tail only where the line after it, on its page,
 * has a name of its own if the line holds one: the stream reader joins the lines of a cell set a
 * line pitch apart, so a line it left apart above them is no head of theirs. Where the next line
 * has no name, the line may be the first of the next row, a name set above its figures.
 */
function ownCells(line: Line, next: Line | undefined, kind: TableKind, cols: TableColumns): boolean {
  if (!next?.cells || next.page !== line.page) return false;
  const named = (l: Line): boolean => l.tokens.some((t) => t.col !== undefined && carriedField(t.col, kind, cols) === 'name');
  return !named(line) || named(next);
}

/** A reason fragment between two rows belongs to the row whose own reason it continues. */
function attachReason(prev: GridRow | undefined, next: GridRow | undefined, text: string): void {
  const prevOpen = prev?.reason && !ENDS_SENTENCE.test(prev.reason);
  if (next?.reason && !prevOpen) {
    next.reason = text + next.reason;
    return;
  }
  if (prev && (prev.reason || deducted(prev) || !next)) {
    prev.reason = (prev.reason ?? '') + text;
    return;
  }
  if (next) next.reason = text + (next.reason ?? '');
}

function deducted(r: GridRow): boolean {
  const w = parsePrintedNumber(r.weight)?.value;
  const s = parsePrintedNumber(r.score)?.value;
  return w !== undefined && s !== undefined && s < w;
}

/** Semantic families that tell which group a label-less row at a group's edge belongs to. */
const GROUP_SIGNS: Record<string, RegExp> = {
  时效指标: /及时|时限|时间|时点|时效|频次|周期/,
  服务对象满意度指标: /满意|认可度/,
};

/**
 * The level1 of the next rows' labels when it is printed alone (a merged cell's middle), before any
 * level2: the level1 of a group whose level2 stands above it; null where the next labels open a
 * group of their own (a level1 with its level2) or there are none.
 */
function level1Below(rows: readonly GridRow[], row: GridRow): string | null {
  for (const r of rows.slice(rows.indexOf(row) + 1)) {
    if (r.labels.length === 0) continue;
    return r.labels.every(isLevel1) ? r.labels.at(-1)! : null;
  }
  return null;
}

function assignLevels(rows: GridRow[], ocr: boolean): void {
  const tracker = new LabelTracker();
  for (const r of rows) {
    // Read by OCR, a garbled level2 label is taken as the one its level1 holds: the level1 printed
    // before it in its row, else one printed alone below it (its group's merged cell, centred on
    // rows that run on past a page break), else the group's it stands in.
    if (ocr) r.labels = r.labels.map((l, i) => (isKnownLabel(l) ? l : levelUnder(l, r.labels.slice(0, i).findLast(isLevel1) ?? level1Below(rows, r) ?? tracker.level1)));
    tracker.apply(r.labels);
    r.level1 = tracker.level1;
    r.level2 = tracker.level2;
  }
  // A merged label cell is printed at the middle of its rows; when a page break cuts the group,
  // the first rows can stand above the label, looking like the previous group's tail.
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (!r.labels.length || r.level2 === rows[i - 1]!.level2) continue;
    const sign = r.level2 ? GROUP_SIGNS[r.level2] : undefined;
    if (!sign) continue;
    for (let j = i - 1; j >= 0; j--) {
      const p = rows[j]!;
      if (p.labels.length || !sign.test(p.name ?? '')) break;
      const oldSign = p.level2 ? GROUP_SIGNS[p.level2] : undefined;
      if (oldSign?.test(p.name ?? '')) break;
      p.level1 = r.level1;
      p.level2 = r.level2;
    }
  }
  if (ocr) lostSatisfactionGroup(rows);
}

const SATISFACTION = '服务对象满意度指标';

/**
 * Read by OCR, a table whose satisfaction group's labels were not read (its merged cells lost to
 * the blur, or read into another group's label) has that group's rows in the group before it: the
 * run of rows at the table's end whose names name satisfaction (满意度, 认可度: GROUP_SIGNS) takes
 * 满意度指标 / 服务对象满意度指标 where no row of the table has that level2 (one with the level1 read
 * but no level2 takes it too; a satisfaction group printed under another level2 keeps it). The
 * framework's satisfaction group comes last, and every table of its forms has one.
 */
function lostSatisfactionGroup(rows: GridRow[]): void {
  const level1 = LEVEL2_PARENT[SATISFACTION]!;
  if (rows.some((r) => r.level2 === SATISFACTION || (r.level1 === level1 && r.level2 !== null))) return;
  const sign = GROUP_SIGNS[SATISFACTION]!;
  for (let i = rows.length - 1; i >= 0 && sign.test(rows[i]!.name ?? ''); i--) {
    rows[i]!.level1 = level1;
    rows[i]!.level2 = SATISFACTION;
  }
}

const hasPercent = (v: string | null): boolean => v !== null && /%[)）]?$/.test(v);

/**
 * An indicator name that names a rate (完成率, 合格率, 知晓率) or a share of those asked (满意度,
 * 知晓度, 认可度): its values are percentages.
 */
const namesRate = (name: string | null): boolean => name !== null && /(?:率|满意度|知晓度|认可度)$/.test(name) && !NOT_A_SHARE.test(name);
/** Rates that are no share of a whole: counts per period, speeds, output against input. */
const NOT_A_SHARE = /(?:频率|速率|效率|功率)$/;

/** A rate of 10–100 as a figure alone, after an operator or not: >50, ≥99.5 (no unit, no %; 4.5 may be a score of 5). */
const BARE_RATE = /^[=<>≤≥＝＜＞]*(?<rate>\d{2,3}(?:\.\d{1,2})?)$/;
const bareRate = (v: string): boolean => {
  const rate = BARE_RATE.exec(v)?.groups?.rate;
  return rate !== undefined && Number(rate) >= 10 && Number(rate) <= 100;
};

/** A table's target and actual values, each with its row and field. */
const valueCells = (rows: GridRow[]): { r: GridRow; key: 'target' | 'actual'; v: string }[] =>
  rows.flatMap((r) => (['target', 'actual'] as const).flatMap((key) => (r[key] === null ? [] : [{ r, key, v: r[key]! }])));

/**
 * OCR loses a % now and then (>50% of a 知晓度 read as >50). Where a table's rates are printed with
 * their % (at least three of its rate-named rows' values carry one, and those outnumber the values
 * without one three to one), a rate-named row's value that is a rate of 10–100 alone gets it back. Returns
 * how many cells were mended.
 */
export function restoreLostPercents(rows: GridRow[]): number {
  const values = valueCells(rows.filter((r) => namesRate(r.name)));
  const bare = values.filter(({ v }) => bareRate(v));
  const withPercent = values.filter(({ v }) => hasPercent(v)).length;
  if (bare.length === 0 || withPercent < 3 || withPercent < 3 * bare.length) return 0;
  for (const { r, key, v } of bare) {
    r[key] = `${v}%`;
    r.repaired = true;
  }
  return bare.length;
}

/**
 * The rows read by OCR: those on pages whose lines carry OCR confidences. A form running from a
 * text-layer page onto a scanned one has its text-layer rows left as printed.
 */
export function rowsReadByOcr(rows: GridRow[], lines: readonly Line[]): GridRow[] {
  const pages = new Set(lines.flatMap((l) => (readByOcr([l]) ? [l.page] : [])));
  return rows.filter((r) => pages.has(r.span.page));
}

/**
 * OCR reads a % as digits (100% as 10094) or garbles a bracketed (%) ((e6), [20)): the row then
 * reports a rate missed by a wide margin, or a suspicious unit. A target or actual value read so
 * gets its % back where the other one has its % or the indicator's name names a rate (a target
 * declaration has no actual to compare): any reading of the % as digits, any garbled bracket.
 * Where both were read with the same digits for the %, only the readings listed as seen alike in
 * both (see percentRead in ingest/ocr-percent.ts).
 * A unit read as a unit ((人) beside (%)) stays here (restoreUnits mends a rate's 人 beside a %; other units are for the checks to report). Returns how
 * many cells were mended.
 */
export function restorePercentSigns(rows: GridRow[]): number {
  let mended = 0;
  for (const r of rows) {
    const [t, a] = [r.target, r.actual];
    const strict = { target: t === null ? null : percentRead(t), actual: a === null ? null : percentRead(a) };
    const sameRead = strict.target !== null && strict.target.read === strict.actual?.read;
    for (const key of ['target', 'actual'] as const) {
      const [v, other] = key === 'target' ? [t, a] : [a, t];
      if (v === null) continue;
      const percentage = hasPercent(other) || namesRate(r.name);
      const value = percentage ? (percentRead(v, true)?.value ?? percentUnitRead(v) ?? percentTailRead(v)) : sameRead ? strict[key]!.value : null;
      if (value !== null && value !== v) {
        r[key] = value;
        r.repaired = true;
        mended++;
      }
    }
  }
  return mended;
}

/** An operator before a figure, half or full width. */
const OP = '[=<>≤≥＝＜＞]*';
/** A figure with two decimals and its bracketed unit, as these forms print a measured value: ≥25.00(人次/日). */
const FIGURE_TWO_DECIMALS = new RegExp(`^${OP}\\d[\\d,]*\\.\\d{2}[(（]`);
/** A figure's point read as a colon, before two decimals and a bracketed unit (its closing bracket lost or not): 25:00(人次/日). */
const COLON_POINT = new RegExp(`^(?<head>${OP}\\d[\\d,]*)[:：](?<tail>\\d{2}[(（][^()（）]{0,8}[)）]?)$`);
/**
 * A figure with two decimals whose opening bracket OCR read as one or two stroke-like glyphs (1, 4,
 * l, I, |), then a unit and the closing bracket: 6991000.0014大次), 211.001条), 0.0149).
 */
const BRACKET_AS_GLYPHS = new RegExp(`^(?<figure>${OP}\\d[\\d,]*\\.\\d{2})[14lI|]{1,2}(?<unit>[^()（）]{1,8})(?<close>[)）])$`);

/**
 * OCR misreads the thin glyphs of a value printed as a figure with two decimals and a bracketed
 * unit (6991000.00(人次)): its opening bracket as one or two strokes (6991000.0014大次), 211.001条)),
 * or its point as a colon (25:00(人次/日)). Where the table prints at least three values so, such a
 * reading gets its bracket back where its closing bracket stands; and its point, where the row's
 * other value is such a figure too (17:00(前) beside 完成, a ratio 1:10(人), stay). A unit misread
 * inside is left (restoreUnits mends it where it runs). Returns how many cells were mended.
 */
export function restoreFigurePunctuation(rows: GridRow[]): number {
  if (valueCells(rows).filter(({ v }) => FIGURE_TWO_DECIMALS.test(v)).length < 3) return 0;
  let mended = 0;
  const mend = (r: GridRow, key: 'target' | 'actual', value: string): void => {
    r[key] = value;
    r.repaired = true;
    mended++;
  };
  for (const { r, key, v } of valueCells(rows)) {
    const b = BRACKET_AS_GLYPHS.exec(v)?.groups;
    if (b) mend(r, key, `${b.figure}${b.close === '）' ? '（' : '('}${b.unit}${b.close}`);
  }
  for (const { r, key, v } of valueCells(rows)) {
    const c = COLON_POINT.exec(v)?.groups;
    const other = r[key === 'target' ? 'actual' : 'target'];
    if (c && other !== null && FIGURE_TWO_DECIMALS.test(other)) mend(r, key, `${c.head}.${c.tail}`);
  }
  return mended;
}

/**
 * A unit these forms print in brackets after a figure: the units of a figure cell (UNITS: counts,
 * people, days, money), more spans of time and counts, and the %; or a count per period (人次/日, 次/周).
 */
const UNIT = `(?:${UNITS}|周|场|期|批|所|篇|条|小时|分钟|秒|毫秒|工作日|%)`;
const KNOWN_UNIT = new RegExp(`^${UNIT}(?:/${UNIT})?$`);
/** A figure and the bracketed text after it: ≥25.00(人次/日); OCR may lose the closing bracket, or read nothing inside. */
const FIGURE_WITH_UNIT = /^(?<figure>[=<>≤≥]*\d[\d,]*(?:\.\d+)?)(?<open>[(（])(?<unit>[^()（）]{0,8})(?<close>[)）]?)$/;

/**
 * Whether a unit read as no unit these forms print is a misreading of `other`, one they do: one
 * glyph away from it, or, for a %, which OCR reads as two glyphs or one (o人, 吕, A) or not at
 * all, any reading of at most two glyphs.
 */
const misreadUnit = (own: string, other: string): boolean =>
  !KNOWN_UNIT.test(own) && KNOWN_UNIT.test(other) && (editDistance(own, other, 1) <= 1 || (other === '%' && own.length <= 2));

/**
 * A % OCR read as 人 (a unit these forms print, so not misreadUnit) beside a % in the row of a
 * rate or share (namesRate): =100.00(%) and 100.00(人) for 视频监控系统运维覆盖率. A rate counted in people is what
 * unit.suspicious reports; in a row whose other value is a %, the 人 is the misreading.
 */
const percentReadAsPerson = (own: string, other: string, name: string | null): boolean => own === '人' && other === '%' && namesRate(name);

/**
 * A row prints its target and its actual value in one unit (>5000000.00(人次) and 6991000.00(人次)).
 * OCR misreads one glyph of a unit now and then (人尖, 人汐, 汶 for 次, 和次/日 or 人，次/日 for
 * 人次/日, 人次/吕), and a % more (o人, 吕, 怨): where one value's unit is no unit these forms print
 * and a misreading of the other's (misreadUnit), it takes the other's, and a lost closing bracket
 * is put back; so does a rate's 人 beside a % (percentReadAsPerson). Two units as printed ((人)
 * and (次)) stay otherwise: that is for the checks to report. Returns how many cells were mended.
 */
export function restoreUnits(rows: GridRow[]): number {
  let mended = 0;
  for (const r of rows) {
    const t = r.target === null ? null : FIGURE_WITH_UNIT.exec(r.target)?.groups;
    const a = r.actual === null ? null : FIGURE_WITH_UNIT.exec(r.actual)?.groups;
    if (!t || !a) continue;
    for (const [key, own, other] of [['target', t, a], ['actual', a, t]] as const) {
      const misread = misreadUnit(own.unit!, other.unit!) || percentReadAsPerson(own.unit!, other.unit!, r.name);
      const unit = own.unit === other.unit ? (KNOWN_UNIT.test(own.unit!) ? own.unit! : null) : misread ? other.unit! : null;
      const close = own.close || other.close || ')';
      if (unit === null || (unit === own.unit && close === own.close)) continue;
      r[key] = `${own.figure}${own.open}${unit}${close}`;
      r.repaired = true;
      mended++;
    }
  }
  return mended;
}
