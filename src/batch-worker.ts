/** Worker-thread side of src/batch.ts: runs the pipeline on the files it is sent. */
import { parentPort } from 'node:worker_threads';
import { closePipeline, processFile } from './pipeline.js';

parentPort?.on('message', (msg: { file: string; password?: string }) => {
  void processFile(msg.file, { password: msg.password }).then((r) => parentPort?.postMessage(r));
});
parentPort?.once('close', () => void closePipeline());
