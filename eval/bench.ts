/**
 * `npm run bench [-- --reps N] [--batch-reps N] [--scan-reps N] [--skip-scan] [--soak-pages N] [--dir DIR] [--out PATH]`
 *
 * Throughput and memory of the pipeline, on samples/pdf/*.pdf:
 *   1. routes — each route runs every file once to warm up, then N times, the routes taking turns
 *      in an order alternating run by run and file by file; the median time per file gives pages/s. The jixiao
 *      text-layer route (processFile: ingest → records → checks) is set next to `pdftotext -layout`
 *      (one process spawned per file, same repetitions) as a floor; scans (--scan-reps) next to the
 *      native `tesseract` CLI, and to tesseract.js reading the same whole pages (the engine jixiao
 *      runs, without the pipeline: its WebAssembly against the native build's AVX).
 *   2. batch — processFilesIsolated (lanes in child processes, one per core), as the CLI runs it,
 *      over the samples repeated to 510 pages; after each run `pdftotext -layout` on the same files,
 *      as many processes at once as lanes, so that the ratio is taken under the same load on the
 *      machine.
 *   3. soak — the sample files repeated, sequentially in this one process, until ≥ 500 pages,
 *      sampling process.memoryUsage() after every file: first/peak/last RSS and the RSS slope over
 *      the second half, to show memory stays flat.
 * Prints a compact table, writes eval/bench-results.json. A measurement, not a test: exits 0
 * whatever the figures; non-zero only when the harness cannot run.
 *
 * Adding a route is one function returning a Route (see `textRoutes` and the SCAN ROUTE section).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { closePipeline, processFile } from '../src/pipeline.js';
import { OCR_DPI } from '../src/ingest/image.js';
import { openLane, processFilesIsolated, type Lane } from '../src/batch.js';
import { pdfPageCount } from '../src/ingest/pdf.js';
import { langPath } from '../src/ingest/ocr.js';
import type { Worker as TesseractWorker } from 'tesseract.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PDF_DIR = join(ROOT, 'samples', 'pdf');
const DEFAULT_OUT = join(ROOT, 'eval', 'bench-results.json');
const TARGET_TEXT_PAGES_PER_S = 100;
/** Scans: seconds per page on 2 cores, and the most time jixiao may take next to native tesseract's on the same pages. */
const TARGET_SCAN_S_PER_PAGE = 0.6;
const TARGET_SCAN_TIME_RATIO = 1.15;

// ── Routes ────────────────────────────────────────────────────────────────────────────────────

/** What one run of a route on one file produced (for a sanity line: a fast route that finds nothing is no result). */
interface RunOutcome {
  records?: number;
  errors?: number;
  /** Characters of text, for routes that only extract text. */
  chars?: number;
}

interface Route {
  /** Stable key in the JSON output. */
  id: string;
  label: string;
  /** Which inputs: text-layer PDFs or scans. */
  inputs: 'text' | 'scan';
  /** The route measured here (true) or a reference tool it is compared to (false). */
  ours: boolean;
  /**
   * Runs in this process or in a lane of ours, so its CPU time is measured: process.cpuUsage() and
   * `childCpuMs` (a spawned reference tool's is not seen).
   */
  inProcess: boolean;
  /** CPU time so far of the child process the route runs in (a batch lane), in ms. */
  childCpuMs?: () => number;
  /** null when the route can run here, else why it is skipped. */
  unavailable: () => string | null;
  run: (file: string) => Promise<RunOutcome>;
}

function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const jixiaoText: Route = {
  id: 'jixiao-text',
  label: 'jixiao processFile',
  inputs: 'text',
  ours: true,
  inProcess: true,
  unavailable: () => null,
  run: async (file) => {
    const r = await processFile(file);
    return { records: r.records.length, errors: r.errors.length };
  },
};

const pdftotextLayout: Route = {
  id: 'pdftotext-layout',
  label: 'pdftotext -layout',
  inputs: 'text',
  ours: false,
  inProcess: false,
  unavailable: () => (commandExists('pdftotext') ? null : 'pdftotext not found (Debian: apt-get install poppler-utils)'),
  run: async (file) => {
    const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`pdftotext failed on ${file}: ${r.stderr.toString().trim()}`);
    return { chars: r.stdout.length };
  },
};

