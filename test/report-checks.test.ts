import { describe, expect, it } from 'vitest';
import { checkRecord } from '../src/check/index.js';
import { linkOutputs } from '../src/check/evaluation-report.js';
import { sourceKey } from '../src/parse/rules/report-sources.js';
import { processFile } from '../src/pipeline.js';
import type { Finding } from '../src/schema/findings.js';
import { EvaluationReport } from '../src/schema/records.js';

type Ind = EvaluationReport['indicators'][number];
const ind = (code: string, name: string, weight: number, score: number, scoringRule: string | null = null): Ind => ({
  code, level1: null, level2: null, name, weight, score, scoringRule,
});

const FORMULA = '根据基础数据表计算，指标得分=项目完成率*3';
const B11 = '预算执行率=100%，得4分；95%≤预算执行率<100%，得3.5分；90%≤预算执行率<95%，得3分；80%≤预算执行率<90%，得2分；预算执行率<80%，不得分';
const PER_ITEM = '①是否知晓②覆盖程度；每符合1项，得2.5分，反之不得分';

/**
 * Consistent throughout: A1 = A11 (4, 3 by B11 bands for 91.38%) + A12 (3, 2.25 = 3 × 6000/8000)
 * + A13 (5, 5 per item); A = A1; B = B11 (88, 80); total 100 / 90.25 (优).
 */
function report(over: Partial<EvaluationReport> = {}): EvaluationReport {
  return EvaluationReport.parse({
    docType: 'evaluation_report',
    year: 2018,
    projectName: '测试项目',
    implementingUnit: null, department: null, commissioner: null, evaluator: null,
    reportNumber: null, reportDate: null,
    moneyUnit: '万元',
    budget: { initial: 2058.31, adjusted: 2182.31, executed: 1994.18, executionRate: 91.38 },
    budgetLines: [
      { item: '印刷', budget: 24.5, adjustedBudget: 24.5, executed: 17.99, executionRate: 73.43 },
      { item: '邮寄', budget: 2033.81, adjustedBudget: 2157.81, executed: 1976.19, executionRate: 91.58 },
      { item: '合计', budget: 2058.31, adjustedBudget: 2182.31, executed: 1994.18, executionRate: 91.38 },
    ],
    indicators: [
      ind('A11', '预算执行率', 4, 3, B11),
      ind('A12', '报表印刷完成率', 3, 2.25, FORMULA),
      ind('A13', '权益保障力', 5, 5, PER_ITEM),
      ind('B11', '满意度', 88, 80, null),
    ],
    subtotals: [
      { code: 'A1', name: '立项', weight: 12, score: 10.25 },
      { code: 'A', name: '决策', weight: 12, score: 10.25 },
      { code: 'B1', name: '效果', weight: 88, score: 80 },
      { code: 'B', name: '绩效', weight: 88, score: 80 },
    ],
    outputs: [
      { item: '报表印刷', planned: 5000, actual: 4000 },
      { item: '报表印刷补印', planned: 3000, actual: 2000 },
    ],
    statedRates: [{ code: 'A12', rate: 75 }],
    headingScores: [
      { code: 'A', weight: 12, score: 10.25 },
      { code: 'A12', weight: 3, score: 2.25 },
    ],
    totalWeight: 100,
    totalScore: 90.25,
    grade: '优',
    ...over,
  });
}

const rules = (fs: Finding[]): string[] => fs.map((f) => `${f.rule}@${f.where}`).sort();
const check = (r: EvaluationReport, printed?: Record<string, string>): Finding[] => checkRecord(r, 0, printed);

