/**
 * Rechecks of a 财政项目支出绩效自评表 (docType `self_evaluation`), per samples/SCHEMA.md's findings table.
 */
import type { Finding } from '../schema/findings.js';
import type { SelfEvalIndicator, SelfEvaluation } from '../schema/records.js';
import { textKey } from '../parse/values.js';
import { assessAchievement } from './achievement.js';
import { finding, indicatorWheres } from './finding.js';
import { fmt } from './format.js';
import { budgetScoreValues, checkFunding } from './funding.js';
import { unitOf, withinOneUnit } from './interval.js';
import { type PrintedMap, type PrintedValue, printedValue } from './precision.js';
import { suspiciousUnit } from './units.js';

interface Context {
  record: number;
  printed?: PrintedMap;
}

const EPS = 1e-9;

// ── 总分 ────────────────────────────────────────────────────────────────────
type TotalKind = 'score' | 'weight';

const TOTAL: Readonly<Record<TotalKind, { rule: 'total.score' | 'total.weight'; path: 'totalScore' | 'totalWeight'; label: string }>> = {
  score: { rule: 'total.score', path: 'totalScore', label: '得分' },
  weight: { rule: 'total.weight', path: 'totalWeight', label: '分值' },
};

/**
 * 总分 vs budget + Σ indicators, within one unit of the total's last printed decimal. The budget
 * 得分 is itself derived (分值 × 执行率): for 总分 得分 its unrounded value by either route may be the
 * summand, where that value prints as the printed budget 得分 (budgetScoreValues).
 */
function checkTotal(ctx: Context, record: SelfEvaluation, kind: TotalKind): Finding | null {
  const { rule, path, label } = TOTAL[kind];
  const total = printedValue(record[path], path, ctx.printed);
  const budget = printedValue(record.funding.total[kind], `funding.total.${kind}`, ctx.printed);
  const items = record.indicators.map((i) => i[kind]);
  if (!total || !budget || items.length === 0) return null;
  const values = items.filter((v): v is number => v !== null);
  if (values.length < items.length) return null;
  const indicatorSum = values.reduce((s, v) => s + v, 0);
  const budgets = kind === 'score' ? budgetScoreValues(record.funding.total, budget) : [{ route: 'printed', value: budget.value }];
  if (budgets.some((b) => withinOneUnit(total.value, b.value + indicatorSum, total.decimals))) return null;
  const expected = budget.value + indicatorSum;
  const others = budgets.filter((b) => b.route !== 'printed').map((b) => `${fmt(b.value + indicatorSum, 4)} with the budget ${label} as ${b.route} (${fmt(b.value, 4)})`);
  return finding(
    ctx.record,
    rule,
    path,
    `总分 ${label} ${total.text} ≠ budget ${label} ${budget.text} + Σ indicator ${label} ${fmt(indicatorSum, 4)} = ${fmt(expected, 4)}` +
      `${others.length ? `; ${others.join('; ')}` : ''} (off by ${fmt(total.value - expected, 4)}; one unit of the printed total is ${fmt(unitOf(total.decimals), 6)})`,
  );
}

// ── 评分等级 ────────────────────────────────────────────────────────────────
const GRADES = ['优', '良', '中', '差'] as const;
type Grade = (typeof GRADES)[number];

function gradeOf(score: number): Grade {
  if (score >= 90 - EPS) return '优';
  if (score >= 80 - EPS) return '良';
  if (score >= 60 - EPS) return '中';
  return '差';
}

function readGrade(text: string | null): Grade | null {
  const first = textKey(text).charAt(0);
  return GRADES.find((g) => g === first) ?? null;
}

/**
 * The grade must be that of some value the printed 总分 stands for. Thresholds are whole numbers,
 * so above the printed value (truncation) no threshold is crossed; below it (rounding) one may be.
 */
function checkGrade(ctx: Context, record: SelfEvaluation): Finding | null {
  const grade = readGrade(record.grade);
  const total = printedValue(record.totalScore, 'totalScore', ctx.printed);
  if (!grade || !total) return null;
  const possible = new Set([gradeOf(total.interval.lo), gradeOf(total.value)]);
  if (possible.has(grade)) return null;
  return finding(
    ctx.record,
    'grade.mismatch',
    'grade',
    `评分等级 ${record.grade} but 总分 ${total.text} grades ${[...possible].join('/')} (优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60)`,
  );
}

