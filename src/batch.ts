/**
 * Batches on all cores, each file in a lane (a child process): a file that hangs is stopped at its
 * timeout (the lane's process is killed and replaced) and a file that crashes its lane costs only
 * itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentResult } from './pipeline.js';
import { pruneStale, touch } from './ingest/bundle-eval.js';

export interface BatchOptions {
  /** Files processed at once (default: the number of cores). */
  concurrency?: number;
  /** Per-file limit in milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** The password that opens encrypted PDFs. */
  password?: string;
}

interface Job {
  file: string;
  index: number;
}

const LANE_ENTRY = new URL('./batch-worker-boot.mjs', import.meta.url);
const SRC_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * The worker code (src/batch-worker.ts and what it imports from src/) bundled into one plain-JS
 * module, so that a lane starts without tsx's loader: compiling the sources through its hooks costs
 * a lane about a second of CPU. Built with esbuild (the compiler tsx itself runs) once per process,
 * stored by content hash under node_modules/.cache/jixiao (packages stay external and resolve from
 * there); each module's import.meta.url keeps its source file's URL. Null when it cannot be built:
 * the lanes then run the sources through tsx as before.
 */
let bundle: Promise<string | null> | null = null;
function workerBundle(): Promise<string | null> {
  return (bundle ??= buildWorkerBundle().catch(() => null));
}

const CACHE_DIR = join(SRC_DIR, '..', 'node_modules', '.cache', 'jixiao');
const MANIFEST = join(CACHE_DIR, 'batch-worker.manifest.json');

/** What a worker bundle was built from: each input file with its size and modification time. */
export interface BundleManifest {
  bundle: string;
  inputs: [path: string, size: number, mtimeMs: number][];
}

/**
 * The bundle a manifest names when every input it lists is as it was (size and time) and the bundle
 * is still there; else null. Starting esbuild (its service process) and building costs a batch about
 * 0.2 s before any lane can start; this check costs a stat per source file.
 */
export async function cachedBundle(manifestPath: string): Promise<string | null> {
  try {
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as BundleManifest;
    if (!Array.isArray(m.inputs) || m.inputs.length === 0 || typeof m.bundle !== 'string') return null;
    const stats = await Promise.all(m.inputs.map(([path]) => stat(path)));
    if (stats.some((st, i) => st.size !== m.inputs[i]![1] || st.mtimeMs !== m.inputs[i]![2])) return null;
    await stat(fileURLToPath(m.bundle));
    return m.bundle;
  } catch {
    return null;
  }
}

