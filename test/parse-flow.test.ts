import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms } from '../src/segment/forms.js';
import { parseFlowSelfEvaluation } from '../src/parse/rules/self-eval-flow.js';
import { splitGoals } from '../src/parse/rules/flow-goals.js';
import { feedFragments, EMPTY_STREAMS } from '../src/parse/rules/flow-labels.js';
import type { ParsedForm } from '../src/parse/types.js';
import type { SelfEvaluation } from '../src/schema/records.js';

const SAMPLE = 'samples/sh-sibao-2024-self-eval.txt';

function formsOf(file: string, text: string) {
  return segmentForms(ingestText(file, Buffer.from(text)));
}

function parsed(result: ReturnType<typeof parseFlowSelfEvaluation>): ParsedForm & { record: SelfEvaluation } {
  if (result.status !== 'parsed') throw new Error(`not parsed: ${result.reason}`);
  return result as ParsedForm & { record: SelfEvaluation };
}

describe('flow-text self-evaluation, real file (2024, 万元)', () => {
  const forms = formsOf(SAMPLE, readFileSync(SAMPLE, 'utf8'));
  const results = forms.map(parseFlowSelfEvaluation);
  const rec = (i: number): SelfEvaluation => parsed(results[i]!).record;
  const row = (i: number, name: string) => {
    const r = rec(i).indicators.find((x) => x.name === name);
    if (!r) throw new Error(`no row ${name}`);
    return r;
  };

  it('parses all nine forms with their row counts', () => {
    expect(results.map((r) => r.status)).toEqual(Array(9).fill('parsed'));
    expect(results.map((_, i) => rec(i).indicators.length)).toEqual([15, 13, 28, 15, 10, 9, 7, 64, 12]);
  });

  it('reads the head, the funding block (label over two lines) and the totals', () => {
    const r = rec(0);
    expect([r.year, r.projectName, r.department, r.implementingUnit, r.moneyUnit]).toEqual([
      2024, '社保档案资料管理费', '上海市人力资源和社会保障局', '上海市社会保险事业管理中心', '万元',
    ]);
    expect(r.funding.total).toEqual({ initialBudget: 968.59, annualBudget: 968.59, executed: 962.33, weight: 10, executionRate: 99.35, score: 9.94 });
    expect(r.funding.currentYearFiscal).toEqual({ initialBudget: 968.59, annualBudget: 968.59, executed: 962.33, weight: null, executionRate: 99.35, score: null });
    expect(r.funding.other).toEqual({ initialBudget: 0, annualBudget: 0, executed: 0, weight: null, executionRate: 0, score: null });
    expect([r.totalWeight, r.totalScore, r.grade]).toEqual([100, 94.94, '优']);
    expect(rec(2).funding.total.initialBudget).toBe(1934.41);
  });

  it('reads a one-line row and the narrow reason lines that follow it', () => {
    expect(row(0, '库房电子化管理计划完成率')).toEqual({
      level1: '产出指标', level2: '数量指标', name: '库房电子化管理计划完成率',
      target: '=100.00(%)', actual: '98.00(%)', weight: 10, score: 8,
      deviationReason: '库房基本已实现电子化管理，存在少量非纸质档案尚未实现电子化。措施:改进应用程序，增加功能。',
    });
    expect(row(0, '库房硬件达标率').deviationReason).toBe('库房设施存在改进空间。措施：增加设施更新力度。');
    expect(row(0, '档案资料数字化计划完成率').deviationReason).toBeNull();
  });

  it('joins name, target and actual each wrapped over lines', () => {
    expect(row(2, '“钉钉”移动平台日使用人数')).toMatchObject({ target: '≥500.00(人次)', actual: '500.00(人次)', weight: 2, score: 2 });
    expect(row(7, '“云桌面”虚拟终端安全稳定运行')).toMatchObject({ target: '安全性100%，稳定性99%以上', actual: '达成指标' });
    expect(row(0, '数字化档案存放安全性验收通过率')).toMatchObject({ target: '=100(%)', actual: '100.00(%)' });
    expect(row(2, '突发公共事件应急处置响应时间').target).toBe('中心城区一个半小时内；郊区三个小时内');
    expect(row(7, '各类系统运行和技术资源问题的响应度').target).toBe('1个工作日内及时响应，1-3个工作日内解决，特殊情况不晚于1周');
  });

  it('keeps a space-split target together and tells a reason from the next row', () => {
    expect(row(0, '数字化外包工作完成时点')).toMatchObject({
      target: '移交后30天', actual: '部分达成指标并具有一定效果', weight: 5, score: 4,
      deviationReason: '可以进一步提高时效。措施：提高数字化加工效率。',
    });
    expect(row(3, '视频监控系统报修处置响应时间').deviationReason).toBe('存在个别响应时间超24小时的情况');
    expect(row(3, '一般故障修复时间')).toMatchObject({ target: '<120(分钟)', actual: '100.00(分钟)', deviationReason: null });
  });

  it('gives a label split by a page break to the rows it spans', () => {
    for (const name of ['基层受理点原始档案制作及时性', '数字化外包工作完成时点']) {
      expect([row(0, name).level1, row(0, name).level2]).toEqual(['产出指标', '时效指标']);
    }
    for (const name of ['信息安全事故发生数', '各子系统全面故障发生率']) expect(row(3, name).level2).toBe('社会效益指标');
    expect(row(3, '社保档案数字化保存期').level2).toBe('可持续影响指标');
    expect([row(8, '相关职能部门满意度').level1, row(8, '相关职能部门满意度').level2]).toEqual(['满意度指标', '服务对象满意度指标']);
    expect([row(7, '“云桌面”虚拟终端租用费用标准').level1, row(7, '“云桌面”虚拟终端租用费用标准').level2]).toEqual(['成本指标', '经济成本指标']);
  });

  it('splits the goals into 预期目标 and 实际完成情况', () => {
    const g = rec(0).goals;
    expect(g.expected).toMatch(/^委托第三方对社保业务纸质档案.*保障社保业务经办顺利实施。$/);
    expect(g.actual).toMatch(/^1\.档案数字化处理运行平稳.*档案损失率、丢失率为0。$/);
    // a line holding both columns after a page break
    const g7 = rec(7).goals;
    expect(g7.expected).toMatch(/把给更多人纳入社会保障制度体系。$/);
    expect(g7.actual).toMatch(/制作和相关配套设备的采购工作。做好微信发布相关工作，/);
  });

  it('keeps printed strings, provenance, QA and confidence', () => {
    const p = parsed(results[0]!);
    expect(p.printed['funding.total.executionRate']).toBe('99.35');
    expect(p.printed['indicators.3.weight']).toBe('5.00');
    expect(p.printed.totalScore).toBe('94.94');
    expect(p.provenance['indicators.0']).toMatchObject({ page: 1, fromLine: 79, toLine: 89 });
    expect(p.provenance['funding.currentYearFiscal']).toMatchObject({ fromLine: 18, toLine: 21 });
    expect(p.qa.filter((n) => !n.ok)).toEqual([]);
    expect(p.confidence).toBe(1);
  });
});

