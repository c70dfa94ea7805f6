/**
 * Image files → OCR-read pages: PNG and JPEG decoded through @napi-rs/canvas (the same native
 * library pdfjs renders with), one page each; TIFF (multi-page, fax-compressed scans) through
 * tiff.ts. A page is brought to the OCR resolution first, as the PDF route renders scanned pages at
 * it: from the resolution a TIFF states, or, for a whole page without one (PNG and JPEG are read
 * without theirs), from its size as an A4 page (see pageDpi).
 */
import { availableParallelism } from 'node:os';
import type { IngestedDocument, Page } from './types.js';
import { IngestError } from './text.js';
import { loadCanvas } from './canvas.js';
import { resample, rgbaToGray, type GrayImage } from './image.js';
import { isTiff, openTiff, type Resolution } from './tiff.js';

/** The resolution pages are read at (the PDF route renders scans at it too). */
const OCR_DPI = 200;
/** A photo or scan without a stated resolution is taken to be at the OCR resolution. */
const ASSUMED_DPI = OCR_DPI;
const MAX_PIXELS = 60e6;
/** Pages beyond this are not read (a guard against huge files, as for PDFs). */
const MAX_PAGES = 2000;

type Ocr = (img: GrayImage, pageNo: number, dpi: number) => Promise<Page>;

/** A4's short side in inches: the forms are A4 pages. */
const A4_SHORT_IN = 8.27;

/**
 * The page's resolution: as the file states it when that makes a page of paper size (its short side
 * 4–17 inches, A6 to A2: a scanner that writes 300 dots per *centimetre* for per inch does not);
 * else, for a whole page (long side 1.25–1.5 times the short) at a resolution scans are made at
 * (100–600 dpi), the resolution that makes it A4; else unknown (the image is read as it is).
 */
export function pageDpi(width: number, height: number, stated: Resolution | null): Resolution | null {
  if (stated) {
    const [w, h] = [width / stated.x, height / stated.y];
    if (Math.min(w, h) >= 4 && Math.min(w, h) <= 17 && Math.max(w, h) <= 24) return stated;
  }
  const [short, long] = width < height ? [width, height] : [height, width];
  const aspect = long / short;
  const a4 = short / A4_SHORT_IN;
  return aspect >= 1.25 && aspect <= 1.5 && a4 >= 100 && a4 <= 600 ? { x: a4, y: a4 } : null;
}

/** The image at the OCR resolution, each axis on its own, when its own is known and differs; else as it is. */
function atOcrResolution(image: GrayImage, stated: Resolution | null): { image: GrayImage; dpi: number } {
  const dpi = pageDpi(image.width, image.height, stated);
  if (dpi === null) return { image, dpi: ASSUMED_DPI };
  if (Math.abs(dpi.x - OCR_DPI) < 2 && Math.abs(dpi.y - OCR_DPI) < 2) return { image, dpi: OCR_DPI };
  const [w, h] = [Math.max(1, Math.round((image.width * OCR_DPI) / dpi.x)), Math.max(1, Math.round((image.height * OCR_DPI) / dpi.y))];
  return { image: resample(image, w, h), dpi: OCR_DPI };
}

async function decodeWithCanvas(file: string, bytes: Uint8Array): Promise<GrayImage> {
  const { createCanvas, loadImage } = await loadCanvas();
  let image;
  try {
    image = await loadImage(Buffer.from(bytes));
  } catch (e) {
    throw new IngestError(file, `image could not be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height } = image;
  if (!width || !height) throw new IngestError(file, 'image has no pixels');
  if (width * height > MAX_PIXELS) throw new IngestError(file, `image too large to read (${width}×${height} pixels)`);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0);
  return rgbaToGray(ctx.getImageData(0, 0, width, height).data, width, height);
}

export async function ingestPicture(file: string, bytes: Uint8Array, ocr: Ocr): Promise<IngestedDocument> {
  if (!isTiff(bytes)) {
    const ready = atOcrResolution(await decodeWithCanvas(file, bytes), null);
    return { file, source: 'ocr', format: 'plain', pages: [await ocr(ready.image, 1, ready.dpi)] };
  }
  const tiff = await openTiff(file, bytes, MAX_PIXELS, MAX_PAGES);
  const count = Math.min(tiff.pages, MAX_PAGES);
  const pages: Page[] = new Array(count);
  // Pages are decoded as the OCR pool takes them: a few decoded pages wait at most.
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const { image, dpi } = tiff.page(i);
    const ready = atOcrResolution(image, dpi);
    const read = ocr(ready.image, i + 1, ready.dpi).then((p) => void (pages[i] = p));
    read.catch(() => undefined); // awaited below; a failure meanwhile is not an unhandled rejection
    pending.push(read);
    while (pending.length > availableParallelism()) await pending.shift();
  }
  await Promise.all(pending);
  return { file, source: 'ocr', format: 'plain', pages };
}
