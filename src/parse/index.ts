/**
 * Form → record: picks the deterministic reader for the form's docType and layout.
 */
import type { Form } from '../segment/forms.js';
import type { FormResult } from './types.js';
import { isGridded } from './rules/grid.js';
import { parseGridSelfEvaluation } from './rules/self-eval-grid.js';
import { parseFlowSelfEvaluation } from './rules/self-eval-flow.js';
import { parseTargetDeclaration } from './rules/target-declaration.js';
import { parseEvaluationReport } from './rules/evaluation-report.js';
import { readByOcr } from './rules/grid.js';
import { trimNameSpecks } from './ocr-specks.js';

export function parseForm(form: Form): FormResult {
  const result = parseByType(form);
  return result.status === 'parsed' && readByOcr(form.lines) ? { ...result, record: trimNameSpecks(result.record) } : result;
}

function parseByType(form: Form): FormResult {
  switch (form.docType) {
    case 'self_evaluation':
      return isGridded(form.lines) ? parseGridSelfEvaluation(form) : parseFlowSelfEvaluation(form);
    case 'target_declaration':
      return parseTargetDeclaration(form);
    case 'evaluation_report':
      return parseEvaluationReport(form);
  }
}

export type { FormResult, ParsedForm, RefusedForm, QaNote } from './types.js';
