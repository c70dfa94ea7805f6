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

describe('a binary file handed over for a form', () => {
  // The first bytes each format begins with, and a name a ZIP-based one holds, NUL bytes in between.
  const file = (head: string, name = ''): Buffer => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(26), Buffer.from(name, 'latin1'), Buffer.alloc(8)]);
  it.each([
    ['a Word document', file('PK\x03\x04', 'word/document.xml'), /Word document \(\.docx\): save it as PDF/],
    ['an Excel workbook', file('PK\x03\x04', 'xl/workbook.xml'), /Excel workbook \(\.xlsx\): save it as PDF/],
    ['an OFD document', file('PK\x03\x04', 'OFD.xml'), /OFD document: save it as PDF/],
    ['a ZIP archive', file('PK\x03\x04', 'forms/a.pdf'), /ZIP archive: unpack it/],
    ['an Office 97–2003 document', file('\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'), /Office 97–2003 document .*: save it as PDF/],
    ['a GIF', file('GIF89a'), /GIF, BMP or WebP picture: save it as PNG, JPEG or TIFF/],
  ])('is named: %s', async (_, bytes, cause) => {
    const r = await processBytes('upload.bin', bytes);
    expect(r.records).toEqual([]);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(cause);
  });
  it('guard: other binary data is said to be binary, as before', async () => {
    const r = await processBytes('upload.bin', file('\x01\x02\x03'));
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(/binary data, not a text document \(NUL bytes found\)/);
  });
});
