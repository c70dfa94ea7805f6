/**
 * Text inputs (pdftotext-like plain text, tab-separated exports, markdown-ish exports)
 * → pages of positioned lines. Cleaning of export artefacts (LaTeX, HTML, markdown) happens here,
 * so later stages see only the document's own text.
 */
import { displayWidth } from './width.js';
import type { IngestedDocument, Line, Page, Token } from './types.js';

export class IngestError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'IngestError';
  }
}

const LATEX: [RegExp, string][] = [
  [/\\geqslant|\\geq|\\ge(?![a-z])/g, '≥'],
  [/\\leqslant|\\leq|\\le(?![a-z])/g, '≤'],
  [/\\neq|\\ne(?![a-z])/g, '≠'],
  [/\\gt(?![a-z])/g, '>'],
  [/\\lt(?![a-z])/g, '<'],
  [/\\times/g, '×'],
  [/\\div/g, '÷'],
  [/\\cdot/g, '·'],
  [/\\sim/g, '~'],
  [/\\pm/g, '±'],
  [/\\%/g, '%'],
  [/\\_/g, '_'],
  [/\\text\{([^}]*)\}/g, '$1'],
  [/\\mathrm\{([^}]*)\}/g, '$1'],
];

/** `$\geq 95\%$` → `≥95%`: LaTeX math is an export artefact, never content. */
export function stripLatex(s: string): string {
  return s.replace(/\$([^$\n]{1,80})\$/g, (_m, body: string) => {
    let out = body;
    for (const [re, rep] of LATEX) out = out.replace(re, rep);
    return out.replace(/[{}]/g, '').replace(/\s+/g, '');
  });
}

