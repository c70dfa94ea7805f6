/**
 * Pages → forms. A file holds several forms; each starts at its title line
 * (财政项目支出绩效自评表 / 绩效目标申报表 / 绩效评价报告) and runs to the next title.
 */
import type { DocType } from '../schema/records.js';
import { readByOcr, type IngestedDocument, type Line, type Page, type Token } from '../ingest/types.js';
import { editDistance } from '../ingest/ocr-lexicon.js';
import { isTitleOrYear, titleDocType, trimSpecks, YEAR_LINE } from '../layout/titles.js';

export interface Form {
  /** 0-based position in the document. */
  index: number;
  docType: DocType;
  title: string;
  /** 年度 printed under the title, where there is one. */
  year: number | null;
  /** The form's lines, title excluded, across page breaks. */
  lines: Line[];
  firstPage: number;
  lastPage: number;
  /** What the document's other forms show of how it prints its figures (parse/document-figures.ts). */
  figures?: DocumentFigures;
}

export interface DocumentFigures {
  /** The document prints its amounts with cents (446,048.00): a reading without them lost its point. */
  amountsWithCents: boolean;
}

/**
 * A year line as OCR gives it, its specks off: a mark after the closing bracket too (a sentence keeps
 * its own; (2021年度)》 a bracket read twice), and a bracket or two before the opening one (](2022年度),
 * (（2022年度): the bracket read twice, or a rule's end beside it); a speck after the opening bracket
 * ((. 2022年度)); a closing bracket read as a brace or a square bracket (42024年度}); an opening
 * bracket read as a glyph (12024年度), l2024年度), 42024年度), t2024年度)), or a glyph before it
 * (1(2024年度)), is one bracket where the closing one stands. (Read by OCR, SCANNED_YEAR_LINE below
 * takes such a line without its closing bracket too.)
 */
