/**
 * Batches on all cores, each file in a worker thread: a file that hangs is stopped at its
 * timeout (the worker is ended and replaced) and a file that crashes its worker costs only itself.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { DocumentResult } from './pipeline.js';

export interface BatchOptions {
  /** Files processed at once (default: the number of cores). */
  concurrency?: number;
  /** Per-file limit in milliseconds (default 10 minutes). */
  timeoutMs?: number;
}

interface Job {
  file: string;
  index: number;
}

const WORKER_URL = new URL('./batch-worker-boot.mjs', import.meta.url);

function spawn(): Worker {
  // The worker registers the same tsx loader as the CLI, then runs src/batch-worker.ts.
  return new Worker(WORKER_URL);
}

function failed(file: string, message: string): DocumentResult {
  return { file, records: [], findings: [], errors: [{ file, message: `${file}: ${message}` }], forms: [] };
}

/** One worker's loop: take the next job, wait for its result or its timeout. */
async function lane(queue: Job[], results: DocumentResult[], timeoutMs: number): Promise<void> {
  let worker: Worker | null = null;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      worker ??= spawn();
      const w: Worker = worker;
      const { file, index } = job;
      results[index] = await new Promise<DocumentResult>((resolve) => {
        const done = (r: DocumentResult, dead: boolean): void => {
          clearTimeout(timer);
          w.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
          if (dead) {
            void w.terminate();
            worker = null;
          }
          resolve(r);
        };
        const timer = setTimeout(() => done(failed(file, `timed out after ${Math.round(timeoutMs / 1000)} s; the file was abandoned`), true), timeoutMs);
        w.once('message', (r: DocumentResult) => done(r, false));
        w.once('error', (e: Error) => done(failed(file, `processing crashed: ${e.message}`), true));
        w.once('exit', (code) => done(failed(file, `processing stopped (exit ${code})`), true));
        w.postMessage({ file });
      });
    }
  } finally {
    if (worker) await (worker as Worker).terminate();
  }
}

export async function processFilesIsolated(files: string[], opts: BatchOptions = {}): Promise<DocumentResult[]> {
  const lanes = Math.max(1, Math.min(files.length, opts.concurrency ?? availableParallelism()));
  const queue: Job[] = files.map((file, index) => ({ file, index }));
  const results: DocumentResult[] = new Array(files.length);
  await Promise.all(Array.from({ length: lanes }, () => lane(queue, results, opts.timeoutMs ?? 600_000)));
  return results;
}
