import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPdf, renderWorkerPatchesApply, textWorkerPatchesApply } from '../src/ingest/pdf.js';
import { processFile } from '../src/pipeline.js';
import { compareRecord, prf } from '../eval/metrics.js';
import type { TargetDeclaration } from '../src/schema/records.js';

/** The pages pdf.ts reads from a file, as JSON, in a fresh process with the given environment. */
function pagesJson(file: string, env: Record<string, string>): string {
  const script = `import { readFileSync } from 'node:fs'; import { ingestPdf } from './src/ingest/pdf.ts';
    const d = await ingestPdf(${JSON.stringify(file)}, readFileSync(${JSON.stringify(file)}));
    process.stdout.write(JSON.stringify(d.pages));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('the bytes handed to pdfjs', () => {
  it('are left as they were: an unfiltered image is decoded in place, on the render document’s own copy', async () => {
    const pixels = Buffer.alloc(16, 0x20).toString('latin1');
    const bytes = pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>',
      '<< /Length 31 >>\nstream\nq 200 0 0 200 0 0 cm /Im0 Do Q\nendstream',
      `<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 /Decode [1 0] /Length 16 >>\nstream\n${pixels}\nendstream`,
    ]);
    const before = Buffer.from(bytes);
    let rendered = 0;
    const ocr = async (img: { data: Uint8Array }, n: number): Promise<{ number: number; lines: [] }> => {
      rendered = img.data[0]!;
      return { number: n, lines: [] };
    };
    await ingestPdf('image.pdf', bytes, { ocr });
    expect(rendered).toBeGreaterThan(200); // /Decode [1 0]: the dark 0x20 samples are drawn light
    expect(bytes.equals(before)).toBe(true);
  });
});

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

  it('reads ruling lines drawn under a transform, inside a form XObject with a /Matrix, and as thin filled rectangles (both workers)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-rules-')), 'rules.pdf');
    writeFileSync(file, pdfWith(
      'BT /F1 12 Tf 20 170 Td (Hello) Tj ET\n' +
        'q 1 0 0 1 10 20 cm 0 0 m 100 0 l S Q\n' + // → (10,20)–(110,20)
        'q 1 0 0 1 50 0 cm /Fm0 Do Q\n' + // form: 0 10 m 0 60 l S under [2 0 0 2 0 0] → x 50, y 20–120
        '20 150 100 1 re f\n', // a thin filled rectangle → y 150.5, x 20–120
      '0 10 m 0 60 l S',
    ));
    const patched = pagesJson(file, {});
    expect(patched).toBe(pagesJson(file, { JIXIAO_PDFJS_STOCK_WORKER: '1' }));
    const [page] = JSON.parse(patched) as { rules: { x1: number; y1: number; x2: number; y2: number }[]; lines: { text: string }[] }[];
    expect(page!.lines.map((l) => l.text)).toEqual(['Hello']);
    // Page space, top-left origin, on a 200 × 200 page.
    const rounded = page!.rules.map((r) => [r.x1, r.y1, r.x2, r.y2].map((v) => Math.round(v * 10) / 10));
    expect(rounded).toEqual(expect.arrayContaining([[10, 180, 110, 180], [50, 80, 50, 180], [20, 49.5, 120, 49.5]]));
    expect(rounded).toHaveLength(3);
  });
  it('switches fonts as the stock worker does: back and forth, by size, across q/Q, by an ExtGState, in a form with fonts of its own under the same names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-fonts-')), 'fonts.pdf');
    const content =
      'BT /F1 12 Tf 10 180 Td (Aa) Tj /F2 12 Tf (Bb) Tj /F1 12 Tf (Cc) Tj /F1 9 Tf (Dd) Tj ET\n' +
      'q BT /F2 10 Tf 10 160 Td (Ee) Tj ET Q BT 10 140 Td /F1 10 Tf (Ff) Tj /GS0 gs (Gg) Tj /F1 10 Tf (Hh) Tj ET\n' +
      'q 1 0 0 1 0 -60 cm /Fm0 Do Q BT /F2 11 Tf 10 20 Td (Ii) Tj ET\n';
    const form = 'BT /F1 10 Tf 10 100 Td (Jj) Tj /F2 10 Tf (Kk) Tj /F1 10 Tf (Ll) Tj ET';
    writeFileSync(file, pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /ExtGState << /GS0 << /Font [7 0 R 14] >> >> /XObject << /Fm0 8 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>',
      // The form names Courier F1 and Helvetica-Bold F2.
      `<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /Font << /F1 7 0 R /F2 9 0 R >> >> /Length ${form.length} >>\nstream\n${form}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>',
    ]));
    const patched = pagesJson(file, {});
    expect(patched).toBe(pagesJson(file, { JIXIAO_PDFJS_STOCK_WORKER: '1' }));
    const text = (JSON.parse(patched) as { lines: { text: string }[] }[])[0]!.lines.map((l) => l.text).join(' ');
    for (const s of ['Aa', 'Bb', 'Ee', 'Gg', 'Jj', 'Kk', 'Ll', 'Ii']) expect(text).toContain(s);
  });
  it('reads a Flate stream whose checksum is wrong (zlib refuses it; pdfjs’s own inflater reads it)', () => {
    const deflated = deflateSync(Buffer.from('BT /F1 12 Tf 20 170 Td (Checksum) Tj ET\n0 0 m 100 0 l S\n', 'latin1'));
    deflated[deflated.length - 1]! ^= 0xff; // the Adler-32 at the end
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-flate-')), 'bad-checksum.pdf');
    writeFileSync(file, pdfWith(deflated, ''));
    const patched = pagesJson(file, {});
    expect((JSON.parse(patched) as { lines: { text: string }[] }[])[0]!.lines.map((l) => l.text)).toEqual(['Checksum']);
    expect(patched).toBe(pagesJson(file, { JIXIAO_PDFJS_STOCK_WORKER: '1' }));
  });
});

