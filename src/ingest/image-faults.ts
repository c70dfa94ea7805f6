/**
 * Why a JPEG or PNG file would fail to decode, read from its structure before a native decoder sees
 * it: @napi-rs/canvas 0.1.88 (pinned, see canvas.ts) kills the whole process with a segmentation
 * fault where Skia refuses an image (a JPEG cut inside its headers, a Huffman table that is no
 * table, a PNG chunk that fails its CRC or image data that do not inflate) and, on some buffers,
 * never settles its promise. One bad scan in a batch must not take the batch with it: an image with
 * a fault is refused here with the reason, and the decoder is given only what it can decode.
 *
 * The checks are libjpeg-turbo's and libpng's own errors (not their warnings: a JPEG cut inside
 * its image data decodes, its missing rows gray). A fault is returned as text; null: none found.
 */
import { constants, crc32, inflateRawSync } from 'node:zlib';

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const hex = (m: number): string => `FF${m.toString(16).toUpperCase().padStart(2, '0')}`;

/** A JPEG frame (SOF): its process and components (id, quantisation table, sampling; ids may repeat). */
interface Frame {
  progressive: boolean;
  components: { id: number; tq: number; h: number; v: number }[];
}

/** libjpeg's JPEG_MAX_DIMENSION: a side longer is refused as the header is read. */
const JPEG_MAX_SIDE = 65500;

/**
 * Whether a Huffman table's code lengths make a code (libjpeg's jpeg_make_d_derived_tbl). A DC
 * table's symbols are bit counts, 0–15.
 */
function huffmanFault(counts: Uint8Array, symbols: Uint8Array, dc: boolean): string | null {
  // Up to the longest code: codes of each length count on from the shorter ones', and may not reach
  // all ones (libjpeg reserves that code).
  const longest = counts.findLastIndex((n) => n > 0) + 1;
  let code = 0;
  for (let length = 1; length <= longest; length++) {
    code += counts[length - 1]!;
    if (code >= 1 << length) return 'a Huffman table with more codes than its lengths allow';
    code <<= 1;
  }
  if (dc && symbols.some((s) => s > 15)) return 'a DC Huffman table with a symbol over 15';
  return null;
}

function tablesFault(seg: Uint8Array, quant: Set<number>): string | null {
  for (let i = 0; i < seg.length; ) {
    const [pq, tq] = [seg[i]! >> 4, seg[i]! & 15];
    if (pq > 1 || tq > 3) return 'a quantisation table (DQT) of no valid precision or index';
    i += 1 + 64 * (pq + 1);
    if (i > seg.length) return 'a quantisation table (DQT) longer than its segment';
    quant.add(tq);
  }
  return null;
}

function huffmanTablesFault(seg: Uint8Array, huffman: Set<string>): string | null {
  for (let i = 0; i < seg.length; ) {
    const [tc, th] = [seg[i]! >> 4, seg[i]! & 15];
    if (tc > 1 || th > 3) return 'a Huffman table (DHT) of no valid class or index';
    if (i + 17 > seg.length) return 'a Huffman table (DHT) longer than its segment';
    const counts = seg.subarray(i + 1, i + 17);
    const n = counts.reduce((a, c) => a + c, 0);
    if (n > 256 || i + 17 + n > seg.length) return 'a Huffman table (DHT) longer than its segment';
    const fault = huffmanFault(counts, seg.subarray(i + 17, i + 17 + n), tc === 0);
    if (fault) return fault;
    huffman.add(`${tc}${th}`);
    i += 17 + n;
  }
  return null;
}

function frameFault(seg: Uint8Array, marker: number, maxPixels: number): Frame | string {
  if (seg.length < 6) return 'a frame header (SOF) cut short';
  if (seg[0] !== 8) return `${seg[0]}-bit samples (8 are read)`;
  const [height, width, n] = [u16(seg, 1), u16(seg, 3), seg[5]!];
  if (width === 0 || height === 0) return 'a frame of no width or height';
  if (width > JPEG_MAX_SIDE || height > JPEG_MAX_SIDE) return `a side over ${JPEG_MAX_SIDE} pixels (${width}×${height})`;
  if (width * height > maxPixels) return `too large to read (${width}×${height} pixels)`;
  if (n !== 1 && n !== 3 && n !== 4) return `${n} colour components`;
  if (seg.length !== 6 + 3 * n) return 'a frame header (SOF) of the wrong length';
  const components: Frame['components'] = [];
  for (let k = 0; k < n; k++) {
    const [id, s, tq] = [seg[6 + 3 * k]!, seg[7 + 3 * k]!, seg[8 + 3 * k]!];
    const [h, v] = [s >> 4, s & 15];
    if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) return 'a frame component of no valid sampling or table';
    components.push({ id, tq, h, v });
  }
  return { progressive: marker === 0xc2, components };
}

