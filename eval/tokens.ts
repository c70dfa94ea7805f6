/**
 * `npm run eval -- --tokens [--file NAME]`: the input tokens of every LLM request the backend would send
 * for each sample form, against the per-request limit (JIXIAO_LLM_MAX_REQUEST_TOKENS, default 2,500).
 *
 * No endpoint, no network, no gold: samples/*.txt and *.md (and samples/pdf/*.pdf, text layer only) are
 * ingested and segmented, each form serialised and split exactly as the backend splits it
 * (src/parse/llm/split.ts planParts), and every request measured as system prompt + user message by
 * `estimateTokens` (CJK characters 1 token each, any other character ¼). The system prompt is measured in
 * both sizes a profile may send: `json_schema` (the schema travels as response_format only) and
 * `in-prompt` (json_object / local / generic profiles, or a fallback: the schema sketch is in the prompt);
 * a form is `ok` when its largest request in the worse of the two fits the limit.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestedDocument } from '../src/ingest/types.js';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms, type Form } from '../src/segment/forms.js';
import { PROFILES, planParts, requestTokens, serialiseForm, splitSettings, estimateTokens, wireSchema, type ResponseMode } from '../src/parse/llm/index.js';
import { systemPrompt } from '../src/parse/llm/prompts.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = join(ROOT, 'samples');

/** The two system prompt sizes: schema as response_format only, or sketched into the prompt. */
const MODES: { label: string; mode: ResponseMode }[] = [
  { label: 'json_schema', mode: 'json_schema' },
  { label: 'in-prompt', mode: 'json_object' },
];

export interface FormTokens {
  file: string;
  form: number;
  docType: string;
  title: string;
  formTokens: number;
  /** Per mode: system prompt tokens, parts, largest request. */
  modes: { label: string; system: number; parts: number; maxRequest: number }[];
  worst: number;
  ok: boolean;
}

async function sampleFiles(filter: string | null): Promise<string[]> {
  const top = (await readdir(SAMPLES)).filter((n) => /\.(txt|md)$/i.test(n) && n !== 'SCHEMA.md' && !n.endsWith('.gold.json')).sort();
  const pdf = (await readdir(join(SAMPLES, 'pdf')).catch(() => [] as string[])).filter((n) => extname(n).toLowerCase() === '.pdf').sort().map((n) => `pdf/${n}`);
  return [...top, ...pdf].filter((n) => filter === null || n.includes(filter));
}

async function ingest(name: string): Promise<IngestedDocument> {
  const bytes = await readFile(join(SAMPLES, name));
  if (!name.toLowerCase().endsWith('.pdf')) return ingestText(name, bytes);
  // Text layer only (the samples' PDFs have one); no OCR.
  const { ingestPdf } = await import('../src/ingest/pdf.js');
  const { gridDocument } = await import('../src/layout/grid.js');
  const doc = await ingestPdf(name, bytes, {});
  return { ...doc, pages: gridDocument(doc.pages) };
}

function shortTitle(form: Form, text: string): string {
  const m = /项目名称\s*[|:：]?\s*([^|\n]+)/.exec(text);
  const t = (m?.[1] ?? form.title).replace(/\s+/g, '');
  return Array.from(t).slice(0, 12).join('');
}

export function measureForm(file: string, form: Form, limit = splitSettings().maxRequestTokens): FormTokens {
  const settings = { ...splitSettings(), maxRequestTokens: limit };
  const { text } = serialiseForm(form);
  const wire = wireSchema(form.docType);
  const modes = MODES.map(({ label, mode }) => {
    const system = estimateTokens(systemPrompt(form.docType, PROFILES['openai']!, wire.jsonSchema, mode));
    const parts = planParts(form.docType, text, system, settings);
    return { label, system, parts: parts.length, maxRequest: Math.max(...parts.map((p) => requestTokens(p, system))) };
  });
  const worst = Math.max(...modes.map((m) => m.maxRequest));
  return { file, form: form.index, docType: form.docType, title: shortTitle(form, text), formTokens: estimateTokens(text), modes, worst, ok: worst <= limit };
}

/** Display width (CJK 2 columns) for aligned columns. */
function pad(s: string, width: number, right = false): string {
  const w = Array.from(s).reduce((n, ch) => n + (/[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/u.test(ch) ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, width - w));
  return right ? fill + s : s + fill;
}

export async function tokenReport(filter: string | null = null): Promise<FormTokens[]> {
  const { maxRequestTokens: limit } = splitSettings();
  const rows: FormTokens[] = [];
  const skipped: string[] = [];
  for (const name of await sampleFiles(filter)) {
    let doc: IngestedDocument;
    try {
      doc = await ingest(name);
    } catch (e) {
      skipped.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const form of segmentForms(doc)) rows.push(measureForm(name, form, limit));
  }
  console.log(`LLM input tokens per request (system prompt + user message; estimateTokens: CJK 1, other ¼), limit ${limit} (JIXIAO_LLM_MAX_REQUEST_TOKENS)\n`);
  const head = [
    pad('file', 42), pad('form', 4, true), ' ', pad('docType', 20), pad('title', 25), pad('form tok', 8, true),
    ...MODES.flatMap((m) => [pad(`${m.label}: sys`, 18, true), pad('parts', 6, true), pad('max req', 8, true)]),
    pad('worst', 7, true), '  status',
  ].join('');
  console.log(head);
  for (const r of rows) {
    console.log(
      [
        pad(r.file, 42), pad(String(r.form), 4, true), ' ', pad(r.docType, 20), pad(r.title, 25), pad(String(r.formTokens), 8, true),
        ...r.modes.flatMap((m) => [pad(String(m.system), 18, true), pad(String(m.parts), 6, true), pad(String(m.maxRequest), 8, true)]),
        pad(String(r.worst), 7, true), `  ${r.ok ? 'ok' : 'over'}`,
      ].join(''),
    );
  }
  const over = rows.filter((r) => !r.ok);
  console.log(`\n${rows.length} form(s); ${over.length === 0 ? `every request ≤ ${limit} tokens` : `${over.length} over ${limit}: ${over.map((r) => `${r.file}#${r.form}`).join(', ')}`}` + ' (form: 0-based index in its file; parts: requests the form is read in)');
  for (const s of skipped) console.log(`skipped ${s}`);
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--file');
  await tokenReport(i >= 0 ? (process.argv[i + 1] ?? null) : null);
}
