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
  // What leptonica wrote on a photocopy's line 10 pixels wide and 1060 high, which tesseract then read as nothing.
  const leptonica = ['Error in pixScaleAreaMap: pixd too small', 'Error in pixClone: pixs not defined', 'Error in pixCopyText: pixd not defined', 'Error in pixCopyInputFormat: pixd not defined'];
  it("keeps leptonica's messages on a line too thin to scale off the terminal, and any other on it", async () => {
    const others = ['Error in pixCreateNoInit: pixdata_malloc fail', 'worker: something else went wrong'];
    const err = await stderrOf([...leptonica, ...others]);
    for (const l of others) expect(err).toContain(l);
    for (const l of leptonica) expect(err).not.toContain(l);
  });
  it('lets them through with JIXIAO_OCR_DEBUG set', async () => {
    const err = await stderrOf(leptonica, { JIXIAO_OCR_DEBUG: '1' });
    for (const l of leptonica) expect(err).toContain(l);
  });
});
