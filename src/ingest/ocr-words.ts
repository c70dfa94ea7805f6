/** Tesseract's readings as the OCR route handles them: pieces of text (words, glyphs) with their boxes. */

export interface Piece {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  confidence: number;
}

export type OcrWord = Piece & { symbols?: Piece[] };

/** A word's glyphs: its symbols where they spell it, else the word as one. */
export function glyphsOf(w: OcrWord): Piece[] {
  const syms = w.symbols ?? [];
  return syms.length > 0 && syms.map((g) => g.text).join('') === w.text.replace(/\s+/g, '') ? syms : [w];
}

/** Pieces read as one: their texts in order, the box round them, the least confidence. */
export function joinPieces(ps: Piece[]): Piece {
  return {
    text: ps.map((p) => p.text).join(''),
    bbox: { x0: Math.min(...ps.map((p) => p.bbox.x0)), y0: Math.min(...ps.map((p) => p.bbox.y0)), x1: Math.max(...ps.map((p) => p.bbox.x1)), y1: Math.max(...ps.map((p) => p.bbox.y1)) },
    confidence: Math.min(...ps.map((p) => p.confidence)),
  };
}

/**
 * Glyphs tesseract (chi_sim) reads where nothing is printed, in a crop of several lines read as one
 * block: 正常和运行 for 正常运行, 上上海市 for 上海市, 同时有具备 for 同时具备, 健全人性 for 健全性.
 * The same line read on its own has no such glyph (a page read whole has none either; a single
 * block of lines is what brings them). Seen on the sample scans and photocopies at confidences
 * 0.75–0.97, where the same glyphs printed were read at 0.96–0.99.
 */
export const FILLER_GLYPHS = new Set(['和', '上', '有', '人', '了']);

/** What stands before a full-width mark in running text: a Han glyph, a % or a closing bracket. */
export const BEFORE_MARK = /^[\p{Script=Han}%)）]$/u;
/** What stands after one: a Han glyph, a digit (an item number: ；2.档案) or an opening quote. */
export const AFTER_MARK = /^[\p{Script=Han}\d“]$/u;