/** A page rendered for OCR in a fresh process with the given environment: its gray pixels and how many JPEGs were decoded natively. */
function renderedJson(file: string, env: Record<string, string>): { width: number; height: number; gray: number[]; native: number } {
  const script = `import { readFileSync } from 'node:fs'; import { ingestPdf, nativeJpegDecodes } from './src/ingest/pdf.ts';
    let out = null;
    await ingestPdf(${JSON.stringify(file)}, readFileSync(${JSON.stringify(file)}), { ocrDpi: 144, ocr: async (img, n) => { out = { width: img.width, height: img.height, gray: Array.from(img.data) }; return { number: n, lines: [] }; } });
    process.stdout.write(JSON.stringify({ ...out, native: nativeJpegDecodes() }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { width: number; height: number; gray: number[]; native: number };
}

/** A one-page PDF, 300 × 200 pt, showing a 300 × 200 JPEG (DCTDecode, or JPEG 2000: JPXDecode) in the given color space. */
function jpegPdf(jpeg: Buffer, colorSpace: 'DeviceRGB' | 'DeviceGray', filter: 'DCTDecode' | 'JPXDecode' = 'DCTDecode'): Buffer {
  const content = 'q 300 0 0 200 0 0 cm /Im0 Do Q';
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Type /XObject /Subtype /Image /Width 300 /Height 200 /ColorSpace /${colorSpace} /BitsPerComponent 8 /Filter /${filter} /Length ${jpeg.length} >>\nstream\n${jpeg.toString('latin1')}\nendstream`,
  ]);
}

