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
