/**
 * The faults that kept a JPEG or PNG from the native decoder (which died on them, taking the
 * process along: test/bad-input.test.ts has the files), each made in a real image by hand.
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { jpegFault, pngFault } from '../src/ingest/image-faults.js';
import { openTiff } from '../src/ingest/tiff.js';

const jpeg = (name: string): Buffer => readFileSync(`test/fixtures/scans/${name}`);

/** Where each marker's segment starts (its FF) in a JPEG, up to the first scan. */
function segments(b: Buffer): Map<number, number[]> {
  const at = new Map<number, number[]>();
  for (let i = 2; i < b.length; i += 2 + b.readUInt16BE(i + 2)) {
    at.set(b[i + 1]!, [...(at.get(b[i + 1]!) ?? []), i]);
    if (b[i + 1] === 0xda) break;
  }
  return at;
}

/** `b` with its bytes at `at` set to `bytes`. */
function patched(b: Buffer, at: number, ...bytes: number[]): Buffer {
  const c = Buffer.from(b);
  bytes.forEach((v, k) => (c[at + k] = v));
  return c;
}

/** A PNG made by @napi-rs/canvas's encoder: 64 × 48, a gradient. */
function png(): Buffer {
  const c = createCanvas(64, 48);
  const ctx = c.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, 64, 0);
  g.addColorStop(0, '#000');
  g.addColorStop(1, '#fff');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 64, 48);
  return c.toBuffer('image/png');
}

/** The PNG with the chunk of `type` given other bytes (at `offset` in its data) and, unless `keepCrc`, its CRC made right again. */
function pngPatched(b: Buffer, type: string, offset: number, bytes: number[], keepCrc = false): Buffer {
  const c = Buffer.from(b);
  const at = c.indexOf(type, 8, 'latin1') - 4;
  const length = c.readUInt32BE(at);
  bytes.forEach((v, k) => (c[at + 8 + offset + k] = v));
  if (!keepCrc) c.writeUInt32BE(crc32(c.subarray(at + 4, at + 8 + length)), at + 8 + length);
  return c;
}

