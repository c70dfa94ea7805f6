/**
 * What a person reads in the terminal: per form, the project, totals and the findings with
 * their numbers; errors named with file and cause.
 */
import type { DocumentResult, FormMeta } from '../pipeline.js';
import type { FormRecord } from '../schema/records.js';
import type { Finding } from '../schema/findings.js';

const MARK: Record<Finding['severity'], string> = { error: '✗', warning: '!', info: '·' };

function totalsOf(r: FormRecord): string {
  switch (r.docType) {
    case 'self_evaluation': {
      const t = r.funding.total;
      return [
        `${r.indicators.length} indicators`,
        `budget ${t.annualBudget ?? '–'} / executed ${t.executed ?? '–'} ${r.moneyUnit ?? ''} (${t.executionRate ?? '–'}%)`,
        `总分 ${r.totalScore ?? '–'}/${r.totalWeight ?? '–'}${r.grade ? ` ${r.grade}` : ''}`,
      ].join(' · ');
    }
    case 'target_declaration':
      return `${r.indicators.length} indicators · 年度资金 ${r.funding.annualTotal ?? '–'} ${r.moneyUnit ?? ''} · ${r.plannedStart ?? '?'} → ${r.plannedEnd ?? '?'}`;
    case 'evaluation_report':
      return `${r.indicators.length} indicators · 总分 ${r.totalScore ?? '–'}/${r.totalWeight ?? '–'}${r.grade ? ` ${r.grade}` : ''}`;
  }
}

function formLine(meta: FormMeta, record: FormRecord | undefined): string {
  const head = `  [${meta.index + 1}] ${meta.docType}${record?.year ? ` ${record.year}` : ''}`;
  if (!record) return `${head} — ${meta.status}: ${meta.reason ?? ''}`;
  const conf = meta.confidence !== undefined ? ` · confidence ${meta.confidence.toFixed(2)}` : '';
  return `${head} ${record.projectName}\n      ${totalsOf(record)}${conf}`;
}

function findingLine(f: Finding): string {
  return `      ${MARK[f.severity]} ${f.severity} ${f.rule} @ ${f.where}: ${f.detail}`;
}

export interface SummaryOptions {
  /** Show records in more detail (extract) or findings first (check). */
  mode: 'extract' | 'check';
}

function indicatorTable(r: FormRecord): string[] {
  if (r.docType === 'evaluation_report') return [];
  return r.indicators.map((i) => {
    const scored = 'score' in i ? ` | ${i.actual ?? '–'} | ${i.weight ?? '–'} → ${i.score ?? '–'}${i.deviationReason ? ` | ${i.deviationReason}` : ''}` : '';
    return `      ${i.level1 ?? '?'} / ${i.level2 ?? '?'} / ${i.name} | ${i.target ?? '–'}${scored}`;
  });
}

export function summarize(docs: DocumentResult[], opts: SummaryOptions): string {
  const out: string[] = [];
  for (const doc of docs) {
    out.push(`${doc.file}`);
    for (const meta of doc.forms) {
      const record = meta.record !== undefined ? doc.records[meta.record] : undefined;
      out.push(formLine(meta, record));
      if (!record) continue;
      if (opts.mode === 'extract') out.push(...indicatorTable(record));
      const findings = doc.findings.filter((f) => f.record === meta.record);
      const serious = findings.filter((f) => f.severity !== 'info');
      const info = findings.filter((f) => f.severity === 'info');
      if (serious.length === 0) out.push('      ✓ no inconsistencies found');
      out.push(...serious.map(findingLine));
      if (info.length) out.push(`      notes (heuristics, ${info.length}):`, ...info.map(findingLine));
      for (const q of meta.qa?.filter((n) => !n.ok) ?? []) {
        out.push(`      ? extraction QA ${q.check} (likely ${q.likelyCause ?? 'unknown'}): ${q.detail}`);
      }
    }
    for (const e of doc.errors.filter((e) => e.form === undefined)) out.push(`  error: ${e.message}`);
    out.push('');
  }
  const findings = docs.flatMap((d) => d.findings);
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const failed = docs.filter((d) => d.records.length === 0 && d.errors.length > 0).length;
  out.push(
    `${docs.length} file(s), ${docs.reduce((n, d) => n + d.records.length, 0)} record(s); ` +
      `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)` +
      (failed ? `; ${failed} file(s) could not be processed` : ''),
  );
  return out.join('\n') + '\n';
}