function textRoutes(): Route[] {
  return [jixiaoText, pdftotextLayout];
}

// ── SCAN ROUTE ────────────────────────────────────────────────────────────────────────────────
// jixiao on samples/scan/*.pdf (render → deskew → rules → tesseract.js, then records and checks)
// next to the native `tesseract` CLI on the same pages rendered the same way (OCR_DPI, 200 dpi, gray),
// OMP_THREAD_LIMIT=1 and one process per core; the reference's rendering is done before timing.
const SCAN_DIR = join(ROOT, 'samples', 'scan');

/**
 * The CLI reads each file in a lane (src/batch.ts, a child process), whose heap is set up for it:
 * the scans are read the same way, in one lane kept for the whole route (its OCR workers warm, as in
 * a batch). The lane's CPU time (all its threads) is read from /proc.
 */
let scanLane: Promise<Lane> | null = null;
let scanLaneNow: Lane | null = null;

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux's common builds). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * The CPU time (ms) in /proc/<pid>/stat, after the command name: utime and stime (fields 14–15, all
 * the process's threads), and with `children` also cutime and cstime (16–17: its children that
 * have ended and been waited for). 0 where /proc cannot be read.
 */
function processCpuMs(pid: number | 'self', children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (the state): utime is fields[11].
    const ticks = fields.slice(11, children ? 15 : 13).reduce((n, f) => n + Number(f), 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The CPU time (ms) of lanes that have ended: this process's waited-for children. */
function endedChildrenCpuMs(): number {
  return processCpuMs('self', true) - processCpuMs('self');
}
const jixiaoScan: Route = {
  ...jixiaoText,
  id: 'jixiao-scan',
  label: 'jixiao, one file at a time in a batch lane (OCR)',
  inputs: 'scan',
  childCpuMs: () => {
    const pid = scanLaneNow?.pid;
    return pid ? processCpuMs(pid) : 0;
  },
  run: async (file) => {
    const lane = (scanLaneNow ??= await (scanLane ??= openLane()));
    const r = await lane.process(file);
    return { records: r.records.length, errors: r.errors.length };
  },
};

const rendered = new Map<string, string[]>();
function renderedPages(file: string): string[] {
  const cached = rendered.get(file);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-bench-'));
  const r = spawnSync('pdftoppm', ['-r', String(OCR_DPI), '-gray', file, join(dir, 'p')]);
  if (r.status !== 0) throw new Error(`pdftoppm failed on ${file}`);
  const pages = readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => join(dir, f));
  rendered.set(file, pages);
  return pages;
}

function runTesseract(page: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', [page, '-', '-l', 'chi_sim', '--psm', '3'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // Characters, not bytes (as the other routes count them).
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8').length) : reject(new Error(`tesseract exited ${code} on ${page}`))));
  });
}

const tesseractCli: Route = {
  id: 'tesseract-cli',
  label: 'tesseract CLI (1 thread/process, 1 process/core)',
  inputs: 'scan',
  ours: false,
  inProcess: false,
  unavailable: () =>
    !commandExists('tesseract')
      ? 'tesseract not found (Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim)'
      : !commandExists('pdftoppm')
        ? 'pdftoppm not found (Debian: apt-get install poppler-utils)'
        : spawnSync('tesseract', ['--list-langs']).stdout.toString().includes('chi_sim')
          ? null
          : 'tesseract has no chi_sim (Debian: apt-get install tesseract-ocr-chi-sim)',
  run: async (file) => {
    const pages = [...renderedPages(file)];
    let chars = 0;
    const worker = async (): Promise<void> => {
      for (let p = pages.shift(); p; p = pages.shift()) chars += await runTesseract(p);
    };
    await Promise.all(Array.from({ length: availableParallelism() }, worker));
    return { chars };
  },
};