/** HTML tags and markdown emphasis/heading markers are not content. */
export function stripMarkup(s: string): string {
  return s
    .replace(/<\/?(p|br|div|span|b|strong|i|em|u|sup|sub|td|tr|th|table|tbody|thead)\b[^>]*>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/^#{1,6}\s+/, '');
}

/** A markdown table rule such as `--\t--\t---` or `|---|---|` carries nothing. */
function isRuleLine(s: string): boolean {
  return /^[\s|:\-\t]+$/.test(s) && s.includes('--');
}

/**
 * The names of the files in a ZIP archive, from its central directory (or, in an archive cut before
 * it, from the local headers up to the first whose size is not given there); [] if none are found.
 */
export function zipNames(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names: string[] = [];
  const end = b.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'), Math.max(0, b.length - 22));
  if (end >= 0 && end >= b.length - 22 - 65535 && end + 22 <= b.length) {
    for (let at = b.readUInt32LE(end + 16), n = b.readUInt16LE(end + 10); n > 0 && at + 46 <= b.length && b.readUInt32LE(at) === 0x02014b50; n--) {
      const [name, extra, comment] = [b.readUInt16LE(at + 28), b.readUInt16LE(at + 30), b.readUInt16LE(at + 32)];
      names.push(b.toString('utf8', at + 46, Math.min(b.length, at + 46 + name)));
      at += 46 + name + extra + comment;
    }
    if (names.length > 0) return names;
  }
  for (let at = 0; at + 30 <= b.length && b.readUInt32LE(at) === 0x04034b50; ) {
    const [size, name, extra] = [b.readUInt32LE(at + 18), b.readUInt16LE(at + 26), b.readUInt16LE(at + 28)];
    names.push(b.toString('utf8', at + 30, Math.min(b.length, at + 30 + name)));
    if (size === 0 && (b.readUInt16LE(at + 6) & 8) !== 0) break; // its size comes after its data
    at += 30 + name + extra + size;
  }
  return names;
}

/**
 * What a binary file a user may hand over for a form is, where its bytes say: an office document to
 * save as PDF first, a picture format not read, an archive to unpack. Null: none of these.
 */
export function binaryKind(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (head.startsWith('PK\x03\x04')) {
    const names = zipNames(bytes);
    const holds = (test: (name: string) => boolean): boolean => names.some(test);
    if (holds((n) => n.startsWith('word/'))) return 'a Word document (.docx): save it as PDF';
    if (holds((n) => n.startsWith('xl/'))) return 'an Excel workbook (.xlsx): save it as PDF';
    if (holds((n) => n.startsWith('ppt/'))) return 'a PowerPoint file (.pptx): save it as PDF';
    if (holds((n) => n === 'OFD.xml' || n.startsWith('Doc_0/'))) return 'an OFD document: save it as PDF';
    return 'a ZIP archive: unpack it';
  }
  if (head.startsWith('\xd0\xcf\x11\xe0')) return 'an Office 97–2003 document (.doc, .xls, .wps): save it as PDF';
  if (head.startsWith('Rar!') || head.startsWith('7z\xbc\xaf')) return 'an archive (RAR or 7z): unpack it';
  if (head.startsWith('GIF8') || head.startsWith('BM') || (head.startsWith('RIFF') && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP')) return 'a GIF, BMP or WebP picture: save it as PNG, JPEG or TIFF';
  return null;
}

/** How many characters a decoding replaced (U+FFFD): bytes that were not of its encoding. */
const replaced = (text: string): number => (text.match(/\uFFFD/g) ?? []).length;

export function decodeText(file: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new IngestError(file, 'empty file');
  // UTF-16 with its byte-order mark (Windows' "Unicode" text): its NUL bytes are no binary data.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    if (replaced(text) > text.length * 0.01) throw new IngestError(file, 'undecodable text (a UTF-16 byte-order mark, but no UTF-16)');
    return text;
  }
  const sample = bytes.subarray(0, 65536);
  let nul = 0;
  for (const b of sample) if (b === 0) nul++;
  if (nul > 0) throw new IngestError(file, `binary data, not a text document (${binaryKind(bytes) ?? 'NUL bytes found'})`);
  let text = new TextDecoder('utf-8').decode(bytes);
  const bad = replaced(text);
  if (bad > text.length * 0.01) {
    // Government exports are sometimes GB18030/GBK.
    const gb = new TextDecoder('gb18030').decode(bytes);
    if (replaced(gb) < bad) text = gb;
    else throw new IngestError(file, 'undecodable text (neither UTF-8 nor GB18030)');
  }
  return text.replace(/^\uFEFF/, '');
}

function tokenize(raw: string): { tokens: Token[]; cells: boolean } {
  if (raw.includes('\t')) {
    const tokens: Token[] = [];
    let x = 0;
    raw.split('\t').forEach((cell, col) => {
      const text = cell.trim();
      const width = displayWidth(text);
      if (text) tokens.push({ text, col, x, width });
      x += Math.max(width, 1) + 1;
    });
    return { tokens, cells: true };
  }
  const tokens: Token[] = [];
  let x = 0;
  for (const m of raw.matchAll(/\S+|\s+/g)) {
    const piece = m[0];
    const width = displayWidth(piece);
    if (!/^\s+$/.test(piece)) tokens.push({ text: piece, x, width });
    x += width;
  }
  return { tokens, cells: false };
}

export function ingestText(file: string, bytes: Uint8Array): IngestedDocument {
  const text = decodeText(file, bytes);
  const markdown = /\.(md|markdown)$/i.test(file) || /^#{1,6}\s/m.test(text);
  const pages: Page[] = [];
  let tabbed = 0;
  let nonEmpty = 0;
  text.split('\f').forEach((pageText, pi) => {
    const lines: Line[] = [];
    let gap = 0;
    pageText.split(/\r?\n|\r/).forEach((rawLine, li) => {
      const cleaned = stripMarkup(stripLatex(rawLine));
      if (!cleaned.trim() || isRuleLine(cleaned)) {
        gap++;
        return;
      }
      const { tokens, cells } = tokenize(cleaned.replace(/\s+$/, ''));
      if (tokens.length === 0) {
        gap++;
        return;
      }
      nonEmpty++;
      if (cells) tabbed++;
      lines.push({
        page: pi + 1,
        lineNo: li + 1,
        tokens,
        text: tokens.map((t) => t.text).join(' '),
        cells,
        gapBefore: gap,
      });
      gap = 0;
    });
    pages.push({ number: pi + 1, lines });
  });
  if (nonEmpty === 0) throw new IngestError(file, 'no text found (only whitespace)');
  const format = markdown ? 'markdown' : tabbed > nonEmpty * 0.3 ? 'tsv' : 'plain';
  return { file, source: 'text', format, pages };
}
