import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const WRAPPER = fileURLToPath(new URL('../src/ingest/tesseract-worker.cjs', import.meta.url));

/** What a worker thread running the wrapper, then writing `lines` with console.error, leaves on its stderr. */
function stderrOf(lines: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const code = `require(${JSON.stringify(WRAPPER)});\n${lines.map((l) => `console.error(${JSON.stringify(l)});`).join('\n')}\nprocess.exit(0);`;
  const worker = new Worker(code, { eval: true, stderr: true, env: { ...process.env, JIXIAO_OCR_DEBUG: '', ...env } });
  let out = '';
  worker.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', () => setImmediate(() => resolve(out)));
  });
}

describe("tesseract.js's worker script, run by the OCR pool", () => {
  const leptonica = ['Error in pixScaleAreaMap: pixd too small', 'Error in pixClone: pixs not defined', 'Warning in pixClipRectangle: box clipped'];
  it("keeps leptonica's messages off the terminal, and any other line on it", async () => {
    const err = await stderrOf([...leptonica, 'worker: something else went wrong']);
    expect(err).toContain('worker: something else went wrong');
    for (const l of leptonica) expect(err).not.toContain(l);
  });
  it('lets them through with JIXIAO_OCR_DEBUG set', async () => {
    const err = await stderrOf(leptonica, { JIXIAO_OCR_DEBUG: '1' });
    for (const l of leptonica) expect(err).toContain(l);
  });
});
