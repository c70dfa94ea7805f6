/**
 * 财政项目支出绩效评价报告 (third-party evaluation report) → an `evaluation_report` record.
 * Deterministic: the cover lines, the budget sentence and table, the main scoring table, the
 * 具体绩效分析 headings and paragraphs, the 附件1 table and working papers and the 附件2 base data.
 * The 附件1 / working-paper / paragraph copies of each score go to `printed` as `sources.*`
 * (see report-sources.ts) for the cross-checks.
 */
import type { Form } from '../../segment/forms.js';
import type { Line, SourceSpan } from '../../ingest/types.js';
import type { EvaluationReport } from '../../schema/records.js';
import type { FormResult, QaNote } from '../types.js';
import { cleanText } from '../values.js';
import { findLine } from './grid.js';
import { sourceKey } from './report-sources.js';
import { findTable, isScoringHeader, readPlainRows, readScoringTable, type PrintedNum, type ScoringTable } from './report-tables.js';
import { analysisRange, compact, readAnalysis, readBudgetProse, readCover, readGrade, readWorkingPapers } from './report-text.js';

const BUDGET_COLUMNS = [
  { re: /^(年初)?预算(数|金额|资金)?([(（].*[)）])?$/ },
  { re: /^调整后(预算)?(数|金额)?([(（].*[)）])?$/, optional: true },
  { re: /^(实际)?(支出|执行)(数|金额)?([(（].*[)）])?$|^实际支出/ },
  { re: /^(预算)?执行率$/ },
] as const;
const OUTPUT_COLUMNS = [{ re: /^计划(数|数量|值|完成数)?$/ }, { re: /^实际(数|数量|值|完成数)?$/ }] as const;

function span(lines: Line[], from: number, to = from): SourceSpan {
  const a = lines[from]!;
  const b = lines[to] ?? a;
  return { page: a.page, fromLine: a.lineNo, toLine: b.lineNo };
}

