/**
 * `npm run eval [-- --file NAME] [--verbose] [--backend rules|llm|hybrid]`
 * `npm run eval -- --tokens [--file NAME]`: LLM request sizes per sample form (eval/tokens.ts; no endpoint, no gold)
 *
 * Runs the pipeline (src/pipeline.ts processFile) on every sample in samples/ that has a sibling
 * `<name>.gold.json`, then — only after all extraction is done — reads the gold files and measures:
 * records found, field P/R/F1, indicator-row accuracy, goal-text similarity, findings P/R
 * (error+warning; info apart). Prints a table and the misses, writes eval/results.json.
 * A measurement, not a test: exits 0 whatever the scores; non-zero only when the harness cannot run.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentResult } from '../src/pipeline.js';
import { RECORD_SCHEMAS } from '../src/schema/records.js';
import { BACKENDS, LlmBackend, describeConfig, llmConfig, type Backend } from '../src/parse/llm/index.js';
import { crossCheckRecord, isDocType, type Scalar } from './fields.js';
import {
  evaluateDocument,
  totalOf,
  type FieldDiff,
  type FileEval,
  type FindingLike,
  type GoldDocument,
  type PredictedDocument,
  type TotalEval,
} from './metrics.js';
import { scanCer, type CerResult } from './cer.js';
import { diskIngestCache } from './ocr-cache.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = join(ROOT, 'samples');
const RESULTS = join(ROOT, 'eval', 'results.json');
const LIST_CAP = 40;

// ── CLI ───────────────────────────────────────────────────────────────────────────────────────
interface Options {
  /** Samples to evaluate (each a name, a unique part of one, or a route's folder); empty: all. */
  file: string[];
  verbose: boolean;
  /** Module exporting processFile, instead of src/pipeline.ts (for testing the harness itself). */
  pipeline: string | null;
  /** rules (default, offline) | llm | hybrid: the latter two need JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL. */
  backend: Backend;
  /** Print the LLM request tokens per sample form instead (eval/tokens.ts). */
  tokens: boolean;
  /** Reuse the readings (OCR) of an earlier --ocr-cache run where nothing they depend on changed (eval/ocr-cache.ts). */
  ocrCache: boolean;
}

const USAGE = `usage: npm run eval [-- --file NAME] [--verbose]
  --file NAME   evaluate one sample (file name, with or without extension, or a unique part of it),
                or one route's samples (its folder and a slash: scan/, holdout/, photocopy/, flowscan/, officescan/, officeflow/);
                repeat it for several. A run of chosen samples writes eval/out/results-partial.json,
                leaving eval/results.json (the full run's) as it is
  --verbose     list every miss (default: at most ${LIST_CAP} lines per list and file)
  --pipeline M  load processFile from module M instead of src/pipeline.ts (to test the harness)
  --backend B   rules (default) | llm | hybrid; llm and hybrid use the endpoint of JIXIAO_LLM_BASE_URL /
                JIXIAO_LLM_MODEL (key: JIXIAO_LLM_API_KEY) and write eval/results-B.json; without one they are "not run"
  --tokens      print the input tokens of each LLM request per sample form against JIXIAO_LLM_MAX_REQUEST_TOKENS
                (default 2500); no endpoint, no network, no gold
  --ocr-cache   keep each PDF's and scan's reading under eval/out/ocr-cache/ and reuse it while src/ingest, the
                sources it imports, the PDF and OCR packages and JIXIAO_OCR_DPI are unchanged (eval/ocr-cache.ts):
                a change to parsing or checks measured in seconds. Its timings are not the pipeline's: it writes
                eval/out/results-partial.json`;