describe('jpegFault', () => {
  it('finds none in sound JPEGs, nor in one cut inside its image data (the decoder reads what is there)', () => {
    for (const name of ['bands-gray.jpg', 'bands-rgb.jpg']) expect(jpegFault(jpeg(name))).toBeNull();
    const b = jpeg('bands-rgb.jpg');
    expect(jpegFault(b.subarray(0, segments(b).get(0xda)![0]! + 100))).toBeNull();
  });
  it('names a JPEG cut inside its headers, a second start, an unknown marker', () => {
    const b = jpeg('bands-gray.jpg');
    expect(jpegFault(b.subarray(0, 40))).toMatch(/past the end/);
    expect(jpegFault(b.subarray(0, 5))).toMatch(/ends inside/);
    const dqt = segments(b).get(0xdb)![0]!;
    expect(jpegFault(patched(b, dqt, 0xff, 0xd8))).toMatch(/second start/);
    expect(jpegFault(patched(b, dqt, 0xff, 0x97))).toMatch(/unknown marker FF97/);
  });
  it('names Huffman tables that make no code, and a DC symbol over 15', () => {
    const b = jpeg('bands-gray.jpg');
    const dht = segments(b).get(0xc4)!;
    expect(jpegFault(patched(b, dht[0]! + 5, 0xff))).toMatch(/Huffman table/);
    // The first table is the DC one; its first symbol follows its 16 counts.
    expect(b[dht[0]! + 4]! >> 4).toBe(0);
    expect(jpegFault(patched(b, dht[0]! + 21, 16))).toMatch(/DC Huffman table with a symbol over 15/);
  });
  it('names frames it does not read: 12-bit samples, an arithmetic-coded process', () => {
    const b = jpeg('bands-gray.jpg');
    const sof = segments(b).get(0xc0)![0]!;
    expect(jpegFault(patched(b, sof + 4, 12))).toMatch(/12-bit/);
    expect(jpegFault(patched(b, sof + 1, 0xc9))).toMatch(/unsupported JPEG process \(FFC9/);
  });
  it('names a side over libjpeg’s 65500 pixels, and a Huffman table whose codes reach all ones', () => {
    const b = jpeg('bands-gray.jpg');
    const sof = segments(b).get(0xc0)![0]!;
    expect(jpegFault(patched(b, sof + 7, 0xff, 0xdd))).toMatch(/a side over 65500 pixels \(65501×200\)/);
    // Two codes of one bit: 0 and 1, the second all ones.
    const dht = segments(b).get(0xc4)![0]!;
    const full = patched(b, dht + 5, 2, ...Array<number>(15).fill(0));
    expect(jpegFault(full)).toMatch(/more codes than its lengths allow/);
  });
  it('guard: a JPEG without Huffman tables (a Motion-JPEG frame: libjpeg uses the standard ones) or with repeated component ids is no fault', () => {
    const b = jpeg('bands-rgb.jpg');
    const dht = segments(b).get(0xc4)!;
    const sos = segments(b).get(0xda)![0]!;
    expect(jpegFault(Buffer.concat([b.subarray(0, dht[0]!), b.subarray(sos)]))).toBeNull();
    const sof = segments(b).get(0xc0)![0]!;
    // The three components all given the first's id, and the scan naming it three times.
    const ids = patched(patched(b, sof + 13, b[sof + 10]!), sof + 16, b[sof + 10]!);
    expect(jpegFault(patched(patched(ids, sos + 7, b[sof + 10]!), sos + 9, b[sof + 10]!))).toBeNull();
  });
  it('names a scan of a component twice, and one whose Huffman table is not defined', () => {
    const b = jpeg('bands-rgb.jpg');
    const sos = segments(b).get(0xda)![0]!;
    // Three components: ids at sos + 5, + 7, + 9; their tables' byte after each.
    expect(b[sos + 4]).toBe(3);
    expect(jpegFault(patched(b, sos + 7, b[sos + 5]!))).toMatch(/of one more often than it has it/);
    expect(jpegFault(patched(b, sos + 6, 0x33))).toMatch(/Huffman table used but not defined/);
  });
});

describe('pngFault', () => {
  it('finds none in a PNG the canvas encoded', () => {
    expect(pngFault(png())).toBeNull();
  });
  it('names a chunk that fails its CRC, a chunk type of no letters, a file cut short', () => {
    const b = png();
    expect(pngFault(pngPatched(b, 'IHDR', 0, [0, 0, 0, 65], true))).toMatch(/IHDR fails its CRC/);
    const c = Buffer.from(b);
    c[c.indexOf('IDAT', 8, 'latin1') + 1] = 0x7e;
    expect(pngFault(c)).toMatch(/no valid type "I~AT"/);
    expect(pngFault(b.subarray(0, 20))).toMatch(/ends inside chunk IHDR, before the image data/);
  });
  it('names a second palette, and sides over libpng’s limit', () => {
    const b = png();
    const at = b.indexOf('IDAT', 8, 'latin1') - 4;
    const plte = Buffer.from([0, 0, 0, 3, 0x50, 0x4c, 0x54, 0x45, 0, 0, 0, 0, 0, 0, 0]);
    plte.writeUInt32BE(crc32(plte.subarray(4, 11)), 11);
    expect(pngFault(Buffer.concat([b.subarray(0, at), plte, plte, b.subarray(at)]))).toMatch(/a second one/);
    expect(pngFault(pngPatched(b, 'IHDR', 0, [0, 0x0f, 0x42, 0x41]))).toMatch(/a side over 1000000 pixels/);
  });
  it('guard: a file cut inside or after its image data, or image data with a wrong checksum, is no fault (the decoder reads what is there)', () => {
    const b = png();
    const data = b.indexOf('IDAT', 8, 'latin1');
    expect(pngFault(b.subarray(0, data + 20))).toBeNull();
    expect(pngFault(b.subarray(0, b.length - 12))).toBeNull();
    // The zlib stream's Adler-32, the data's last four bytes.
    const length = b.readUInt32BE(data - 4);
    expect(pngFault(pngPatched(b, 'IDAT', length - 1, [b[data + 4 + length - 1]! ^ 0xff]))).toBeNull();
  });
  it('names a header of no valid depth, a palette image without its palette, and image data that do not inflate', () => {
    const b = png();
    expect(pngFault(pngPatched(b, 'IHDR', 8, [3]))).toMatch(/no valid colour type, depth/);
    expect(pngFault(pngPatched(b, 'IHDR', 8, [8, 3]))).toMatch(/without its palette/);
    expect(pngFault(pngPatched(b, 'IDAT', 4, [0xff, 0xff, 0xff, 0xff]))).toMatch(/do not inflate|no valid filter/);
  });
});

describe('a JPEG-compressed TIFF', () => {
  // bands-gray.jpg as a gray TIFF in strips of 64 rows with shared tables (JPEGTables), as
  // ImageMagick writes it (`-compress jpeg -define tiff:rows-per-strip=64`). utif2 decoded such a
  // page into shifted copies of itself: its bands were gone.
  it('is decoded strip by strip: its bands where they are', async () => {
    const tiff = await openTiff('bands-gray-jpeg.tif', readFileSync('test/fixtures/scans/bands-gray-jpeg.tif'), 1e8, 10);
    const { image } = await tiff.page(0);
    expect([image.width, image.height]).toEqual([300, 200]);
    // bands-gray.jpg's own pixels, read by ImageMagick (`convert bands-gray.jpg -format '%[fx:…p{x,y}]'`):
    // bands over the top half, a ramp under it; in every strip within the JPEG's error.
    const expected = (y: number): number[] => (y < 100 ? [0, 76, 94, 29, 128] : [25, 76, 128, 179, 230]);
    for (const y of [10, 70, 130, 190]) {
      const read = [30, 90, 150, 210, 270].map((x) => image.data[y * image.width + x]!);
      read.forEach((v, k) => expect(Math.abs(v - expected(y)[k]!)).toBeLessThanOrEqual(4));
    }
  });
});
