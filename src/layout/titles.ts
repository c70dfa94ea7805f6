/**
 * Form titles and year lines (财政项目支出绩效自评表, (2024年度)): the lines that stand apart from a
 * table. Layout keeps them out of a rule-less table's rows (stream.ts); segmentation starts a form
 * at each title and reads its year (segment/forms.ts).
 */
import type { DocType } from '../schema/records.js';
import { glyphsApart } from '../ingest/ocr-lexicon.js';

// A title names what is evaluated (项目支出 / 财政支出 / 专项资金 …) before 绩效; a bare 绩效评价报告
// is a section heading inside a report.
const SUBJECT = '(项目|支出|资金|专项|经费)';
const TITLE_ENDS: [string, DocType][] = [
  ['绩效自评表', 'self_evaluation'],
  ['绩效目标申报表', 'target_declaration'],
  ['绩效评价报告', 'evaluation_report'],
];
const TITLES: [RegExp, DocType][] = TITLE_ENDS.map(([end, type]) => [new RegExp(`${SUBJECT}${end}$`), type]);
const ENDS_WITH_SUBJECT = new RegExp(`${SUBJECT}$`);

/** The docType a title line names, or null when the line is not a form title. */
export function titleDocType(line: string): DocType | null {
  const s = trimSpecks(line.replace(/\s+/g, ''));
  if (s.length > 30 || /[，。；：:]/.test(s)) return null;
  for (const [re, type] of TITLES) if (re.test(s)) return type;
  // OCR can misread one glyph of the title's end (绩效自标申报表) or read one as two (绩效上且标申报表,
  // 目 as 上且); 绩效 and what precedes it kept. A glyph dropped or added is another heading (绩效自评报告).
  const at = s.lastIndexOf('绩效');
  if (at < 0 || !ENDS_WITH_SUBJECT.test(s.slice(0, at))) return null;
  const rest = Array.from(s.slice(at + 2));
  for (const [end, type] of TITLE_ENDS) {
    const want = Array.from(end.slice(2));
    if (oneGlyphMisread(rest, want) || oneGlyphSplit(rest, want)) return type;
  }
  return null;
}

/** `read` is `want` with one glyph read as another. */
const oneGlyphMisread = (read: string[], want: string[]): boolean => glyphsApart(read, want) === 1;

/** `read` is `want` with one glyph but the last read as two (目 as 上且; 自评表 read 自评报告 is another heading). */
const oneGlyphSplit = (read: string[], want: string[]): boolean =>
  read.length === want.length + 1 &&
  want.slice(0, -1).some((_, i) => read.slice(0, i).join('') === want.slice(0, i).join('') && read.slice(i + 2).join('') === want.slice(i + 1).join(''));

/**
 * A short line as OCR gives it can carry specks read as punctuation at its ends, and a mark or two
 * after one (财政项目支出绩效自评表，民; :(2021!年度), (2021]年度)): off, for recognising titles and year lines.
 * A bracket misread before a year ([2022年度) is put back.
 */
export function trimSpecks(s: string): string {
  return s
    .replace(/^[.,:;'"`!|，。：；、]+/, '')
    .replace(/[，。、,.:;!|]\S{1,2}$/, '')
    .replace(/(?<=\d)[!|'`](?=年)/, '')
    // A ] after the year's four digits is a speck; after three, a misread 1 (202]年度: holedYear).
    .replace(/(?<=\d{4})[\]］](?=年)/, '')
    .replace(/^[【〔［〈《\[](?=\d{4})/, '(');
}

/** A year line as printed: (2024年度), 2024年. */
export const YEAR_LINE = /^[（(]?\s*(\d{4})\s*年度?\s*[)）]?$/;

/** A form's title or the year line under it (spaces aside): a line that starts a form's head, no table's. */
export const isTitleOrYear = (text: string): boolean => titleDocType(text) !== null || YEAR_LINE.test(text.replace(/\s+/g, ''));
