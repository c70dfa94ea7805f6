import { describe, expect, it } from 'vitest';
import { misreadDigitApart, misreadReason, qualifyOcrFindings } from '../src/check/ocr-doubt.js';
import type { Finding } from '../src/schema/findings.js';
import type { SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';

const record: TargetDeclaration = {
  docType: 'target_declaration', year: 2022, projectName: 'X', projectCategory: null, department: null,
  implementingUnit: null, plannedStart: null, plannedEnd: null, moneyUnit: '元',
  funding: { projectTotal: null, projectFiscal: null, projectOther: null, annualTotal: null, annualFiscal: null, annualCarryover: null, annualOther: null },
  goals: { overallPeriod: null, overall: null, annual: null },
  indicators: [
    { level1: '产出指标', level2: '数量指标', name: '完成率', target: '=100%' },
    { level1: '产出指标', level2: '数量指标', name: '完成率', target: '=90%' },
  ],
};
const finding = (where: string): Finding => ({ record: 0, rule: 'indicator.score_range', where, severity: 'error', detail: '得分 500 > 分值 5.00' });
const span = (confidence: number) => ({ page: 1, fromLine: 1, toLine: 1, confidence });

describe('findings on OCR-read figures', () => {
  it('lowers a finding on a low-confidence row to a verify-by-eye note', () => {
    const [f] = qualifyOcrFindings(record, [finding('完成率#2')], { 'indicators.0': span(0.95), 'indicators.1': span(0.41) });
    expect(f!.severity).toBe('info');
    expect(f!.detail).toMatch(/^verify by eye \(OCR confidence 0\.41/);
  });
  it('keeps a finding on a confidently read row, saying it came from OCR', () => {
    const [f] = qualifyOcrFindings(record, [finding('完成率')], { 'indicators.0': span(0.95), 'indicators.1': span(0.41) });
    expect(f!.severity).toBe('error');
    expect(f!.detail).toMatch(/\[read by OCR: verify the figures by eye\]$/);
  });
});

describe('findings on OCR-read figures that the form itself shows misread', () => {
  const row = (o: Partial<Record<'initialBudget' | 'annualBudget' | 'executed' | 'weight' | 'executionRate' | 'score', number | null>> = {}) => ({
    initialBudget: null, annualBudget: null, executed: null, weight: null, executionRate: null, score: null, ...o,
  });
  const selfEval = (o: { total?: ReturnType<typeof row>; fiscal?: ReturnType<typeof row>; weights?: number[]; totalWeight?: number }): SelfEvaluation => ({
    docType: 'self_evaluation', year: 2021, projectName: 'X', department: null, implementingUnit: null, moneyUnit: '元',
    funding: { total: o.total ?? row(), currentYearFiscal: o.fiscal ?? row(), carryover: row(), other: row() },
    goals: { expected: null, actual: null },
    indicators: (o.weights ?? [50, 40]).map((w, i) => ({ level1: '产出指标', level2: '数量指标', name: `n${i}`, target: '=100%', actual: '100%', weight: w, score: w, deviationReason: null })),
    totalWeight: o.totalWeight ?? 100, totalScore: 100, grade: null,
  });
  const f = (rule: Finding['rule'], where = 'x'): Finding => ({ record: 0, rule, where, severity: 'error', detail: 'd' });
  const conf = { 'indicators.0': span(0.95), 'indicators.1': span(0.95), funding: span(0.95) };

  it("a total is as sure as the form's figures: a goal's or the head's text read unsure does not put it in doubt", () => {
    const total = f('total.score', 'totalScore');
    // A year in the actual goal's text (2022年) read at 0.5 is a figure-shaped cell of no sum.
    const text = { ...conf, total: span(0.95), 'goals.actual': span(0.5), projectName: span(0.5) };
    expect(qualifyOcrFindings(selfEval({}), [total], text)[0]!.severity).toBe('error');
    expect(qualifyOcrFindings(selfEval({}), [total], { ...text, 'indicators.1': span(0.5) })[0]!.severity).toBe('info');
  });
  it('a funding finding is as sure as the cells it compares: an unsure cell elsewhere in the block does not put it in doubt', () => {
    // 全年执行数 2,557,145 / 全年预算数 2,564,000 = 99.733 %, printed 99.74 %: misprinted.
    const r = selfEval({ total: row({ annualBudget: 2564000, executed: 2557145, executionRate: 99.74, weight: 10, score: 9.97 }) });
    const rate = f('funding.rate', 'funding.total.executionRate');
    const cells = { 'funding.total.annualBudget': span(0.93), 'funding.total.executed': span(0.9), 'funding.total.executionRate': span(0.95) };
    // The block holds an unsure 0 of 其他资金: its span's confidence is the block's lowest.
    const provenance = { ...conf, funding: span(0.5), 'funding.other.annualBudget': span(0.5), ...cells };
    expect(qualifyOcrFindings(r, [rate], provenance)[0]!.severity).toBe('error');
    // One of the compared cells unsure: verify by eye.
    expect(qualifyOcrFindings(r, [rate], { ...provenance, 'funding.total.executed': span(0.5) })[0]!.severity).toBe('info');
    // Without cells, the block's span stands for them.
    expect(qualifyOcrFindings(r, [rate], { ...conf, funding: span(0.5) })[0]!.severity).toBe('info');
    // A breakdown compares a column of every row.
    const breakdown = f('funding.breakdown', 'funding.total.annualBudget');
    expect(qualifyOcrFindings(r, [breakdown], provenance)[0]!.severity).toBe('info');
  });
  it('a rate from amounts a power of ten apart is a misread separator, not a discrepancy', () => {
    const r = selfEval({ total: row({ annualBudget: 5882800, executed: 5882.05, executionRate: 99.99, weight: 10, score: 10 }) });
    expect(misreadReason(r, f('funding.rate'))).toMatch(/power of ten/);
    expect(qualifyOcrFindings(r, [f('funding.rate')], conf)[0]!.severity).toBe('info');
  });
  it('a budget 得分 weighed against rates a power of ten apart is in doubt; against rates that agree it stands', () => {
    // 1 read for 2,337.60 (万元): 0.043 % against the printed 76.20 %.
    const misread = selfEval({ total: row({ annualBudget: 2344.71, executed: 1, executionRate: 76.2, weight: 19, score: 7.62 }) });
    expect(misreadReason(misread, f('funding.score', 'funding.total.score'))).toMatch(/power of ten/);
    expect(qualifyOcrFindings(misread, [f('funding.score', 'funding.total.score')], conf)[0]!.severity).toBe('info');
    const agree = selfEval({ total: row({ annualBudget: 2344.71, executed: 1786.67, executionRate: 76.2, weight: 19, score: 7.62 }) });
    expect(misreadReason(agree, f('funding.score', 'funding.total.score'))).toBeNull();
    expect(qualifyOcrFindings(agree, [f('funding.score', 'funding.total.score')], conf)[0]!.severity).toBe('error');
  });
  it('a budget 得分 one look-alike digit from 分值 × 执行率 is in doubt; one another digit off stands', () => {
    // 10 × 88.32% = 8.832, printed 8.83: read as 5.83 (a 8 for a 5), the rate and the amounts agreeing.
    const misread = selfEval({ total: row({ annualBudget: 1399.73, executed: 1236.29, executionRate: 88.32, weight: 10, score: 5.83 }) });
    expect(misreadReason(misread, f('funding.score', 'funding.total.score'))).toMatch(/one misread digit from 8\.83/);
    expect(qualifyOcrFindings(misread, [f('funding.score', 'funding.total.score')], conf)[0]!.severity).toBe('info');
    // 7.83: 7 and 8 are no look-alikes, so the 得分 is as likely misprinted.
    const off = selfEval({ total: row({ annualBudget: 1399.73, executed: 1236.29, executionRate: 88.32, weight: 10, score: 7.83 }) });
    expect(misreadReason(off, f('funding.score', 'funding.total.score'))).toBeNull();
    expect(qualifyOcrFindings(off, [f('funding.score', 'funding.total.score')], conf)[0]!.severity).toBe('error');
  });
  it('a budget 得分 a look-alike digit from the rate cut rather than rounded, at its own decimals', () => {
    // 10 × 96.98% = 9.698: cut to 9.6 (printed), read as 9.8; rounded to 9.7 it is no look-alike of 9.8.
    const r = selfEval({ total: row({ annualBudget: null, executed: null, executionRate: 96.98, weight: 10, score: 9.8 }) });
    expect(misreadReason(r, f('funding.score', 'funding.total.score'))).toMatch(/one misread digit from 9\.6/);
    const whole = selfEval({ total: row({ annualBudget: null, executed: null, executionRate: 80, weight: 10, score: 6 }) });
    expect(misreadReason(whole, f('funding.score', 'funding.total.score'))).toMatch(/one misread digit from 8\b/);
  });
  it('a rate off by a hundredth stays an error (96.963 printed as 96.97)', () => {
    const r = selfEval({ total: row({ annualBudget: 1454161, executed: 1410000, executionRate: 96.97, weight: 10, score: 9.7 }) });
    expect(misreadReason(r, f('funding.rate'))).toBeNull();
    expect(qualifyOcrFindings(r, [f('funding.rate')], conf)[0]!.severity).toBe('error');
  });
  it('tells digits that differ as a scan misreads them: a look-alike digit, a leading digit lost or added', () => {
    expect(misreadDigitApart('506655200', '306655200')).toBe(true);
    expect(misreadDigitApart('193441', '93441')).toBe(true);
    expect(misreadDigitApart('93441', '193441')).toBe(true);
    expect(misreadDigitApart('3888', '888')).toBe(true);
    expect(misreadDigitApart('12385', '12365')).toBe(true);
    // Another single-digit difference is as likely a misprint.
    expect(misreadDigitApart('148000000', '138000000')).toBe(false);
    expect(misreadDigitApart('145434154', '145433154')).toBe(false);
    expect(misreadDigitApart('148000000', '148000001')).toBe(false);
    expect(misreadDigitApart('12345', '123456')).toBe(false);
    expect(misreadDigitApart('12345', '12345')).toBe(false);
    expect(misreadDigitApart('12345', '12354')).toBe(false);
    expect(misreadDigitApart('1664768000', '1664700000')).toBe(false);
  });
  it('a breakdown whose total is a misread digit off its parts is a misread (5,066,552 read as 3,066,552; 1,934.41 as 934.41); two digits off, or a digit no look-alike, is not', () => {
    const fb = f('funding.breakdown', 'funding.total.initialBudget');
    expect(misreadReason(selfEval({ total: row({ initialBudget: 3066552 }), fiscal: row({ initialBudget: 5066552 }) }), fb)).toMatch(/misread digit/);
    expect(misreadReason(selfEval({ total: row({ initialBudget: 934.41 }), fiscal: row({ initialBudget: 1934.41 }) }), fb)).toMatch(/misread digit/);
    expect(misreadReason(selfEval({ total: row({ initialBudget: 3066552 }), fiscal: row({ initialBudget: 5066562 }) }), fb)).toBeNull();
    // A confidently read total one digit off, not a look-alike, stays an error: 1,480,000 against 1,380,000.
    const misprint = selfEval({ total: row({ initialBudget: 1480000 }), fiscal: row({ initialBudget: 1380000 }) });
    expect(misreadReason(misprint, fb)).toBeNull();
    expect(qualifyOcrFindings(misprint, [fb], conf)[0]!.severity).toBe('error');
    // Only the column the finding is about: another column a misread digit apart says nothing of it.
    const other = selfEval({ total: row({ initialBudget: 3066552, executed: 300 }), fiscal: row({ initialBudget: 5066562, executed: 500 }) });
    expect(misreadReason(other, fb)).toBeNull();
    expect(misreadReason(other, f('funding.breakdown', 'funding.total.executed'))).toMatch(/misread digit/);
  });
  it('a breakdown one of whose parts is a look-alike digit from the total less the others is a misread (上年结转资金 0.00 read as 9.00); a part off by another digit is not', () => {
    const fb = f('funding.breakdown', 'funding.total.annualBudget');
    const withCarryover = (carried: number): SelfEvaluation => {
      const r = selfEval({ total: row({ annualBudget: 376 }), fiscal: row({ annualBudget: 376 }) });
      return { ...r, funding: { ...r.funding, carryover: row({ annualBudget: carried }), other: row({ annualBudget: 0 }) } };
    };
    // 376 against 376 + 9 + 0 = 385: the total and the sum are two digits apart (the carry), the part one look-alike.
    expect(misreadReason(withCarryover(9), fb)).toMatch(/上年结转资金's 全年预算数 is a misread digit/);
    expect(qualifyOcrFindings(withCarryover(9), [fb], conf)[0]!.severity).toBe('info');
    expect(misreadReason(withCarryover(7), fb)).toBeNull();
    expect(qualifyOcrFindings(withCarryover(7), [fb], conf)[0]!.severity).toBe('error');
    // A target declaration's part likewise.
    const td: TargetDeclaration = { ...record, funding: { ...record.funding, annualTotal: 376, annualFiscal: 376, annualCarryover: 9, annualOther: 0 } };
    expect(misreadReason(td, f('target.funding_breakdown', 'funding.annualTotal'))).toMatch(/annualCarryover is a misread digit/);
    expect(misreadReason({ ...td, funding: { ...td.funding, annualCarryover: 7 } }, f('target.funding_breakdown', 'funding.annualTotal'))).toBeNull();
  });
  it('a rate that agrees once a leading digit lost from an amount is put back is a misread (454,341.54 for 1,454,341.54)', () => {
    const r = selfEval({ total: row({ annualBudget: 1480000, executed: 454341.54, executionRate: 98.27 }) });
    expect(misreadReason(r, f('funding.rate', 'funding.total.executionRate'))).toMatch(/leading digit/);
    // A digit read in excess is no lost one.
    const extraDigit = selfEval({ fiscal: row({ annualBudget: 45.97, executed: 138.88, executionRate: 84.57 }) });
    expect(misreadReason(extraDigit, f('funding.rate', 'funding.currentYearFiscal.executionRate'))).toBeNull();
    const budgetLost = selfEval({ fiscal: row({ annualBudget: 564000, executed: 2557145, executionRate: 99.73 }) });
    expect(misreadReason(budgetLost, f('funding.rate', 'funding.currentYearFiscal.executionRate'))).toMatch(/leading digit/);
    // The real discrepancy (2,557,145 / 2,564,000 = 99.733, printed 99.74) has no such repair,
    // even where the scan also lost a leading digit: the repaired rate must round or truncate to the printed one.
    const real = selfEval({ total: row({ annualBudget: 2564000, executed: 2557145, executionRate: 99.74 }) });
    expect(misreadReason(real, f('funding.rate', 'funding.total.executionRate'))).toBeNull();
    const realAndLost = selfEval({ total: row({ annualBudget: 564000, executed: 2557145, executionRate: 99.74 }) });
    expect(misreadReason(realAndLost, f('funding.rate', 'funding.total.executionRate'))).toBeNull();
    const realAndLost2 = selfEval({ total: row({ annualBudget: 454161, executed: 1410000, executionRate: 96.97 }) });
    expect(misreadReason(realAndLost2, f('funding.rate', 'funding.total.executionRate'))).toBeNull();
  });
  it('a target met or missed by a figure that lost its % to the scan (=100% beside =10000 or 10036) is in doubt; a bare figure that can be a rate is not', () => {
    const withRow = (target: string, actual: string): SelfEvaluation => {
      const r = selfEval({ total: row({ weight: 10, score: 10 }) });
      return { ...r, indicators: [{ ...r.indicators[0]!, target, actual }, r.indicators[1]!] };
    };
    const u = f('indicator.unmet_full_score', 'n0');
    expect(misreadReason(withRow('=100%', '=10000'), u)).toMatch(/实际完成值 =10000 is read without the %/);
    expect(misreadReason(withRow('=100(%)', '10036'), u)).toMatch(/no rate as read/);
    expect(misreadReason(withRow('>=9094', '99.58%'), u)).toMatch(/年度指标值 >=9094/);
    expect(misreadReason(withRow('=100%', '150'), u)).toBeNull();
    expect(misreadReason(withRow('=100%', '10036'), f('indicator.score_range', 'n0'))).toBeNull();
    expect(qualifyOcrFindings(withRow('=100%', '10036'), [u], conf)[0]!.severity).toBe('info');
  });
  it('a full score against a target missed by glyphs a scan misreads is in doubt; a wider miss, or a deduction, is not', () => {
    const withRow = (target: string, actual: string): SelfEvaluation => {
      const r = selfEval({ total: row({ weight: 10, score: 10 }) });
      return { ...r, indicators: [{ ...r.indicators[0]!, target, actual }, r.indicators[1]!] };
    };
    const u = f('indicator.unmet_full_score', 'n0');
    // 0 read as 9 (photocopy: =0次 missed by 9次), 8 as 6, a leading digit lost.
    expect(misreadReason(withRow('=0次', '9次'), u)).toMatch(/differ by a misread digit/);
    expect(misreadReason(withRow('≥98%', '96%'), u)).toMatch(/differ by a misread digit/);
    expect(misreadReason(withRow('=1,934件', '934件'), u)).toMatch(/differ by a misread digit/);
    // Each 0 read as a 9 (a photocopy's =100% beside 190.99%): only look-alike digits apart.
    expect(misreadReason(withRow('=100(%)', '190.99(%)'), u)).toMatch(/differ only in look-alike digits/);
    expect(misreadReason(withRow('=100(%)', '150.99(%)'), u)).toBeNull();
    // A ≥ whose bar was lost: the actual on the bound of a strict target.
    expect(misreadReason(withRow('>99(%)', '99.00(%)'), u)).toMatch(/bound of the 年度指标值 >99\(%\)/);
    expect(qualifyOcrFindings(withRow('=0次', '9次'), [u], conf)[0]!.severity).toBe('info');
    // Not one glyph: digits no scan confuses, two digits off, a strict bound missed by more, other units.
    expect(misreadReason(withRow('≥95%', '91%'), u)).toBeNull();
    expect(misreadReason(withRow('=100%', '80%'), u)).toBeNull();
    expect(misreadReason(withRow('>99%', '98.50%'), u)).toBeNull();
    expect(misreadReason(withRow('=0次', '9件'), u)).toBeNull();
    // A deduction with the target met stands: the rule only concerns a full score.
    expect(misreadReason(withRow('=0次', '9次'), f('indicator.met_but_deducted', 'n0'))).toBeNull();
  });
  it('a breakdown a power of ten off its total is a misread', () => {
    const r = selfEval({ total: row({ annualBudget: 4104326 }), fiscal: row({ annualBudget: 410432600 }) });
    expect(misreadReason(r, f('funding.breakdown', 'funding.total.annualBudget'))).toMatch(/power of ten/);
    expect(misreadReason(r, f('funding.breakdown', 'funding.total.executed'))).toBeNull();
  });
  it('a target declaration’s total a power of ten off its parts is a misread (16,647,680 read as 16.647680), a near miss is not', () => {
    const td = (annualTotal: number): TargetDeclaration => ({ ...record, funding: { ...record.funding, annualTotal, annualFiscal: 16647680 } });
    const g = f('target.funding_breakdown', 'funding.annualTotal');
    expect(misreadReason(td(16.64768), g)).toMatch(/power of ten/);
    expect(qualifyOcrFindings(td(16.64768), [g], conf)[0]!.severity).toBe('info');
    expect(misreadReason(td(16647000), g)).toBeNull();
    expect(misreadReason(td(16647880), g)).toMatch(/misread digit/);
    // Each total against its own parts: the project column's are close, whatever the annual column holds.
    const both: TargetDeclaration = { ...td(16.64768), funding: { ...td(16.64768).funding, projectTotal: 16647680, projectFiscal: 16647000 } };
    expect(misreadReason(both, f('target.funding_breakdown', 'funding.projectTotal'))).toBeNull();
    expect(misreadReason(both, g)).toMatch(/power of ten/);
  });
  it('a target declaration’s breakdown is as sure as its own total and parts, not the other column’s or the rows', () => {
    const td: TargetDeclaration = { ...record, funding: { ...record.funding, annualTotal: 500000, annualFiscal: 400000, annualCarryover: 0, annualOther: 0 } };
    const g = f('target.funding_breakdown', 'funding.annualTotal');
    const sure = { 'funding.annualTotal': span(0.97), 'funding.annualFiscal': span(0.96), 'funding.annualCarryover': span(0.95), 'funding.annualOther': span(0.95) };
    // An unsure row or an unsure project amount: the annual breakdown stands.
    expect(qualifyOcrFindings(td, [g], { ...sure, 'indicators.0': span(0.4), 'funding.projectTotal': span(0.4) })[0]!.severity).toBe('error');
    // One of its own parts unsure: verify by eye.
    expect(qualifyOcrFindings(td, [g], { ...sure, 'funding.annualFiscal': span(0.5) })[0]!.severity).toBe('info');
  });
  it('indicator findings on a table whose 分值 column does not add up are in doubt', () => {
    const r = selfEval({ total: row({ weight: 10 }), weights: [50, 25] });
    expect(misreadReason(r, f('indicator.score_range', 'n1'))).toMatch(/adds up to 85, not the printed 100/);
    const ok = selfEval({ total: row({ weight: 10, score: 10 }), weights: [50, 40] });
    expect(misreadReason(ok, f('indicator.deduction_without_reason', 'n1'))).toBeNull();
    expect(qualifyOcrFindings(ok, [f('indicator.deduction_without_reason', 'n1')], conf)[0]!.severity).toBe('error');
  });
  it('a 分值 column with cells not read shows no misreading by falling short, only by reading more than the printed total', () => {
    const unread = (weights: number[], k: number): SelfEvaluation => {
      const r = selfEval({ total: row({ weight: 10 }), weights });
      return { ...r, indicators: r.indicators.map((x, i) => (i === k ? { ...x, weight: null } : x)) };
    };
    // 10 + 50 + (a faint 40 not read) = 60 against 100: the lost figure, not a misread one.
    const short = unread([50, 40], 1);
    expect(misreadReason(short, f('indicator.deduction_without_reason', 'n0'))).toBeNull();
    expect(qualifyOcrFindings(short, [f('indicator.deduction_without_reason', 'n0')], conf)[0]!.severity).toBe('error');
    // Within a hundredth of the total, unrounded: no misreading (10 + 50 + 40.006).
    expect(misreadReason(selfEval({ total: row({ weight: 10 }), weights: [50, 40.006] }), f('indicator.deduction_without_reason', 'n0'))).toBeNull();
    // 10 + 50 + 45 read, one more not: 105 against 100, a figure read is too high.
    expect(misreadReason(unread([50, 45, 5], 2), f('indicator.deduction_without_reason', 'n0'))).toMatch(/分值 read add up to 105, more than the printed 100/);
  });
  it('findings on a table with a 得分 above its own 分值 are in doubt (budget row included), not that row’s own', () => {
    const r = selfEval({ total: row({ weight: 10, score: 97 }), weights: [50, 40] });
    expect(misreadReason(r, f('total.score', 'totalScore'))).toMatch(/年度资金总额 has 得分 97 above its 分值 10/);
    const s = selfEval({ total: row({ weight: 10, score: 10 }), weights: [50, 40] });
    s.indicators[0]!.score = 55;
    s.totalScore = 105; // the printed 总分 agrees: only the row above its 分值 is wrong
    // n0's own score_range finding stays what it is; n1's deduction is in doubt.
    expect(misreadReason(s, f('indicator.score_range', 'n0'))).toBeNull();
    expect(misreadReason(s, f('indicator.met_but_deducted', 'n1'))).toMatch(/n0 has 得分 55 above its 分值 50/);
  });
  it('a 得分 above its 分值 one look-alike digit from it (19 for a full 10) is a full score misread; 12 is not', () => {
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [10, 80] });
    // The printed 总分 agrees with the column as read: only the look-alike digit says the 19 is misread.
    r.indicators[0]!.score = 19;
    r.totalScore = 109;
    expect(misreadReason(r, f('indicator.score_range', 'n0'))).toMatch(/得分 19 is one misread digit from its 分值 10/);
    r.indicators[0]!.score = 12;
    r.totalScore = 102;
    expect(misreadReason(r, f('indicator.score_range', 'n0'))).toBeNull();
  });
  it('a thin face\'s 4 read as 1 is a look-alike in a row: 得分 4 above a 分值 read 1 is a full score misread; 得分 3 above 1 is not', () => {
    // Only for a row's 分值 and 得分: amounts a 1 for a 4 apart stay a discrepancy.
    expect(misreadDigitApart('140', '110')).toBe(false);
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [1, 86] });
    r.indicators[0]!.score = 4;
    // The printed totals agree with the columns as read: only the look-alike digit says the 1 is misread.
    r.totalWeight = 97;
    r.totalScore = 100;
    expect(misreadReason(r, f('indicator.score_range', 'n0'))).toMatch(/得分 4 is one misread digit from its 分值 1/);
    r.indicators[0]!.score = 3;
    expect(misreadReason(r, f('indicator.score_range', 'n0'))).toBeNull();
  });
  it('a row’s deduction is in doubt when the 得分 column does not add up to the printed 总分', () => {
    // Every 分值 adds up; one 得分 reads 30 where 40 was printed (总分 100 = 10 + 50 + 40).
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [50, 40] });
    r.indicators[1]!.score = 30;
    expect(misreadReason(r, f('indicator.deduction_without_reason', 'n1'))).toMatch(/得分 column adds up to 90, not the printed 100/);
    // …but not a total finding, which is that very sum; and an unread 得分 proves nothing.
    expect(misreadReason(r, f('total.score', 'totalScore'))).toBeNull();
    r.indicators[1]!.score = null;
    expect(misreadReason(r, f('indicator.deduction_without_reason', 'n1'))).toBeNull();
  });
  it('a deduction wider than the 得分 column is off stands, whichever figure was misread', () => {
    // 分值 1.50 and 得分 1.00 on row n1; the column adds up to 10 + 85.42 + 1.00 = 96.42 against a printed 96.62.
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [88.5, 1.5] });
    r.indicators[0]!.score = 85.42;
    r.indicators[1]!.score = 1;
    r.totalScore = 96.62;
    expect(misreadReason(r, f('indicator.deduction_without_reason', 'n1'))).toBeNull();
    expect(misreadReason(r, f('indicator.met_but_deducted', 'n1'))).toBeNull();
    // Off by as much as the deduction (a printed 1.50 read 1.00 would explain it): in doubt.
    r.totalScore = 96.92;
    expect(misreadReason(r, f('indicator.deduction_without_reason', 'n1'))).toMatch(/得分 column adds up to 96.42, not the printed 96.92/);
    // The column reading high: were the row's own 得分 the misread one, it was printed lower still.
    r.totalScore = 95.42;
    expect(misreadReason(r, f('indicator.deduction_without_reason', 'n1'))).toBeNull();
    // A full score against a missed target has no margin: any other reading of it is no longer full.
    r.indicators[1]!.score = 1.5;
    r.totalScore = 97.12;
    expect(misreadReason(r, f('indicator.unmet_full_score', 'n1'))).toMatch(/得分 column adds up to 96.92, not the printed 97.12/);
  });
  it('a 得分 above its 分值 by more than the column is off stands; the finding is on the row its name and number say', () => {
    // Two rows named alike: the second, n0#2, reads 得分 3.00 against a 分值 of 2.00 (the first, n0,
    // 86.00 against 88.00: were it taken for n0#2, no margin would be left).
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [88, 2] });
    r.indicators[1]!.name = 'n0';
    r.indicators[0]!.score = 86;
    r.indicators[1]!.score = 3;
    r.totalScore = 98.8; // the column (99) reads 0.20 high: the 3.00 was 2.80 at least, still above 2.00
    expect(misreadReason(r, f('indicator.score_range', 'n0#2'))).toBeNull();
    r.totalScore = 98; // 1.00 high: a printed 2.00 read 3.00 would explain it
    expect(misreadReason(r, f('indicator.score_range', 'n0#2'))).toMatch(/得分 column adds up to 99, not the printed 98/);
    r.totalScore = 99.5; // reading low: the 得分 was higher still
    expect(misreadReason(r, f('indicator.score_range', 'n0#2'))).toBeNull();
  });
  it('a 得分 above its 分值 the 得分 column says stands is in doubt once a 分值 cell was not read: its column can no longer show the row\'s own 分值 misread', () => {
    // A flowscan probe: 得分 3 > 分值 1 where both were printed 4, the column 10 low from four
    // misread scores, a 分值 cell not read at all.
    const r = selfEval({ total: row({ weight: 10, score: 10 }), weights: [84, 2, 4] });
    r.indicators[1]!.score = 3;
    r.totalScore = 101.5; // the column (101) reads low: were the 3 misread, it was higher still
    expect(misreadReason(r, f('indicator.score_range', 'n1'))).toBeNull();
    r.indicators[2]!.weight = null;
    expect(misreadReason(r, f('indicator.score_range', 'n1'))).toMatch(/得分 column adds up to 101, not the printed 101.5/);
  });
  it('one amount a digit off, which the breakdown and a failed rate both point at, is a misread; a breakdown alone off by it is not', () => {
    // 155.47 read for 155.17: the parts do not add up to the total, and 151.72 / 155.47 is no 97.77%.
    const withRows = (fiscalBudget: number, fiscalRate: number): SelfEvaluation => {
      const r = selfEval({ total: row({ annualBudget: 155.17, executed: 151.72, executionRate: 97.77 }), fiscal: row({ annualBudget: fiscalBudget, executed: 151.72, executionRate: fiscalRate }) });
      return { ...r, funding: { ...r.funding, carryover: row({ annualBudget: 0 }), other: row({ annualBudget: 0 }) } };
    };
    const breakdown = f('funding.breakdown', 'funding.total.annualBudget');
    const rate = f('funding.rate', 'funding.currentYearFiscal.executionRate');
    // As printed: 0.00, not 0 (which would be 0 ± 0.5).
    const printed = { 'funding.carryover.annualBudget': '0.00', 'funding.other.annualBudget': '0.00' };
    const misread = withRows(155.47, 97.77);
    expect(misreadReason(misread, breakdown, printed)).toMatch(/当年财政拨款's 全年预算数 read as 155.47 is one digit from 155.17/);
    expect(misreadReason(misread, rate, printed)).toMatch(/one digit from 155.17/);
    expect(qualifyOcrFindings(misread, [breakdown, rate], conf, printed).map((x) => x.severity)).toEqual(['info', 'info']);
    // The part's own rate agrees with it as read: only the breakdown fails, and it stands.
    const alone = withRows(155.47, 97.59);
    expect(misreadReason(alone, breakdown, printed)).toBeNull();
    expect(qualifyOcrFindings(alone, [breakdown], conf, printed)[0]!.severity).toBe('error');
    // Two digits off: no one misread digit explains it.
    expect(misreadReason(withRows(155.42, 97.77), breakdown, printed)).toBeNull();
  });
});
