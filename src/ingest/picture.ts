/**
 * Image files → OCR-read pages: PNG and JPEG decoded through @napi-rs/canvas (the same native
 * library pdfjs renders with), one page each; TIFF (multi-page, fax-compressed scans) through
 * tiff.ts. A page is brought to the OCR resolution first, as the PDF route renders scanned pages at
 * it: from the resolution the file states (TIFF tags, PNG pHYs, JPEG JFIF), or, for a whole page
 * without a believable one, from its size as an A4 page (see pageDpi).
 */
import type { IngestedDocument, Page } from './types.js';
import { IngestError } from './text.js';
import { loadCanvas } from './canvas.js';
import { OCR_DPI, resample, rgbaToGray, type GrayImage } from './image.js';
import { isTiff, openTiff, type Resolution } from './tiff.js';
import { pageReads } from './page-reads.js';
import { isPng, jpegFault, pngChunks, pngFault } from './image-faults.js';

/** A photo or scan without a stated resolution is taken to be at the OCR resolution. */
const ASSUMED_DPI = OCR_DPI;
const MAX_PIXELS = 60e6;
/** Pages beyond this are not read (a guard against huge files, as for PDFs). */
const MAX_PAGES = 2000;

type Ocr = (img: GrayImage, pageNo: number, dpi: number) => Promise<Page>;

/** A4's short side in inches: the forms are A4 pages. */
const A4_SHORT_IN = 8.27;

/** Resolutions scans are made at. */
const scanResolution = (dpi: number): boolean => dpi >= 100 && dpi <= 600;

/**
 * The page's resolution: as the file states it when that is a scanning resolution (100–600 dpi: a
 * crop of a page is small) or makes a page of paper size (short side 4–17 inches, A6 to A2: a fax's
 * 204 × 98), and the image is no larger than A2 at it (a scanner writing 300 dots per *centimetre*
 * for per inch, a tool writing 72 dpi on a 300-dpi scan, are not believed); else, for a whole page
 * (long side 1.25–1.5 times the short) at a scanning resolution, the one that makes it A4; else
 * unknown (the image is read as it is).
 */
export function pageDpi(width: number, height: number, stated: Resolution | null): Resolution | null {
  if (stated) {
    const [w, h] = [width / stated.x, height / stated.y];
    const paper = Math.min(w, h) >= 4 && Math.min(w, h) <= 17;
    if ((paper || (scanResolution(stated.x) && scanResolution(stated.y))) && Math.max(w, h) <= 24) return stated;
  }
  const [short, long] = width < height ? [width, height] : [height, width];
  const aspect = long / short;
  const a4 = short / A4_SHORT_IN;
  return aspect >= 1.25 && aspect <= 1.5 && scanResolution(a4) ? { x: a4, y: a4 } : null;
}

/** The image at the OCR resolution, each axis on its own, when its own is known and differs; else as it is. */
function atOcrResolution(image: GrayImage, stated: Resolution | null): { image: GrayImage; dpi: number } {
  const dpi = pageDpi(image.width, image.height, stated);
  if (dpi === null) return { image, dpi: ASSUMED_DPI };
  if (Math.abs(dpi.x - OCR_DPI) < 2 && Math.abs(dpi.y - OCR_DPI) < 2) return { image, dpi: OCR_DPI };
  const [w, h] = [Math.max(1, Math.round((image.width * OCR_DPI) / dpi.x)), Math.max(1, Math.round((image.height * OCR_DPI) / dpi.y))];
  return { image: resample(image, w, h), dpi: OCR_DPI };
}

/**
 * The resolution a PNG (pHYs chunk, dots per metre) or JPEG (JFIF header, dots per inch or per
 * centimetre) states, or null when it states none.
 */
export function statedImageResolution(bytes: Uint8Array): Resolution | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(b)) {
    for (const { type, body } of pngChunks(b)) {
      if (type === 'IDAT' || type === 'IEND') return null;
      if (type === 'pHYs' && body.length >= 9) {
        if (body[8] !== 1) return null; // unit unknown: an aspect ratio only
        const pHYs = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
        const perMetre = (n: number): number => n * 0.0254;
        return { x: perMetre(pHYs.readUInt32BE(0)), y: perMetre(pHYs.readUInt32BE(4)) };
      }
    }
    return null;
  }
  // JPEG: SOI, then APP0 "JFIF\0", version, units (1 inch, 2 cm), x and y density.
  if (b.length >= 18 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff && b[3] === 0xe0 && b.toString('latin1', 6, 11) === 'JFIF\0') {
    const [unit, x, y] = [b[13]!, b.readUInt16BE(14), b.readUInt16BE(16)];
    if ((unit !== 1 && unit !== 2) || x === 0 || y === 0) return null;
    return unit === 1 ? { x, y } : { x: x * 2.54, y: y * 2.54 };
  }
  return null;
}

async function decodeWithCanvas(file: string, bytes: Uint8Array): Promise<GrayImage> {
  const { createCanvas, loadImage } = await loadCanvas();
  // A fault the native decoder would meet is refused here: it takes the process down (image-faults.ts).
  const png = isPng(bytes);
  const fault = png ? pngFault(bytes, MAX_PIXELS) : jpegFault(bytes, MAX_PIXELS);
  if (fault) throw new IngestError(file, `${png ? 'PNG' : 'JPEG'} image could not be decoded: ${fault}`);
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
  // The canvas's own pixels (premultiplied RGBA, opaque on the white fill; a live view, read at once).
  return rgbaToGray(canvas.data(), width, height);
}

export async function ingestPicture(file: string, bytes: Uint8Array, ocr: Ocr): Promise<IngestedDocument> {
  if (!isTiff(bytes)) {
    const ready = atOcrResolution(await decodeWithCanvas(file, bytes), statedImageResolution(bytes));
    return { file, source: 'ocr', format: 'plain', pages: [await ocr(ready.image, 1, ready.dpi)] };
  }
  // openTiff reads no more than MAX_PAGES page directories.
  const tiff = await openTiff(file, bytes, MAX_PIXELS, MAX_PAGES);
  const pages: Page[] = new Array(tiff.pages);
  // Pages are decoded as the OCR pool takes them.
  const reads = pageReads(pages);
  for (let i = 0; i < tiff.pages; i++) {
    const { image, dpi } = await tiff.page(i);
    const ready = atOcrResolution(image, dpi);
    await reads.add(i, ocr(ready.image, i + 1, ready.dpi));
  }
  await reads.done();
  return { file, source: 'ocr', format: 'plain', pages };
}