const HEAD = `
财政项目支出绩效自评表

（2023年度）

项目名称 测试项目

主管部门 某某局 实施单位 某某中心

项目资金

（元）

年初预算数 全年预算数 全年执行数 分值 执行率(%) 得分

年度资金总额： 100.00 100.00 90.00 10.00 90.00 9.00

其中：当年财政拨款 100.00 100.00 90.00 - 90.00 -

上年结转资金 0.00 0.00 0.00 - 0.00 -

其他资金 0.00 0.00 0.00 - 0.00 -

预期目标 实际完成情况

完成全部工作。

已完成全部工作。
`;

const TABLE_HEADER = `
一级

指标

二级

指标
三级指标 年度指标值 实际完成值 分值 得分

偏差原因分析

及改进措施
`;

const ROWS = `
产出

指标

数量

指标

任务完成率 =100% 95% 50.00 45.00
个别任务延

期。

质量

指标

验收合格率 =100% 100% 40.00 40.00
`;

function one(text: string) {
  const forms = formsOf('synthetic.txt', text);
  expect(forms).toHaveLength(1);
  return parseFlowSelfEvaluation(forms[0]!);
}

describe('flow-text self-evaluation, synthetic forms', () => {
  it('reads a small well-formed form', () => {
    const p = parsed(one(HEAD + TABLE_HEADER + ROWS + '\n总分 100.00 94.00\n\n评分等级 优\n'));
    expect(p.record.moneyUnit).toBe('元');
    expect(p.record.goals).toEqual({ expected: '完成全部工作。', actual: '已完成全部工作。' });
    expect(p.record.indicators).toEqual([
      { level1: '产出指标', level2: '数量指标', name: '任务完成率', target: '=100%', actual: '95%', weight: 50, score: 45, deviationReason: '个别任务延期。' },
      { level1: '产出指标', level2: '质量指标', name: '验收合格率', target: '=100%', actual: '100%', weight: 40, score: 40, deviationReason: null },
    ]);
    expect(p.confidence).toBe(1);
  });

  it('refuses a table weighted with 权重', () => {
    const r = one(HEAD + TABLE_HEADER.replace('分值', '权重') + ROWS + '\n总分 100.00 94.00\n');
    expect(r).toMatchObject({ status: 'unparsed', reason: expect.stringContaining('权重') });
  });

  it('refuses split 指标性质 | 指标值 | 度量单位 columns', () => {
    const r = one(HEAD + TABLE_HEADER.replace('年度指标值', '指标性质 指标值 度量单位') + ROWS + '\n总分 100.00 94.00\n');
    expect(r).toMatchObject({ status: 'unparsed', reason: expect.stringContaining('度量单位') });
  });

  it('refuses a form without indicator header or without 总分 row', () => {
    expect(one(HEAD + ROWS + '\n总分 100.00 94.00\n')).toMatchObject({ status: 'unparsed', reason: expect.stringContaining('header') });
    expect(one(HEAD + TABLE_HEADER + ROWS)).toMatchObject({ status: 'unparsed', reason: expect.stringContaining('总分') });
  });

  it('refuses when the 分值 exceed the 总分 by exactly one row 分值 (a row read that should not be)', () => {
    const doubled = ROWS + '\n满意度指标 满意率 ≥90% 95% 10.00 10.00\n';
    const r = one(HEAD + TABLE_HEADER + doubled + '\n总分 100.00 104.00\n');
    expect(r).toMatchObject({ status: 'unparsed', reason: expect.stringContaining('分值') });
  });

  it('keeps a form whose printed 总分 得分 is off while every row is well-formed, and says so', () => {
    const p = parsed(one(HEAD + TABLE_HEADER + ROWS + '\n总分 100.00 95.50\n'));
    const note = p.qa.find((n) => n.check === 'qa.scores_sum')!;
    expect(note).toMatchObject({ ok: false, likelyCause: 'document' });
    expect(p.record.grade).toBeNull();
    expect(p.confidence).toBeLessThan(1);
  });
});

describe('goal columns and label streams', () => {
  const lines = (text: string) => ingestText('g.txt', Buffer.from(text)).pages.flatMap((pg) => pg.lines);

  it('splits at the paragraph end that best separates a wider left column from a narrower right one', () => {
    const left = ['一二三四五六七八九十一二三四五六七八九十', '一二三四五六七八九十一二三四五六七八九十', '完成。'];
    const right = ['甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛', '甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛', '已完成。'];
    const g = splitGoals(lines([...left, ...right].join('\n\n')));
    expect(g.expected).toBe(left.join(''));
    expect(g.actual).toBe(right.join(''));
  });

  it('joins fragments of parallel label columns', () => {
    let s = feedFragments(EMPTY_STREAMS, ['满意', '服务'])!;
    for (const f of ['度指', '标', '对象', '满意', '度指', '标']) s = feedFragments(s, [f])!;
    expect(s.open).toEqual([]);
    expect(s.batch).toEqual(['满意度指标', '服务对象满意度指标']);
    expect(feedFragments(EMPTY_STREAMS, ['库房'])).toBeNull();
  });
});