describe('evaluation report checks on literal records', () => {
  it('a consistent report has no findings', () => {
    expect(check(report())).toEqual([]);
  });

  it('report.subtotal: a group or section 小计 ≠ the sum of its rows', () => {
    const r = report();
    r.subtotals[0]!.score = 11.25;
    expect(rules(check(r))).toContain('report.subtotal@A1');
    r.subtotals[0]!.score = 10.26; // within one unit of the last printed decimal
    expect(rules(check(r))).not.toContain('report.subtotal@A1');
  });

  it('total.score / total.weight: 总分 ≠ Σ sections', () => {
    expect(rules(check(report({ totalScore: 91.5 })))).toContain('total.score@totalScore');
    expect(rules(check(report({ totalWeight: 110 })))).toContain('total.weight@totalWeight');
    expect(rules(check(report({ totalScore: 90.26 })))).not.toContain('total.score@totalScore');
  });

  it('grade.mismatch: 评价结果 not the grade of 总分', () => {
    expect(rules(check(report({ grade: '良' })))).toEqual(['grade.mismatch@grade']);
    expect(check(report({ grade: '优' }))).toEqual([]);
  });

  it("report.heading_score: a heading's 得 Y 分 ≠ the table", () => {
    const fs = check(report({ headingScores: [{ code: 'A12', weight: 3, score: 3 }] }));
    expect(rules(fs)).toEqual(['report.heading_score@A12']);
    expect(fs[0]!.detail).toMatch(/得 3 分 ≠ main scoring table score 2\.25/);
    expect(check(report({ headingScores: [{ code: 'A12', weight: 3, score: 2.25 }] }))).toEqual([]);
  });

  it('report.stated_rate: a stated 完成率 ≠ Σactual/Σplanned of the linked base data', () => {
    const fs = check(report({ statedRates: [{ code: 'A12', rate: 80 }] }));
    expect(rules(fs)).toEqual(['report.stated_rate@A12']);
    expect(fs[0]!.detail).toMatch(/6000\/8000 = 75\.00%/);
    expect(fs[0]!.detail).toMatch(/agrees with 3 × 75\.00%/);
    // 74.996 prints as 75.00: no rounding artefact is reported.
    expect(check(report({ statedRates: [{ code: 'A12', rate: 75.0 }] }), { 'statedRates.0.rate': '75.00%' })).toEqual([]);
  });

  it('report.formula_score: score ≠ N × completion rate from the base data', () => {
    const r = report();
    r.indicators[1]!.score = 2.5;
    r.subtotals[0]!.score = 10.5;
    r.subtotals[1]!.score = 10.5;
    r.headingScores = [];
    r.totalScore = 90.5;
    expect(rules(check(r))).toEqual(['report.formula_score@A12']);
  });

  it('report.tier_score: score ≠ the band of the computed 预算执行率', () => {
    const r = report();
    r.indicators[0]!.score = 3.5;
    r.subtotals[0]!.score = 10.75;
    r.subtotals[1]!.score = 10.75;
    r.headingScores = [];
    r.totalScore = 90.75;
    const fs = check(r);
    expect(rules(fs)).toEqual(['report.tier_score@A11']);
    expect(fs[0]!.detail).toMatch(/91\.38%.*得 3 分/);
  });

  it('report.tier_score: a per-item score the rule cannot give', () => {
    const r = report();
    r.indicators[2]!.score = 3.5; // (a printed 4 could stand for a truncated 4.9…, next to 5)
    r.subtotals[0]!.score = 8.75;
    r.subtotals[1]!.score = 8.75;
    r.headingScores = [];
    r.totalScore = 88.75;
    r.grade = '良';
    expect(rules(check(r))).toEqual(['report.tier_score@A13']);
  });

  it('report.budget_lines: lines ≠ 合计, or a line rate ≠ 执行数 / 调整后预算数', () => {
    const r = report();
    r.budgetLines[0]!.executed = 18.99;
    r.budgetLines[0]!.executionRate = 77.51;
    expect(rules(check(r))).toEqual(['report.budget_lines@budgetLines.合计.executed']);
    const s = report();
    s.budgetLines[1]!.executionRate = 93.58;
    expect(rules(check(s))).toEqual(['report.budget_lines@budgetLines.邮寄.executionRate']);
    // 17.99 / 24.50 = 73.428…: printed 73.43 and truncated 73.42 both agree.
    const t = report();
    t.budgetLines[0]!.executionRate = 73.42;
    expect(check(t)).toEqual([]);
  });

  it('report.source_mismatch: 附件1 / working paper figures differ from the main table; equal copies do not', () => {
    const printed = {
      [sourceKey('annex1', 'A12', 'score')]: '2.5',
      [sourceKey('workpaper', 'A12', 'weight')]: '3',
      [sourceKey('workpaper', 'A13', 'score')]: '5',
    };
    const fs = check(report(), printed);
    expect(rules(fs)).toEqual(['report.source_mismatch@A12']);
    expect(fs[0]!.detail).toMatch(/附件1 table score 2\.5 ≠ main scoring table 2\.25/);
    // A working paper stating another 完成率 than the analysis paragraph.
    expect(rules(check(report(), { [sourceKey('workpaper', 'A12', 'statedRate')]: '77%' }))).toEqual(['report.source_mismatch@A12']);
    expect(check(report(), { [sourceKey('workpaper', 'A12', 'statedRate')]: '75%' })).toEqual([]);
  });
});

