/**
 * Tables of a 绩效评价报告 (tab-separated cells): the scoring table (一级/二级/三级指标, 分值, 得分,
 * with 小计 rows and 总分), the budget table (预算数/调整后预算数/支出数/执行率) and the 附件2
 * base-data table (计划数/实际数). Scoring rows are read by their codes (A11, B3 小计 …), not by
 * column, since the export shifts cells where the original table had merged cells.
 */
import type { Line } from '../../ingest/types.js';
import { cleanText, parsePrintedNumber } from '../values.js';
import { cellText } from './grid.js';

export interface PrintedNum {
  value: number | null;
  /** The printed string, or null where nothing was printed. */
  text: string | null;
}

const NONE: PrintedNum = { value: null, text: null };

function num(cell: string | undefined): PrintedNum {
  if (cell === undefined) return NONE;
  const p = parsePrintedNumber(cell);
  return p ? { value: p.value, text: cell } : { value: null, text: null };
}

export interface ScoreRow {
  code: string;
  name: string;
  weight: PrintedNum;
  score: PrintedNum;
  lineIndex: number;
}

export interface ScoringTable {
  indicators: ScoreRow[];
  /** Group (A1) and section (A) 小计 rows, in printed order; name from the group's label. */
  subtotals: ScoreRow[];
  /** Code → label: `A` → 项目决策, `A1` → 项目立项. */
  labels: Map<string, string>;
  total: { weight: PrintedNum; score: PrintedNum } | null;
  /** Index of the 总分 line (or the last row read). */
  end: number;
}

const INDICATOR = /^([A-Z]\d{2})(.+)$/;
const GROUP_SUBTOTAL = /^([A-Z]\d)(.*)小计$/;
const GROUP_LABEL = /^([A-Z]\d)(.+?)[(（]\s*\d+(?:\.\d+)?\s*[)）]$/;
const SECTION_SUBTOTAL = /^([A-Z])([^\dA-Za-z].*)小计$/;
const SECTION_LABEL = /^([A-Z])([\u4e00-\u9fff].*)$/;

/** True for the scoring table's header row (…三级指标 分值 得分, or 权重 / 满分 and 评分). */
export function isScoringHeader(line: Line): boolean {
  return line.cells && /三级指标(分值|权重|满分|标准分)(得分|评分|评价得分)/.test(line.text.replace(/\s+/g, ''));
}

function isScoringCell(c: string): boolean {
  return c === '总分' || INDICATOR.test(c) || GROUP_SUBTOTAL.test(c) || SECTION_SUBTOTAL.test(c);
}

/** Reads a scoring table from its header row to its 总分 row. */
export function readScoringTable(lines: Line[], header: number): ScoringTable {
  const indicators: ScoreRow[] = [];
  const subtotals: ScoreRow[] = [];
  const labels = new Map<string, string>();
  let total: ScoringTable['total'] = null;
  let end = header;
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.cells) {
      if (cleanText(line.text) === null) continue;
      // A page header or footer inside the table: go on when a scoring row follows shortly.
      const resumes = lines.slice(i + 1, i + 4).some((l) => l.cells && l.tokens.some((t) => isScoringCell(cellText(t))));
      if (resumes) continue;
      break;
    }
    end = i;
    const cells = line.tokens.map(cellText);
    const numbersAfter = (k: number): [PrintedNum, PrintedNum] => {
      const nums = cells.slice(k + 1).filter((c) => parsePrintedNumber(c) !== null);
      return [num(nums[0]), num(nums[1])];
    };
    if (cells[0] === '总分') {
      const [weight, score] = numbersAfter(0);
      total = { weight, score };
      break;
    }
    cells.forEach((c, k) => {
      let m: RegExpExecArray | null;
      if ((m = GROUP_SUBTOTAL.exec(c))) {
        const [weight, score] = numbersAfter(k);
        subtotals.push({ code: m[1]!, name: m[2]!, weight, score, lineIndex: i });
      } else if ((m = INDICATOR.exec(c))) {
        const [weight, score] = numbersAfter(k);
        indicators.push({ code: m[1]!, name: m[2]!, weight, score, lineIndex: i });
      } else if ((m = GROUP_LABEL.exec(c))) {
        labels.set(m[1]!, m[2]!);
      } else if ((m = SECTION_SUBTOTAL.exec(c))) {
        const [weight, score] = numbersAfter(k);
        subtotals.push({ code: m[1]!, name: m[2]!, weight, score, lineIndex: i });
        if (!labels.has(m[1]!)) labels.set(m[1]!, m[2]!);
      } else if ((m = SECTION_LABEL.exec(c)) && !c.endsWith('指标')) {
        labels.set(m[1]!, m[2]!);
      }
    });
  }
  for (const s of subtotals) if (s.name === '') s.name = labels.get(s.code) ?? '';
  return { indicators, subtotals, labels, total, end };
}

export interface TableHeader {
  line: number;
  /** Column (Token.col, else position) of each wanted column; -1 for an optional one not printed. */
  cols: number[];
}

const ITEM_HEADER = /^(项目|项目名称|明细项目|子项目|内容|名称)$/;

/**
 * The first cells line at or after `from` that heads a simple table: an item column (项目 …) and a
 * distinct cell for each required pattern. Columns are located by their header text, not position.
 */
export function findTable(
  lines: Line[],
  columns: readonly { re: RegExp; optional?: boolean }[],
  from = 0,
  to = lines.length,
): TableHeader | null {
  for (let i = Math.max(0, from); i < to; i++) {
    const l = lines[i]!;
    if (!l.cells || !ITEM_HEADER.test(cellText(l.tokens[0]!))) continue;
    const used = new Set<number>();
    const cols: number[] = [];
    let ok = true;
    for (const c of columns) {
      const k = l.tokens.findIndex((t, j) => j > 0 && !used.has(j) && c.re.test(cellText(t)));
      if (k < 0) {
        if (!c.optional) ok = false;
        cols.push(-1);
        continue;
      }
      used.add(k);
      cols.push(l.tokens[k]!.col ?? k);
    }
    if (ok) return { line: i, cols };
  }
  return null;
}

export interface PlainRow {
  item: string;
  values: PrintedNum[];
  lineIndex: number;
}

/** Rows of a simple table (item + numbers) after its header, up to the first non-table line. */
export function readPlainRows(lines: Line[], header: TableHeader): PlainRow[] {
  const rows: PlainRow[] = [];
  for (let i = header.line + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.cells) break;
    const cells = line.tokens.map(cellText);
    const item = cells[0];
    if (item === undefined || parsePrintedNumber(item) !== null) break;
    const hasCols = line.tokens.every((t) => t.col !== undefined);
    const at = (col: number): string | undefined =>
      col < 0 ? undefined : hasCols ? cells[line.tokens.findIndex((t) => t.col === col)] : cells[col];
    const values = header.cols.map((c) => num(at(c)));
    // A row with no figure at all (or a repeated header) ends the table; a printed `-` row is kept.
    if (values.every((v) => v.value === null) && !cells.slice(1).some((c) => /^[-－—–]+$/.test(c))) break;
    rows.push({ item, values, lineIndex: i });
    if (item === '合计') break;
  }
  return rows;
}