export function parseEvaluationReport(form: Form): FormResult {
  const lines = form.lines;
  const printed: Record<string, string> = {};
  const provenance: Record<string, SourceSpan> = {};
  const put = (path: string, n: PrintedNum): number | null => {
    if (n.text !== null) printed[path] = n.text;
    return n.value;
  };

  const cover = readCover(lines);
  if (!cover.projectName) return { status: 'unparsed', reason: 'no 项目名称 on the report cover' };
  if (cover.end >= 0) provenance['cover'] = span(lines, 0, cover.end);

  // Main scoring table: the first 三级指标/分值/得分 header; the 附件1 copy is the one after 附件1.
  const headers = lines.map((l, i) => (isScoringHeader(l) ? i : -1)).filter((i) => i >= 0);
  if (headers.length === 0) return { status: 'unparsed', reason: 'no scoring table (三级指标 / 分值 / 得分) found' };
  const main = readScoringTable(lines, headers[0]!);
  if (main.indicators.length === 0) return { status: 'unparsed', reason: 'the scoring table has no indicator rows' };
  const annexStart = findLine(lines, /^附件\s*1[:：]?.*(底稿|评分)/, main.end);
  const annexHeader = headers.find((h) => h > main.end && (annexStart < 0 || h > annexStart));
  const annex: ScoringTable | null = annexHeader === undefined ? null : readScoringTable(lines, annexHeader);

  // Prose before the main table: the budget sentence lives in 预算资金来源及使用情况.
  const budgetTable = findTable(lines, BUDGET_COLUMNS, 0, headers[0]!);
  const proseEnd = budgetTable ? budgetTable.line : headers[0]!;
  const budgetFrom = findLine(lines, /预算资金来源|资金来源及使用/, cover.end + 1, proseEnd);
  const proseOf = (from: number, to: number): string =>
    lines.slice(Math.max(0, from), to).filter((l) => !l.cells).map(compact).join('');
  let budgetProse = readBudgetProse(proseOf(budgetFrom >= 0 ? budgetFrom : cover.end + 1, proseEnd));
  if (budgetProse.initial.value === null) budgetProse = readBudgetProse(proseOf(0, lines.length));

  const budgetRows = budgetTable ? readPlainRows(lines, budgetTable) : [];
  const budgetLines: EvaluationReport['budgetLines'] = budgetRows.map((r, i) => {
    if (r.lineIndex >= 0) provenance[`budgetLines.${i}`] = span(lines, r.lineIndex);
    return {
      item: r.item,
      budget: put(`budgetLines.${i}.budget`, r.values[0]!),
      adjustedBudget: put(`budgetLines.${i}.adjustedBudget`, r.values[1]!),
      executed: put(`budgetLines.${i}.executed`, r.values[2]!),
      executionRate: put(`budgetLines.${i}.executionRate`, r.values[3]!),
    };
  });
  const totalRow = budgetRows.find((r) => r.item === '合计');
  const orRow = (p: PrintedNum, k: number): PrintedNum => (p.value !== null ? p : (totalRow?.values[k] ?? p));
  const budget: EvaluationReport['budget'] = {
    initial: put('budget.initial', orRow(budgetProse.initial, 0)),
    adjusted: put('budget.adjusted', orRow(budgetProse.adjusted, 1)),
    executed: put('budget.executed', orRow(budgetProse.executed, 2)),
    executionRate: put('budget.executionRate', orRow(budgetProse.executionRate, 3)),
  };

  // 具体绩效分析: headings, 评分标准, stated rates, paragraph scores.
  const range = analysisRange(lines, main.end);
  const blocks = range ? readAnalysis(lines, range.from, range.to) : [];
  const blockOf = new Map(blocks.map((b) => [b.code, b]));

  // Working papers: between the 附件1 table and 附件2.
  const papersFrom = annex ? annex.end + 1 : main.end + 1;
  const annex2 = findLine(lines, /^附件\s*2/, papersFrom);
  const papers = readWorkingPapers(lines, papersFrom, annex2 >= 0 ? annex2 : lines.length);
  const paperOf = new Map(papers.map((p) => [p.code, p]));

  const level = (code: string, n: number): string | null => main.labels.get(code.slice(0, n)) ?? null;
  const indicators: EvaluationReport['indicators'] = main.indicators.map((r, i) => {
    provenance[`indicators.${i}`] = span(lines, r.lineIndex);
    const rule = blockOf.get(r.code)?.scoringRule ?? paperOf.get(r.code)?.scoringRule ?? null;
    return {
      code: r.code,
      level1: level(r.code, 1),
      level2: level(r.code, 2),
      name: r.name,
      weight: put(`indicators.${i}.weight`, r.weight),
      score: put(`indicators.${i}.score`, r.score),
      scoringRule: cleanText(rule),
    };
  });
  const subtotals: EvaluationReport['subtotals'] = main.subtotals.map((r, i) => {
    provenance[`subtotals.${i}`] = span(lines, r.lineIndex);
    return { code: r.code, name: r.name, weight: put(`subtotals.${i}.weight`, r.weight), score: put(`subtotals.${i}.score`, r.score) };
  });

  // 附件2 base data: planned vs actual quantities.
  const outTable = findTable(lines, OUTPUT_COLUMNS, annex2 >= 0 ? annex2 : main.end + 1);
  const outputs: EvaluationReport['outputs'] = (outTable ? readPlainRows(lines, outTable) : []).map((r, i) => {
    provenance[`outputs.${i}`] = span(lines, r.lineIndex);
    return { item: r.item, planned: put(`outputs.${i}.planned`, r.values[0]!), actual: put(`outputs.${i}.actual`, r.values[1]!) };
  });

  const statedRates: EvaluationReport['statedRates'] = [];
  for (const b of blocks) {
    const rate = b.statedRate.value !== null ? b.statedRate : (paperOf.get(b.code)?.statedRate ?? b.statedRate);
    if (rate.value === null || !/^[A-Z]\d{2}$/.test(b.code)) continue;
    const i = statedRates.length;
    statedRates.push({ code: b.code, rate: rate.value });
    put(`statedRates.${i}.rate`, rate);
    provenance[`statedRates.${i}`] = span(lines, b.lineIndex);
  }
  const headingScores: EvaluationReport['headingScores'] = blocks.map((b, i) => {
    provenance[`headingScores.${i}`] = span(lines, b.lineIndex);
    return { code: b.code, weight: put(`headingScores.${i}.weight`, b.heading.weight), score: put(`headingScores.${i}.score`, b.heading.score) };
  });

  // The other copies of each figure, for the cross-checks.
  if (annex) {
    for (const r of [...annex.indicators, ...annex.subtotals]) {
      put(sourceKey('annex1', r.code, 'weight'), r.weight);
      put(sourceKey('annex1', r.code, 'score'), r.score);
    }
  }
  for (const p of papers) {
    put(sourceKey('workpaper', p.code, 'weight'), p.weight);
    put(sourceKey('workpaper', p.code, 'score'), p.score);
    put(sourceKey('workpaper', p.code, 'statedRate'), p.statedRate);
  }
  for (const b of blocks) {
    if (!b.paragraph) continue;
    put(sourceKey('paragraph', b.code, 'weight'), b.paragraph.weight);
    put(sourceKey('paragraph', b.code, 'score'), b.paragraph.score);
  }

  const totalWeight = main.total ? put('totalWeight', main.total.weight) : null;
  const totalScore = main.total ? put('totalScore', main.total.score) : null;
  const projectName = cover.projectName;
  const yearMatch = /^(\d{4})年/.exec(projectName) ?? /(\d{4})年/.exec(projectName);
  const year = yearMatch ? Number(yearMatch[1]) : form.year;

  const record: EvaluationReport = {
    docType: 'evaluation_report',
    year,
    projectName,
    implementingUnit: cover.implementingUnit,
    department: cover.department,
    commissioner: cover.commissioner,
    evaluator: cover.evaluator,
    reportNumber: cover.reportNumber,
    reportDate: cover.reportDate,
    moneyUnit: budgetProse.moneyUnit,
    budget,
    budgetLines,
    indicators,
    subtotals,
    outputs,
    statedRates,
    headingScores,
    totalWeight,
    totalScore,
    grade: readGrade(proseOf(0, headers[0]!)) ?? readGrade(proseOf(0, lines.length)),
  };

  const qa = reportQa(record, annex, papers.length);
  const confidence = qa.length === 0 ? 0.5 : qa.filter((n) => n.ok).length / qa.length;
  return { status: 'parsed', record, confidence, qa, printed, provenance };
}

