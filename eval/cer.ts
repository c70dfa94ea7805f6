/**
 * OCR character error rate of the scan samples: each scan was rendered from the text-layer PDF of
 * the same name, so that PDF's text is the truth. Both go through the same lattice reader, so the
 * reading order is the same and the comparison is character by character (whitespace removed).
 */
import { readFile } from 'node:fs/promises';
import { ingestPdf } from '../src/ingest/pdf.js';
import { documentOcr } from '../src/ingest/ocr.js';
import { gridPage } from '../src/layout/grid.js';
import type { Page } from '../src/ingest/types.js';
import { levenshtein } from './metrics.js';

const pageText = (p: Page): string =>
  gridPage(p)
    .lines.map((l) => l.text)
    .join('')
    .normalize('NFKC')
    .replace(/\s+/g, '');

export interface CerResult {
  file: string;
  pages: number;
  chars: number;
  errors: number;
  cer: number;
}

/** CER over the first `maxPages` pages of a scan against its text-layer twin. */
export async function scanCer(scanPath: string, truthPath: string, maxPages = 2): Promise<CerResult> {
  const [scan, truth] = await Promise.all([readFile(scanPath), readFile(truthPath)]);
  const ocr = await ingestPdf(scanPath, scan, { ocr: documentOcr(), maxPages });
  const txt = await ingestPdf(truthPath, truth, { maxPages });
  let chars = 0;
  let errors = 0;
  ocr.pages.forEach((p, i) => {
    const t = txt.pages[i];
    if (!t) return;
    const [a, b] = [pageText(p), pageText(t)];
    chars += b.length;
    errors += levenshtein(a, b);
  });
  return { file: scanPath, pages: ocr.pages.length, chars, errors, cer: chars ? errors / chars : 0 };
}
