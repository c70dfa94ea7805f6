/** Building findings: each rule's severity as samples/SCHEMA.md's findings table gives it. */
import type { Finding, Rule, Severity } from '../schema/findings.js';

export const RULE_SEVERITY: Readonly<Record<Rule, Severity>> = {
  'funding.rate': 'error',
  'funding.score': 'error',
  'funding.breakdown': 'error',
  'total.score': 'error',
  'total.weight': 'error',
  'indicator.score_range': 'error',
  'indicator.deduction_without_reason': 'warning',
  'indicator.met_but_deducted': 'warning',
  'indicator.unmet_full_score': 'warning',
  'grade.mismatch': 'error',
  'cost.deviation': 'error',
  'unit.suspicious': 'info',
  'target.funding_breakdown': 'error',
  'target.unmeasurable': 'info',
  'report.subtotal': 'error',
  'report.heading_score': 'error',
  'report.stated_rate': 'error',
  'report.formula_score': 'error',
  'report.tier_score': 'error',
  'report.budget_lines': 'error',
  'report.source_mismatch': 'error',
};

export function finding(record: number, rule: Rule, where: string, detail: string): Finding {
  return { record, rule, where, severity: RULE_SEVERITY[rule], detail };
}

/** `where` of each indicator: its name, with `#2`, `#3` … for a repeated name's later occurrences. */
export function indicatorWheres(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}
