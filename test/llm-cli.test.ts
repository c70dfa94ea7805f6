import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockLlm } from './llm-mock.js';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms } from '../src/segment/forms.js';
import { parseForm } from '../src/parse/index.js';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-llm-cli-'));
const env = { ...process.env, JIXIAO_CACHE_DIR: join(dir, 'cache'), JIXIAO_LLM_API_KEY: 'sk-never-print-me', JIXIAO_LLM_BASE_URL: '', JIXIAO_LLM_MODEL: '', OPENAI_BASE_URL: '' };

/** Async, so that a mock server in this process can answer the child. */
function run(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/jixiao.js', ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('jixiao --llm', () => {
  it('an unreachable endpoint gives one clear error per file and a non-zero exit, no stack trace', async () => {
    const files = ['samples/sh-sbk-2021-self-eval.txt', 'samples/sh-sibao-2022-target-declaration.md'];
    const r = await run('check', ...files, '--llm', '--llm-model', 'm', '--llm-base-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    const all = r.out + r.err;
    for (const f of files) {
      const lines = all.split('\n').filter((l) => l.includes(`${f}: LLM endpoint http://127.0.0.1:9 unreachable`));
      expect(lines).toHaveLength(1);
    }
    expect(all).not.toMatch(/\n\s+at \S+ \(|internal error|Error:/);
    expect(all).not.toContain('sk-never-print-me');
  });

  it('rejects an incomplete configuration before reading anything', async () => {
    const r = await run('check', 'samples/sh-sbk-2021-self-eval.txt', '--llm', '--llm-base-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no LLM model/);
    const b = await run('check', 'samples/sh-sbk-2021-self-eval.txt', '--backend', 'magic');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown backend 'magic'/);
  });

  it('eval: without an endpoint the llm and hybrid rows say "not run", never a number', async () => {
    const evalRun = (backend: string): Promise<{ code: number | null; out: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'eval/run.ts', '--backend', backend, '--file', 'sh-sbk-2021-self-eval.txt'], { env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    for (const backend of ['llm', 'hybrid']) {
      const r = await evalRun(backend);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`sh-sbk-2021-self-eval.txt  ${backend}: not run`);
      expect(r.out).not.toMatch(/\d\.\d{3}/); // no scores
      expect(r.out).not.toMatch(/wrote /);
    }
  });

  it('eval --tokens: request sizes per sample form against the limit, with no endpoint', async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'eval/run.ts', '--tokens', '--file', 'sh-sibao-2024-self-eval.txt'], { env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => l.startsWith('sh-sibao-2024-self-eval.txt') || l.startsWith('pdf/sh-sibao-2024-self-eval.pdf'));
    expect(rows.filter((l) => l.startsWith('sh-'))).toHaveLength(9);
    for (const l of rows) expect(l).toMatch(/ ok$/);
    // Form #7: ~3,150 tokens of text, read in several parts, the largest request within 2,500.
    const f7 = rows[7]!.trim().split(/\s+/);
    expect(Number(f7[4])).toBeGreaterThan(3000);
    expect(Number(f7.at(-2))).toBeLessThanOrEqual(2500);
    expect(r.out).toMatch(/limit 2500 \(JIXIAO_LLM_MAX_REQUEST_TOKENS\)/);
    expect(r.out).toMatch(/every request ≤ 2500 tokens/);
  });

  describe('against a local endpoint', () => {
    const mock = new MockLlm();
    let baseURL = '';
    beforeAll(async () => {
      baseURL = await mock.start();
    });
    afterAll(() => mock.close());

    it('--backend llm reads every form through the endpoint and reports usage without the key', async () => {
      const text = readFileSync('samples/sh-sibao-2022-target-declaration.md', 'utf8');
      const file = join(dir, 'decl.md');
      writeFileSync(file, text);
      const forms = segmentForms(ingestText(file, Buffer.from(text)));
      const records = forms.map((f) => {
        const r = parseForm(f);
        if (r.status !== 'parsed') throw new Error('fixture');
        return r.record;
      });
      mock.reply = (body) => {
        const user = body.messages.find((m) => m.role === 'user')!.content;
        const rec = records.find((r) => user.includes(r.projectName))!;
        return { content: JSON.stringify(rec) };
      };
      const r = await run('extract', file, '--json', '--llm', '--backend', 'llm', '--llm-model', 'test-model', '--llm-base-url', baseURL);
      expect(r.err).not.toContain('sk-never-print-me');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.out) as { documents: { records: unknown[]; forms: { by?: string }[]; llmUsage?: { requests: number } }[] };
      expect(out.documents[0]!.records).toEqual(records);
      expect(out.documents[0]!.forms.map((f) => f.by)).toEqual(['llm', 'llm', 'llm']);
      expect(mock.requests).toHaveLength(3);
      expect(mock.requests.every((q) => q.headers.authorization === 'Bearer sk-never-print-me')).toBe(true);
      expect(r.err).toMatch(/LLM test-model at http:\/\/127\.0\.0\.1:\d+\/v1 \(profile local\): 3 request\(s\), 3000 prompt \+ 1500 completion tokens/);
    });
  });
});
