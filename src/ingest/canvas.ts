/**
 * @napi-rs/canvas (the native 2D canvas pdfjs renders with and pictures are decoded through),
 * loaded when first needed. On load it scans every system font directory (a fifth of a second
 * with the CJK fonts installed) unless DISABLE_SYSTEM_FONTS_LOAD is set; nothing here draws text
 * with a system font (pdfjs draws embedded glyphs as paths, and only pages without text are
 * rendered), so the scan is skipped unless the environment already decided.
 *
 * Pinned to 0.1.88, for pdfjs-dist too (package.json "overrides"): later versions record a
 * canvas's drawing and replay it when the pixels are read. A 200-dpi A4 page (a 150-dpi scan's
 * JPEG drawn scaled) then took 34–42 ms in `canvas.data()`, against 18 ms drawing and 0.5 ms
 * reading with 0.1.88; rendering and reading the 34 sample scan pages' pixels took 3.2 s (wall time
 * on the main thread, while the OCR workers read), 2.4 s with 0.1.88. The pixels and every eval
 * figure are the same.
 */
type Canvas = typeof import('@napi-rs/canvas');

export function skipSystemFonts(): void {
  process.env.DISABLE_SYSTEM_FONTS_LOAD ??= '1';
}

let canvas: Promise<Canvas> | null = null;
export function loadCanvas(): Promise<Canvas> {
  skipSystemFonts();
  return (canvas ??= import('@napi-rs/canvas'));
}

type PageCanvas = import('@napi-rs/canvas').Canvas;
const spare: PageCanvas[] = [];

/**
 * Runs `use` on a canvas of w × h taken from a small free list, or a new one, and puts it back.
 * A rendered page's canvas is 15 MB of native memory reported to V8: a new one per page added
 * full garbage collections (149 against 120 reading the 34 sample scan pages twice in one process).
 * `use` must be done with the pixels when it settles (the next page may draw on the canvas).
 */
export async function withCanvas<T>(w: number, h: number, use: (c: PageCanvas) => Promise<T>): Promise<T> {
  const k = spare.findIndex((c) => c.width === w && c.height === h);
  const c = k >= 0 ? spare.splice(k, 1)[0]! : (await loadCanvas()).createCanvas(w, h);
  try {
    return await use(c);
  } finally {
    if (spare.length >= 2) spare.shift();
    spare.push(c);
  }
}