describe('the patched pdfjs render worker', () => {
  it('applies to the installed pdfjs', async () => {
    expect(await renderWorkerPatchesApply()).toBe(true);
  });
  // Bands of black, red, green, blue and gray over a gray ramp (test/fixtures/scans/bands-*.jpg).
  it.each([
    ['bands-rgb.jpg', 'DeviceRGB'],
    ['bands-gray.jpg', 'DeviceGray'],
  ] as const)('decodes a %s JPEG natively, to the pixels pdfjs’s own decoder gives', (name, colorSpace) => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-jpeg-')), 'scan.pdf');
    writeFileSync(file, jpegPdf(readFileSync(join('test', 'fixtures', 'scans', name)), colorSpace));
    const patched = renderedJson(file, {});
    const stock = renderedJson(file, { JIXIAO_PDFJS_STOCK_WORKER: '1' });
    expect(patched.native).toBe(1);
    expect(stock.native).toBe(0);
    expect([patched.width, patched.height]).toEqual([600, 400]); // 300 × 200 pt at 144 dpi
    expect([stock.width, stock.height]).toEqual([600, 400]);
    // The red band is a seal's red to the gray map (image.ts rgbaToGray): paper, with a step at its
    // edges where the two decoders' chroma differs by a little; the decoders are compared elsewhere.
    const redBand = (i: number): boolean => colorSpace === 'DeviceRGB' && i % patched.width >= 116 && i % patched.width < 244;
    const diffs = patched.gray.flatMap((v, i) => (redBand(i) ? [] : [Math.abs(v - stock.gray[i]!)]));
    // Within three levels but for the columns where a color band meets another (libjpeg-turbo and
    // pdfjs upsample the halved chroma differently): two columns of the 600 on the RGB page.
    expect(diffs.filter((d) => d > 3).length / diffs.length).toBeLessThan(0.005);
    expect(diffs.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(16);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.2);
    // The bands themselves: black, then red (a seal's red: paper, in both decodings), blue darker
    // than gray (a channel swap shows here: blue taken for red would be paper, red for blue dark).
    const at = (x: number, y: number): number => patched.gray[y * patched.width + x]!;
    const [black, red, , blue, gray] = [0, 1, 2, 3, 4].map((k) => at(k * 120 + 60, 100));
    expect(black).toBeLessThan(20);
    expect(gray).toBeGreaterThan(110);
    expect(gray).toBeLessThan(145);
    if (colorSpace === 'DeviceRGB') {
      expect(red).toBeGreaterThan(250);
      expect(stock.gray[100 * stock.width + 180]).toBeGreaterThan(250);
      expect(blue).toBeLessThan(gray! - 30);
    }
  }, 60_000);
  // pdfjs decodes JPEG 2000 with a WebAssembly decoder it loads from its wasmUrl: without one the
  // image is not drawn, and a scanner's JPEG 2000 page was read as blank ("no form found").
  it('decodes a JPEG 2000 (JPXDecode) scan: the page is not left blank', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-jpx-')), 'scan.pdf');
    // bands-gray.jpg made JPEG 2000 (ImageMagick, quality 40).
    writeFileSync(file, jpegPdf(readFileSync(join('test', 'fixtures', 'scans', 'bands-gray.jp2')), 'DeviceGray', 'JPXDecode'));
    const r = renderedJson(file, {});
    expect([r.width, r.height]).toEqual([600, 400]);
    const at = (x: number, y: number): number => r.gray[y * r.width + x]!;
    const [black, , , , gray] = [0, 1, 2, 3, 4].map((k) => at(k * 120 + 60, 100));
    expect(black).toBeLessThan(20);
    expect(gray).toBeGreaterThan(110);
    expect(gray).toBeLessThan(145);
  }, 60_000);
  // Scanners and Acrobat store bilevel scans as JBIG2 or CCITT G4, which pdfjs 5 decodes with its
  // WebAssembly decoder (jbig2.wasm, from its wasmUrl). The same T.6 data as a JBIG2 generic region
  // coded MMR and as CCITTFaxDecode: the two must render alike, and not blank. Guards (both passed
  // when written): no test had a JBIG2 page before.
  it('guard: decodes a bilevel scan stored as JBIG2 (JBIG2Decode) or CCITT G4 (CCITTFaxDecode) to the same pixels', () => {
    const g4 = readFileSync(join('test', 'fixtures', 'scans', 'bands-bilevel.g4'));
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-bilevel-'));
    const [jbig2, ccitt] = [join(dir, 'jbig2.pdf'), join(dir, 'ccitt.pdf')];
    writeFileSync(jbig2, bilevelPdf(jbig2Mmr(g4, 300, 200), '/Filter /JBIG2Decode', 300, 200, [300, 200]));
    writeFileSync(ccitt, bilevelPdf(g4, '/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 300 /Rows 200 >>', 300, 200, [300, 200]));
    const [a, b] = [renderedJson(jbig2, {}), renderedJson(ccitt, {})];
    expect([a.width, a.height]).toEqual([600, 400]);
    expect(a.gray).toEqual(b.gray);
    // The black band is black and the page has paper.
    expect(a.gray[100 * a.width + 60]).toBeLessThan(20);
    expect(a.gray.filter((v) => v > 235).length).toBeGreaterThan(a.gray.length / 10);
  }, 60_000);
  it('guard: reads a form page stored as JBIG2 to the gold’s record (real tesseract.js)', async () => {
    // Page 1 of samples/pdf/sh-sibao-2022-target-declaration.pdf at 300 dpi, thresholded (make-g4.sh).
    const g4 = readFileSync(join('test', 'fixtures', 'scans', 'declaration-page.g4'));
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-jbig2-')), 'declaration.pdf');
    writeFileSync(file, bilevelPdf(jbig2Mmr(g4, 2479, 3508), '/Filter /JBIG2Decode', 2479, 3508, [594.96, 841.92]));
    const r = await processFile(file);
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(1);
    // Against the gold record (samples/sh-sibao-2022-target-declaration.gold.json, record 0), field
    // by field as `npm run eval` scores: read as well as the scan route reads its pages (F1 0.98 on
    // this form's gray scan).
    const gold = JSON.parse(readFileSync('samples/sh-sibao-2022-target-declaration.gold.json', 'utf8')) as { records: unknown[] };
    const { counts, diffs } = compareRecord(gold.records[0], r.records[0]);
    // At most two fields besides the goals misread (when written: 环 read 坏 in one indicator's name).
    expect(diffs.filter((d) => !d.path.startsWith('goals.')).length).toBeLessThanOrEqual(2);
    expect(prf(counts).f1).toBeGreaterThanOrEqual(0.95);
    const form = r.records[0] as TargetDeclaration;
    expect(form.funding).toMatchObject({ projectTotal: 14979100, annualTotal: 14979100 });
    expect(form.indicators).toHaveLength(13);
  }, 120_000);
  it('renders a truncated JPEG as pdfjs does, without failing the page', () => {
    const jpeg = readFileSync(join('test', 'fixtures', 'scans', 'bands-rgb.jpg'));
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-jpeg-')), 'truncated.pdf');
    writeFileSync(file, jpegPdf(jpeg.subarray(0, Math.round(jpeg.length * 0.6)), 'DeviceRGB'));
    const patched = renderedJson(file, {});
    expect([patched.width, patched.height]).toEqual([600, 400]);
    // The top rows (decoded before the cut) show the black band.
    expect(patched.gray[20 * 600 + 60]).toBeLessThan(40);
  }, 60_000);
});

