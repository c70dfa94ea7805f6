/**
 * The deterministic checks: a record (with the printed strings of its numbers, when known) →
 * findings, per samples/SCHEMA.md's findings table.
 */
import type { Finding } from '../schema/findings.js';
import type { FormRecord } from '../schema/records.js';
import { checkSelfEvaluation } from './self-evaluation.js';
import { checkTargetDeclaration } from './target-declaration.js';
import { checkEvaluationReport } from './evaluation-report.js';

export { RULE_SEVERITY } from './finding.js';

/**
 * @param printed field path → printed string (`funding.total.executionRate` → `96.97%`,
 *   `indicators.3.score` → `4.00`); precision falls back to the JSON number's own decimals.
 */
export function checkRecord(record: FormRecord, recordIndex: number, printed?: Record<string, string>): Finding[] {
  switch (record.docType) {
    case 'self_evaluation':
      return checkSelfEvaluation(record, recordIndex, printed);
    case 'target_declaration':
      return checkTargetDeclaration(record, recordIndex, printed);
    case 'evaluation_report':
      return checkEvaluationReport(record, recordIndex, printed);
  }
}
