/**
 * The record contract of samples/SCHEMA.md, written once.
 * Types, the JSON Schema printed by `jixiao schema`, the eval's field list and
 * (later) the LLM response format are all derived from these declarations.
 */
import { z } from 'zod';

const num = z.number().nullable();
const text = z.string().nullable();

export const DOC_TYPES = ['self_evaluation', 'target_declaration', 'evaluation_report'] as const;
export const DocType = z.enum(DOC_TYPES);
export type DocType = z.infer<typeof DocType>;

export const MoneyUnit = z.enum(['万元', '元']).nullable();

// ── 财政项目支出绩效自评表 ────────────────────────────────────────────────
export const FundingRow = z.object({
  initialBudget: num.describe('年初预算数'),
  annualBudget: num.describe('全年预算数'),
  executed: num.describe('全年执行数'),
  weight: num.describe('分值 / 分数'),
  executionRate: num.describe('执行率, percent number (99.35 for 99.35%)'),
  score: num.describe('得分'),
});
export type FundingRow = z.infer<typeof FundingRow>;

export const SelfEvalIndicator = z.object({
  level1: text.describe('一级指标'),
  level2: text.describe('二级指标'),
  name: z.string().describe('三级指标'),
  target: text.describe('年度指标值, printed string without whitespace'),
  actual: text.describe('实际完成值, printed string without whitespace'),
  weight: num.describe('分值'),
  score: num.describe('得分'),
  deviationReason: text.describe('偏差原因分析及改进措施; null when the cell is empty'),
});
export type SelfEvalIndicator = z.infer<typeof SelfEvalIndicator>;

export const SelfEvaluation = z.object({
  docType: z.literal('self_evaluation'),
  year: z.number().int().nullable(),
  projectName: z.string(),
  department: text.describe('主管部门'),
  implementingUnit: text.describe('实施单位'),
  moneyUnit: MoneyUnit,
  funding: z.object({
    total: FundingRow.describe('年度资金总额'),
    currentYearFiscal: FundingRow.describe('其中：当年财政拨款'),
    carryover: FundingRow.describe('上年结转资金'),
    other: FundingRow.describe('其他资金'),
  }),
  goals: z.object({
    expected: text.describe('预期目标 / 预算目标'),
    actual: text.describe('实际完成情况'),
  }),
  indicators: z.array(SelfEvalIndicator),
  totalWeight: num.describe('总分 row, 分值 column'),
  totalScore: num.describe('总分 row, 得分 column'),
  grade: text.describe('评分等级; null where the form has none'),
});
export type SelfEvaluation = z.infer<typeof SelfEvaluation>;

export { tableColumn } from './columns.js';

// ── 财政项目支出绩效目标申报表 ────────────────────────────────────────────
export const TargetIndicator = z.object({
  level1: text,
  level2: text,
  name: z.string(),
  target: text.describe('指标目标值, printed string without whitespace'),
});
export type TargetIndicator = z.infer<typeof TargetIndicator>;

export const TargetDeclaration = z.object({
  docType: z.literal('target_declaration'),
  year: z.number().int().nullable(),
  projectName: z.string(),
  projectCategory: text.describe('项目类别'),
  department: text,
  implementingUnit: text,
  plannedStart: text.describe('计划开始日期 YYYY-MM-DD'),
  plannedEnd: text.describe('计划完成日期 YYYY-MM-DD'),
  moneyUnit: MoneyUnit,
  funding: z.object({
    projectTotal: num.describe('项目资金总额'),
    projectFiscal: num.describe('其中：财政资金'),
    projectOther: num.describe('其他资金 (project column)'),
    annualTotal: num.describe('年度资金申请总额'),
    annualFiscal: num.describe('其中：当年财政拨款'),
    annualCarryover: num.describe('上年结转资金'),
    annualOther: num.describe('其他资金 (annual column)'),
  }),
  goals: z.object({
    overallPeriod: text.describe('项目总目标 period, e.g. 2022年-2022年'),
    overall: text.describe('项目总目标'),
    annual: text.describe('年度总目标'),
  }),
  indicators: z.array(TargetIndicator),
});
export type TargetDeclaration = z.infer<typeof TargetDeclaration>;

// ── 财政项目支出绩效评价报告 ──────────────────────────────────────────────
export const EvaluationReport = z.object({
  docType: z.literal('evaluation_report'),
  year: z.number().int().nullable(),
  projectName: z.string(),
  implementingUnit: text,
  department: text,
  commissioner: text.describe('委托单位'),
  evaluator: text.describe('评价机构'),
  reportNumber: text,
  reportDate: text,
  moneyUnit: MoneyUnit,
  budget: z.object({ initial: num, adjusted: num, executed: num, executionRate: num }),
  budgetLines: z.array(
    z.object({ item: z.string(), budget: num, adjustedBudget: num, executed: num, executionRate: num }),
  ),
  indicators: z.array(
    z.object({
      code: z.string(),
      level1: text,
      level2: text,
      name: z.string(),
      weight: num,
      score: num,
      scoringRule: text,
    }),
  ),
  subtotals: z.array(z.object({ code: z.string(), name: z.string(), weight: num, score: num })),
  outputs: z.array(z.object({ item: z.string(), planned: num, actual: num })),
  statedRates: z.array(z.object({ code: z.string(), rate: z.number() })),
  headingScores: z.array(z.object({ code: z.string(), weight: num, score: num })),
  totalWeight: num,
  totalScore: num,
  grade: text,
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

export const FormRecord = z.discriminatedUnion('docType', [SelfEvaluation, TargetDeclaration, EvaluationReport]);
export type FormRecord = z.infer<typeof FormRecord>;

export const RECORD_SCHEMAS = {
  self_evaluation: SelfEvaluation,
  target_declaration: TargetDeclaration,
  evaluation_report: EvaluationReport,
} as const;