/**
 * A one-page PDF, 300 × 200 pt: a scan (bands-gray.jpg) painted where `placed` says (each a cm
 * matrix and an image of its own; by default over the whole page; none: no picture), under `line` in text render mode `mode`
 * (3: invisible, as a scanner's OCR layer is drawn; 0: printed), and `visible` text, if any, printed
 * beside it.
 */
function layeredPdf({ mode, line = 'Another program read this scan', visible = '', placed = ['300 0 0 200 0 0'] }: { mode: number; line?: string; visible?: string; placed?: string[] }): Buffer {
  const jpeg = readFileSync(join('test', 'fixtures', 'scans', 'bands-gray.jpg'));
  const printed = visible ? ` BT /F1 4 Tf 0 Tr 10 20 Td (${visible}) Tj ET` : '';
  const pictures = placed.map((m, k) => `q ${m} cm /Im${k} Do Q `).join('');
  const content = `${pictures}BT /F1 3 Tf ${mode} Tr 5 100 Td (${line}) Tj ET${printed}`;
  const images = placed.map((_, k) => `/Im${k} ${6 + k} 0 R`).join(' ');
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /XObject << ${images} >> /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...placed.map(() => `<< /Type /XObject /Subtype /Image /Width 300 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n${jpeg.toString('latin1')}\nendstream`),
  ]);
}

describe('a page under another program’s OCR layer (a "searchable PDF" of a scan)', () => {
  const workers = [
    ['patched', {}],
    ['stock', { JIXIAO_PDFJS_STOCK_WORKER: '1' }],
  ] as const;
  const write = (name: string, bytes: Buffer): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-layer-')), name);
    writeFileSync(file, bytes);
    return file;
  };
  // 120 printed characters: more than a stamp, so only its being invisible can make the page a scan.
  const layer = 'The scanner software read this page and laid its reading over the scanned image in invisible text, one line of it here for the test';
  it.each(workers)('is read by OCR when its text is drawn invisibly (render mode 3 or 7) over a picture, from the rendered scan (%s worker)', (_, env) => {
    expect(layer.replace(/ /g, '').length).toBeGreaterThanOrEqual(100);
    for (const mode of [3, 7]) {
      const r = renderedJson(write(`mode${mode}.pdf`, layeredPdf({ mode, line: layer })), env);
      expect([r.width, r.height]).toEqual([600, 400]);
      // The render shows the scan: its black band, and no text over it.
      expect(r.gray[100 * r.width + 60]).toBeLessThan(20);
    }
  }, 60_000);
  it.each(workers)('is read by OCR when it is a picture with a few characters stamped on it (a page number, a watermark), the scan whole or in bands (%s worker)', (_, env) => {
    const r = renderedJson(write('stamped.pdf', layeredPdf({ mode: 0 })), env);
    expect([r.width, r.height]).toEqual([600, 400]);
    expect(r.gray[100 * r.width + 60]).toBeLessThan(20);
    // Four bands of a quarter of the page each (300 × 50 pt), each an image of its own.
    const bands = ['300 0 0 50 0 0', '300 0 0 50 0 50', '300 0 0 50 0 100', '300 0 0 50 0 150'];
    expect(renderedJson(write('bands.pdf', layeredPdf({ mode: 0, placed: bands })), env).width).toBe(600);
  }, 60_000);
  // Printed characters: 26 on the line, 78 more in the text below.
  const page = 'A page printing a hundred characters or more over its picture is a page of text, as it was before';
  it.each(workers)('guard: a page of text over a picture, of mostly printed text, of invisible text over no picture, or of little text beside a logo keeps its text layer (%s worker)', (_, env) => {
    expect(renderedJson(write('printed.pdf', layeredPdf({ mode: 0, visible: page })), env).width).toBeUndefined();
    expect(renderedJson(write('mostly-printed.pdf', layeredPdf({ mode: 3, visible: page })), env).width).toBeUndefined();
    // Invisible text over glyphs drawn as outlines (here: over nothing) is the page's own text.
    expect(renderedJson(write('invisible-only.pdf', layeredPdf({ mode: 3, line: layer, placed: [] })), env).width).toBeUndefined();
    // A logo: a tenth of the page.
    expect(renderedJson(write('logo.pdf', layeredPdf({ mode: 0, placed: ['100 0 0 60 0 140'] })), env).width).toBeUndefined();
  }, 60_000);
});