function parseArgs(argv: string[]): Options {
  const opts: Options = { file: [], verbose: false, pipeline: null, backend: 'rules', tokens: false, ocrCache: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--tokens') opts.tokens = true;
    else if (a === '--ocr-cache') opts.ocrCache = true;
    else if (a === '--file' || a === '-f') {
      const v = argv[++i];
      if (v === undefined) usageError('--file needs a value');
      opts.file.push(v);
    } else if (a.startsWith('--file=')) opts.file.push(a.slice('--file='.length));
    else if (a === '--pipeline') {
      const v = argv[++i];
      if (v === undefined) usageError('--pipeline needs a value');
      opts.pipeline = v;
    }
    else if (a === '--backend' || a.startsWith('--backend=')) {
      const v = a.startsWith('--backend=') ? a.slice('--backend='.length) : argv[++i];
      if (v === undefined || !BACKENDS.includes(v as Backend)) usageError(`--backend needs one of ${BACKENDS.join(', ')}`);
      opts.backend = v as Backend;
    }
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usageError(`unknown argument ${a}`);
  }
  return opts;
}

function usageError(msg: string): never {
  console.error(`eval: ${msg}\n${USAGE}`);
  process.exit(2);
}

// ── Samples ───────────────────────────────────────────────────────────────────────────────────
/**
 * How the document reaches the parser: extracted text, a text-layer PDF, a scan (OCR), or a
 * held-out rendering (other renderers, fonts, page shapes, table styles and scan qualities than
 * the pdf/scan samples the parsers were developed on). A file's gold is the sample named by the
 * part of its file name before the first dot (`holdout/x.landscape.pdf` → `x.gold.json`).
 * `photocopy` is a development set, not committed: the pdf samples through the holdout's photocopy
 * recipe (eval/make-photocopy-samples.py), scored when its files are there. So is `flowscan`: the
 * holdout's rule-less PDFs as clean 200-dpi scans (eval/make-flowscan-samples.sh). So is
 * `officescan`: the holdout's LibreOffice ruled prints through the photocopy recipe
 * (eval/make-photocopy-samples.py --office), a layout the scan route was not developed on. So is
 * `officeflow`, committed: LibreOffice's rule-less prints (the holdout's lo-html layout) with a
 * preface that moves every page break (eval/make-pdf-samples.ts --office-flow), for developing the
 * reading of rule-less tables cut by page breaks without tuning on the holdout's own breaks.
 */
type Route = 'text' | 'pdf' | 'scan' | 'holdout' | 'photocopy' | 'flowscan' | 'officescan' | 'officeflow';
const ROUTES: { route: Route; dir: string }[] = [
  { route: 'text', dir: '' },
  { route: 'pdf', dir: 'pdf' },
  { route: 'scan', dir: 'scan' },
  { route: 'holdout', dir: 'holdout' },
  { route: 'photocopy', dir: 'photocopy' },
  { route: 'flowscan', dir: 'flowscan' },
  { route: 'officescan', dir: 'officescan' },
  { route: 'officeflow', dir: 'officeflow' },
];
/** The development sets: scored apart, left out of the total. */
const DEVELOPMENT: ReadonlySet<Route> = new Set(['photocopy', 'flowscan', 'officescan', 'officeflow']);

interface Sample {
  name: string;
  path: string;
  goldPath: string;
  route: Route;
}

