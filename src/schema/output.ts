/**
 * What `jixiao` writes about each file beside its records and findings: per-form status and QA,
 * the provenance of values, the frames of the pages their boxes lie on, LLM usage and errors.
 * The TypeScript types of the pipeline and the JSON Schema users get (`jixiao schema output`) are
 * both derived from these.
 */
import { z } from 'zod';
import { FormRecord } from './records.js';
import { Finding } from './findings.js';

/** Axis-aligned box in the page's own units (PDF points, or pixels for scans), origin top-left. */
export const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
export type Box = z.infer<typeof Box>;

/** Where a value came from, kept so the review page can show the evidence. */
export const SourceSpan = z.object({
  page: z.number().int().describe('1-based page number'),
  fromLine: z.number().int(),
  toLine: z.number().int(),
  box: Box.optional(),
  confidence: z.number().min(0).max(1).optional().describe('OCR confidence, scans only'),
});
export type SourceSpan = z.infer<typeof SourceSpan>;

/** An extraction-QA observation: a redundancy of the form that does or does not hold. */
export const QaNote = z.object({
  check: z.string().describe('e.g. qa.weights_sum, qa.scores_sum, qa.rate_from_amounts'),
  ok: z.boolean(),
  likelyCause: z.enum(['document', 'extraction', 'unknown']).optional().describe('when not ok: whether the document itself or our extraction is the likelier cause'),
  detail: z.string(),
});
export type QaNote = z.infer<typeof QaNote>;

/** Tokens an LLM backend spent. */
export const Usage = z.object({
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  requests: z.number().int(),
  cached: z.number().int().describe('answers served from the disk cache (no request made)'),
});
export type Usage = z.infer<typeof Usage>;

/** A page scanned on its side or upside down: the clockwise turn its image was given before it was read. */
export const PageTurn = z.union([z.literal(90), z.literal(180), z.literal(270)]);

/**
 * A page's frame, for the boxes of provenance: its size in page units (PDF points, or pixels of a
 * scan), its units per PDF point, and for a scan, the turn (clockwise, degrees) its image was given
 * before it was read if it was read turned, and the rotation that straightened it: its boxes lie on
 * the turned, straightened image.
 */
export const PageFrame = z.object({
  number: z.number().int(),
  width: z.number().optional(),
  height: z.number().optional(),
  scale: z.number().optional().describe('page units per PDF point: 1 for PDF text layers, dpi/72 for scans'),
  turned: PageTurn.optional(),
  skew: z.number().optional().describe('degrees, anticlockwise, applied after turned'),
});
export type PageFrame = z.infer<typeof PageFrame>;

export const FormMeta = z.object({
  index: z.number().int(),
  docType: z.string(),
  title: z.string(),
  firstPage: z.number().int(),
  lastPage: z.number().int(),
  status: z.enum(['parsed', 'unparsed', 'unsupported']),
  reason: z.string().optional(),
  record: z.number().int().optional().describe('index into records when parsed'),
  confidence: z.number().optional(),
  qa: z.array(QaNote).optional(),
  by: z.enum(['rules', 'llm']).optional().describe('which reader produced the record'),
  llmUsage: Usage.optional(),
  provenance: z.record(z.string(), SourceSpan).optional().describe('where the record’s values came from, by field path or part: indicators.3, indicators.3.score, funding, funding.total.executed, funding.annualTotal, total, projectName, plannedStart, goals.actual'),
});
export type FormMeta = z.infer<typeof FormMeta>;

export const DocumentError = z.object({
  file: z.string(),
  form: z.number().int().optional().describe('index of the form within the file, when the error concerns one form'),
  message: z.string(),
  stage: z.literal('llm').optional().describe('the configured LLM backend could not be used (endpoint down, budget …)'),
});
export type DocumentError = z.infer<typeof DocumentError>;

export const DocumentResult = z.object({
  file: z.string(),
  records: z.array(FormRecord),
  findings: z.array(Finding),
  errors: z.array(DocumentError),
  forms: z.array(FormMeta),
  llmUsage: Usage.optional(),
  pages: z.array(PageFrame).optional().describe('the frames of the pages boxes were found on (PDF and scanned inputs)'),
});
export type DocumentResult = z.infer<typeof DocumentResult>;

/** Machine output: `{"documents":[…]}`, one per input file. */
export const Output = z.object({ documents: z.array(DocumentResult) });
export type Output = z.infer<typeof Output>;
