/**
 * The prose of a 绩效评价报告: cover fields, the budget sentence, the 具体绩效分析 headings
 * (`C31 …（满分 5 分，得 5 分）`) with their 评分标准 / 得分 paragraphs, and the per-indicator
 * working papers (`C11“…”评价底稿`) of 附件1.
 */
import type { Line } from '../../ingest/types.js';
import { cleanText, parseDate, parsePrintedNumber } from '../values.js';
import { cellText } from './grid.js';
import type { PrintedNum } from './report-tables.js';

export function compact(line: Line): string {
  return line.text.replace(/[\s\u3000]+/g, '');
}

function pnum(s: string | undefined): PrintedNum {
  const p = s === undefined ? null : parsePrintedNumber(s);
  return p && s !== undefined ? { value: p.value, text: s } : { value: null, text: null };
}

// ── Cover ─────────────────────────────────────────────────────────────────────────────────────
export interface Cover {
  projectName: string | null;
  implementingUnit: string | null;
  department: string | null;
  commissioner: string | null;
  evaluator: string | null;
  reportNumber: string | null;
  reportDate: string | null;
  /** Index of the last cover line read. */
  end: number;
}

const COVER_LABELS: [RegExp, keyof Omit<Cover, 'reportDate' | 'end'>][] = [
  [/^项目名称[:：](.+)$/, 'projectName'],
  [/^(?:项目单位|实施单位|项目实施单位)[:：](.+)$/, 'implementingUnit'],
  [/^主管部门[:：](.+)$/, 'department'],
  [/^委托单位[:：](.+)$/, 'commissioner'],
  [/^评价机构[:：](.+)$/, 'evaluator'],
  [/^报告文号[:：](.+)$/, 'reportNumber'],
];

/** Cover fields from the first lines of the report (before its 目录 / 摘要). */
export function readCover(lines: Line[]): Cover {
  const cover: Cover = {
    projectName: null, implementingUnit: null, department: null, commissioner: null,
    evaluator: null, reportNumber: null, reportDate: null, end: -1,
  };
  const limit = Math.min(lines.length, 40);
  for (let i = 0; i < limit; i++) {
    const t = compact(lines[i]!);
    if (/^(目录|摘要)$/.test(t)) break;
    for (const [re, key] of COVER_LABELS) {
      const m = re.exec(t);
      if (m && cover[key] === null) {
        cover[key] = cleanText(m[1]);
        cover.end = i;
      }
    }
    const date = parseDate(t);
    if (date && cover.reportDate === null && cover.end >= 0) {
      cover.reportDate = date;
      cover.end = i;
    }
  }
  return cover;
}

// ── Budget sentence ───────────────────────────────────────────────────────────────────────────
export interface BudgetProse {
  initial: PrintedNum;
  adjusted: PrintedNum;
  executed: PrintedNum;
  executionRate: PrintedNum;
  moneyUnit: '万元' | '元' | null;
}

const EMPTY: PrintedNum = { value: null, text: null };
const AMOUNT = '([\\d,，]+(?:\\.\\d+)?)(万元|元)';

/** The budget sentence (`预算总资金 X 万元，调整后预算总资金 Y 万元 … 实际支出金额 Z 万元，预算执行率为 R%`). */
export function readBudgetProse(prose: string): BudgetProse {
  const initial = new RegExp(`(?<!调整后)预算总?资金${AMOUNT}`).exec(prose);
  const adjusted = new RegExp(`调整后预算总?资金${AMOUNT}`).exec(prose);
  const executed = new RegExp(`实际支出(?:金额)?${AMOUNT}`).exec(prose);
  const rate = /预算执行率为?(\d+(?:\.\d+)?%)/.exec(prose);
  const unit = initial?.[2] ?? adjusted?.[2] ?? executed?.[2];
  return {
    initial: initial ? pnum(initial[1]) : EMPTY,
    adjusted: adjusted ? pnum(adjusted[1]) : EMPTY,
    executed: executed ? pnum(executed[1]) : EMPTY,
    executionRate: rate ? pnum(rate[1]) : EMPTY,
    moneyUnit: unit === '万元' || unit === '元' ? unit : null,
  };
}

