import { describe, expect, it } from 'vitest';
import { cleanText, parseDate, parseMeasure, parseNumber, parsePrintedNumber } from '../src/parse/values.js';
import { stripLatex, stripMarkup } from '../src/ingest/text.js';

describe('numbers', () => {
  it('drops thousands separators and keeps precision', () => {
    expect(parsePrintedNumber('1,934.41')).toEqual({ value: 1934.41, decimals: 2, percent: false });
    expect(parseNumber('446,048')).toBe(446048);
    expect(parseNumber('3,503,794.7')).toBe(3503794.7);
  });
  it('reads percents as the percent number', () => {
    expect(parsePrintedNumber('99.35%')).toEqual({ value: 99.35, decimals: 2, percent: true });
    expect(parseNumber('100.00(%)')).toBe(100);
  });
  it('maps dashes and blanks to null', () => {
    for (const s of ['-', '—', '－', '', '  ', null]) expect(parseNumber(s)).toBeNull();
  });
  it('rejects text that is not a number', () => {
    expect(parseNumber('达成指标')).toBeNull();
    expect(parseNumber('1.2.3')).toBeNull();
  });
});

describe('targets and actuals', () => {
  it.each([
    ['=100.00(%)', '=', 100, 2, '%'],
    ['≥99(%)', '≥', 99, 0, '%'],
    ['>=90%', '≥', 90, 0, '%'],
    ['<=5毫秒', '≤', 5, 0, '毫秒'],
    ['<24.00(小时)', '<', 24, 2, '小时'],
    ['≥2(次/周)', '≥', 2, 0, '次/周'],
    ['=4.00(个子系统)', '=', 4, 2, '个子系统'],
    ['98.00(%)', null, 98, 2, '%'],
    ['≤2500000份', '≤', 2500000, 0, '份'],
    ['> 3000000万/人次', '>', 3000000, 0, '万/人次'],
  ] as const)('%s', (text, op, value, decimals, unit) => {
    const m = parseMeasure(text)!;
    expect([m.op, m.value, m.decimals, m.unit, m.qualitative]).toEqual([op, value, decimals, unit, false]);
  });
  it('keeps qualitative values as text', () => {
    const m = parseMeasure('部分达成指标并具有一定效果')!;
    expect(m.qualitative).toBe(true);
    expect(m.value).toBeNull();
    expect(parseMeasure('及 时')!.text).toBe('及时');
  });
  it('reads LaTeX operators once cleaned', () => {
    expect(parseMeasure(stripLatex('$\\geq 95\\%$'))).toMatchObject({ op: '≥', value: 95, unit: '%' });
  });
});

describe('text cleaning', () => {
  it('removes whitespace from Chinese text', () => {
    expect(cleanText(' 库房基本已实现电子\n化管理 ')).toBe('库房基本已实现电子化管理');
    expect(cleanText(' \n ')).toBeNull();
  });
  it('turns LaTeX math into its symbols', () => {
    expect(stripLatex('满意度$\\geq 95\\%$以上')).toBe('满意度≥95%以上');
    expect(stripLatex('$\\leq 5$毫秒')).toBe('≤5毫秒');
  });
  it('drops HTML and markdown markup', () => {
    expect(stripMarkup('<p>通过项目开展</p>').trim()).toBe('通过项目开展');
    expect(stripMarkup('项目名称：**2018年社会保险经办业务费**')).toBe('项目名称：2018年社会保险经办业务费');
    expect(stripMarkup('## 财政项目支出绩效目标申报表')).toBe('财政项目支出绩效目标申报表');
  });
  it('normalises dates', () => {
    expect(parseDate('2022-01-01')).toBe('2022-01-01');
    expect(parseDate('2022年1月1日')).toBe('2022-01-01');
    expect(parseDate('明年')).toBeNull();
  });
  it('reads a date whose separator OCR lost, and no impossible date', () => {
    expect(parseDate('2022.0101')).toBe('2022-01-01');
    expect(parseDate('2022-1231')).toBe('2022-12-31');
    expect(parseDate('202206-30')).toBe('2022-06-30');
    // Eight bare digits are no date (a report number on a cover).
    expect(parseDate('20220630')).toBeNull();
    expect(parseDate('2022.01-01')).toBe('2022-01-01');
    // A scan's hyphen read as a colon; two colons, or a colon after 年, make a time.
    expect(parseDate('2022-01:01')).toBe('2022-01-01');
    // A speck read as a colon beside a separator (a photocopy's 2022:-12-31).
    expect(parseDate('2022:-12-31')).toBe('2022-12-31');
    expect(parseDate('2022-12-:31')).toBe('2022-12-31');
    expect(parseDate('2022:01:01')).toBeNull();
    expect(parseDate('2022年10:30')).toBeNull();
    // One-digit parts need their separators (2022-111 is 1 Nov or 11 Jan); no 13th month, no 32nd day.
    expect(parseDate('2022-111')).toBeNull();
    expect(parseDate('2022-1301')).toBeNull();
    expect(parseDate('2022-13-01')).toBeNull();
    expect(parseDate('2022-01-32')).toBeNull();
  });
});
