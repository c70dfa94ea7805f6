/** Lane side of src/batch.ts, a child process: runs the pipeline on the files it is sent. */
import type { LaneReply } from './batch.js';
import { processFile } from './pipeline.js';

const reply = (r: LaneReply): void => void process.send?.(r);

process.on('message', (msg: { file: string; password?: string }) => {
  reply({ kind: 'taken' });
  processFile(msg.file, { password: msg.password }).then(
    (result) => reply({ kind: 'result', result }),
    (e: unknown) => reply({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
});
// The batch ended without closing the lane (it was killed): nothing will read a result, so leave
// at once. Not process.exit(): it waits for the thread-pool threads, and one blocked in a read (a
// FIFO nobody writes to, a stalled network share) would keep the lane alive for good.
process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