/**
 * tesseract.js itself, as the CLI is run: whole pages in AUTO segmentation, one worker per core
 * (warm: made in the warm-up run), on the same rendered pages. Set beside jixiao it tells the
 * pipeline's cost from the engine's: tesseract.js is tesseract compiled to WebAssembly, whose SIMD
 * is 128 bits wide where the native build uses the CPU's AVX2 or AVX-512.
 */
let wasmWorkers: Promise<TesseractWorker[]> | null = null;
const tesseractJs: Route = {
  id: 'tesseract-js',
  label: 'tesseract.js whole pages (PSM 3, 1 worker/core)',
  inputs: 'scan',
  ours: false,
  inProcess: true,
  unavailable: () => (commandExists('pdftoppm') ? null : 'pdftoppm not found (Debian: apt-get install poppler-utils)'),
  run: async (file) => {
    const workers = await (wasmWorkers ??= (async () => {
      const { createWorker, OEM, PSM } = await import('tesseract.js');
      return Promise.all(
        Array.from({ length: availableParallelism() }, async () => {
          const w = await createWorker('chi_sim', OEM.LSTM_ONLY, { langPath: langPath('chi_sim'), gzip: true, cacheMethod: 'none' });
          await w.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
          return w;
        }),
      );
    })());
    const pages = [...renderedPages(file)];
    let chars = 0;
    await Promise.all(
      workers.map(async (w) => {
        for (let p = pages.shift(); p; p = pages.shift()) chars += (await w.recognize(await readFile(p))).data.text.length;
      }),
    );
    return { chars };
  },
};

function scanRoutes(): Route[] {
  return [jixiaoScan, tesseractCli, tesseractJs];
}
const SCAN_PLACEHOLDER = 'scan route: no scan samples';
// ── end SCAN ROUTE ────────────────────────────────────────────────────────────────────────────

// ── Measurement ───────────────────────────────────────────────────────────────────────────────

interface Input {
  file: string;
  pages: number;
}

interface FileTiming {
  file: string;
  pages: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  pagesPerS: number;
  /** Median CPU time of this process per run (in-process routes only): insensitive to other load on the machine. */
  cpuMs: number | null;
  pagesPerCpuS: number | null;
  outcome: RunOutcome;
}

