/**
 * Text exports in the encodings government offices save them in: UTF-8, GB18030 (GBK) and
 * Windows' "Unicode" (UTF-16 with a byte-order mark), each read to the sample declaration's records.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processBytes } from '../src/pipeline.js';

const SAMPLE = 'samples/sh-sibao-2022-target-declaration.md';
// The gold's project names (samples/sh-sibao-2022-target-declaration.gold.json).
const gold = (JSON.parse(readFileSync('samples/sh-sibao-2022-target-declaration.gold.json', 'utf8')) as { records: { projectName: string }[] }).records.map((r) => r.projectName);

const utf16 = (text: string, bigEndian: boolean): Buffer => {
  const le = Buffer.from('\ufeff' + text, 'utf16le');
  return bigEndian ? le.swap16() : le;
};

describe('a text export', () => {
  const text = readFileSync(SAMPLE, 'utf8');
  it.each([
    ['UTF-8', () => Buffer.from(text, 'utf8')],
    // iconv -f utf-8 -t gb18030 samples/sh-sibao-2022-target-declaration.md
    ['GB18030', () => readFileSync('test/fixtures/text/declaration.gb18030.md')],
    ['UTF-16LE with its byte-order mark', () => utf16(text, false)],
    ['UTF-16BE with its byte-order mark', () => utf16(text, true)],
  ])('in %s is read to the records', async (_, bytes) => {
    const r = await processBytes('declaration.md', bytes());
    expect(r.errors).toEqual([]);
    expect(r.records.map((x) => (x as { projectName: string }).projectName)).toEqual(gold);
  });
});
