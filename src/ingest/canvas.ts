/**
 * @napi-rs/canvas (the native 2D canvas pdfjs renders with and pictures are decoded through),
 * loaded when first needed. On load it scans every system font directory (a fifth of a second
 * with the CJK fonts installed) unless DISABLE_SYSTEM_FONTS_LOAD is set; nothing here draws text
 * with a system font (pdfjs draws embedded glyphs as paths, and only pages without text are
 * rendered), so the scan is skipped unless the environment already decided.
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
