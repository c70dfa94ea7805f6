/**
 * Bad inputs: each one yields a clear per-file error naming the file and the cause — never a throw,
 * never a hang, never a stack trace — and never costs the rest of a batch. The fixtures are
 * committed under test/fixtures/bad/ (regenerate with `sh test/fixtures/bad/make.sh`); the tests
 * only read them, so no PDF tools are needed here.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closePipeline, processFile, processFiles, type DocumentResult } from '../src/pipeline.js';

const BAD = 'test/fixtures/bad';
const GOOD = 'samples/pdf/sh-sibao-2022-target-declaration.pdf';
/** Per-file budget: a bad input must fail fast, not after rendering a 5 m × 5 m page. */
const PER_FILE_MS = 20_000;

const NO_FORM = /no form found/;
const IMAGE_ONLY = /no form found|no text layer|image|scan|OCR/i;

/** Each fixture and the cause its error must name. */
const CASES: { name: string; cause: RegExp; what: string }[] = [
  { name: 'corrupt.pdf', cause: /not a valid PDF|corrupt|truncated|damaged/i, what: 'garbage after a %PDF- header' },
  { name: 'truncated.pdf', cause: /not a valid PDF|corrupt|truncated|damaged/i, what: 'first 40% of a valid PDF' },
  { name: 'encrypted-user.pdf', cause: /encrypted|password/i, what: 'user password required' },
  // Owner password only: opens without a password, then has no form in it.
  { name: 'encrypted-owner.pdf', cause: NO_FORM, what: 'owner password only (opens)' },
  { name: 'zero-page.pdf', cause: /no pages/i, what: 'valid PDF with /Count 0' },
  // Image-only page: today 'no form found'; with the OCR route, an OCR'd blank page → no form / no text.
  { name: 'blank-image.pdf', cause: IMAGE_ONLY, what: 'one all-white image page, no text layer' },
  { name: 'huge-page.pdf', cause: /no form found|no text|empty|too large|page size/i, what: '14400×14400 pt page, no content' },
  { name: 'corrupt.tif', cause: /TIFF could not be read|TIFF has no readable page|could not be decoded/i, what: 'garbage after a TIFF header' },
  { name: 'truncated.tif', cause: /TIFF could not be read|TIFF has no readable page|could not be decoded/i, what: 'first 20 kB of a multi-page Group 4 TIFF' },
  { name: 'blank.tif', cause: NO_FORM, what: 'one all-white Group 4 page' },
  { name: 'looped.tif', cause: NO_FORM, what: 'blank.tif whose page directory names itself as the next' },
  { name: 'not-a-pdf.pdf', cause: /not a valid PDF|not a PDF|binary data|not a text document|unsupported|not supported/i, what: 'a ZIP archive named .pdf' },
  // Images the native decoder (@napi-rs/canvas) died on, taking the process and the batch with it.
  { name: 'corrupt.jpg', cause: /JPEG image could not be decoded: .*(ends|past the end)/, what: 'a JPEG cut inside its headers' },
  { name: 'corrupt.png', cause: /PNG image could not be decoded: .*CRC/, what: 'a PNG whose header chunk fails its CRC' },
  { name: 'corrupt-jpeg-image.pdf', cause: IMAGE_ONLY, what: 'a page whose JPEG has a Huffman table that is no table' },
];

const STACK_FRAME = /^\s+at\s/m;

// Image-only pages start OCR workers; release them so the test process can exit.
afterAll(closePipeline);

function expectCleanFailure(r: DocumentResult, file: string, cause: RegExp): void {
  expect(r.file).toBe(file);
  expect(r.records).toHaveLength(0);
  expect(r.errors.length).toBeGreaterThan(0);
  const message = r.errors.map((e) => e.message).join('\n');
  // Names the file, states the cause, and is a message rather than a dump.
  expect(r.errors.every((e) => e.file === file)).toBe(true);
  expect(message).toContain(file);
  // The cause must be in the message itself, not only in the file's name ('encrypted-user.pdf').
  expect(message.replaceAll(file, '')).toMatch(cause);
  expect(message).not.toMatch(STACK_FRAME);
  expect(message.length).toBeLessThan(500);
}

describe('fixtures', () => {
  it.each(CASES.map((c) => c.name))('%s is committed and small', (name) => {
    const size = statSync(join(BAD, name)).size;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(50 * 1024);
  });
});