/** 评价结果为优 / 评价等级：良 … → the grade word. */
export function readGrade(prose: string): string | null {
  const m = /(?:评价结果为|评价等级为?[:：]?|评价结论为|绩效等级为?[:：]?)[“"]?(优秀|优|良好|良|中|合格|差|不合格)/.exec(prose);
  if (!m) return null;
  const g = m[1]!;
  return g === '优秀' ? '优' : g === '良好' ? '良' : g;
}

// ── 具体绩效分析 ───────────────────────────────────────────────────────────────────────────────
export interface AnalysisBlock {
  code: string;
  name: string;
  heading: { weight: PrintedNum; score: PrintedNum };
  /** 评分标准 paragraph(s), whitespace removed. */
  scoringRule: string | null;
  /** `完成率 N%` stated as a value in the 得分 paragraph (a bound like `>99.9%` is not one). */
  statedRate: PrintedNum;
  /** `满分 X 分，得 Y 分` at the end of the 得分 paragraph, where printed. */
  paragraph: { weight: PrintedNum; score: PrintedNum } | null;
  lineIndex: number;
}

const HEADING = /^([A-Z]\d{0,2})([^（(：:]*?)[（(]满分(\d+(?:\.\d+)?)分[,，]?得(\d+(?:\.\d+)?)分[)）][:：]?$/;
export const STATED_RATE = /完成率为?(\d+(?:\.\d+)?%)/;
const PARAGRAPH_SCORE = /满分(\d+(?:\.\d+)?)分[,，]?得(\d+(?:\.\d+)?)分/g;

/** The `(二) 具体绩效分析` section: from its title (not the 目录 entry) to the next numbered chapter. */
export function analysisRange(lines: Line[], from = 0): { from: number; to: number } | null {
  let start = -1;
  for (let i = from; i < lines.length; i++) {
    if (/^[(（][二2][)）]具体绩效分析$/.test(compact(lines[i]!))) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^[四五六七]、/.test(compact(lines[i]!)) || /^附件\d/.test(compact(lines[i]!))) {
      end = i;
      break;
    }
  }
  return { from: start + 1, to: end };
}

export function readAnalysis(lines: Line[], from: number, to: number): AnalysisBlock[] {
  const blocks: AnalysisBlock[] = [];
  let rule: string[] | null = null;
  let scoreText: string[] = [];
  const close = (): void => {
    const b = blocks.at(-1);
    if (!b) return;
    b.scoringRule = rule && rule.length > 0 ? rule.join('') : b.scoringRule;
    const text = scoreText.join('');
    const rate = STATED_RATE.exec(text);
    if (rate) b.statedRate = pnum(rate[1]);
    const all = [...text.matchAll(PARAGRAPH_SCORE)];
    const last = all.at(-1);
    if (last) b.paragraph = { weight: pnum(last[1]), score: pnum(last[2]) };
    rule = null;
    scoreText = [];
  };
  let mode: 'none' | 'rule' | 'score' = 'none';
  for (let i = from; i < to; i++) {
    const t = compact(lines[i]!);
    if (t === '') continue;
    const h = HEADING.exec(t);
    if (h) {
      close();
      blocks.push({
        code: h[1]!,
        name: h[2]!,
        heading: { weight: pnum(h[3]), score: pnum(h[4]) },
        scoringRule: null,
        statedRate: { value: null, text: null },
        paragraph: null,
        lineIndex: i,
      });
      mode = 'none';
      continue;
    }
    if (blocks.length === 0) continue;
    let m: RegExpExecArray | null;
    if ((m = /^评分标准[:：](.*)$/.exec(t))) {
      rule = [m[1]!];
      mode = 'rule';
    } else if ((m = /^得分[:：](.*)$/.exec(t))) {
      scoreText = [m[1]!];
      mode = 'score';
    } else if (/^指标解释[:：]/.test(t)) {
      mode = 'none';
    } else if (mode === 'rule') {
      rule?.push(t);
    } else if (mode === 'score') {
      scoreText.push(t);
    }
  }
  close();
  return blocks;
}

// ── 附件1 working papers ───────────────────────────────────────────────────────────────────────
export interface WorkingPaper {
  code: string;
  name: string;
  weight: PrintedNum;
  score: PrintedNum;
  scoringRule: string | null;
  statedRate: PrintedNum;
  lineIndex: number;
}

const PAPER_TITLE = /^([A-Z]\d{2})[“"「]?(.+?)[”"」]?评价底稿$/;

export function readWorkingPapers(lines: Line[], from: number, to: number): WorkingPaper[] {
  const papers: WorkingPaper[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const title = PAPER_TITLE.exec(compact(line));
    if (title) {
      papers.push({
        code: title[1]!, name: title[2]!,
        weight: { value: null, text: null }, score: { value: null, text: null },
        scoringRule: null, statedRate: { value: null, text: null }, lineIndex: i,
      });
      continue;
    }
    const p = papers.at(-1);
    if (!p) continue;
    const cells = line.tokens.map(cellText);
    cells.forEach((c, k) => {
      let m: RegExpExecArray | null;
      if (c === '指标权重' && p.weight.value === null) p.weight = pnum(cells[k + 1]);
      else if ((m = /^指标得分[:：](.+)$/.exec(c)) && p.score.value === null) p.score = pnum(m[1]);
      else if ((m = /^指标评分细则[:：](.*)$/.exec(c)) && p.scoringRule === null) p.scoringRule = cleanText(m[1]);
      else if ((m = STATED_RATE.exec(c)) && p.statedRate.value === null) p.statedRate = pnum(m[1]);
    });
  }
  return papers;
}
