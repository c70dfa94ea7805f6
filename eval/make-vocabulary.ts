/**
 * Builds the general vocabulary the OCR route repairs misread glyphs against
 * (src/ingest/data/, read by src/ingest/ocr-vocabulary.ts). Not tuned to any sample: the words
 * come from jieba's dictionary and the glyph likenesses from rendering every glyph.
 *
 *   words.txt.gz    Chinese words of one and two glyphs (all of jieba's) and of three (those jieba
 *                   counts at least MIN_FREQ_3 times), one a line, each followed by its frequency's
 *                   order of magnitude (车辆3: 10³–10⁴ of jieba's 6·10⁷ counts).
 *   likeness.txt.gz for each glyph jieba knows, the glyphs of those words that look most like it
 *                   printed and blurred: `东 车91 朱78 …`, the likeness in hundredths (cosine of
 *                   the two glyphs' 16×16 images, averaged over a Song and a Hei face).
 *
 * jieba's dictionary (MIT; https://github.com/fxsjy/jieba) comes with Debian python3-jieba; the
 * faces are Debian fonts-noto-cjk's Noto Serif CJK SC and Noto Sans CJK SC. Run from the
 * repository root (about a minute and a half on 2 cores):
 *   apt-get install -y python3-jieba fonts-noto-cjk
 *   node --import tsx eval/make-vocabulary.ts [/usr/lib/python3/dist-packages/jieba/dict.txt]
 */

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const DICT = process.argv[2] ?? '/usr/lib/python3/dist-packages/jieba/dict.txt';
const OUT = 'src/ingest/data';
const MIN_FREQ_3 = 5;
const FACES = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'Noto Serif CJK SC' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
];
/** Glyphs kept per glyph, and the least likeness kept. */
const TOP = 12;
const MIN_LIKENESS = 0.5;
const RENDER = 48;
const CELL = 16;

const HAN = /^\p{Script=Han}+$/u;

function readDictionary(path: string): { words: Map<string, number>; glyphs: Set<string> } {
  const words = new Map<string, number>();
  const glyphs = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [w, f] = line.split(' ');
    if (!w || !HAN.test(w)) continue;
    const n = Array.from(w).length;
    const freq = Number(f);
    if (n === 1) glyphs.add(w);
    if (n <= 2 || (n === 3 && freq >= MIN_FREQ_3)) words.set(w, Math.max(words.get(w) ?? 0, freq));
  }
  return { words, glyphs };
}

/** A glyph's image in each face, blurred to CELL×CELL, centred and of unit length. */
function glyphVector(ch: string): Float32Array {
  const out = new Float32Array(CELL * CELL * FACES.length);
  const canvas = createCanvas(RENDER, RENDER);
  const ctx = canvas.getContext('2d');
  const block = RENDER / CELL;
  FACES.forEach((face, f) => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, RENDER, RENDER);
    ctx.fillStyle = '#000';
    ctx.font = `${RENDER * 0.9}px "${face.family}"`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    ctx.fillText(ch, RENDER / 2, RENDER / 2);
    const px = ctx.getImageData(0, 0, RENDER, RENDER).data;
    const v = out.subarray(f * CELL * CELL, (f + 1) * CELL * CELL);
    for (let y = 0; y < RENDER; y++) {
      for (let x = 0; x < RENDER; x++) v[Math.floor(y / block) * CELL + Math.floor(x / block)]! += 255 - px[(y * RENDER + x) * 4]!;
    }
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += (v[i]! -= mean) ** 2;
    const k = norm > 0 ? 1 / Math.sqrt(norm * FACES.length) : 0;
    for (let i = 0; i < v.length; i++) v[i]! *= k;
  });
  return out;
}

function main(): void {
  for (const face of FACES) GlobalFonts.registerFromPath(face.path, face.family);
  const { words, glyphs } = readDictionary(DICT);
  const targets = [...new Set([...words.keys()].filter((w) => w.length > 1).flatMap((w) => Array.from(w)))].sort();
  const queries = [...new Set([...glyphs, ...targets])].sort();
  const vec = new Map(queries.map((c) => [c, glyphVector(c)]));
  const lines: string[] = [];
  for (const q of queries) {
    const a = vec.get(q)!;
    const best: { c: string; s: number }[] = [];
    for (const t of targets) {
      if (t === q) continue;
      const b = vec.get(t)!;
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      if (s < MIN_LIKENESS || (best.length === TOP && s <= best[TOP - 1]!.s)) continue;
      best.push({ c: t, s });
      best.sort((x, y) => y.s - x.s);
      if (best.length > TOP) best.pop();
    }
    if (best.length > 0) lines.push(`${q} ${best.map(({ c, s }) => `${c}${Math.round(s * 100)}`).join(' ')}`);
  }
  mkdirSync(OUT, { recursive: true });
  const wordLines = [...words].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, f]) => `${w}${Math.max(0, Math.floor(Math.log10(Math.max(1, f))))}`);
  writeFileSync(`${OUT}/words.txt.gz`, gzipSync(wordLines.join('\n') + '\n', { level: 9 }));
  writeFileSync(`${OUT}/likeness.txt.gz`, gzipSync(lines.join('\n') + '\n', { level: 9 }));
  console.log(`${words.size} words, ${lines.length} glyphs with look-alikes (${targets.length} glyphs in words)`);
}

main();