async function findSamples(): Promise<Sample[]> {
  const present = new Set(await readdir(SAMPLES));
  const out: Sample[] = [];
  for (const { route, dir } of ROUTES) {
    const names = await readdir(join(SAMPLES, dir)).catch(() => [] as string[]);
    out.push(
      ...names
        .filter((n) => !n.endsWith('.gold.json') && !n.endsWith('.md5') && extname(n) !== '' && n !== 'SCHEMA.md')
        .map((n) => ({
          name: dir ? `${dir}/${n}` : n,
          path: join(SAMPLES, dir, n),
          goldPath: join(SAMPLES, `${n.split('.')[0]}.gold.json`),
          route,
        }))
        .filter((s) => present.has(basename(s.goldPath)))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  return out;
}

function selectSamples(all: Sample[], wanted: string[]): Sample[] {
  if (wanted.length === 0) return all;
  const chosen = new Set(wanted.flatMap((w) => selectSample(all, w)));
  return all.filter((s) => chosen.has(s));
}

function selectSample(all: Sample[], wanted: string): Sample[] {
  const w = wanted.replace(/^samples\//, '');
  if (w.endsWith('/')) {
    const route = all.filter((s) => s.name.startsWith(w));
    return route.length > 0 ? route : usageError(`no samples in samples/${w}`);
  }
  const exact = all.filter((s) => s.name === w || s.name.replace(/\.[^.]+$/, '') === w);
  if (exact.length > 0) return exact;
  const partial = all.filter((s) => s.name.includes(w));
  if (partial.length === 1) return partial;
  usageError(
    `${partial.length === 0 ? 'no sample matches' : 'several samples match'} "${wanted}"; samples: ${all.map((s) => s.name).join(', ')}`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readGold(s: Sample): Promise<GoldDocument> {
  const raw: unknown = JSON.parse(await readFile(s.goldPath, 'utf8'));
  if (!isRecord(raw) || !Array.isArray(raw['records']) || !Array.isArray(raw['findings'])) {
    throw new Error(`${relative(ROOT, s.goldPath)}: expected { file, records: [], findings: [] }`);
  }
  const findings: FindingLike[] = raw['findings'].map((f: unknown, i: number) => {
    if (!isRecord(f) || typeof f['record'] !== 'number' || typeof f['rule'] !== 'string' || typeof f['where'] !== 'string' || typeof f['severity'] !== 'string') {
      throw new Error(`${relative(ROOT, s.goldPath)}: finding ${i} lacks record/rule/where/severity`);
    }
    return {
      record: f['record'],
      rule: f['rule'],
      where: f['where'],
      severity: f['severity'],
      ...(typeof f['detail'] === 'string' ? { detail: f['detail'] } : {}),
    };
  });
  return { file: s.name, records: raw['records'] as unknown[], findings };
}

/** Gold vs schema: the leaf-path cross-check plus zod's own validation (e.g. integer years). */
function goldIssues(record: unknown): string[] {
  const issues = crossCheckRecord(record);
  const docType = isRecord(record) ? record['docType'] : undefined;
  if (isDocType(docType)) {
    const parsed = RECORD_SCHEMAS[docType].safeParse(record);
    if (!parsed.success) {
      for (const iss of parsed.error.issues) {
        const path = iss.path.map(String).join('.');
        if (!issues.some((s) => s.startsWith(`${path}:`))) issues.push(`${path}: ${iss.message}`);
      }
    }
  }
  return issues;
}

// ── Formatting ────────────────────────────────────────────────────────────────────────────────
const f3 = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

function show(v: Scalar | undefined, verbose: boolean): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  const chars = Array.from(s);
  return verbose || chars.length <= 60 ? s : `${chars.slice(0, 57).join('')}…"`;
}

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths: number[] = [];
  const n = Math.max(...rows.map((r) => r.length));
  // The last cell of a short row spans the remaining columns and does not widen them.
  for (const r of rows) r.forEach((c, i) => (r.length < n && i === r.length - 1 ? 0 : (widths[i] = Math.max(widths[i] ?? 0, c.length))));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 && !rightAligned.has(i) ? c : rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const HEADER = ['file', 'records', 'field P', 'R', 'F1', 'tp/fp/fn', 'ind.rows', 'goals', 'find P', 'R', 'tp/fp/fn', 'info P', 'R', 'ms'];
const RIGHT = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);

function metricCells(
  x: Pick<FileEval, 'records' | 'fields' | 'indicatorRows' | 'goals' | 'findings' | 'infoFindings'> | TotalEval,
): string[] {
  const c = (k: { tp: number; fp: number; fn: number }): string => `${k.tp}/${k.fp}/${k.fn}`;
  return [
    `${x.records.found}/${x.records.expected}${x.records.extra > 0 ? `+${x.records.extra}` : ''}`,
    f3(x.fields.precision),
    f3(x.fields.recall),
    f3(x.fields.f1),
    c(x.fields),
    x.indicatorRows.total === 0 ? '-' : `${x.indicatorRows.correct}/${x.indicatorRows.total} ${f3(x.indicatorRows.accuracy)}`,
    f3(x.goals.mean),
    f3(x.findings.precision),
    f3(x.findings.recall),
    c(x.findings),
    f3(x.infoFindings.precision),
    f3(x.infoFindings.recall),
  ];
}

function summaryTable(files: FileEval[], total: TotalEval): string {
  const rows: string[][] = [HEADER];
  for (const f of files) {
    if (f.status === 'not-yet-supported') {
      rows.push([f.file, `-/${f.records.expected}`, 'not yet supported — excluded from total']);
    } else {
      rows.push([f.file, ...metricCells(f), f.ms === undefined ? '' : String(Math.round(f.ms))]);
    }
  }
  const ms = files.reduce((s, f) => s + (f.ms ?? 0), 0);
  rows.push([`TOTAL (${total.files} file${total.files === 1 ? '' : 's'}, micro)`, ...metricCells(total), String(Math.round(ms))]);
  return table(rows, RIGHT);
}

function capped(lines: string[], verbose: boolean, indent: string): string[] {
  if (verbose || lines.length <= LIST_CAP) return lines.map((l) => indent + l);
  return [...lines.slice(0, LIST_CAP).map((l) => indent + l), `${indent}… and ${lines.length - LIST_CAP} more (--verbose lists all)`];
}

function diffLine(d: FieldDiff, verbose: boolean, pathWidth: number): string {
  const where = `[${d.record ?? `p${d.predRecord}`}] ${d.path}`;
  return `${where.padEnd(pathWidth)}  ${d.kind.padEnd(6)}  gold ${show(d.gold, verbose)}  predicted ${show(d.predicted, verbose)}`;
}

function findingLine(f: FindingLike, verbose: boolean): string {
  const detail = f.detail === undefined ? '' : `  — ${verbose ? f.detail : Array.from(f.detail).slice(0, 70).join('') + (Array.from(f.detail).length > 70 ? '…' : '')}`;
  return `[${f.record}] ${f.rule} @ ${f.where} (${f.severity})${detail}`;
}

function details(f: FileEval, verbose: boolean): string {
  const out: string[] = [];
  const wrong = f.diffs.filter((d) => d.kind === 'wrong').length;
  const missed = f.diffs.filter((d) => d.kind === 'missed').length;
  const extra = f.diffs.filter((d) => d.kind === 'extra').length;
  out.push(`── ${f.file}${f.status === 'not-yet-supported' ? '  [not yet supported — excluded from total]' : ''}`);
  if (f.statusNote && f.forms.refused.length === 0) out.push(`  ${f.statusNote}`);
  out.push(
    `  records ${f.records.found}/${f.records.expected} found, ${f.records.predicted} predicted; ` +
      `forms ${f.forms.parsed}/${f.forms.total} parsed`,
  );
  for (const r of f.forms.refused) out.push(`  form #${r.index} ${r.status} (${r.docType} ${r.title}): ${r.reason ?? '(no reason)'}`);
  const refused = new Set(f.forms.refused.map((r) => r.index));
  for (const e of f.pipelineErrors.filter((x) => x.form === undefined || !refused.has(x.form))) out.push(`  pipeline error${e.form === undefined ? '' : ` (form #${e.form})`}: ${e.message}`);
  for (const s of f.goldSchemaIssues) out.push(`  GOLD/SCHEMA: ${s}`);
  if (f.ignoredPredictedLeaves > 0) out.push(`  (${f.ignoredPredictedLeaves} predicted leaves outside the schema ignored)`);
  if (f.status === 'not-yet-supported') return out.join('\n');

  for (const n of f.notFound) {
    out.push(`  record [${n.record}] ${n.docType} 「${n.projectName}」 NOT FOUND — ${n.fields} fields missed (${n.reason})`);
  }
  for (const x of f.extraRecords) {
    out.push(`  extra predicted record [p${x.predRecord}] ${x.docType} 「${x.projectName}」 — ${x.fields} fields counted extra`);
  }
  const names = f.pairs.filter((p) => p.by !== 'name');
  for (const p of names) out.push(`  record [${p.gold}] aligned to predicted [p${p.pred}] by ${p.by} (project names differ)`);

  if (f.diffs.length > 0) {
    out.push(`  fields of found records: ${wrong} wrong, ${missed} missed, ${extra} extra`);
    const width = Math.min(48, Math.max(...f.diffs.map((d) => `[${d.record ?? `p${d.predRecord}`}] ${d.path}`.length)));
    out.push(...capped(f.diffs.map((d) => diffLine(d, verbose, width)), verbose, '    '));
  } else if (f.notFound.length === 0) {
    out.push('  all fields right');
  }
  const lists: [string, FindingLike[]][] = [
    ['findings missed', f.findings.missed],
    ['findings extra', f.findings.extra],
    ['info findings missed', f.infoFindings.missed],
    ['info findings extra', f.infoFindings.extra],
  ];
  for (const [title, list] of lists) {
    if (list.length === 0) continue;
    out.push(`  ${title} (${list.length}):`);
    out.push(...capped(list.map((x) => findingLine(x, verbose)), verbose, '    '));
  }
  return out.join('\n');
}

// ── Main ──────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.tokens) {
    await (await import('./tokens.js')).tokenReport(opts.file[0] ?? null);
    return;
  }
  const samples = selectSamples(await findSamples(), opts.file);
  if (samples.length === 0) {
    console.log('eval: no samples with a sibling .gold.json in samples/');
    return;
  }

  // LLM rows are measured only against a real endpoint; otherwise they say "not run", never a number.
  let llm: LlmBackend | null = null;
  if (opts.backend !== 'rules') {
    let why: string | null = null;
    try {
      const config = llmConfig({}, process.env);
      if (config === null) why = 'no LLM endpoint configured (set JIXIAO_LLM_BASE_URL and JIXIAO_LLM_MODEL)';
      else {
        llm = new LlmBackend(config);
        await llm.client.ready();
      }
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
    }
    if (why !== null) {
      console.log(`jixiao eval — backend ${opts.backend}: not run — ${why}\n`);
      for (const s of samples) console.log(`${s.name}  ${opts.backend}: not run`);
      return;
    }
    console.log(`backend ${opts.backend}: ${describeConfig(llm!.config)}`);
  }
  const ingestCache = opts.ocrCache ? await diskIngestCache() : null;
  const pipelineOptions = { backend: opts.backend, llm, ingestCache };
  const llmFailed = new Map<string, string>();

  let processFile: (path: string, options?: typeof pipelineOptions) => Promise<DocumentResult>;
  try {
    if (opts.pipeline === null) ({ processFile } = await import('../src/pipeline.js'));
    else ({ processFile } = (await import(pathToFileURL(resolve(opts.pipeline)).href)) as typeof import('../src/pipeline.js'));
  } catch (e) {
    console.error(`eval: cannot load ${opts.pipeline ?? 'src/pipeline.ts'}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
    return;
  }

  // Phase 1: extraction. Gold is not read until every sample has been processed.
  const predicted: { sample: Sample; result: PredictedDocument; ms: number }[] = [];
  for (const sample of samples) {
    const t0 = performance.now();
    let result: PredictedDocument;
    try {
      const r = await processFile(sample.path, pipelineOptions);
      const failed = r.errors.find((e) => e.stage === 'llm');
      if (failed) llmFailed.set(sample.name, failed.message);
      result = r;
    } catch (e) {
      const message = `pipeline threw: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join('\n') : String(e)}`;
      result = { file: sample.name, records: [], findings: [], errors: [{ file: sample.name, message }], forms: [] };
    }
    predicted.push({ sample, result, ms: performance.now() - t0 });
  }

  // OCR character error rate on the scans, against the text-layer PDF each scan was made from.
  const cers: CerResult[] = [];
  for (const { sample } of predicted.filter((p) => p.sample.route === 'scan')) {
    const truth = join(SAMPLES, 'pdf', basename(sample.path));
    try {
      cers.push(await scanCer(sample.path, truth));
    } catch (e) {
      console.error(`eval: CER of ${sample.name} not measured: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  await (await import('../src/pipeline.js')).closePipeline();
  if (ingestCache) console.log(`readings from ${relative(ROOT, ingestCache.dir)}: ${ingestCache.hits} kept, ${ingestCache.misses} read now\n`);

  // Phase 2: measurement. A file whose LLM calls failed is not measured as an LLM result.
  const files: (FileEval & { route: Route })[] = [];
  for (const [name, message] of llmFailed) console.log(`${name}  ${opts.backend}: not run — ${message}`);
  if (llm) {
    const u = llm.usage;
    console.log(`LLM usage: ${u.requests} request(s), ${u.promptTokens} prompt + ${u.completionTokens} completion tokens, ${u.cached} cached\n`);
  }
  for (const { sample, result, ms } of predicted.filter((p) => !llmFailed.has(p.sample.name))) {
    const gold = await readGold(sample);
    files.push({ ...evaluateDocument(gold, { ...result, file: sample.name }, { crossCheck: goldIssues }), ms, route: sample.route });
  }
  // The total leaves the development sets out: most are not committed, so it is the same on every clone.
  const total = totalOf(files.filter((f) => !DEVELOPMENT.has(f.route)));
  const routes = ROUTES.map(({ route }) => {
    const rf = files.filter((f) => f.route === route);
    return { route, files: rf, total: totalOf(rf) };
  }).filter((r) => r.files.length > 0);

  console.log(`jixiao eval — ${files.length} sample${files.length === 1 ? '' : 's'} (${new Date().toISOString()})\n`);
  for (const f of files) console.log(details(f, opts.verbose) + '\n');
  for (const r of routes) {
    console.log(`route: ${r.route}`);
    console.log(summaryTable(r.files, r.total) + '\n');
  }
  if (cers.length) {
    const chars = cers.reduce((n, c) => n + c.chars, 0);
    const errors = cers.reduce((n, c) => n + c.errors, 0);
    console.log('OCR character error rate (first pages of each scan vs its text-layer PDF, whitespace removed):');
    for (const c of cers) console.log(`  ${relative(SAMPLES, c.file)}  pages ${c.pages}  chars ${c.chars}  CER ${c.cer.toFixed(3)}`);
    console.log(`  TOTAL  CER ${(chars ? errors / chars : 0).toFixed(3)}\n`);
  }
  console.log(
    '\nrecords found/expected(+extra predicted) · fields: every scalar leaf; a wrong value counts fp+fn · ' +
      'ind.rows: gold indicator rows with all fields right · goals: mean 1−Levenshtein/maxlen of goals.* · ' +
      'find: error+warning findings (record, rule, where); info findings apart',
  );
  if (total.excluded.length > 0) {
    console.log(`TOTAL excludes ${total.excluded.join(', ')} (not yet supported by the pipeline).`);
  }

  const full = opts.backend === 'rules' ? RESULTS : join(ROOT, 'eval', `results-${opts.backend}.json`);
  // A run of chosen samples does not overwrite the full run's results.
  const out = opts.file.length === 0 && !opts.ocrCache ? full : join(ROOT, 'eval', 'out', basename(full).replace(/\.json$/, '-partial.json'));
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify({ generatedAt: new Date().toISOString(), args: process.argv.slice(2), backend: opts.backend, llmUsage: llm?.usage, total, routes: routes.map((r) => ({ route: r.route, total: r.total })), files }, null, 2) + '\n',
  );
  console.log(`\nwrote ${relative(process.cwd(), out) || out}`);
}

main().catch((e: unknown) => {
  console.error('eval harness crashed:', e);
  process.exitCode = 1;
});