// ── indicators ──────────────────────────────────────────────────────────────
interface IndicatorView {
  where: string;
  indicator: SelfEvalIndicator;
  score: PrintedValue | null;
  weight: PrintedValue | null;
}

function hasReason(indicator: SelfEvalIndicator): boolean {
  return textKey(indicator.deviationReason) !== '';
}

function checkScoreRange(ctx: Context, v: IndicatorView): Finding | null {
  const { score, weight } = v;
  if (score && score.value < -EPS) {
    return finding(ctx.record, 'indicator.score_range', v.where, `得分 ${score.text} < 0`);
  }
  if (score && weight && score.value > weight.value + EPS) {
    return finding(ctx.record, 'indicator.score_range', v.where, `得分 ${score.text} > 分值 ${weight.text}`);
  }
  return null;
}

function isDeducted(v: IndicatorView): v is IndicatorView & { score: PrintedValue; weight: PrintedValue } {
  return v.score !== null && v.weight !== null && v.score.value < v.weight.value - EPS;
}

function isFullScore(v: IndicatorView): v is IndicatorView & { score: PrintedValue; weight: PrintedValue } {
  return v.score !== null && v.weight !== null && v.weight.value > 0 && Math.abs(v.score.value - v.weight.value) <= EPS;
}

function checkDeduction(ctx: Context, v: IndicatorView): Finding[] {
  if (!isDeducted(v)) return [];
  const { indicator, score, weight } = v;
  const findings: Finding[] = [];
  if (!hasReason(indicator)) {
    findings.push(
      finding(ctx.record, 'indicator.deduction_without_reason', v.where, `score ${score.text} < weight ${weight.text} and the 偏差原因分析及改进措施 cell is empty`),
    );
  }
  if (assessAchievement(indicator.target, indicator.actual) === 'met') {
    const reason = hasReason(indicator) ? `偏差原因: ${indicator.deviationReason}` : 'no reason given';
    findings.push(
      finding(
        ctx.record,
        'indicator.met_but_deducted',
        v.where,
        `target ${indicator.target} met by ${indicator.actual} but score ${score.text} < weight ${weight.text}; ${reason}`,
      ),
    );
  }
  return findings;
}

function checkUnmetFullScore(ctx: Context, v: IndicatorView): Finding | null {
  if (!isFullScore(v) || assessAchievement(v.indicator.target, v.indicator.actual) !== 'unmet') return null;
  return finding(
    ctx.record,
    'indicator.unmet_full_score',
    v.where,
    `target ${v.indicator.target} missed by ${v.indicator.actual}, yet score ${v.score.text} = weight ${v.weight.text}`,
  );
}

function checkUnit(ctx: Context, v: IndicatorView): Finding | null {
  const reason = suspiciousUnit(v.indicator.name, v.indicator.target, v.indicator.actual);
  return reason ? finding(ctx.record, 'unit.suspicious', v.where, reason) : null;
}

function indicatorViews(ctx: Context, indicators: readonly SelfEvalIndicator[]): IndicatorView[] {
  const wheres = indicatorWheres(indicators.map((i) => i.name));
  return indicators.map((indicator, i) => ({
    where: wheres[i] ?? indicator.name,
    indicator,
    score: printedValue(indicator.score, `indicators.${i}.score`, ctx.printed),
    weight: printedValue(indicator.weight, `indicators.${i}.weight`, ctx.printed),
  }));
}

function checkIndicator(ctx: Context, v: IndicatorView): Finding[] {
  return [checkUnit(ctx, v), checkScoreRange(ctx, v), ...checkDeduction(ctx, v), checkUnmetFullScore(ctx, v)].filter(
    (f): f is Finding => f !== null,
  );
}

export function checkSelfEvaluation(record: SelfEvaluation, recordIndex: number, printed?: PrintedMap): Finding[] {
  const ctx: Context = { record: recordIndex, printed };
  const totals = [checkTotal(ctx, record, 'score'), checkTotal(ctx, record, 'weight'), checkGrade(ctx, record)];
  return [
    ...checkFunding(record, recordIndex, printed),
    ...totals.filter((f): f is Finding => f !== null),
    ...indicatorViews(ctx, record.indicators).flatMap((v) => checkIndicator(ctx, v)),
  ];
}
