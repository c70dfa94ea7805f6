/**
 * Findings on figures read by OCR: a misread digit must not become an asserted inconsistency.
 * A finding whose row was read with low confidence is lowered to `info` and says "verify by eye";
 * every other finding on an OCR-read form says the figures came from OCR.
 */
import type { Finding } from '../schema/findings.js';
import type { FormRecord } from '../schema/records.js';
import type { SourceSpan } from '../ingest/types.js';

/** Below this OCR confidence a figure is not trusted enough to assert an inconsistency. */
export const LOW_CONFIDENCE = 0.6;

/** The indicator index a finding's `where` names (`name` or `name#2`), if any. */
function indicatorIndex(record: FormRecord, where: string): number | null {
  if (record.docType === 'evaluation_report') return null;
  const m = /^(.*?)(?:#(\d+))?$/.exec(where);
  const [name, nth] = [m?.[1] ?? where, Number(m?.[2] ?? 1)];
  let seen = 0;
  for (let i = 0; i < record.indicators.length; i++) {
    if (record.indicators[i]!.name === name && ++seen === nth) return i;
  }
  return null;
}

/**
 * The lowest OCR confidence among the spans a finding rests on: its indicator row; the funding
 * rows for a funding finding; otherwise (a total, Σ over the rows) every span of the form.
 */
function confidenceOf(record: FormRecord, f: Finding, provenance: Record<string, SourceSpan>): number | null {
  const i = indicatorIndex(record, f.where);
  const spans =
    i !== null
      ? [provenance[`indicators.${i}`]]
      : f.where.startsWith('funding') && provenance.funding
        ? [provenance.funding]
        : Object.values(provenance);
  const cs = spans.map((s) => s?.confidence).filter((c): c is number => c !== undefined);
  return cs.length ? Math.min(...cs) : null;
}

export function qualifyOcrFindings(record: FormRecord, findings: Finding[], provenance: Record<string, SourceSpan>): Finding[] {
  return findings.map((f) => {
    const c = confidenceOf(record, f, provenance);
    if (c !== null && c < LOW_CONFIDENCE && f.severity !== 'info') {
      return { ...f, severity: 'info', detail: `verify by eye (OCR confidence ${c.toFixed(2)} on the figures involved): ${f.detail}` };
    }
    return { ...f, detail: `${f.detail} [read by OCR: verify the figures by eye]` };
  });
}