/** Extraction QA: the redundancy the report itself offers. */
function reportQa(r: EvaluationReport, annex: ScoringTable | null, papers: number): QaNote[] {
  const notes: QaNote[] = [];
  const weights = r.indicators.reduce((s, x) => s + (x.weight ?? 0), 0);
  notes.push({
    check: 'qa.weights_sum',
    ok: r.totalWeight !== null && Math.abs(weights - r.totalWeight) < 1e-6,
    likelyCause: 'extraction',
    detail: `Σ indicator weights ${weights} vs 总分 分值 ${r.totalWeight ?? '-'}`,
  });
  if (annex) {
    notes.push({
      check: 'qa.annex_rows',
      ok: annex.indicators.length === r.indicators.length,
      likelyCause: 'extraction',
      detail: `${r.indicators.length} indicator rows in the main table, ${annex.indicators.length} in 附件1`,
    });
  }
  notes.push({
    check: 'qa.working_papers',
    ok: papers === r.indicators.length,
    likelyCause: 'unknown',
    detail: `${papers} working papers for ${r.indicators.length} indicators`,
  });
  notes.push({
    check: 'qa.headings',
    ok: r.indicators.every((x) => r.headingScores.some((h) => h.code === x.code)),
    likelyCause: 'unknown',
    detail: `${r.headingScores.length} 具体绩效分析 headings for ${r.indicators.length} indicators`,
  });
  return notes;
}
