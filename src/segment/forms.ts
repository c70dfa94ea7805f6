/**
 * Pages → forms. A file holds several forms; each starts at its title line
 * (财政项目支出绩效自评表 / 绩效目标申报表 / 绩效评价报告) and runs to the next title.
 */
import type { DocType } from '../schema/records.js';
import type { IngestedDocument, Line } from '../ingest/types.js';

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
}

// A title names what is evaluated (项目支出 / 财政支出 / 专项资金 …) before 绩效; a bare 绩效评价报告
// is a section heading inside a report.
const SUBJECT = '(项目|支出|资金|专项|经费)';
const TITLES: [RegExp, DocType][] = [
  [new RegExp(`${SUBJECT}绩效自评表$`), 'self_evaluation'],
  [new RegExp(`${SUBJECT}绩效目标申报表$`), 'target_declaration'],
  [new RegExp(`${SUBJECT}绩效评价报告$`), 'evaluation_report'],
];

/** The docType a title line names, or null when the line is not a form title. */
export function titleDocType(line: string): DocType | null {
  const s = line.replace(/\s+/g, '');
  if (s.length > 30 || /[，。；：:]/.test(s)) return null;
  for (const [re, type] of TITLES) if (re.test(s)) return type;
  return null;
}

const YEAR_LINE = /^[（(]?\s*(\d{4})\s*年度?\s*[)）]?$/;

function findYear(lines: Line[]): number | null {
  for (const line of lines.slice(0, 3)) {
    const m = YEAR_LINE.exec(line.text.replace(/\s+/g, ''));
    if (m) return Number(m[1]);
  }
  return null;
}

export function segmentForms(doc: IngestedDocument): Form[] {
  const all = doc.pages.flatMap((p) => p.lines);
  const starts: { at: number; docType: DocType }[] = [];
  all.forEach((line, i) => {
    const type = titleDocType(line.text);
    // A report quoting a form's name in its table of contents is not a new form.
    if (type && !(starts.at(-1)?.docType === 'evaluation_report' && type !== 'evaluation_report')) {
      starts.push({ at: i, docType: type });
    }
  });
  return starts.map(({ at, docType }, index) => {
    const end = starts[index + 1]?.at ?? all.length;
    const lines = all.slice(at + 1, end);
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
}
