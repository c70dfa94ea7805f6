/** Display width: CJK ideographs, full-width forms and CJK punctuation count 1, ASCII ½. */
export function charWidth(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (c < 0x2000) return c === 0xb7 ? 1 : 0.5;
  // General punctuation (“ ” ‘ ’ — …), arrows, math (≥ ≤), CJK, full-width forms
  if (c >= 0xff61 && c <= 0xff9f) return 0.5; // half-width katakana
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}