/**
 * A one-page 200 × 200 PDF with the given content stream (a Buffer: Flate-compressed), Helvetica as
 * /F1 and a form XObject /Fm0 (/Matrix [2 0 0 2 0 0]).
 */
function pdfWith(content: string | Buffer, form: string): Buffer {
  const stream = typeof content === 'string' ? content : content.toString('latin1');
  const filter = typeof content === 'string' ? '' : ' /Filter /FlateDecode';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Fm0 6 0 R >> >> >>',
    `<< /Length ${stream.length}${filter} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [2 0 0 2 0 0] /Length ${form.length} >>\nstream\n${form}\nendstream`,
  ];
  return pdfOf(objects);
}

/**
 * A JBIG2 stream as PDF embeds it (ISO 14492 segments without the file header and the end-of-page
 * and end-of-file segments, ISO 32000 7.4.7): page information, then one immediate generic region
 * coded MMR holding the T.6 data `g4`.
 */
function jbig2Mmr(g4: Buffer, width: number, height: number): Buffer {
  const segment = (number: number, type: number, data: Buffer): Buffer => {
    const header = Buffer.alloc(11);
    header.writeUInt32BE(number, 0);
    header[4] = type; // the page association in one byte
    header[5] = 0; // no referred-to segments
    header[6] = 1; // page 1
    header.writeUInt32BE(data.length, 7);
    return Buffer.concat([header, data]);
  };
  // Page information: width, height, resolutions unknown (0), flags 0, no striping.
  const page = Buffer.alloc(19);
  page.writeUInt32BE(width, 0);
  page.writeUInt32BE(height, 4);
  // Region information (width, height, at 0,0, combined by OR), then the generic region flags: MMR.
  const region = Buffer.alloc(18);
  region.writeUInt32BE(width, 0);
  region.writeUInt32BE(height, 4);
  region[17] = 1;
  return Buffer.concat([segment(0, 48, page), segment(1, 38, Buffer.concat([region, g4]))]);
}

/** A one-page PDF of `size` points showing a 1-bit image of width × height pixels, its stream filtered as `filter` says. */
function bilevelPdf(data: Buffer, filter: string, width: number, height: number, size: [number, number]): Buffer {
  const content = `q ${size[0]} 0 0 ${size[1]} 0 0 cm /Im0 Do Q`;
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size[0]} ${size[1]}] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 1 ${filter} /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`,
  ]);
}

/** A PDF of the given objects (1 0 R the catalog), with its cross-reference table. */
function pdfOf(objects: string[]): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

describe('the canvas pages are rendered on', () => {
  it('is used again for a page of the same size, and holds nothing of the page drawn on it before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-canvas-'));
    const bands = join(dir, 'bands.pdf');
    const blank = join(dir, 'blank.pdf');
    writeFileSync(bands, jpegPdf(readFileSync(join('test', 'fixtures', 'scans', 'bands-gray.jpg')), 'DeviceGray'));
    writeFileSync(blank, pdfOf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>', '<< /Length 0 >>\nstream\n\nendstream']));
    const render = async (file: string): Promise<Uint8Array> => {
      let gray = new Uint8Array(0);
      await ingestPdf(file, readFileSync(file), { ocrDpi: 144, ocr: async (img, n) => ((gray = img.data.slice()), { number: n, lines: [] }) });
      return gray;
    };
    const first = await render(bands);
    const white = await render(blank);
    const again = await render(bands);
    expect(first.length).toBe(600 * 400);
    expect(first.some((v) => v < 20)).toBe(true); // the black band
    expect(white.length).toBe(600 * 400);
    expect(white.every((v) => v === 255)).toBe(true);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });
});
