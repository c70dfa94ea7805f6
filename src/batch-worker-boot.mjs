// Lane entry (a child process of src/batch.ts). Runs src/batch-worker.ts from the plain-JS bundle
// src/batch.ts built for this batch (the first argument) when there is one, else through tsx's loader.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

// The lane's heap was made with the sizes src/batch.ts asked for. The flags go back to V8's own now:
// the OCR worker threads the lane starts get its own sizing, and V8 accepts the code caches
// (src/ingest/bundle-eval.ts) that processes without these flags wrote, and they ours (a cache is
// refused under other flags).
setFlagsFromString('--initial-old-space-size=0');
setFlagsFromString('--max-semi-space-size=0');

// The batch may be killed while this lane's main thread is busy on a file (one that spins): then
// no 'disconnect' event is handled. A thread of its own checks twice a second that the batch is
// still this process's parent, and ends the lane when it is not.
new Worker(
  `const { workerData } = require('node:worker_threads');
  setInterval(() => { if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL'); }, 500);`,
  { eval: true, workerData: { parent: process.ppid } },
).unref();

const bundle = process.argv[2] || null;
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./batch-worker.ts');
}
