/**
 * TIFF scans → gray page images. Archives keep scanned reports as multi-page TIFFs, most often
 * bilevel with CCITT Group 4 (fax) compression; also LZW, Deflate, PackBits or JPEG, gray, RGB or
 * paletted. Decoded with utif2 (photopea's UTIF.js), one page at a time: a hundred-page file is
 * never held decoded at once.
 */
import type { IFD } from 'utif2';
import { IngestError } from './text.js';
import { rgbaToGray, type GrayImage } from './image.js';
import { loadCanvas, withCanvas } from './canvas.js';
import { jpegFault } from './image-faults.js';

type Utif = typeof import('utif2');

export function isTiff(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  return head === 'II*\0' || head === 'MM\0*' || head === 'II+\0' || head === 'MM\0+';
}

export interface TiffPage {
  image: GrayImage;
  /** Resolution from the file's tags, dots per inch across and down (a fax page is 204 × 98); null when it does not say. */
  dpi: Resolution | null;
}

export interface TiffDocument {
  pages: number;
  /** Page `i` (0-based), decoded now. */
  page(i: number): Promise<TiffPage>;
}

/** A tag's first value as a number (a RATIONAL comes as [numerator, denominator]). */
function tagNumber(ifd: IFD, tag: number): number | null {
  const v: unknown = ifd[`t${tag}`];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  const n = Array.isArray(first) && first.length === 2 ? Number(first[0]) / Number(first[1]) : first;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Dots per inch across (x) and down (y). */
export interface Resolution {
  x: number;
  y: number;
}

/** XResolution / YResolution in dots per inch (ResolutionUnit 2 = inch, 3 = centimetre, 1 = no unit). */
function dpiOf(ifd: IFD): Resolution | null {
  const unit = tagNumber(ifd, 296) ?? 2;
  const perInch = (tag: number): number | null => {
    const res = tagNumber(ifd, tag);
    if (res === null || res <= 0 || unit === 1) return null;
    const dpi = unit === 3 ? res * 2.54 : res;
    return dpi >= 50 && dpi <= 2400 ? dpi : null;
  };
  const x = perInch(282);
  const y = perInch(283) ?? x;
  return x === null || y === null ? null : { x, y };
}

/** A page directory, not a reduced-resolution copy (NewSubfileType bit 0: a thumbnail or preview). */
function isPage(ifd: IFD): boolean {
  return tagNumber(ifd, 256) !== null && tagNumber(ifd, 257) !== null && ((tagNumber(ifd, 254) ?? 0) & 1) === 0;
}

/**
 * The buffer with its chain of image directories cut where it leaves the file, comes back to a
 * directory already seen, or passes `maxPages`: utif2 follows the chain without such checks, and a
 * directory that names itself as the next would grow its list until memory runs out. A copy is made
 * only when the chain is cut.
 */
export function boundedDirectoryChain(buffer: ArrayBuffer, maxPages: number): ArrayBuffer {
  const view = new DataView(buffer);
  if (view.byteLength < 8) return buffer;
  const le = view.getUint16(0) === 0x4949; // "II": little-endian
  const seen = new Set<number>();
  let linkAt = 4; // where the offset of the next directory is written
  for (let pages = 0; ; pages++) {
    const at = view.getUint32(linkAt, le);
    if (at === 0) return buffer;
    const fits = at >= 8 && at + 2 <= view.byteLength;
    const next = fits ? at + 2 + 12 * view.getUint16(at, le) : 0;
    if (!fits || seen.has(at) || pages >= maxPages || next + 4 > view.byteLength) {
      const copy = buffer.slice(0);
      new DataView(copy).setUint32(linkAt, 0, le);
      return copy;
    }
    seen.add(at);
    linkAt = next;
  }
}

/** Compression 7: JPEG ("new-style", each strip or tile a JPEG stream). */
const JPEG = 7;

/** A tag's values as numbers (utif2 gives an UNDEFINED tag's bytes, JPEGTables', as a Uint8Array). */
const tagNumbers = (ifd: IFD, tag: number): number[] => {
  const v: unknown = ifd[`t${tag}`];
  const values: unknown[] = Array.isArray(v) ? v : v instanceof Uint8Array ? Array.from(v) : [];
  return values.filter((n): n is number => typeof n === 'number');
};

/**
 * A JPEG-compressed page, each strip (or tile) decoded natively (libjpeg-turbo through
 * @napi-rs/canvas) and drawn in its place. utif2's decoder writes a gray strip out as RGB, three
 * bytes a pixel, into a page laid out for one: the page came out as shifted copies of itself, and an
 * RGB one failed too ("no form found" on either). A strip's stream lacks the tables it shares with
 * the others where the file keeps them in JPEGTables (tag 347): they are put back in front of it.
 */
async function jpegPage(data: Uint8Array, ifd: IFD, w: number, h: number): Promise<GrayImage> {
  // Planes stored apart (PlanarConfiguration 2) would be drawn one under the other.
  if ((tagNumber(ifd, 284) ?? 1) !== 1 && (tagNumber(ifd, 277) ?? 1) > 1) throw new Error('JPEG colour planes stored apart (PlanarConfiguration 2) are not read');
  const { loadImage } = await loadCanvas();
  const tiled = tagNumber(ifd, 322) !== null;
  const offsets = tagNumbers(ifd, tiled ? 324 : 273);
  const counts = tagNumbers(ifd, tiled ? 325 : 279);
  const [tw, th] = tiled ? [tagNumber(ifd, 322)!, tagNumber(ifd, 323) ?? h] : [w, Math.min(h, tagNumber(ifd, 278) ?? h)];
  const across = Math.max(1, Math.ceil(w / tw));
  const tables = tagNumbers(ifd, 347);
  // The tables' stream without its end (FF D9), and each strip's without its start (FF D8).
  const head = tables.length >= 4 ? Uint8Array.from(tables.slice(0, tables.at(-2) === 0xff && tables.at(-1) === 0xd9 ? -2 : undefined)) : null;
  return withCanvas(w, h, async (canvas) => {
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    for (let k = 0; k < offsets.length; k++) {
      // Without its byte count, a strip runs to the next one or to the end of the file.
      const piece = data.subarray(offsets[k]!, offsets[k]! + (counts[k] ?? (offsets[k + 1] ?? data.length) - offsets[k]!));
      const body = head && piece[0] === 0xff && piece[1] === 0xd8 ? piece.subarray(2) : piece;
      const stream = Buffer.concat(head ? [head, body] : [body]);
      // A fault the native decoder would meet is refused here: it takes the process down (image-faults.ts).
      const fault = jpegFault(stream);
      if (fault) throw new Error(`JPEG strip ${k + 1}: ${fault}`);
      const image = await loadImage(stream);
      ctx.drawImage(image, (k % across) * tw, Math.floor(k / across) * th);
    }
    const gray = rgbaToGray(canvas.data(), w, h);
    // WhiteIsZero (PhotometricInterpretation 0): dark is light.
    if (tagNumber(ifd, 262) === 0) for (let i = 0; i < gray.data.length; i++) gray.data[i] = 255 - gray.data[i]!;
    return gray;
  });
}

export async function openTiff(file: string, bytes: Uint8Array, maxPixels: number, maxPages: number): Promise<TiffDocument> {
  if (bytes.length >= 4 && (bytes[2] === 43 || bytes[3] === 43)) throw new IngestError(file, 'BigTIFF files are not read; save the scan as a classic TIFF or a PDF');
  const mod = await import('utif2');
  const utif = ((mod as { default?: Utif }).default ?? mod) as Utif;
  const buffer = boundedDirectoryChain(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, maxPages);
  let ifds: IFD[];
  try {
    ifds = utif.decode(buffer).filter(isPage);
  } catch (e) {
    throw new IngestError(file, `TIFF could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  if (ifds.length === 0) throw new IngestError(file, 'TIFF has no readable page (a truncated or corrupt file)');
  return {
    pages: ifds.length,
    async page(i: number): Promise<TiffPage> {
      const ifd = ifds[i]!;
      const [w, h] = [tagNumber(ifd, 256)!, tagNumber(ifd, 257)!];
      if (w * h > maxPixels) throw new IngestError(file, `TIFF page ${i + 1} too large to read (${w}×${h} pixels)`);
      try {
        if (tagNumber(ifd, 259) === JPEG) return { image: await jpegPage(new Uint8Array(buffer), ifd, w, h), dpi: dpiOf(ifd) };
        utif.decodeImage(buffer, ifd);
        const rgba = utif.toRGBA8(ifd);
        if (!ifd.width || !ifd.height || rgba.length < ifd.width * ifd.height * 4) throw new Error('no pixels decoded');
        const image = rgbaToGray(rgba, ifd.width, ifd.height);
        return { image, dpi: dpiOf(ifd) };
      } catch (e) {
        throw new IngestError(file, `TIFF page ${i + 1} could not be decoded (${e instanceof Error ? e.message : String(e)})`);
      } finally {
        // The decoded pixels are not needed again.
        (ifd as { data?: Uint8Array }).data = new Uint8Array(0);
      }
    },
  };
}