function scanFault(seg: Uint8Array, frame: Frame | null, quant: Set<number>, huffman: Set<string>): string | null {
  if (!frame) return 'a scan (SOS) before the frame (SOF)';
  const n = seg[0] ?? 0;
  if (n < 1 || n > 4 || seg.length !== 4 + 2 * n) return 'a scan header (SOS) of no valid length';
  const [ss, se, ah, al] = [seg[1 + 2 * n]!, seg[2 + 2 * n]!, seg[3 + 2 * n]! >> 4, seg[3 + 2 * n]! & 15];
  const badRange = ss > se || se > 63 || (ss === 0 && se !== 0) || (ss > 0 && n !== 1);
  if (frame.progressive && (badRange || al > 13 || (ah !== 0 && al !== ah - 1))) return 'a progressive scan of no valid spectral range or approximation';
  let blocks = 0;
  const taken = new Set<number>();
  for (let k = 0; k < n; k++) {
    // libjpeg takes the first component of the id not yet in the scan.
    const i = frame.components.findIndex((f, j) => f.id === seg[1 + 2 * k] && !taken.has(j));
    if (i < 0) return 'a scan of a component the frame does not have, or of one more often than it has it';
    taken.add(i);
    const c = frame.components[i]!;
    if (!quant.has(c.tq)) return `quantisation table ${c.tq} used but not defined`;
    const [td, ta] = [seg[2 + 2 * k]! >> 4, seg[2 + 2 * k]! & 15];
    const wantsDc = !frame.progressive || (ss === 0 && ah === 0);
    const wantsAc = !frame.progressive || ss > 0;
    // Tables 0 and 1 left undefined are libjpeg's standard ones (Motion-JPEG frames carry none).
    const defined = (kind: 0 | 1, t: number): boolean => t <= 1 || huffman.has(`${kind}${t}`);
    if ((wantsDc && !defined(0, td)) || (wantsAc && !defined(1, ta))) return 'a Huffman table used but not defined';
    blocks += c.h * c.v;
  }
  if (n > 1 && blocks > 10) return 'an interleaved scan of more than 10 blocks an MCU';
  return null;
}

/** The markers libjpeg reads (any other is an error): frames and tables (C0–CF but C8), DNL, DRI, SOS, DQT (DA–DD), APPn (E0–EF), COM. */
const knownMarker = (m: number): boolean => (m >= 0xc0 && m <= 0xcf && m !== 0xc8) || (m >= 0xda && m <= 0xdd) || (m >= 0xe0 && m <= 0xef) || m === 0xfe;

/** Frame markers of the processes not read: lossless, hierarchical, arithmetic-coded. */
const UNREAD_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Where the entropy-coded data from `at` end: the next marker's FF (not a stuffed FF 00 or a restart marker), or the end. */
function afterScan(b: Uint8Array, at: number): number {
  for (let i = at; i + 1 < b.length; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next !== 0 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return i;
  }
  return b.length;
}

/**
 * Why a JPEG would not decode (libjpeg-turbo's errors on its structure), or null. Checked: its
 * segments fit the file; tables, frame and scans are valid and each scan's tables defined; only
 * baseline, extended and progressive Huffman 8-bit JPEGs (what Skia reads). Data cut short after the
 * first scan started are no fault (the decoder reads what is there).
 */