describe('linking 附件2 base data to indicators', () => {
  it('links by name stem, several items to one indicator, none to unrelated ones', () => {
    const links = linkOutputs(
      [ind('C11', '个人权益记录单印发完成率', 3, 3, FORMULA), ind('C15', '宣传任务完成率', 3, 0.58, FORMULA), ind('C18', '系统经办服务设备质量合格率', 3, 3, '≥95%，得3分')],
      [
        { item: '个人权益记录单印刷', planned: 11, actual: 10 },
        { item: '个人权益记录单邮寄', planned: 11, actual: 10 },
        { item: '宣传告知单', planned: 35000, actual: 6814 },
        { item: '系统经办服务设备更新', planned: 35, actual: 35 },
      ],
    );
    expect([...links.keys()].sort()).toEqual(['C11', 'C15']);
    expect(links.get('C11')).toHaveLength(2);
  });
});

describe('the 2018 evaluation report sample', () => {
  it('parses 30 indicators and 11 subtotals and finds exactly the three inconsistencies', async () => {
    const doc = await processFile('samples/sh-sibao-2018-evaluation-report.md');
    expect(doc.records).toHaveLength(1);
    const r = doc.records[0]!;
    if (r.docType !== 'evaluation_report') throw new Error(r.docType);
    expect(r.indicators.map((x) => x.code)).toHaveLength(30);
    expect(r.subtotals.map((x) => x.code)).toEqual(['A1', 'A2', 'A', 'B1', 'B2', 'B3', 'B', 'C1', 'C2', 'C3', 'C']);
    // `完成率>99.9%` (C11) is a bound, not a stated rate.
    expect(r.statedRates.map((s) => s.code)).toEqual(['C12', 'C13', 'C14', 'C15', 'C16']);
    const main = doc.findings.filter((f) => f.severity !== 'info');
    expect(rules(main)).toEqual(['report.heading_score@C31', 'report.stated_rate@C13', 'report.stated_rate@C15']);
    const c13 = main.find((f) => f.where === 'C13')!;
    expect(c13.detail).toMatch(/94\.25%/);
    expect(c13.detail).toMatch(/18279282\/20000000 = 91\.40%/);
    const c15 = main.find((f) => f.where === 'C15')!;
    expect(c15.detail).toMatch(/6814\/35000 = 19\.47%/);
    const c31 = main.find((f) => f.where === 'C31')!;
    expect(c31.detail).toMatch(/得 5 分 ≠ main scoring table score 2\.5/);
  });
});

