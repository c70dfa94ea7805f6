/**
 * The funding block of a 自评表: 执行率, budget 得分 and the row breakdown, rechecked with interval
 * arithmetic (interval.ts). A missing figure means "cannot check": never a pass, never a finding.
 */
import type { Finding } from '../schema/findings.js';
import type { FundingRow, SelfEvaluation } from '../schema/records.js';
import { finding } from './finding.js';
import { fmt, fmtInterval, pct, roundedAndTruncated } from './format.js';
import { type Interval, div, isBounded, meets, minWith, mul, scale, sum } from './interval.js';
import { type PrintedMap, type PrintedValue, printedValue } from './precision.js';

export const FUNDING_ROWS = ['total', 'currentYearFiscal', 'carryover', 'other'] as const;
export type FundingRowKey = (typeof FUNDING_ROWS)[number];

export const ROW_LABEL: Readonly<Record<FundingRowKey, string>> = {
  total: '年度资金总额',
  currentYearFiscal: '当年财政拨款',
  carryover: '上年结转资金',
  other: '其他资金',
};

/** Money columns that add up over the rows. */
export const MONEY_COLUMNS = ['initialBudget', 'annualBudget', 'executed'] as const;
export type MoneyColumn = (typeof MONEY_COLUMNS)[number];

export const COLUMN_LABEL: Readonly<Record<MoneyColumn, string>> = {
  initialBudget: '年初预算数',
  annualBudget: '全年预算数',
  executed: '全年执行数',
};

interface FundingContext {
  record: number;
  printed?: PrintedMap;
}

function cell(ctx: FundingContext, key: FundingRowKey, row: FundingRow, column: keyof FundingRow): PrintedValue | null {
  return printedValue(row[column], `funding.${key}.${column}`, ctx.printed);
}

/** 全年执行数 / 全年预算数 as a percent interval; null when a figure is missing or the budget may be 0. */
function rawRate(executed: PrintedValue | null, budget: PrintedValue | null): Interval | null {
  if (!executed || !budget) return null;
  const rate = scale(div(executed.interval, budget.interval), 100);
  return isBounded(rate) ? rate : null;
}

function isZeroOverZero(executed: PrintedValue, budget: PrintedValue): boolean {
  return executed.value === 0 && budget.value === 0;
}

function checkRowRate(ctx: FundingContext, key: FundingRowKey, row: FundingRow): Finding | null {
  const rate = cell(ctx, key, row, 'executionRate');
  const executed = cell(ctx, key, row, 'executed');
  const budget = cell(ctx, key, row, 'annualBudget');
  if (!rate || !executed || !budget) return null;
  const where = `funding.${key}.executionRate`;
  if (isZeroOverZero(executed, budget)) {
    return rate.value === 0
      ? null
      : finding(ctx.record, 'funding.rate', where, `${ROW_LABEL[key]}: 全年执行数 ${executed.text} / 全年预算数 ${budget.text} is 0/0, yet 执行率 ${pct(rate)} is printed (a 0/0 row agrees with 0 or none)`);
  }
  const computed = rawRate(executed, budget);
  if (!computed || meets(computed, rate.interval)) return null;
  const point = (executed.value / budget.value) * 100;
  return finding(
    ctx.record,
    'funding.rate',
    where,
    `${ROW_LABEL[key]}: 全年执行数 ${executed.text} / 全年预算数 ${budget.text} = ${fmt(point)}% (${roundedAndTruncated(point, rate.decimals)}; ` +
      `interval ${fmtInterval(computed)}); printed 执行率 ${pct(rate)} (interval ${fmtInterval(rate.interval)}) cannot be reached`,
  );
}

/** 分值 × min(rate, 100%) for a percent interval. */
function budgetScore(weight: PrintedValue, ratePercent: Interval): Interval {
  return mul(weight.interval, scale(minWith(ratePercent, 100), 1 / 100));
}

function checkRowScore(ctx: FundingContext, key: FundingRowKey, row: FundingRow): Finding | null {
  const score = cell(ctx, key, row, 'score');
  const weight = cell(ctx, key, row, 'weight');
  if (!score || !weight) return null;
  const rate = cell(ctx, key, row, 'executionRate');
  const executed = cell(ctx, key, row, 'executed');
  const budget = cell(ctx, key, row, 'annualBudget');
  const raw = rawRate(executed, budget);
  const routes: { label: string; value: Interval }[] = [];
  if (rate) {
    routes.push({
      label: `from the printed 执行率: ${weight.text} × ${pct(rate)} = ${fmt((weight.value * Math.min(rate.value, 100)) / 100)}`,
      value: budgetScore(weight, rate.interval),
    });
  }
  if (raw && executed && budget) {
    const point = (executed.value / budget.value) * 100;
    routes.push({
      label: `from 全年执行数 / 全年预算数 (${executed.text} / ${budget.text} = ${fmt(point)}%): ${weight.text} × ${fmt(Math.min(point, 100))}% = ${fmt((weight.value * Math.min(point, 100)) / 100)}`,
      value: budgetScore(weight, raw),
    });
  }
  if (routes.length === 0 || routes.some((r) => meets(r.value, score.interval))) return null;
  return finding(
    ctx.record,
    'funding.score',
    `funding.${key}.score`,
    `得分 ${score.text} (interval ${fmtInterval(score.interval)}) ≠ 分值 × min(执行率, 100%) by either route: ${routes.map((r) => `${r.label} (interval ${fmtInterval(r.value)})`).join('; ')}`,
  );
}