const yearLineText = (s: string): string =>
  trimSpecks(s)
    .replace(/^[\][【】〔〕［］〈〉《》()（）]+(?=[（(]\d{4})/, '')
    .replace(/(?<=[)）])[，。、,.:;!|'"`》〉」』]+$/, '')
    .replace(/(?<=年度?)[}\]］」』]$/, ')')
    .replace(/^([（(])[.,:;'"`、。，]+(?=\d{4})/, '$1')
    .replace(/^[^\s(（][（(]?(?=(?:19|20)\d{2}年度?[)）]$)/, '(');

/**
 * A year line read by OCR with its brackets misread as other marks or as a digit before the year
 * ((42022年度), 12024年度', (32024年度), 《2021年度》): a year of this century or the last, 年度 (or
 * 年), at most two marks (no glyph) and a digit before the year and at most two marks after 年度.
 */
const SCANNED_YEAR_LINE = /^[^\d\p{Script=Han}]{0,2}\d?((?:19|20)\d{2})年度?[^\d\p{Script=Han}]{0,2}$/u;

function findYear(lines: Line[]): number | null {
  for (const line of lines.slice(0, 3)) {
    const text = yearLineText(line.text.replace(/\s+/g, ''));
    const m = YEAR_LINE.exec(text) ?? (readByOcr([line]) ? SCANNED_YEAR_LINE.exec(text) : null);
    if (m) return Number(m[1]);
  }
  return null;
}

/** A year line read with one of the year's four digits misread ((202?年度), (20Z2年度)): the year with a hole. */
const HOLED_YEAR_LINE = /^[（(]?\s*(\S{4})\s*年度[)）]?$/u;

/**
 * A scan's year line with one digit misread, as a pattern of the year (202? → /^202\d$/), from
 * the form's first lines; null where none is such a line.
 */
function holedYear(lines: Line[]): RegExp | null {
  for (const line of lines.slice(0, 3)) {
    if (!readByOcr([line])) continue;
    const m = HOLED_YEAR_LINE.exec(yearLineText(line.text.replace(/\s+/g, '')));
    const glyphs = m ? Array.from(m[1]!) : [];
    if (glyphs.length === 4 && glyphs.filter((c) => /\d/.test(c)).length === 3 && /^[12]/.test(glyphs[0]!)) {
      return new RegExp(`^${glyphs.map((c) => (/\d/.test(c) ? c : '\\d')).join('')}$`);
    }
  }
  return null;
}

/**
 * The year of a form whose year line OCR misread in one digit: the year the document's other forms
 * of its kind print, where exactly one of their years fits the digits read (a department's
 * declarations for one budget year, (202?年度) among (2022年度)s). Otherwise it stays unknown.
 */
function fillHoledYears(forms: Form[]): Form[] {
  return forms.map((f) => {
    const hole = f.year === null ? holedYear(f.lines) : null;
    if (!hole) return f;
    // Forms of its own kind only: a department's declarations are for the year after its self-evaluations.
    const fits = new Set(forms.flatMap((o) => (o.docType === f.docType && o.year !== null && hole.test(String(o.year)) ? [o.year] : [])));
    return fits.size === 1 ? { ...f, year: [...fits][0]! } : f;
  });
}

const key = (l: Line): string => l.tokens.map((t) => t.text.replace(/\s+/g, '')).join('\u0001');
const PAGE_NUMBER = /^(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]?\s*\d{1,4}\s*[-—–]?|\d+\s*\/\s*\d+|page\s*\d+(\s*of\s*\d+)?)$/i;
const top = (l: Line): number | null => (l.tokens[0]?.box ? Math.min(...l.tokens.map((t) => t.box?.y ?? Infinity)) : null);

/**
 * Whether two page-edge lines are the same running header or footer. A text layer prints it alike
 * on every page, digits aside, at one height (within 6 units). A scan is read a little differently
 * page by page (上海市财政局预算绩效信息公开 as …信息人, or with the page number read into it) and
 * each page lies a little shifted: OCR'd lines are the same within a fifth of their glyphs, digits
 * dropped, and within 5 % of the page's height.
 */
function sameEdgeLine(a: EdgeLine, b: EdgeLine): boolean {
  if (a.line.page === b.line.page) return false;
  if (!a.ocr || !b.ocr) return a.norm === b.norm && Math.abs(a.y - b.y) <= 6;
  const [x, y] = [a.norm.replace(/#/g, ''), b.norm.replace(/#/g, '')];
  const cap = Math.floor(0.2 * Math.max(x.length, y.length));
  return x.length >= 4 && editDistance(x, y, cap) <= cap && Math.abs(a.y - b.y) <= 0.05 * Math.max(a.pageHeight, b.pageHeight);
}

interface EdgeLine {
  line: Line;
  norm: string;
  y: number;
  ocr: boolean;
  pageHeight: number;
}

/**
 * Page furniture of positioned pages (PDF / OCR): a page number as the page's first or last flow
 * line, and running headers or footers (the same text as the first or last line of at least half
 * the pages, at the same height: sameEdgeLine). Form titles and year lines are never furniture.
 */
export function isFurniture(pages: Page[]): (line: Line) => boolean {
  const drop = new Set<Line>();
  const ends: EdgeLine[] = [];
  for (const p of pages) {
    const flow = p.lines.filter((l) => top(l) !== null);
    if (!flow.length) continue;
    const edge = [...new Set([flow[0]!, flow.at(-1)!])].filter((l) => !l.cells);
    const pageHeight = p.height ?? Math.max(...flow.map((l) => top(l)!));
    for (const l of edge) {
      const text = l.text.replace(/\s+/g, '');
      if (isTitleOrYear(l.text)) continue;
      if (PAGE_NUMBER.test(text)) drop.add(l);
      else ends.push({ line: l, norm: text.replace(/\d+/g, '#'), y: top(l)!, ocr: readByOcr([l]), pageHeight });
    }
  }
  const pagesWithText = pages.filter((p) => p.lines.some((l) => top(l) !== null)).length;
  for (const e of ends) {
    const same = ends.filter((o) => sameEdgeLine(e, o));
    if (pagesWithText >= 2 && same.length + 1 >= Math.max(2, pagesWithText / 2)) drop.add(e.line);
  }
  return (l) => drop.has(l);
}

/**
 * A table continued on the next page repeats its header row there: the first gridded line of a
 * page that repeats a gridded line met earlier in the same form is not content. Only lines without
 * digits count (a header row names columns; two identical data rows are kept).
 */
function dropRepeatedHeaders(lines: Line[]): { lines: Line[]; repeatedOn: Set<number> } {
  const seen = new Set<string>();
  const out: Line[] = [];
  const repeatedOn = new Set<number>();
  let page = -1;
  let firstCellsOnPage = true;
  for (const l of lines) {
    if (l.page !== page) {
      page = l.page;
      firstCellsOnPage = true;
    }
    if (l.cells && l.tokens.length >= 2) {
      const k = key(l);
      const repeat = firstCellsOnPage && seen.has(k) && !/\d/.test(k);
      firstCellsOnPage = false;
      seen.add(k);
      if (repeat) {
        repeatedOn.add(l.page);
        continue;
      }
    }
    out.push(l);
  }
  return { lines: out, repeatedOn };
}

/**
 * A table continued on the next page: its first rows there take the column numbers of the last row
 * before the break when every cell lies under exactly one cell of that row (one each), so a header on
 * one page and its rows on the next agree even where columns are numbered page by page (stream tables).
 * The carry ends at the first row that does not match, or that has no figures (another table's
 * header), unless the page repeated the table's header (`repeatedOn`): a declaration's rows there
 * (志愿服务完成时间 | 年底前完成) have none.
 */
function carryColumns({ lines, repeatedOn }: { lines: Line[]; repeatedOn: Set<number> }): Line[] {
  let ref: Line | null = null;
  let page = -1;
  let atTop = false;
  return lines.map((l) => {
    if (l.page !== page) {
      atTop = ref !== null;
      page = l.page;
    }
    if (!l.cells || !l.tokens.every((t) => t.box && t.col !== undefined)) return l;
    // A row without figures at the top of a page heads a table of its own: it keeps its columns.
    if (!/\d/.test(l.text) && !repeatedOn.has(l.page)) atTop = false;
    if (atTop && ref) {
      const under = cellsAbove(ref, l);
      if (under) return { ...l, tokens: l.tokens.map((t, i) => ({ ...t, col: under[i]!.col })) };
      atTop = false;
    }
    ref = l;
    return l;
  });
}

/**
 * A cell of a table without rules cut by a page break: its tail stands alone at the top of the next
 * page, a line the stream reader left out of the table (one line under one cell is no table:
 * 年度资金 | 总额). Such a line, the first of its page (or after such lines: 财政 | 拨款), each of whose tokens lies under one cell of
 * the last row before the break (a different cell each), with the table going on under it (a row
 * of cells below it on its page before any form's title: not an 附件2 above the next form), is
 * joined to those cells.
 */
function joinCutCells(lines: Line[]): Line[] {
  const out: Line[] = [];
  // The line before was a tail joined so: a cell's tail may be several lines (财政 | 拨款).
  let joined = false;
  lines.forEach((l, i) => {
    const prev = out.at(-1);
    const first = lines[i - 1]?.page !== l.page || joined;
    const goesOn = tableGoesOn(lines, i);
    const cut = first && goesOn && prev && prev.page < l.page && prev.cells && !prev.ruled && !l.cells;
    const under = cut && l.tokens.length && !isTitleOrYear(l.text) ? cellsAbove(prev, l) : null;
    joined = under !== null;
    if (!prev || !under) {
      out.push(l);
      return;
    }
    const tokens = prev.tokens.map((u) => {
      const tail = l.tokens.filter((_, i) => under[i] === u);
      return tail.length ? joinTokens(u, tail) : u;
    });
    out[out.length - 1] = { ...prev, tokens, text: tokens.map((t) => t.text).join(' ') };
  });
  return out;
}

/** Whether a row of cells follows line `i` on its page before any form's title or year line: the table goes on under it. */
function tableGoesOn(lines: readonly Line[], i: number): boolean {
  for (const l of lines.slice(i + 1)) {
    if (l.page !== lines[i]!.page || isTitleOrYear(l.text)) return false;
    if (l.cells) return true;
  }
  return false;
}

/** For each token of `l`, the one cell of `row` it lies under; null where one lies under none or several, or two under one. */
function cellsAbove(row: Line, l: Line): Token[] | null {
  const under = l.tokens.map((t) => (t.box ? row.tokens.filter((u) => u.box && u.box.x < t.box!.x + t.box!.w && t.box!.x < u.box.x + u.box.w) : []));
  if (!under.every((u) => u.length === 1)) return null;
  const cells = under.map((u) => u[0]!);
  return new Set(cells).size === cells.length ? cells : null;
}

/** A cell and the tail a page break cut from it: its text and glyph confidences run on; its box stays the cell's (on its own page). */
function joinTokens(cell: Token, tail: Token[]): Token {
  const text = cell.text + tail.map((t) => t.text).join('');
  const all = [cell, ...tail];
  const glyphs = all.some((t) => t.glyphConfidence) ? all.flatMap((t) => t.glyphConfidence ?? Array.from(t.text).map(() => t.confidence ?? 1)) : undefined;
  return { ...cell, text, width: cell.width + tail.reduce((w, t) => w + t.width, 0), ...(glyphs ? { glyphConfidence: glyphs } : {}) };
}

export function segmentForms(doc: IngestedDocument): Form[] {
  const furniture = doc.source === 'text' ? () => false : isFurniture(doc.pages);
  const all = doc.pages.flatMap((p) => p.lines).filter((l) => !furniture(l));
  const starts: { at: number; docType: DocType }[] = [];
  all.forEach((line, i) => {
    const type = titleDocType(line.text);
    // A report quoting a form's name in its table of contents is not a new form.
    if (type && !(starts.at(-1)?.docType === 'evaluation_report' && type !== 'evaluation_report')) {
      starts.push({ at: i, docType: type });
    }
  });
  const forms = starts.map(({ at, docType }, index): Form => {
    const end = starts[index + 1]?.at ?? all.length;
    const lines = doc.source === 'text' ? all.slice(at + 1, end) : joinCutCells(carryColumns(dropRepeatedHeaders(all.slice(at + 1, end))));
    const title = all[at]!.text.replace(/\s+/g, '');
    return {
      index,
      docType,
      title,
      year: findYear(lines),
      lines,
      firstPage: all[at]!.page,
      lastPage: lines.at(-1)?.page ?? all[at]!.page,
    };
  });
  return fillHoledYears(forms);
}
