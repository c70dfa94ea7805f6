/**
 * The pipeline, one file at a time: ingest → (layout) → segment → parse → check.
 * Every failure is caught at the file boundary and reported with the file's name, so one bad
 * input never costs the rest of a batch.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { FormRecord } from './schema/records.js';
import type { Finding } from './schema/findings.js';
import type { IngestedDocument } from './ingest/types.js';
import type { DocumentError, DocumentResult, FormMeta, PageFrame } from './schema/output.js';
import { IngestError, ingestText } from './ingest/text.js';
import { ingestPdf } from './ingest/pdf.js';
import { gridDocument } from './layout/grid.js';
import { documentOcr, shutdownOcr } from './ingest/ocr.js';
import { ingestPicture } from './ingest/picture.js';
import { repairFromDocument } from './ingest/ocr-document.js';
import { isTiff } from './ingest/tiff.js';
import { segmentForms } from './segment/forms.js';
// The LLM modules by file, not through parse/llm/index.ts: its wire schema loads zod and the openai
// SDK's helpers, which an offline run never needs.
import { parseFormWith, type Backend } from './parse/llm/hybrid.js';
import { emptyUsage, addUsage, type Usage } from './parse/llm/client.js';
import type { LlmBackend } from './parse/llm/extract.js';
import { checkRecord } from './check/index.js';
import { qualifyOcrFindings } from './check/ocr-doubt.js';
import { readByOcr } from './parse/rules/grid.js';
import { rereadWithDocumentFigures, withDocumentUnits } from './parse/document-figures.js';
import { withDocumentNames } from './parse/document-names.js';

/** How forms are read: see src/parse/llm/hybrid.ts. Without `llm` everything stays offline (rules). */
export interface PipelineOptions {
  backend?: Backend;
  llm?: LlmBackend | null;
  /** Where a PDF's or picture's reading (its text layer or OCR) is kept to be reused by a later run. */
  ingestCache?: IngestCache | null;
  /** The password that opens encrypted PDFs (their user password). */
  password?: string;
}

/**
 * A PDF's or picture's pages as read (text layer or OCR, before the document's repairs and the
 * layout), kept by the sha-256 of the file's bytes: parsing and checks rerun on them in seconds
 * where OCR took minutes (eval's --ocr-cache). Whoever keeps them says when a reading is stale.
 */
export interface IngestCache {
  get(key: string): Promise<IngestedDocument | null>;
  set(key: string, doc: IngestedDocument): Promise<void>;
}

export type { DocumentError, DocumentResult, FormMeta, PageFrame } from './schema/output.js';

type InputKind = 'text' | 'pdf' | 'image';

export function sniffKind(bytes: Uint8Array): InputKind {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  // The PDF header may stand anywhere in the first 1024 bytes (after a BOM or junk).
  if (Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) return 'pdf';
  if (head.startsWith('\x89PNG') || head.startsWith('\xff\xd8\xff') || isTiff(bytes)) return 'image';
  return 'text';
}

/** The document `read` reads, or the one `cache` kept for these bytes. */
async function cached(cache: IngestCache | null, file: string, bytes: Uint8Array, read: () => Promise<IngestedDocument>): Promise<IngestedDocument> {
  if (!cache) return read();
  // The key is taken before reading: the reader may read the bytes in place.
  const key = createHash('sha256').update(bytes).digest('hex');
  const kept = await cache.get(key);
  if (kept) return { ...kept, file };
  const doc = await read();
  await cache.set(key, doc);
  return doc;
}

async function ingest(file: string, bytes: Uint8Array, ownBytes: boolean, cache: IngestCache | null, password: string | undefined): Promise<IngestedDocument> {
  const kind = sniffKind(bytes);
  if (kind === 'pdf') {
    const doc = await cached(cache, file, bytes, () => ingestPdf(file, bytes, { ocr: documentOcr(), ownBytes, password }));
    return { ...doc, pages: gridDocument(repairFromDocument(doc.pages)) };
  }
  if (kind === 'image') {
    const doc = await cached(cache, file, bytes, () => ingestPicture(file, bytes, documentOcr()));
    return { ...doc, pages: gridDocument(repairFromDocument(doc.pages)) };
  }
  if (/\.pdf$/i.test(file)) throw new IngestError(file, 'not a PDF: the file is named .pdf but has no %PDF header');
  return ingestText(file, bytes);
}

/** Runs the pipeline on already-read bytes (they are left as they are). */
export function processBytes(file: string, bytes: Uint8Array, options: PipelineOptions = {}): Promise<DocumentResult> {
  return processDocument(file, bytes, options, false);
}

