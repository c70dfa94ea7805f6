/**
 * Image files (PNG, JPEG) → one OCR-read page each. Decoding through @napi-rs/canvas, the
 * same native library pdfjs renders with.
 */
import { loadCanvas } from './canvas.js';
import type { IngestedDocument, Page } from './types.js';
import { IngestError } from './text.js';
import { rgbaToGray, type GrayImage } from './image.js';

/** A photo or scan without a stated resolution is taken to be this many dots per inch. */
const ASSUMED_DPI = 200;
const MAX_PIXELS = 60e6;

export async function ingestPicture(
  file: string,
  bytes: Uint8Array,
  ocr: (img: GrayImage, pageNo: number, dpi: number) => Promise<Page>,
): Promise<IngestedDocument> {
  const head = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  if (head.startsWith('II*') || head.startsWith('MM\0')) throw new IngestError(file, 'TIFF images are not read yet; convert to PNG or put the scan in a PDF');
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
  const gray = rgbaToGray(ctx.getImageData(0, 0, width, height).data, width, height);
  return { file, source: 'ocr', format: 'plain', pages: [await ocr(gray, 1, ASSUMED_DPI)] };
}
