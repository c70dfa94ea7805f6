// Lane entry (a child process of src/batch.ts). Runs src/batch-worker.ts from the plain-JS bundle
// src/batch.ts built for this batch (the first argument) when there is one, else through tsx's loader.
import { setFlagsFromString } from 'node:v8';

// The lane's heap was made with the sizes src/batch.ts asked for. The flags go back to V8's own now:
// the OCR worker threads the lane starts get its own sizing, and V8 accepts the code caches
// (src/ingest/bundle-eval.ts) that processes without these flags wrote, and they ours (a cache is
// refused under other flags).
setFlagsFromString('--initial-old-space-size=0');
setFlagsFromString('--max-semi-space-size=0');
const bundle = process.argv[2] || null;
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./batch-worker.ts');
}