function checkColumnBreakdown(ctx: FundingContext, funding: SelfEvaluation['funding'], column: MoneyColumn): Finding | null {
  const total = cell(ctx, 'total', funding.total, column);
  if (!total) return null;
  const parts = FUNDING_ROWS.slice(1).map((key) => ({ key, value: cell(ctx, key, funding[key], column) }));
  const present = parts.filter((p): p is { key: FundingRowKey; value: PrintedValue } => p.value !== null);
  if (present.length === 0) return null;
  const partial = present.length < parts.length;
  const partsSum = sum(present.map((p) => p.value.interval));
  // With a component missing, only printed parts that already exceed the total are a certain error.
  const agrees = meets(partsSum, partial ? { lo: -Infinity, hi: total.interval.hi } : total.interval);
  if (agrees) return null;
  const terms = parts.map((p) => `${ROW_LABEL[p.key]} ${p.value?.text ?? '(missing)'}`).join(' + ');
  const point = present.reduce((s, p) => s + p.value.value, 0);
  return finding(
    ctx.record,
    'funding.breakdown',
    `funding.total.${column}`,
    `${COLUMN_LABEL[column]}: 年度资金总额 ${total.text} ≠ ${terms} = ${fmt(point, 4)} (interval ${fmtInterval(partsSum)}${partial ? ', printed parts alone' : ''})`,
  );
}

/**
 * The cells a funding finding compares, as provenance keys (`funding.total.executed`): a row's
 * 执行率 against its 全年执行数 / 全年预算数; its 得分 against its 分值 and either; a column's total
 * against its rows. Kept beside the rules above: a rule that compares other cells changes this too.
 */
export function comparedCells(f: Pick<Finding, 'rule' | 'where'>): string[] {
  const m = /^funding\.(\w+)\.(\w+)$/.exec(f.where);
  if (!m) return [];
  const [row, column] = [m[1]!, m[2]!];
  const rate = ['executed', 'annualBudget', 'executionRate'];
  if (f.rule === 'funding.rate') return rate.map((c) => `funding.${row}.${c}`);
  if (f.rule === 'funding.score') return [...rate, 'weight', 'score'].map((c) => `funding.${row}.${c}`);
  if (f.rule === 'funding.breakdown') return FUNDING_ROWS.map((r) => `funding.${r}.${column}`);
  return [];
}

export function checkFunding(record: SelfEvaluation, recordIndex: number, printed?: PrintedMap): Finding[] {
  const ctx: FundingContext = { record: recordIndex, printed };
  const rows = FUNDING_ROWS.flatMap((key) => [checkRowRate(ctx, key, record.funding[key]), checkRowScore(ctx, key, record.funding[key])]);
  const breakdown = MONEY_COLUMNS.map((column) => checkColumnBreakdown(ctx, record.funding, column));
  return [...rows, ...breakdown].filter((f): f is Finding => f !== null);
}

/**
 * The values the budget 得分 may stand for in a sum: as printed, and the unrounded 分值 × min(执行率, 100%)
 * from the printed 执行率 or from 全年执行数 / 全年预算数, where that value prints as the printed score.
 * A 总分 summed from the unrounded budget score is still a sum of the form's figures.
 */
export function budgetScoreValues(row: FundingRow, score: PrintedValue): { route: string; value: number }[] {
  const { weight, executionRate, executed, annualBudget } = row;
  const routes: { route: string; value: number }[] = [];
  if (weight !== null && executionRate !== null) {
    routes.push({ route: '分值 × printed 执行率', value: (weight * Math.min(executionRate, 100)) / 100 });
  }
  if (weight !== null && executed !== null && annualBudget !== null && annualBudget !== 0) {
    routes.push({ route: '分值 × 全年执行数 / 全年预算数', value: (weight * Math.min((executed / annualBudget) * 100, 100)) / 100 });
  }
  const unrounded = routes.filter((r) => meets({ lo: r.value, hi: r.value }, score.interval));
  return [{ route: 'printed', value: score.value }, ...unrounded];
}