describe('parsing a small hand-written report', () => {
  const T = '\t';
  const text = [
    '财政项目支出绩效评价报告',
    '项目名称：2020年测试专项',
    '项目单位：甲中心',
    '主管部门：乙局',
    '委托单位：乙局',
    '评价机构：丙公司',
    '报告文号：丙绩报[2021]1',
    '2021年3月5日',
    '摘要',
    '综合评分 6 分，评价结果为差。',
    '2、预算资金来源及使用情况',
    '预算总资金 100.00 万元，调整后预',
    '算总资金 120.00 万元。实际支出金额 114.00 万元，预算执行率为 95.00%。',
    ['项目', '预算数', '调整后预算数', '支出数', '执行率'].join(T),
    ['印刷', '100.00', '120.00', '114.00', '95.00%'].join(T),
    ['合计', '100.00', '120.00', '114.00', '95.00%'].join(T),
    '1、评价结果',
    ['', '二级指标', '三级指标', '分值', '得分'].join(T),
    ['A 项目管理', 'A1 投入 (7)', 'A11 预算执行率', '4', '3.5'].join(T),
    ['', '', 'A12 印刷完成率', '3', '2.5'].join(T),
    ['', '', 'A1 小计', '7', '6'].join(T),
    ['', '', 'A 项目管理小计', '7', '6'].join(T),
    ['总分', '', '', '7', '6'].join(T),
    '(二) 具体绩效分析',
    'A 项目管理（满分 7 分，得 6 分）',
    'A1 投入（满分 7 分，得 6 分）',
    'A11 预算执行率（满分 4 分，得 3.5 分）：',
    '评分标准：预算执行率=100%，得 4 分；95%≤预算执行率 < 100%，得 3.5 分；预算执行率 < 95%，',
    '不得分',
    '得分：预算执行率为 95.00%，满分 4 分，得 3.5 分。',
    'A12 印刷完成率（满分 3 分，得 2.5 分）：',
    '评分标准：根据基础数据表计算，指标得分=项目完成率*3',
    '得分：计划印刷 1000 份，实际印刷 800 份，完成率 80%，满分 3 分，得 2.5 分。',
    '四、问题和建议',
    '附件 2 基础数据表',
    ['项目', '计划数', '实际数'].join(T),
    ['印刷', '1000', '800'].join(T),
  ].join('\n');

  it('reads every part and flags the formula score that disagrees with the base data', async () => {
    const { ingestText } = await import('../src/ingest/text.js');
    const { segmentForms } = await import('../src/segment/forms.js');
    const { parseForm } = await import('../src/parse/index.js');
    const form = segmentForms(ingestText('mini.md', Buffer.from(text)))[0]!;
    const res = parseForm(form);
    if (res.status !== 'parsed' || res.record.docType !== 'evaluation_report') throw new Error(JSON.stringify(res));
    const r = res.record;
    expect(r).toMatchObject({
      year: 2020, projectName: '2020年测试专项', implementingUnit: '甲中心', department: '乙局', commissioner: '乙局',
      evaluator: '丙公司', reportNumber: '丙绩报[2021]1', reportDate: '2021-03-05', moneyUnit: '万元',
      budget: { initial: 100, adjusted: 120, executed: 114, executionRate: 95 }, totalWeight: 7, totalScore: 6, grade: '差',
    });
    expect(r.budgetLines.map((l) => l.item)).toEqual(['印刷', '合计']);
    expect(r.indicators.map((x) => [x.code, x.level1, x.level2, x.name, x.weight, x.score])).toEqual([
      ['A11', '项目管理', '投入', '预算执行率', 4, 3.5],
      ['A12', '项目管理', '投入', '印刷完成率', 3, 2.5],
    ]);
    expect(r.indicators[0]!.scoringRule).toMatch(/预算执行率<95%，不得分$/);
    expect(r.subtotals.map((s) => [s.code, s.name])).toEqual([['A1', '投入'], ['A', '项目管理']]);
    expect(r.statedRates).toEqual([{ code: 'A12', rate: 80 }]);
    expect(r.headingScores.map((h) => h.code)).toEqual(['A', 'A1', 'A11', 'A12']);
    expect(r.outputs).toEqual([{ item: '印刷', planned: 1000, actual: 800 }]);
    // 3 × 80% = 2.4, printed 2.5; the 95.00% band gives 3.5 as printed; the stated 80% agrees.
    expect(rules(checkRecord(r, 0, res.printed))).toEqual(['report.formula_score@A12']);
  });
});