/** The pipeline on a file's bytes; `ownBytes`: they are the pipeline's own, and may be read in place. */
async function processDocument(file: string, bytes: Uint8Array, options: PipelineOptions, ownBytes: boolean): Promise<DocumentResult> {
  const result: DocumentResult = { file, records: [], findings: [], errors: [], forms: [] };
  const llm = options.llm ?? null;
  const backend: Backend = llm ? (options.backend ?? 'hybrid') : 'rules';
  let doc: IngestedDocument;
  try {
    doc = await ingest(file, bytes, ownBytes, options.ingestCache ?? null, options.password);
  } catch (e) {
    result.errors.push({ file, message: describe(file, e) });
    return result;
  }
  const frames: PageFrame[] = doc.pages.filter((p) => p.width !== undefined).map(({ number, width, height, scale, turned, skew }) => ({ number, width, height, scale: scale ?? 1, ...(turned ? { turned } : {}), ...(skew ? { skew } : {}) }));
  if (frames.length) result.pages = frames;
  const forms = segmentForms(doc);
  if (forms.length === 0) {
    result.errors.push({ file, message: `${file}: no form found (no 绩效自评表 / 绩效目标申报表 / 绩效评价报告 title in the text)` });
    return result;
  }
  let llmReady = llm !== null && backend !== 'rules';
  if (llm && llmReady) {
    result.llmUsage = emptyUsage();
    try {
      await llm.client.ready();
    } catch (e) {
      // One clear error for the file; its forms are still read by the deterministic parser.
      llmReady = false;
      result.errors.push({ file, stage: 'llm', message: `${file}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  const budget = llm && llmReady ? llm.newBudget() : null;
  // Forms are read concurrently (the LLM client limits requests in flight); results keep form order.
  const outcomes = await Promise.all(forms.map((form) => parseFormWith(form, llmReady ? backend : 'rules', llmReady ? llm : null, budget)));
  // How the document prints its figures and its money unit, and the bodies it names, from all its
  // forms, for a form whose own OCR'd reading cannot tell or misread them.
  const results = withDocumentNames(forms, withDocumentUnits(forms, rereadWithDocumentFigures(forms, outcomes.map((o) => o.result), outcomes.map((o) => o.by === 'rules'))));
  const llmErrors = new Set<string>();
  for (const [i, form] of forms.entries()) {
    const outcome = outcomes[i]!;
    if (result.llmUsage) addUsage(result.llmUsage, outcome.usage);
    if (outcome.llmError && !llmErrors.has(outcome.llmError.message)) {
      llmErrors.add(outcome.llmError.message);
      result.errors.push({ file, stage: 'llm', message: `${file}: ${outcome.llmError.message}` });
    }
    const meta: FormMeta = {
      index: form.index,
      docType: form.docType,
      title: form.title,
      firstPage: form.firstPage,
      lastPage: form.lastPage,
      status: 'unparsed',
    };
    result.forms.push(meta);
    const parsed = results[i]!;
    if (backend !== 'rules') meta.by = outcome.by;
    if (outcome.usage.requests > 0 || outcome.usage.cached > 0) meta.llmUsage = outcome.usage;
    if (parsed.status !== 'parsed') {
      meta.status = parsed.status;
      meta.reason = parsed.reason;
      result.errors.push({ file, form: form.index, message: `${file}: form ${form.index + 1} (${form.docType}) ${parsed.status === 'unsupported' ? 'not supported yet' : 'not parsed'}: ${parsed.reason}` });
      continue;
    }
    const recordIndex = result.records.length;
    result.records.push(parsed.record);
    Object.assign(meta, { status: 'parsed', record: recordIndex, confidence: parsed.confidence, qa: parsed.qa, provenance: parsed.provenance });
    const findings = checkRecord(parsed.record, recordIndex, parsed.printed);
    // Figures read by OCR may be misread: say so rather than assert an inconsistency outright.
    const ocr = readByOcr(form.lines);
    result.findings.push(...(ocr ? qualifyOcrFindings(parsed.record, findings, parsed.provenance, parsed.printed) : findings));
  }
  return result;
}

export async function processFile(file: string, options: PipelineOptions = {}): Promise<DocumentResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    return { file, records: [], findings: [], errors: [{ file, message: describe(file, e) }], forms: [] };
  }
  return processDocument(file, bytes, options, true);
}

/** Releases what the pipeline holds between files (OCR workers), so the process can exit. */
export async function closePipeline(): Promise<void> {
  await shutdownOcr();
}

/** A batch: files processed concurrently, results in input order, one file's failure isolated. */
export async function processFiles(files: string[], concurrency = 2, options: PipelineOptions = {}): Promise<DocumentResult[]> {
  const limit = pLimit(concurrency);
  return Promise.all(files.map((f) => limit(() => processFile(f, options))));
}

function describe(file: string, e: unknown): string {
  if (e instanceof IngestError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return `${file}: no such file`;
  if (err?.code === 'EISDIR') return `${file}: is a directory, not a document`;
  if (err?.code === 'EACCES') return `${file}: permission denied`;
  return `${file}: ${err instanceof Error ? err.message : String(e)}`;
}
