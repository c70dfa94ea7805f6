import { describe, expect, it } from 'vitest';
import { qualifyOcrFindings } from '../src/check/ocr-doubt.js';
import type { Finding } from '../src/schema/findings.js';
import type { TargetDeclaration } from '../src/schema/records.js';

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
