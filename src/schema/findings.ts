import { z } from 'zod';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Rule ids of samples/SCHEMA.md's findings table, plus extraction-QA rules of our own (`qa.*`). */
export const RULES = [
  'funding.rate',
  'funding.score',
  'funding.breakdown',
  'total.score',
  'total.weight',
  'indicator.score_range',
  'indicator.deduction_without_reason',
  'indicator.met_but_deducted',
  'indicator.unmet_full_score',
  'grade.mismatch',
  'cost.deviation',
  'unit.suspicious',
  'target.funding_breakdown',
  'target.unmeasurable',
  'report.subtotal',
  'report.heading_score',
  'report.stated_rate',
  'report.formula_score',
  'report.tier_score',
  'report.budget_lines',
  // Ours: a figure of the main scoring table that the 附件1 table, a working paper or an analysis
  // paragraph prints differently (name variants are not findings).
  'report.source_mismatch',
] as const;
export const Rule = z.enum(RULES);
export type Rule = z.infer<typeof Rule>;

export const Finding = z.object({
  record: z.number().int().describe('index of the record in its document'),
  rule: Rule,
  where: z.string().describe("indicator name (#2 for a repeated name's later occurrence), report code or field path"),
  severity: Severity,
  detail: z.string().describe('human-readable, with the numbers'),
});
export type Finding = z.infer<typeof Finding>;
