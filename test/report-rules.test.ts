import { describe, expect, it } from 'vitest';
import { formulaScore, parseCondition, parseScoringRule, reachableScores, tierScores, type ScoringRule } from '../src/check/scoring-rules.js';

const B11 =
  '预算执行率=100%，得 4 分；95%≤预算执行率 < 100%，得 3.5 分；90%≤预算执行率 < 95%，得 3 分；80%≤预算执行率 < 90%，得 2 分；70%≤预算执行率 < 80%，得 1 分；预算执行率 < 70%，不得分';

function tiers(rule: ScoringRule | null): Extract<ScoringRule, { kind: 'tiers' }> {
  if (rule?.kind !== 'tiers') throw new Error(`not a tier rule: ${JSON.stringify(rule)}`);
  return rule;
}
const at = (x: number) => ({ lo: x, hi: x });

describe('parseScoringRule: formula', () => {
  it('reads 指标得分=完成率*N', () => {
    expect(parseScoringRule('根据基础数据表计算，指标得分=项目完成率*3')).toEqual({ kind: 'formula', variable: '项目完成率', factor: 3 });
    expect(parseScoringRule('根据访谈，指标得分=覆盖率×2.5')).toEqual({ kind: 'formula', variable: '覆盖率', factor: 2.5 });
  });
  it('evaluates factor × min(rate, 100%)', () => {
    const rule = parseScoringRule('指标得分=项目完成率*3');
    if (rule?.kind !== 'formula') throw new Error('not a formula');
    expect(formulaScore(rule, at(0.9140)).lo).toBeCloseTo(2.742, 6);
    expect(formulaScore(rule, at(1.2)).hi).toBe(3);
  });
  it('is not fooled by a prose mention of 得分 without a formula', () => {
    expect(parseScoringRule('根据访谈统计，合计得分9.4分')).toBeNull();
  });
});

describe('parseScoringRule: tier bands', () => {
  it('reads the B11 预算执行率 bands', () => {
    const r = tiers(parseScoringRule(B11));
    expect(r.variable).toBe('预算执行率');
    expect(r.tiers).toHaveLength(6);
    expect(r.tiers[0]).toEqual({ lo: 100, loInclusive: true, hi: 100, hiInclusive: true, score: 4 });
    expect(r.tiers[1]).toEqual({ lo: 95, loInclusive: true, hi: 100, hiInclusive: false, score: 3.5 });
    expect(r.tiers[5]).toEqual({ lo: null, loInclusive: false, hi: 70, hiInclusive: false, score: 0 });
  });
  it('evaluates a figure to its band, both bands at a boundary', () => {
    const r = tiers(parseScoringRule(B11));
    expect(tierScores(r, at(91.38))).toEqual([3]);
    expect(tierScores(r, at(69))).toEqual([0]);
    expect(tierScores(r, { lo: 94.995, hi: 95.01 }).sort()).toEqual([3, 3.5]);
  });
  it('reads ≥ / < pairs after LaTeX clean-up (C17)', () => {
    const r = tiers(parseScoringRule('印刷质量合格率≥95%，得3分，<95%不得分'));
    expect(r.tiers).toEqual([
      { lo: 95, loInclusive: true, hi: null, hiInclusive: false, score: 3 },
      { lo: null, loInclusive: false, hi: 95, hiInclusive: false, score: 0 },
    ]);
    expect(tierScores(r, at(100))).toEqual([3]);
  });
  it('reads 以上（含）, A%-B% and 不足 bands (B12)', () => {
    const r = tiers(parseScoringRule('到位 95%以上（含 95%），得 2 分；到位率 90%-94%，得 1 分；到位率不足 90%，不得分'));
    expect(r.tiers.map((t) => [t.lo, t.hi, t.score])).toEqual([[95, null, 2], [90, 94, 1], [null, 90, 0]]);
    expect(reachableScores(r, 2)).toEqual([2, 1, 0]);
  });
  it('parseCondition: positive and negative', () => {
    expect(parseCondition('95%≤预算执行率<100%')).toMatchObject({ variable: '预算执行率', lo: 95, hi: 100 });
    expect(parseCondition('预算执行率=100%')).toMatchObject({ lo: 100, hi: 100 });
    expect(parseCondition('得3分')).toBeNull();
    expect(parseCondition('与计划略有偏差')).toBeNull();
  });
  it('judgement bands without figures are not a tier rule', () => {
    expect(parseScoringRule('项目按照计划进行得 5 分；与计划略有偏差，得 2.5 分；有较大偏差，不得分。')).toBeNull();
  });
});

describe('parseScoringRule: per item', () => {
  it('counts ①② items', () => {
    const r = parseScoringRule('①参保单位及个人权益是否知晓②参保单位及个人权益的覆盖程度；每符合 1 项，得 2.5 分，反之不得分');
    expect(r).toEqual({ kind: 'perItem', points: 2.5, items: 2 });
    expect(reachableScores(r!, 5)).toEqual([0, 2.5, 5]);
  });
  it('counts “…” items and 是否 questions', () => {
    expect(parseScoringRule('“甲是否合规”、“乙是否到位”、“丙是否齐全”、“丁”每符合1项，得0.5分，反之不得分。')).toEqual({ kind: 'perItem', points: 0.5, items: 4 });
    expect(parseScoringRule('根据项目绩效目标是否符合客观实际、是否可实现每符合一项，每符合1项，得1分，反之不得分。')).toEqual({ kind: 'perItem', points: 1, items: 2 });
  });
  it('a deduction rule or a questionnaire sum is not formulaic', () => {
    expect(parseScoringRule('①②③④⑤全部符合得2分，若出现②③④的情况之一，本项指标不得分。若出现①或⑤的情况，每项扣除0.5分。')).toBeNull();
    expect(parseScoringRule('问卷满意度共5题，每小题分值2分，答非常满意得2分，满意得1.5分，基本满意得1分，不很满意得0.5分，不满意不得分。')).toBeNull();
    expect(parseScoringRule(null)).toBeNull();
  });
});