export function jpegFault(b: Uint8Array, maxPixels = Infinity): string | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return 'no JPEG start of image (SOI)';
  const quant = new Set<number>();
  const huffman = new Set<string>();
  let frame: Frame | null = null;
  let scans = 0;
  let at = 2;
  while (at < b.length) {
    // Bytes before a marker are passed over, as libjpeg does (with a warning).
    while (at < b.length && b[at] !== 0xff) at++;
    while (at < b.length && b[at] === 0xff) at++;
    if (at >= b.length) break;
    const m = b[at++]!;
    if (m === 0xd9) break;
    if (m === 0xd8) return 'a second start of image (SOI)';
    if (m === 0x00 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue;
    if (!knownMarker(m)) return `an unknown marker ${hex(m)}`;
    if (at + 2 > b.length) return scans > 0 ? null : `the file ends inside marker ${hex(m)}`;
    const length = u16(b, at);
    if (length < 2) return `marker ${hex(m)} of no valid length`;
    if (at + length > b.length) return scans > 0 ? null : `marker ${hex(m)} runs past the end of the file`;
    const seg = b.subarray(at + 2, at + length);
    at += length;
    let fault: string | null = null;
    if (m === 0xdb) fault = tablesFault(seg, quant);
    else if (m === 0xc4) fault = huffmanTablesFault(seg, huffman);
    else if (m === 0xc0 || m === 0xc1 || m === 0xc2) {
      if (frame) return 'a second frame (SOF)';
      const read = frameFault(seg, m, maxPixels);
      if (typeof read === 'string') fault = read;
      else frame = read;
    } else if (UNREAD_FRAMES.has(m)) fault = `an unsupported JPEG process (${hex(m)}: lossless, hierarchical or arithmetic-coded)`;
    else if (m === 0xdd && length !== 4) fault = 'a restart interval (DRI) of the wrong length';
    else if (m === 0xda) {
      fault = scanFault(seg, frame, quant, huffman);
      scans++;
      at = afterScan(b, at);
    }
    if (fault) return fault;
  }
  return scans > 0 ? null : 'no image data (no scan)';
}

/** Bit depths each PNG colour type allows, and its samples a pixel. */
const PNG_TYPES = new Map<number, { depths: number[]; samples: number }>([
  [0, { depths: [1, 2, 4, 8, 16], samples: 1 }],
  [2, { depths: [8, 16], samples: 3 }],
  [3, { depths: [1, 2, 4, 8], samples: 1 }],
  [4, { depths: [8, 16], samples: 2 }],
  [6, { depths: [8, 16], samples: 4 }],
]);