interface RouteResult {
  id: string;
  label: string;
  inputs: 'text' | 'scan';
  ours: boolean;
  skipped: string | null;
  reps: number;
  files: FileTiming[];
  /** Sum of pages / sum of per-file medians. */
  pages: number;
  medianTotalMs: number;
  pagesPerS: number | null;
  pagesPerCpuS: number | null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function pageCount(file: string): Promise<number> {
  // Through src/ingest/pdf.ts: a second copy of pdfjs imported here would re-install its core-js
  // polyfills over the natives that pdf.ts keeps (see importKeepingNatives there).
  return pdfPageCount(new Uint8Array(await readFile(file)));
}

/**
 * Each route on each file: one warm-up run (module loading, cMaps, JIT; the reference's page
 * rendering), then `reps` timed runs. The routes take turns, in an order that alternates from one
 * timed run to the next and from one file to the next (ours, reference; reference, ours; …), so
 * a drift in the machine's speed over the minutes a scan run takes weighs on both sides of a ratio
 * alike. A file's outcome (records, errors) is its last timed run's.
 */
async function measureRoutes(routes: Route[], inputs: Input[], reps: number): Promise<RouteResult[]> {
  const skipped = new Map<Route, string | null>(routes.map((r) => [r, r.unavailable()]));
  const live = routes.filter((r) => skipped.get(r) === null);
  const timings = new Map<Route, FileTiming[]>(live.map((r) => [r, []]));
  for (const [fileIndex, input] of inputs.entries()) {
    for (const route of live) await route.run(input.file);
    const times = new Map<Route, { wall: number[]; cpu: number[]; outcome: RunOutcome }>(live.map((r) => [r, { wall: [], cpu: [], outcome: {} }]));
    for (let i = 0; i < reps; i++) {
      for (const route of (fileIndex + i) % 2 === 0 ? live : [...live].reverse()) {
        const c0 = process.cpuUsage();
        const l0 = route.childCpuMs?.() ?? 0;
        const t0 = performance.now();
        const outcome = await route.run(input.file);
        const t = times.get(route)!;
        t.wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        t.cpu.push((c.user + c.system) / 1000 + (route.childCpuMs?.() ?? 0) - l0);
        t.outcome = outcome;
      }
    }
    for (const route of live) {
      const { wall, cpu, outcome } = times.get(route)!;
      const med = median(wall);
      const cpuMs = route.inProcess ? median(cpu) : null;
      timings.get(route)!.push({
        file: relative(ROOT, input.file),
        pages: input.pages,
        medianMs: med,
        minMs: Math.min(...wall),
        maxMs: Math.max(...wall),
        pagesPerS: input.pages / (med / 1000),
        cpuMs,
        pagesPerCpuS: cpuMs ? input.pages / (cpuMs / 1000) : null,
        outcome,
      });
    }
  }
  return routes.map((route) => {
    const base = { id: route.id, label: route.label, inputs: route.inputs, ours: route.ours, reps };
    const files = timings.get(route) ?? [];
    if (skipped.get(route) !== null) return { ...base, skipped: skipped.get(route)!, files, pages: 0, medianTotalMs: 0, pagesPerS: null, pagesPerCpuS: null };
    const pages = files.reduce((n, f) => n + f.pages, 0);
    const total = files.reduce((n, f) => n + f.medianMs, 0);
    const cpuTotal = route.inProcess ? files.reduce((n, f) => n + (f.cpuMs ?? 0), 0) : 0;
    return {
      ...base,
      skipped: null,
      files,
      pages,
      medianTotalMs: total,
      pagesPerS: total > 0 ? pages / (total / 1000) : null,
      pagesPerCpuS: cpuTotal > 0 ? pages / (cpuTotal / 1000) : null,
    };
  });
}

interface BatchResult {
  concurrency: number;
  reps: number;
  pages: number;
  medianMs: number;
  pagesPerS: number;
  /** CPU time of this process and its lanes (median run); start-up of the lanes included. */
  cpuMs: number;
  pagesPerCpuS: number;
  /** `pdftotext -layout` over the same files, as many processes at once as lanes, run right after. */
  reference: { label: string; medianMs: number; pagesPerS: number } | null;
  /** pagesPerS / reference.pagesPerS (the same load on the machine for both). */
  ratio: number | null;
  /**
   * Pages/s beyond the lanes' start-up: the same batch twice over (1,020 pages) in each run too, and
   * its extra 510 pages over the extra time (median times) — the rate of a long bulk batch.
   */
  steadyPagesPerS: number | null;
}

/** Runs `pdftotext -layout` on the files with `concurrency` processes at once. */
async function pdftotextBatch(files: string[], concurrency: number): Promise<void> {
  const queue = [...files];
  const one = (file: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pdftotext exited ${code} on ${file}`))));
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await one(f);
    }),
  );
}

/** The CLI's batch path: lanes in child processes (one per core), each file isolated with a timeout.
 *  The inputs are repeated so the lanes' start-up (loader, pdfjs) is spread as in a real batch. */
async function measureBatch(inputs: Input[], reps: number, concurrency: number, repeat = 15): Promise<BatchResult> {
  const batch = Array.from({ length: repeat }, () => inputs).flat();
  const files = batch.map((i) => i.file);
  const runs: { ms: number; cpuMs: number }[] = [];
  const refTimes: number[] = [];
  const doubleTimes: number[] = [];
  const withReference = pdftotextLayout.unavailable() === null;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const l0 = endedChildrenCpuMs();
    const t0 = performance.now();
    await processFilesIsolated(files, { concurrency });
    const c = process.cpuUsage(c0);
    // The lanes are closed (killed and waited for) when the batch returns: their CPU is counted.
    runs.push({ ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 + endedChildrenCpuMs() - l0 });
    const d0 = performance.now();
    await processFilesIsolated([...files, ...files], { concurrency });
    doubleTimes.push(performance.now() - d0);
    if (withReference) {
      const r0 = performance.now();
      await pdftotextBatch(files, concurrency);
      refTimes.push(performance.now() - r0);
    }
  }
  const pages = batch.reduce((n, i) => n + i.pages, 0);
  const med = median(runs.map((r) => r.ms));
  const cpuMs = median(runs.map((r) => r.cpuMs));
  const pagesPerS = pages / (med / 1000);
  const reference = withReference
    ? { label: `pdftotext -layout, ${concurrency} processes at once`, medianMs: median(refTimes), pagesPerS: pages / (median(refTimes) / 1000) }
    : null;
  const extraMs = median(doubleTimes) - med;
  const steadyPagesPerS = extraMs > 0 ? pages / (extraMs / 1000) : null;
  return { concurrency, reps, pages, medianMs: med, pagesPerS, cpuMs, pagesPerCpuS: pages / (cpuMs / 1000), reference, ratio: reference ? pagesPerS / reference.pagesPerS : null, steadyPagesPerS };
}

interface MemSample {
  files: number;
  pages: number;
  rssMB: number;
  heapUsedMB: number;
}

interface SoakResult {
  targetPages: number;
  files: number;
  pages: number;
  seconds: number;
  pagesPerS: number;
  rssFirstMB: number;
  rssPeakMB: number;
  rssLastMB: number;
  /** Least-squares slope of RSS against pages over the second half of the run. */
  rssSlopeMBPer100Pages: number;
  heapSlopeMBPer100Pages: number;
  flat: boolean;
  gcForced: boolean;
  samples: MemSample[];
}

/** Slope of y on x by least squares. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const MB = 1024 * 1024;
/**
 * A full GC before each memory sample, so the figures are what is retained rather than where the GC
 * sawtooth happened to be (without it a 500-page run can show a spurious slope of several MB/100
 * pages). Exposed at run time, since `npm run bench` passes no node flags.
 */
function gcFunction(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
const forceGc = gcFunction();
/** Growth below this over the second half counts as flat (GC noise is a few MB either way). */
const FLAT_MB_PER_100_PAGES = 2;

async function soak(inputs: Input[], targetPages: number): Promise<SoakResult> {
  const samples: MemSample[] = [];
  const mem = (files: number, pages: number): MemSample => {
    forceGc?.();
    const m = process.memoryUsage();
    return { files, pages, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB };
  };
  let pages = 0;
  let files = 0;
  let work = 0; // ms in processFile, without the sampling and its forced GC
  while (pages < targetPages) {
    for (const input of inputs) {
      const t0 = performance.now();
      await processFile(input.file);
      work += performance.now() - t0;
      files++;
      pages += input.pages;
      samples.push(mem(files, pages));
      if (pages >= targetPages) break;
    }
  }
  const seconds = work / 1000;
  const half = samples.slice(Math.floor(samples.length / 2));
  const rssSlope = slope(half.map((s) => s.pages), half.map((s) => s.rssMB)) * 100;
  const heapSlope = slope(half.map((s) => s.pages), half.map((s) => s.heapUsedMB)) * 100;
  return {
    targetPages,
    files,
    pages,
    seconds,
    pagesPerS: pages / seconds,
    rssFirstMB: samples[0]!.rssMB,
    rssPeakMB: Math.max(...samples.map((s) => s.rssMB)),
    rssLastMB: samples.at(-1)!.rssMB,
    rssSlopeMBPer100Pages: rssSlope,
    heapSlopeMBPer100Pages: heapSlope,
    flat: rssSlope < FLAT_MB_PER_100_PAGES,
    gcForced: forceGc !== undefined,
    samples,
  };
}

// ── Output ────────────────────────────────────────────────────────────────────────────────────

const f1 = (n: number): string => n.toFixed(1);
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

function printRoutes(title: string, results: RouteResult[]): void {
  console.log(`\n${title}`);
  const names = results.flatMap((r) => r.files.map((f) => basename(f.file)));
  const w = Math.max(24, ...names.map((n) => n.length)) + 2;
  const cpuCol = (n: number | null): string => lpad(n === null ? '–' : f1(n), 12);
  for (const r of results) {
    if (r.skipped) {
      console.log(`  ${r.label}: skipped — ${r.skipped}`);
      continue;
    }
    console.log(`  ${r.label}  (median of ${r.reps} after 1 warm-up)`);
    console.log(`    ${pad('file', w)}${lpad('pages', 6)}${lpad('median ms', 11)}${lpad('min–max ms', 16)}${lpad('pages/s', 10)}${lpad('pages/CPU-s', 12)}  output`);
    for (const f of r.files) {
      const out = f.outcome.records !== undefined ? `${f.outcome.records} records, ${f.outcome.errors ?? 0} errors` : `${f.outcome.chars ?? 0} chars`;
      console.log(
        `    ${pad(basename(f.file), w)}${lpad(String(f.pages), 6)}${lpad(f1(f.medianMs), 11)}${lpad(`${f1(f.minMs)}–${f1(f.maxMs)}`, 16)}${lpad(f1(f.pagesPerS), 10)}${cpuCol(f.pagesPerCpuS)}  ${out}`,
      );
    }
    console.log(`    ${pad('all', w)}${lpad(String(r.pages), 6)}${lpad(f1(r.medianTotalMs), 11)}${lpad('', 16)}${lpad(f1(r.pagesPerS ?? 0), 10)}${cpuCol(r.pagesPerCpuS)}`);
  }
}

function ratios(results: RouteResult[]): { ours: string; reference: string; ratio: number }[] {
  const out: { ours: string; reference: string; ratio: number }[] = [];
  for (const o of results.filter((r) => r.ours && r.pagesPerS))
    for (const ref of results.filter((r) => !r.ours && r.inputs === o.inputs && r.pagesPerS))
      out.push({ ours: o.id, reference: ref.id, ratio: o.pagesPerS! / ref.pagesPerS! });
  return out;
}

interface ScanTargets {
  sPerPage: number;
  sPerPageMet: boolean;
  /** jixiao's time over native tesseract's on the same pages (the inverse of the pages/s ratio); null without the reference. */
  timeRatio: number | null;
  timeRatioMet: boolean | null;
}

/** The scan targets, from our scan route's pages/s and its ratio to the native CLI's. */
function scanTargetsOf(results: RouteResult[], scanRatios: ReturnType<typeof ratios>): ScanTargets | null {
  const ours = results.find((r) => r.ours && r.inputs === 'scan' && r.pagesPerS);
  if (!ours) return null;
  const sPerPage = 1 / ours.pagesPerS!;
  const ratio = scanRatios.find((r) => r.ours === ours.id && r.reference === tesseractCli.id)?.ratio;
  const timeRatio = ratio ? 1 / ratio : null;
  return { sPerPage, sPerPageMet: sPerPage <= TARGET_SCAN_S_PER_PAGE, timeRatio, timeRatioMet: timeRatio === null ? null : timeRatio <= TARGET_SCAN_TIME_RATIO };
}

// ── Main ──────────────────────────────────────────────────────────────────────────────────────

const USAGE = `usage: npm run bench [-- --reps N] [--batch-reps N] [--scan-reps N] [--skip-scan] [--soak-pages N] [--dir DIR] [--out PATH]
  --reps N         timed runs per file after one warm-up (default 5)
  --batch-reps N   runs of the 510-page batch, each followed by its pdftotext reference (default 3)
  --scan-reps N    timed runs per scanned file after one warm-up (default 2)
  --skip-scan      leave out the scan route (minutes of OCR)
  --soak-pages N   pages for the memory run (default 500; 0 skips it)
  --dir DIR        text-layer PDFs to measure (default samples/pdf)
  --out PATH       JSON results (default eval/bench-results.json)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        reps: { type: 'string', default: '5' },
        'batch-reps': { type: 'string', default: '3' },
        'scan-reps': { type: 'string', default: '2' },
        'skip-scan': { type: 'boolean', default: false },
        'soak-pages': { type: 'string', default: '500' },
        dir: { type: 'string', default: PDF_DIR },
        out: { type: 'string', default: DEFAULT_OUT },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const reps = Math.max(1, Number.parseInt(values.reps, 10) || 5);
  const soakPages = Math.max(0, Number.parseInt(values['soak-pages'], 10) || 0);
  const batchReps = Math.max(1, Number.parseInt(values['batch-reps'], 10) || 3);
  const scanReps = Math.max(1, Number.parseInt(values['scan-reps'], 10) || 2);

  const pdfDir = resolve(values.dir);
  const pdfs = readdirSync(pdfDir).filter((f) => f.endsWith('.pdf')).sort().map((f) => join(pdfDir, f));
  if (pdfs.length === 0) throw new Error(`no PDFs in ${relative(ROOT, pdfDir)}`);
  const inputs: Input[] = [];
  for (const file of pdfs) inputs.push({ file, pages: await pageCount(file) });

  const cpuList = cpus();
  const env = {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    date: new Date().toISOString(),
    loadAvgStart: loadavg().map((l) => Math.round(l * 100) / 100),
    loadAvgEnd: [] as number[],
  };
  console.log(`jixiao bench — node ${env.node}, ${env.cores} × ${env.cpu}, ${env.memGB} GB, load ${env.loadAvgStart.join(' ')}`);
  if ((env.loadAvgStart[0] ?? 0) > env.cores * 0.5)
    console.log(`  note: the machine is busy (1-min load ${env.loadAvgStart[0]} on ${env.cores} cores); wall-clock pages/s will be low — pages/CPU-s is the steadier figure`);
  console.log(`text-layer inputs: ${inputs.length} files, ${inputs.reduce((n, i) => n + i.pages, 0)} pages (${relative(ROOT, pdfDir)}/*.pdf)`);

  const text = await measureRoutes(textRoutes(), inputs, reps);
  printRoutes('1. text-layer PDFs', text);
  const textRatios = ratios(text);
  for (const r of textRatios) console.log(`  ratio ${r.ours} / ${r.reference}: ${r.ratio.toFixed(2)}× (pages/s)`);
  const ourText = text.find((r) => r.id === jixiaoText.id);
  if (ourText?.pagesPerS)
    console.log(`  target ≥ ${TARGET_TEXT_PAGES_PER_S} text pages/s: ${ourText.pagesPerS >= TARGET_TEXT_PAGES_PER_S ? 'met' : 'NOT met'} (${f1(ourText.pagesPerS)} pages/s, single process)`);

  const batch = await measureBatch(inputs, batchReps, 2);
  console.log(
    `\n2. batch on 2 cores: processFilesIsolated(${inputs.length} files × 15, ${batch.concurrency} lanes) — ${batch.pages} pages in ${f1(batch.medianMs)} ms (median of ${batch.reps}) → ${f1(batch.pagesPerS)} pages/s, ${f1(batch.pagesPerCpuS)} pages/CPU-s (lane start-up included)` +
      (batch.reference ? `\n  ${batch.reference.label}, right after each run: ${f1(batch.reference.medianMs)} ms → ${f1(batch.reference.pagesPerS)} pages/s; ratio ${batch.ratio!.toFixed(2)}×` : ''),
  );
  if (batch.steadyPagesPerS) console.log(`  beyond the lanes' start-up (the same batch twice over, its extra ${batch.pages} pages over the extra time): ${f1(batch.steadyPagesPerS)} pages/s`);
  if (batch.pagesPerS) {
    console.log(`  target ≥ ${TARGET_TEXT_PAGES_PER_S} text pages/s on 2 cores, ${batch.pages}-page batch with start-up: ${batch.pagesPerS >= TARGET_TEXT_PAGES_PER_S ? 'met' : 'NOT met'} (${f1(batch.pagesPerS)} pages/s)`);
    if (batch.steadyPagesPerS) console.log(`  target ≥ ${TARGET_TEXT_PAGES_PER_S} text pages/s on 2 cores, long batches: ${batch.steadyPagesPerS >= TARGET_TEXT_PAGES_PER_S ? 'met' : 'NOT met'} (${f1(batch.steadyPagesPerS)} pages/s)`);
  }

  // Scans: see the SCAN ROUTE section above.
  const scanList = values['skip-scan'] ? [] : scanRoutes();
  let scan: RouteResult[] = [];
  let scanRatios: ReturnType<typeof ratios> = [];
  let scanTargets: ScanTargets | null = null;
  const scanNote = values['skip-scan'] ? 'scan route: skipped (--skip-scan)' : SCAN_PLACEHOLDER;
  if (scanList.length === 0) console.log(`\n3. scans: ${scanNote}`);
  else {
    const scanFiles = readdirSync(SCAN_DIR).filter((f) => f.endsWith('.pdf')).sort().map((f) => join(SCAN_DIR, f));
    const scanInputs: Input[] = [];
    for (const file of scanFiles) scanInputs.push({ file, pages: await pageCount(file) });
    // Scans are slow: fewer timed runs after the warm-up.
    scan = await measureRoutes(scanList, scanInputs, scanReps);
    await (await scanLane)?.close();
    await Promise.all((await wasmWorkers)?.map((w) => w.terminate()) ?? []);
    printRoutes('3. scanned PDFs', scan);
    scanRatios = ratios(scan);
    for (const r of scanRatios) console.log(`  ratio ${r.ours} / ${r.reference}: ${r.ratio.toFixed(2)}× (pages/s)`);
    scanTargets = scanTargetsOf(scan, scanRatios);
    if (scanTargets) {
      const t = scanTargets;
      console.log(`  target ≤ ${TARGET_SCAN_S_PER_PAGE} s/page on scans: ${t.sPerPageMet ? 'met' : 'NOT met'} (${t.sPerPage.toFixed(2)} s/page)`);
      if (t.timeRatio !== null)
        console.log(`  target within ${TARGET_SCAN_TIME_RATIO}× native tesseract's time: ${t.timeRatioMet ? 'met' : 'NOT met'} (${t.timeRatio.toFixed(2)}× its time, ${(1 / t.timeRatio).toFixed(2)}× its pages/s)`);
    }
  }

  let soakResult: SoakResult | null = null;
  if (soakPages > 0) {
    soakResult = await soak(inputs, soakPages);
    const s = soakResult;
    console.log(
      `\n4. soak: ${s.pages} pages (${s.files} files) sequentially in one process, ${f1(s.seconds)} s → ${f1(s.pagesPerS)} pages/s` +
        (s.gcForced ? ' (full GC before each sample, not timed)' : ' (GC could not be forced: figures include GC sawtooth)'),
    );
    console.log(
      `  RSS first ${f1(s.rssFirstMB)} MB, peak ${f1(s.rssPeakMB)} MB, last ${f1(s.rssLastMB)} MB; ` +
        `second-half slope ${s.rssSlopeMBPer100Pages.toFixed(2)} MB/100 pages; retained heap ${f1(s.samples[0]!.heapUsedMB)} → ${f1(s.samples.at(-1)!.heapUsedMB)} MB (slope ${s.heapSlopeMBPer100Pages.toFixed(2)}) → ${s.flat ? 'flat' : `GROWING (≥ ${FLAT_MB_PER_100_PAGES} MB/100 pages)`}`,
    );
  }

  env.loadAvgEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const out = resolve(values.out);
  await writeFile(
    out,
    JSON.stringify(
      {
        env,
        reps,
        inputs: inputs.map((i) => ({ file: relative(ROOT, i.file), pages: i.pages })),
        text: { routes: text, ratios: textRatios, targetPagesPerS: TARGET_TEXT_PAGES_PER_S },
        batch,
        scan: scanList.length === 0 ? { status: scanNote } : { routes: scan, ratios: scanRatios, targets: scanTargets },
        soak: soakResult,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwrote ${relative(ROOT, out)}`);
}

main()
  .catch((e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  })
  .finally(closePipeline); // OCR workers, if a page was read by OCR
