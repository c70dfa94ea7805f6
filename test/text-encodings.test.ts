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
  // The first bytes each format begins with, NUL bytes after.
  const file = (head: string): Buffer => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(34)]);
  /** A ZIP archive of the given entries, stored (a local header and the data each), without its central directory. */
  const zip = (entries: [name: string, data: string][]): Buffer =>
    Buffer.concat(
      entries.flatMap(([name, data]) => {
        const header = Buffer.alloc(30);
        header.writeUInt32LE(0x04034b50, 0);
        header.writeUInt32LE(data.length, 18);
        header.writeUInt32LE(data.length, 22);
        header.writeUInt16LE(name.length, 26);
        return [header, Buffer.from(name, 'latin1'), Buffer.from(data, 'latin1')];
      }),
    );
  it.each([
    ['a Word document', zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']]), /Word document \(\.docx\): save it as PDF/],
    ['an Excel workbook', zip([['xl/workbook.xml', '<workbook/>']]), /Excel workbook \(\.xlsx\): save it as PDF/],
    ['an OFD document', zip([['OFD.xml', '<ofd:OFD/>']]), /OFD document: save it as PDF/],
    ['a ZIP archive', zip([['forms/a.tif', 'II*\0']]), /ZIP archive: unpack it/],
    // Names are read from the headers: the data's own bytes name nothing.
    ['a ZIP archive whose data hold "xl/"', zip([['scan1.tif', 'II*\0 xl/ word/ ppt/']]), /ZIP archive: unpack it/],
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