/** Adam7's passes: first column and row, steps across and down. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The rows of the image data as filtered, each with its filter byte: [rows, bytes a row] per pass. */
function pngRows(width: number, height: number, bitsPerPixel: number, interlaced: boolean): [number, number][] {
  const rowBytes = (cols: number): number => 1 + Math.ceil((cols * bitsPerPixel) / 8);
  if (!interlaced) return [[height, rowBytes(width)]];
  return ADAM7.map(([x0, y0, dx, dy]) => {
    const [cols, rows] = [Math.max(0, Math.ceil((width - x0) / dx)), Math.max(0, Math.ceil((height - y0) / dy))];
    return [cols > 0 ? rows : 0, rowBytes(cols)];
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const isPng = (b: Uint8Array): boolean => b.length >= 8 && PNG_SIGNATURE.every((s, i) => b[i] === s);

/** A PNG chunk: its type, where it starts (its length field) and its data; `cut` when the file ends inside it. */
export interface PngChunk {
  type: string;
  at: number;
  body: Uint8Array;
  cut: boolean;
}

/** A PNG's chunks in order, up to IEND or the end of the file (the last one `cut` where the file ends inside it). */
export function* pngChunks(b: Uint8Array): Generator<PngChunk> {
  for (let at = 8; at + 8 <= b.length; ) {
    const length = u32(b, at);
    const type = Buffer.from(b.subarray(at + 4, at + 8)).toString('latin1');
    const cut = length > b.length - at - 12;
    yield { type, at, body: b.subarray(at + 8, Math.min(b.length, at + 8 + length)), cut };
    if (cut || type === 'IEND') return;
    at += 12 + length;
  }
}

/** libpng's default limits: a side (png_set_user_limits) and an ancillary chunk's size (user_chunk_malloc_max). */
const PNG_MAX_SIDE = 1_000_000;
const PNG_MAX_ANCILLARY = 8_000_000;

/**
 * Why a PNG would not decode (libpng's errors), or null. Checked: the chunks up to the image data
 * fit the file; critical chunks pass their CRC and are known; the header is valid and within
 * libpng's limits; a palette is there, once, where the colour type needs one; the image data
 * inflate, each row with a valid filter. A file cut inside or after its image data is no fault, nor
 * image data ending early or with a wrong checksum: the decoder reads what is there (a file cut
 * before them killed it).
 */
export function pngFault(b: Uint8Array, maxPixels = Infinity): string | null {
  if (!isPng(b)) return 'no PNG signature';
  let header: { width: number; height: number; bitsPerPixel: number; interlaced: boolean; type: number } | null = null;
  let palette = false;
  const data: Uint8Array[] = [];
  for (const { type, at, body, cut } of pngChunks(b)) {
    const length = body.length;
    if (!/^[A-Za-z]{4}$/.test(type)) return `a chunk of no valid type ${JSON.stringify(type)}`;
    if (cut) {
      if (data.length === 0 && type !== 'IDAT') return `the file ends inside chunk ${type}, before the image data`;
      if (type === 'IDAT') data.push(body);
      break;
    }
    const critical = /^[A-Z]/.test(type);
    if (critical && crc32(b.subarray(at + 4, at + 8 + length)) !== u32(b, at + 8 + length)) return `chunk ${type} fails its CRC`;
    if (!critical && length > PNG_MAX_ANCILLARY) return `chunk ${type} over libpng's ${PNG_MAX_ANCILLARY} bytes`;
    if (!header && type !== 'IHDR') return 'no header (IHDR) first';
    if (type === 'IHDR') {
      if (header || length !== 13) return 'a header (IHDR) of the wrong length, or a second one';
      const [width, height, depth, colour] = [u32(body, 0), u32(body, 4), body[8]!, body[9]!];
      const kind = PNG_TYPES.get(colour);
      if (width === 0 || height === 0) return 'an image of no width or height';
      if (width > PNG_MAX_SIDE || height > PNG_MAX_SIDE) return `a side over ${PNG_MAX_SIDE} pixels (${width}×${height})`;
      if (width * height > maxPixels) return `too large to read (${width}×${height} pixels)`;
      if (!kind || !kind.depths.includes(depth) || body[10] !== 0 || body[11] !== 0 || body[12]! > 1) return 'a header (IHDR) of no valid colour type, depth, compression, filter or interlace';
      header = { width, height, bitsPerPixel: depth * kind.samples, interlaced: body[12] === 1, type: colour };
    } else if (type === 'PLTE') {
      if (data.length > 0 || palette) return 'a palette (PLTE) after the image data, or a second one';
      // A palette of no valid length is an error in a palette image only (elsewhere it is a suggestion, dropped).
      if (header?.type === 3 && (length === 0 || length % 3 !== 0 || length > 768)) return 'a palette (PLTE) of no valid length';
      palette = true;
    } else if (type === 'IDAT') data.push(body);
    else if (critical && type !== 'IEND') return `an unknown critical chunk ${JSON.stringify(type)}`;
  }
  if (!header) return 'no header (IHDR)';
  if (header.type === 3 && !palette) return 'a palette image without its palette (PLTE)';
  if (data.length === 0) return 'no image data (IDAT)';
  const passes = pngRows(header.width, header.height, header.bitsPerPixel, header.interlaced);
  const size = passes.reduce((n, [rows, bytes]) => n + rows * bytes, 0);
  const stream = Buffer.concat(data);
  // The zlib header: deflate, a window of at most 32 kB, no preset dictionary, its check bits right.
  if (stream.length < 2 || (stream[0]! & 15) !== 8 || stream[0]! >> 4 > 7 || (stream[1]! & 32) !== 0 || ((stream[0]! << 8) | stream[1]!) % 31 !== 0) return 'image data of no valid zlib header';
  let rows: Buffer;
  try {
    // Raw, as far as the data go: a checksum and a cut are not checked. Data beyond the rows libpng
    // passes over (with a warning); far beyond them is a bomb.
    rows = inflateRawSync(stream.subarray(2), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: size + (1 << 20) });
  } catch (e) {
    return `image data that do not inflate (${e instanceof Error ? e.message : String(e)})`;
  }
  let at = 0;
  for (const [count, bytes] of passes) {
    for (let r = 0; r < count && at < rows.length; r++, at += bytes) if (rows[at]! > 4) return `a row of no valid filter (${rows[at]})`;
  }
  return null;
}
