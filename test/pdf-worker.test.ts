import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { textWorkerPatchesApply } from '../src/ingest/pdf.js';

/** The pages pdf.ts reads from a file, as JSON, in a fresh process with the given environment. */
function pagesJson(file: string, env: Record<string, string>): string {
  const script = `import { readFileSync } from 'node:fs'; import { ingestPdf } from './src/ingest/pdf.ts';
    const d = await ingestPdf(${JSON.stringify(file)}, readFileSync(${JSON.stringify(file)}));
    process.stdout.write(JSON.stringify(d.pages));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('the patched pdfjs text worker', () => {
  it('applies to the installed pdfjs (an upgrade that drops a patched line fails here, not silently in speed)', async () => {
    expect(await textWorkerPatchesApply()).toBe(true);
  });
  it.each(['samples/pdf/sh-sbk-2021-self-eval.pdf', 'samples/holdout/sh-sibao-2022-target-declaration.reportlab-stsong.pdf'])(
    'reads exactly what the stock worker reads: %s',
    (file) => {
      const patched = pagesJson(file, {});
      expect(patched).toContain('绩效');
      expect(patched).toBe(pagesJson(file, { JIXIAO_PDFJS_STOCK_WORKER: '1' }));
    },
    60_000,
  );
});