describe('processFile on bad inputs', () => {
  for (const { name, cause, what } of CASES) {
    it(
      `${name} (${what}) gives a clear per-file error`,
      async () => {
        const file = join(BAD, name);
        const started = performance.now();
        // processFile must resolve, never reject.
        const r = await processFile(file).catch((e: unknown) => {
          throw new Error(`processFile threw for ${file}: ${e instanceof Error ? e.message : String(e)}`);
        });
        expectCleanFailure(r, file, cause);
        expect(performance.now() - started).toBeLessThan(PER_FILE_MS);
      },
      PER_FILE_MS + 5_000,
    );
  }

  it('the user-password PDF is reported as encrypted, not as corrupt', async () => {
    const file = join(BAD, 'encrypted-user.pdf');
    const r = await processFile(file);
    const cause = r.errors[0]!.message.replaceAll(file, '');
    expect(cause).toMatch(/encrypted|password/i);
    expect(cause).not.toMatch(/corrupt|truncated/i);
  });

  it('the user-password PDF opens with its password, and a wrong one is named as such', async () => {
    // make.sh: qpdf --encrypt user owner 256
    const file = join(BAD, 'encrypted-user.pdf');
    const opened = await processFile(file, { password: 'user' });
    const causes = opened.errors.map((e) => e.message.replaceAll(file, '')).join('\n');
    expect(causes).toMatch(NO_FORM);
    expect(causes).not.toMatch(/password|encrypted/i);
    const wrong = await processFile(file, { password: 'nope' });
    expect(wrong.errors.map((e) => e.message.replaceAll(file, '')).join('\n')).toMatch(/password given does not open it/);
  });

  it('the owner-password PDF opens (no password error)', async () => {
    const file = join(BAD, 'encrypted-owner.pdf');
    const r = await processFile(file);
    // The cause, without the file name (which itself says 'encrypted').
    const causes = r.errors.map((e) => e.message.replaceAll(file, '')).join('\n');
    expect(causes).toMatch(NO_FORM);
    expect(causes).not.toMatch(/password|encrypted/i);
  });
});

describe('a batch of bad inputs with one good PDF', () => {
  it(
    'every bad file gets its own error and the good one still yields its records',
    async () => {
      const bad = CASES.map((c) => join(BAD, c.name));
      const files = [...bad.slice(0, 4), GOOD, ...bad.slice(4)];
      const results = await processFiles(files, 2);
      expect(results.map((r) => r.file)).toEqual(files);
      for (const r of results) {
        if (r.file === GOOD) continue;
        const c = CASES.find((k) => join(BAD, k.name) === r.file)!;
        expectCleanFailure(r, r.file, c.cause);
      }
      const good = results.find((r) => r.file === GOOD)!;
      expect(good.errors).toEqual([]);
      expect(good.records).toHaveLength(3);
    },
    120_000,
  );
});

describe('jixiao check on bad inputs', () => {
  it('opens an encrypted PDF with --password, in its worker lane', () => {
    const file = join(BAD, 'encrypted-user.pdf');
    const r = spawnSync(process.execPath, ['bin/jixiao.js', 'check', file, '--password', 'user'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(NO_FORM);
    expect(r.stdout).not.toMatch(/password|encrypted PDF/);
  }, 60_000);

  it(
    'exits 2 for a batch of only bad files, naming each, with no stack trace',
    () => {
      const files = CASES.map((c) => join(BAD, c.name));
      const r = spawnSync(process.execPath, ['bin/jixiao.js', 'check', ...files], { encoding: 'utf8', timeout: 90_000 });
      expect(r.error).toBeUndefined();
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      for (const f of files) expect(r.stdout + r.stderr).toContain(f);
      expect(r.stdout).not.toMatch(STACK_FRAME);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stdout + r.stderr).not.toMatch(/internal error|Unhandled|TypeError|RangeError/);
    },
    120_000,
  );

  it(
    'exits 2 with --json too, one document per input with its error',
    () => {
      const files = CASES.map((c) => join(BAD, c.name));
      const r = spawnSync(process.execPath, ['bin/jixiao.js', 'check', ...files, '--json'], { encoding: 'utf8', timeout: 90_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      const json = JSON.parse(r.stdout) as { documents: { file: string; records: unknown[]; errors: { message: string }[] }[] };
      expect(json.documents.map((d) => d.file)).toEqual(files);
      for (const d of json.documents) {
        expect(d.records).toHaveLength(0);
        expect(d.errors.length).toBeGreaterThan(0);
        expect(d.errors[0]!.message).toContain(d.file);
      }
    },
    120_000,
  );
});
