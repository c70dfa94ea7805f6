/**
 * What every ingestion route (text, PDF text layer, OCR) produces: pages of positioned lines.
 * The parsers only see these values, never pdfjs or tesseract objects.
 */
import type { Box, PageFrame } from '../schema/output.js';

export type { Box, SourceSpan } from '../schema/output.js';

export type SourceKind = 'text' | 'pdf' | 'ocr';

export interface Token {
  /** The token's text as read (whitespace inside a cell is kept, cleaned later). */
  text: string;
  /** Column index when the source has explicit cells (tab-separated rows, table grids). */
  col?: number;
  /** Horizontal start, in display-width units (a CJK character is 1, ASCII ½) for text inputs. */
  x: number;
  /** Display width of `text`, same units as `x`. */
  width: number;
  /** Geometry in page units where the route knows it (PDF / OCR). */
  box?: Box;
  /** OCR confidence 0–1, where the route has one. */
  confidence?: number;
  /** OCR confidence 0–1 of each character of `text` (by code point), where known. */
  glyphConfidence?: number[];
}

export interface Line {
  /** 1-based page number. */
  page: number;
  /** 1-based line number in the input (text) or reading-order index (PDF / OCR). */
  lineNo: number;
  tokens: Token[];
  /** The line as one string (tokens joined with a space). */
  text: string;
  /** True when the line came from a tab-separated / gridded row, so tokens are real cells. */
  cells: boolean;
  /** Number of blank lines that preceded it in the source (page-break and block hint). */
  gapBefore: number;
  /**
   * A row of a table ruled all round (layout/grid.ts): its cells are bounded by rules, so a row of
   * the table is whole on its line, its name and its figures together, except where a page break cut it.
   */
  ruled?: true;
}

/** True when some token of the lines was read by OCR (it carries a confidence). */
export function readByOcr(lines: readonly Line[]): boolean {
  return lines.some((l) => l.tokens.some((t) => t.confidence !== undefined));
}

/** A table rule (horizontal or vertical segment) in page units, top-left origin. */
export interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Not printed: a column boundary the reader drew in the white between cells (ingest/row-ruled.ts). */
  inferred?: true;
}

export interface Page {
  number: number;
  lines: Line[];
  /** Ruling lines drawn on the page (PDF routes), from which table cells are recovered. */
  rules?: Rule[];
  width?: number;
  height?: number;
  /** Page units per PDF point: 1 for text-layer PDFs, dpi/72 for rendered scans. */
  scale?: number;
  /**
   * Scans only: the page image was turned clockwise by this many degrees before it was read (a
   * page scanned on its side or upside down); boxes, width and height are on the turned image.
   */
  turned?: PageFrame['turned'];
  /**
   * Scans only: the rotation (degrees, anticlockwise; after `turned`) that straightened the page before
   * it was read (estimateSkew); boxes lie on the straightened image, the same size as the page's.
   */
  skew?: number;
}

export interface IngestedDocument {
  file: string;
  source: SourceKind;
  /** 'plain' pdftotext-like, 'tsv' tab-separated cells, 'markdown' markdown-ish export. */
  format: 'plain' | 'tsv' | 'markdown';
  pages: Page[];
}

