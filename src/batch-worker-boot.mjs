// Worker-thread entry. Runs src/batch-worker.ts from the plain-JS bundle src/batch.ts built for this
// batch (workerData.bundle) when there is one, else through tsx's loader registered in this thread.
import { workerData } from 'node:worker_threads';

const bundle = typeof workerData?.bundle === 'string' ? workerData.bundle : null;
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./batch-worker.ts');
}
