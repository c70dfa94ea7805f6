/**
 * TIFF scans → gray page images. Archives keep scanned reports as multi-page TIFFs, most often
 * bilevel with CCITT Group 4 (fax) compression; also LZW, Deflate, PackBits or JPEG, gray, RGB or
 * paletted. Decoded with utif2 (photopea's UTIF.js), one page at a time: a hundred-page file is
 * never held decoded at once.
 */
import type { IFD } from 'utif2';
import { IngestError } from './text.js';
import { rgbaToGray, type GrayImage } from './image.js';

type Utif = typeof import('utif2');

export function isTiff(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  return head === 'II*\0' || head === 'MM\0*';
}

export interface TiffPage {
  image: GrayImage;
  /** Resolution from the file's tags, dots per inch; null when it does not say. */
  dpi: number | null;
}

export interface TiffDocument {
  pages: number;
  /** Page `i` (0-based), decoded now. */
  page(i: number): TiffPage;
}

/** A tag's first value as a number (a RATIONAL comes as [numerator, denominator]). */
function tagNumber(ifd: IFD, tag: number): number | null {
  const v: unknown = ifd[`t${tag}`];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  const n = Array.isArray(first) && first.length === 2 ? Number(first[0]) / Number(first[1]) : first;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** XResolution in dots per inch (ResolutionUnit 2 = inch, 3 = centimetre, 1 = no unit). */
function dpiOf(ifd: IFD): number | null {
  const res = tagNumber(ifd, 282);
  const unit = tagNumber(ifd, 296) ?? 2;
  if (res === null || res <= 0 || unit === 1) return null;
  const dpi = unit === 3 ? res * 2.54 : res;
  return dpi >= 50 && dpi <= 2400 ? dpi : null;
}

/** A page directory, not a reduced-resolution copy (NewSubfileType bit 0: a thumbnail or preview). */
function isPage(ifd: IFD): boolean {
  return tagNumber(ifd, 256) !== null && tagNumber(ifd, 257) !== null && ((tagNumber(ifd, 254) ?? 0) & 1) === 0;
}

export async function openTiff(file: string, bytes: Uint8Array, maxPixels: number): Promise<TiffDocument> {
  const mod = await import('utif2');
  const utif = ((mod as { default?: Utif }).default ?? mod) as Utif;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: IFD[];
  try {
    ifds = utif.decode(buffer).filter(isPage);
  } catch (e) {
    throw new IngestError(file, `TIFF could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  if (ifds.length === 0) throw new IngestError(file, 'TIFF has no readable page (a truncated or corrupt file)');
  return {
    pages: ifds.length,
    page(i: number): TiffPage {
      const ifd = ifds[i]!;
      const [w, h] = [tagNumber(ifd, 256)!, tagNumber(ifd, 257)!];
      if (w * h > maxPixels) throw new IngestError(file, `TIFF page ${i + 1} too large to read (${w}×${h} pixels)`);
      try {
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