async function buildWorkerBundle(): Promise<string | null> {
  if (process.env.JIXIAO_WORKER_BUNDLE === '0') return null;
  const cached = await cachedBundle(MANIFEST);
  if (cached) return cached;
  const esbuild = await import('esbuild');
  const root = join(SRC_DIR, '..');
  const started = Date.now();
  const inSrc = (path: string): boolean => path.startsWith(SRC_DIR + sep) && path.endsWith('.ts');
  const out = await esbuild.build({
    entryPoints: [join(SRC_DIR, 'batch-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
    // Each source module declares its own URL (esbuild keeps same-named top-level bindings apart).
    define: { 'import.meta.url': '__jixiaoModuleUrl' },
    plugins: [
      {
        name: 'source-import-meta-url',
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, async ({ path }) =>
            inSrc(path) ? { contents: `const __jixiaoModuleUrl = ${JSON.stringify(pathToFileURL(path).href)};\n${await readFile(path, 'utf8')}`, loader: 'ts' } : undefined,
          );
        },
      },
    ],
  });
  const code = out.outputFiles[0]?.contents;
  if (!code) return null;
  const file = join(CACHE_DIR, `batch-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!(await stat(file).catch(() => null))) {
    await mkdir(CACHE_DIR, { recursive: true });
    await writeAtomically(file, code);
  }
  const href = pathToFileURL(file).href;
  // The build depends on its sources, on this file (the build's options), on tsconfig.json and on esbuild itself.
  const inputs = [
    ...Object.keys(out.metafile.inputs).map((p) => join(root, p)),
    fileURLToPath(import.meta.url),
    join(root, 'tsconfig.json'),
    join(root, 'node_modules', 'esbuild', 'package.json'),
  ];
  const stats = await Promise.all(inputs.map((p) => stat(p).catch(() => null)));
  // A file saved while esbuild ran may be newer than what it bundled: no manifest then (the next run builds again).
  if (stats.every((st) => st !== null && st.mtimeMs < started)) {
    const manifest: BundleManifest = { bundle: href, inputs: inputs.map((p, i) => [p, stats[i]!.size, stats[i]!.mtimeMs]) };
    // A read-only cache keeps no manifest; the bundle found there is still used.
    await writeAtomically(MANIFEST, JSON.stringify(manifest)).catch(() => undefined);
  }
  pruneStale(CACHE_DIR, 'batch-worker-', [file, MANIFEST]);
  return href;
}

/** Writes by rename, so a reader never sees half a file. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * A lane's young generation: 16 MB semi-spaces (48 MB in all, V8's default size on 64 bits, set
 * here so that it does not depend on the machine). 96 MB halved a single reader's scavenges, but
 * with two lanes reading side by side on two cores the 510-page batch ran slower with it: 84.0–94.6
 * against 90.5–102.5 pages/s with 48 MB, 48 MB faster in each of four alternating rounds (192 MB was
 * slower still; 24–64 MB no different from 48 within the noise).
 */
const SEMI_SPACE_MB = 16;

/**
 * A lane's old generation starts with room for 96 MB. A lane reading scans holds about 22 MB of
 * objects, and V8 sizes its limit from that (about 45 MB): the megabytes of pixels each page
 * allocates (typed arrays, the canvas) then started a full marking three or four times a page,
 * 120 times over the 34 sample scan pages (read after a warm-up). With this room: 24 times, and the
 * lane's CPU outside the OCR workers (its own thread and V8's GC helper threads) went from 9.8 to
 * 6.7–7.0 s for the 34 pages (two runs each); peak RSS 50 MB higher (690 against 640 MB). 64 MB
 * left 52 full markings; 128 and 200 gave the same 24. The lane puts V8's own sizing back once its
 * heap is made (src/batch-worker-boot.mjs), for the OCR worker threads it starts.
 */
const OLD_SPACE_MB = 96;

/**
 * A lane is a child process: a file that crashes it (a native fault in a decoder, memory run out)
 * takes only that process down, where a worker thread would have taken the whole batch with it.
 */
function spawn(bundled: string | null): ChildProcess {
  if (bundled) touch(fileURLToPath(bundled)); // in use: not pruned by another process (see pruneStale)
  // Without a bundle the lane registers the same tsx loader as the CLI, then runs src/batch-worker.ts.
  // The parent's Node flags are not passed on, but for a heap limit (node --max-old-space-size=…):
  // under `tsx` (npm scripts) they load tsx's loader into every lane as well, which then runs the
  // plain-JS bundle through its hooks and source maps (about a second of CPU per lane). What the
  // lane prints goes to standard error: standard output is the batch's result.
  const limit = process.execArgv.filter((a) => /^--max[-_]old[-_]space[-_]size=/.test(a));
  return fork(fileURLToPath(LANE_ENTRY), bundled ? [bundled] : [], {
    execArgv: [`--max-semi-space-size=${SEMI_SPACE_MB}`, `--initial-old-space-size=${OLD_SPACE_MB}`, ...limit],
    serialization: 'advanced',
    stdio: ['ignore', 2, 2, 'ipc'],
  });
}

function failed(file: string, message: string): DocumentResult {
  return { file, records: [], findings: [], errors: [{ file, message: `${file}: ${message}` }], forms: [] };
}

/**
 * A child process that reads files one at a time, what a batch runs on each core: a file that
 * hangs is abandoned at its timeout and one that crashes the process costs only itself (the process
 * is killed, and the next file gets a new one). The process stays between files, with its OCR
 * workers warm.
 */
export interface Lane {
  process(file: string, timeoutMs?: number): Promise<DocumentResult>;
  close(): Promise<void>;
  /** The lane's process id while it runs (for measuring it); null between processes. */
  readonly pid: number | null;
}

const DEFAULT_TIMEOUT_MS = 600_000;

/** Why a lane's process ended: its exit code or the signal that ended it. */
function ending(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGSEGV' || signal === 'SIGBUS' || signal === 'SIGILL' || signal === 'SIGFPE') return `processing crashed (${signal}, a fault in native code)`;
  if (signal === 'SIGABRT') return 'processing crashed (SIGABRT: aborted, often out of memory)';
  if (signal === 'SIGKILL') return 'processing stopped (SIGKILL: killed from outside, often by the system when memory ran out)';
  if (signal) return `processing stopped (${signal})`;
  return `processing stopped (exit ${code})`;
}

const ended = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;

/** Kills a lane's process and waits for it to be gone. */
function kill(child: ChildProcess): Promise<void> {
  if (ended(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What a lane's process sends back: that it took a file, the file's result, or the error that stopped the pipeline. */
export type LaneReply = { kind: 'taken' } | { kind: 'result'; result: DocumentResult } | { kind: 'failed'; message: string };

/** A lane; `password` opens the encrypted PDFs it is given. */
export async function openLane(password?: string): Promise<Lane> {
  const bundled = await workerBundle();
  let child: ChildProcess | null = null;
  return {
    get pid() {
      return child?.pid ?? null;
    },
    process(file, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise<DocumentResult>((resolve) => {
        let settled = false;
        let current: ChildProcess | null = null;
        let detach = (): void => undefined;
        // A process that will read no more files: killed, and no longer the lane's.
        const drop = (c: ChildProcess): void => {
          void kill(c);
          if (child === c) child = null;
        };
        const finish = (r: DocumentResult, dead: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          detach();
          if (dead && current) drop(current);
          resolve(r);
        };
        const timer = setTimeout(() => finish(failed(file, `timed out after ${Math.round(timeoutMs / 1000)} s; the file was abandoned`), true), timeoutMs);
        /**
         * Hands the file to the lane's process. One that ends before it has taken the file (it died
         * after its last result, or between files) is not the file's doing: the file goes once
         * more, to a new process.
         */
        const send = (attempt: number): void => {
          // A process that ended between files (killed while idle) is not handed the next one.
          if (child && ended(child)) child = null;
          let c: ChildProcess;
          try {
            c = child ??= spawn(bundled);
          } catch (e) {
            finish(failed(file, `processing could not start: ${e instanceof Error ? e.message : String(e)}`), false);
            return;
          }
          current = c;
          let taken = false;
          const lost = (reason: string): void => {
            if (settled) return;
            if (!taken && attempt === 0) {
              detach();
              drop(c);
              send(1);
            } else finish(failed(file, reason), true);
          };
          const onMessage = (reply: LaneReply): void => {
            if (reply.kind === 'taken') taken = true;
            else finish(reply.kind === 'result' ? reply.result : failed(file, `processing failed: ${reply.message}`), false);
          };
          const onError = (e: Error): void => lost(`processing crashed: ${e.message}`);
          const onExit = (code: number | null, signal: NodeJS.Signals | null): void => lost(ending(code, signal));
          c.on('message', onMessage).once('error', onError).once('exit', onExit);
          detach = () => void c.off('message', onMessage).off('error', onError).off('exit', onExit);
          // A process that could not be made (no file descriptors left) has no channel to send on.
          if (!c.connected || typeof c.send !== 'function') return lost('processing could not start (no channel to the lane)');
          try {
            c.send({ file, password }, (e) => e && lost(`processing crashed: ${e.message}`));
          } catch (e) {
            lost(`processing crashed: ${e instanceof Error ? e.message : String(e)}`);
          }
        };
        send(0);
      });
    },
    async close() {
      const c = child;
      child = null;
      if (c) await kill(c);
    },
  };
}

export async function processFilesIsolated(files: string[], opts: BatchOptions = {}): Promise<DocumentResult[]> {
  const lanes = Math.max(1, Math.min(files.length, opts.concurrency ?? availableParallelism()));
  const queue: Job[] = files.map((file, index) => ({ file, index }));
  const results: DocumentResult[] = new Array(files.length);
  const run = async (lane: Lane): Promise<void> => {
    try {
      for (let job = queue.shift(); job; job = queue.shift()) results[job.index] = await lane.process(job.file, opts.timeoutMs);
    } finally {
      await lane.close();
    }
  };
  await Promise.all(Array.from({ length: lanes }, async () => run(await openLane(opts.password))));
  return results;
}
