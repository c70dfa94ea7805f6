/**
 * Builds the OCR route's table of tesseract's confusions on degraded print (src/ingest/data/
 * confusions.txt.gz, read by src/ingest/ocr-vocabulary.ts): which glyphs chi_sim reads in place
 * of which on photocopy-grade pages. Look-alikes measured on clean renderings (likeness.txt.gz)
 * miss much of what a photocopy does to a glyph: tesseract read a photocopy's 常 as 党, unlike it
 * printed clean. Not tuned to any sample: lines of jieba's words of two and three glyphs (those it
 * counts 10² times or more, drawn at random weighted by the square root of their counts, a mark
 * now and then) are set at 9 and 10.5 pt in a Song and a Hei face (Noto Serif and Sans CJK SC),
 * 50 pages a face; each page is degraded seven ways (DEGRADE: binarised photocopies dark, middling
 * and light, one at 200 dpi, one speckled; blurred gray JPEGs at 150 and 200 dpi), read by the
 * native tesseract with the model the route uses (page segmentation 6), and each line's reading
 * aligned glyph for glyph with its text.
 *
 *   confusions.txt.gz  a glyph read, a space, and the glyphs printed that were read so with how
 *                      often: `党 尝19 常14 掌13 …`; then how often each glyph was printed and read
 *                      right (`= 常 357`), for the share a confusion is of a glyph's readings.
 *
 * Needs Debian fonts-noto-cjk, imagemagick and tesseract-ocr with tesseract-ocr-chi-sim (the same
 * model as tesseract.js's 4.0.0_best_int). Run from the repository root (about 25 minutes on 2
 * cores): node --import tsx eval/make-confusions.ts [out-dir, default src/ingest/data]
 */

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import pLimit from 'p-limit';
import { levenshtein } from './metrics.js';

const run = promisify(execFile);
const OUT = process.argv[2] ?? 'src/ingest/data';
const FACES = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'Noto Serif CJK SC' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
];
/**
 * ImageMagick degradations of a page rendered at 300 dpi: binarised photocopies (blurred, speckled,
 * thresholded dark, middling and light: strokes merged, kept, broken), one at 200 dpi, one with
 * salt-and-pepper specks, and blurred gray JPEGs at 150 and 200 dpi.
 */
const DEGRADE: Record<string, { args: string[]; dpi: number; ext: string }> = {
  dark: { args: ['-blur', '0x1.2', '-attenuate', '0.25', '+noise', 'Gaussian', '-threshold', '60%'], dpi: 300, ext: 'png' },
  middle: { args: ['-blur', '0x1.2', '-attenuate', '0.25', '+noise', 'Gaussian', '-threshold', '50%'], dpi: 300, ext: 'png' },
  light: { args: ['-blur', '0x1.0', '-attenuate', '0.2', '+noise', 'Gaussian', '-threshold', '47%'], dpi: 300, ext: 'png' },
  bw200: { args: ['-resize', '66.667%', '-blur', '0x0.9', '-attenuate', '0.2', '+noise', 'Gaussian', '-threshold', '55%'], dpi: 200, ext: 'png' },
  speckled: { args: ['-blur', '0x1.1', '-attenuate', '0.08', '+noise', 'Impulse', '-threshold', '55%'], dpi: 300, ext: 'png' },
  gray: { args: ['-resize', '50%', '-blur', '0x1.0', '-attenuate', '0.3', '+noise', 'Gaussian', '-quality', '25'], dpi: 150, ext: 'jpg' },
  gray200: { args: ['-resize', '66.667%', '-blur', '0x1.3', '-attenuate', '0.3', '+noise', 'Gaussian', '-quality', '30'], dpi: 200, ext: 'jpg' },
};
const LINES_PER_PAGE = 36;
const PAGES_PER_FACE = 50;
const GLYPHS_PER_LINE = 22;
/** Glyph sizes at 300 dpi: 9 and 10.5 pt, a page each in turn. */
const SIZES = [9, 10.5].map((pt) => Math.round((pt * 300) / 72));
const MIN_MAGNITUDE = 2;
const MARKS = ['，', '、', '。', '；'];

/** A seeded PRNG (mulberry32), so the table is built the same way each time. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wordList(): { words: string[]; cumulative: number[] } {
  const text = gunzipSync(readFileSync(join('src/ingest/data', 'words.txt.gz'))).toString('utf8');
  const words: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const line of text.split('\n')) {
    const mag = line.charCodeAt(line.length - 1) - 48;
    const word = line.slice(0, -1);
    if (mag < MIN_MAGNITUDE || mag > 9 || !/^\p{Script=Han}{2,3}$/u.test(word)) continue;
    // Weighted by the square root of the count: common words come often, rarer ones still come.
    total += Math.sqrt(10 ** mag);
    words.push(word);
    cumulative.push(total);
  }
  return { words, cumulative };
}

function makeLines(n: number, rnd: () => number, list: { words: string[]; cumulative: number[] }): string[] {
  const total = list.cumulative.at(-1)!;
  const pick = (): string => {
    const x = rnd() * total;
    let [lo, hi] = [0, list.cumulative.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return list.words[lo]!;
  };
  return Array.from({ length: n }, () => {
    let line = '';
    while (Array.from(line).length < GLYPHS_PER_LINE) line += pick() + (rnd() < 0.15 ? MARKS[Math.floor(rnd() * MARKS.length)]! : '');
    return Array.from(line).slice(0, GLYPHS_PER_LINE).join('');
  });
}

function renderPage(lines: string[], family: string, size: number): Buffer {
  const pitch = Math.round(size * 1.9);
  const canvas = createCanvas(size * (GLYPHS_PER_LINE + 4), pitch * (lines.length + 2));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  ctx.font = `${size}px "${family}"`;
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => ctx.fillText(l, size * 2, pitch * (i + 1)));
  return canvas.toBuffer('image/png');
}

/** Edit operations turning `a` into `b` (Levenshtein, as eval/metrics.ts counts it), as pairs of aligned glyphs ('' for a gap). */
function align(a: string[], b: string[]): [string, string][] {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  const out: [string, string][] = [];
  let [i, j] = [a.length, b.length];
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i]![j] === d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)) out.push([a[--i]!, b[--j]!]);
    else if (i > 0 && d[i]![j] === d[i - 1]![j]! + 1) out.push([a[--i]!, '']);
    else out.push(['', b[--j]!]);
  }
  return out.reverse();
}

const HAN = /^\p{Script=Han}$/u;

async function main(): Promise<void> {
  for (const f of FACES) GlobalFonts.registerFromPath(f.path, f.family);
  const list = wordList();
  const work = mkdtempSync(join(tmpdir(), 'confusions-'));
  const confused = new Map<string, Map<string, number>>();
  const right = new Map<string, number>();
  const limit = pLimit(2);
  const jobs: Promise<void>[] = [];
  let done = 0;
  FACES.forEach((face, fi) => {
    for (let p = 0; p < PAGES_PER_FACE; p++) {
      const lines = makeLines(LINES_PER_PAGE, random(1000 * fi + p + 1), list);
      const png = join(work, `${fi}-${p}.png`);
      writeFileSync(png, renderPage(lines, face.family, SIZES[p % SIZES.length]!));
      for (const [name, { args, dpi, ext }] of Object.entries(DEGRADE)) {
        jobs.push(
          limit(async () => {
            const img = join(work, `${fi}-${p}-${name}.${ext}`);
            await run('convert', [png, '-colorspace', 'Gray', ...args, img]);
            const { stdout } = await run('tesseract', [img, '-', '-l', 'chi_sim', '--psm', '6', '--dpi', String(dpi)], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 24 });
            const read = stdout.split('\n').map((l) => Array.from(l.replace(/\s+/g, ''))).filter((l) => l.length > 0);
            tally(lines.map((l) => Array.from(l)), read, confused, right);
            if (++done % 10 === 0) console.error(`${done} pages read`);
          }),
        );
      }
    }
  });
  await Promise.all(jobs);
  rmSync(work, { recursive: true });
  const rows = [...confused]
    .map(([r, m]) => `${r} ${[...m].sort((x, y) => y[1] - x[1]).map(([t, n]) => `${t}${n}`).join(' ')}`)
    .sort();
  const counts = [...right].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([t, n]) => `= ${t} ${n}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'confusions.txt.gz'), gzipSync([...rows, ...counts].join('\n') + '\n', { level: 9 }));
  console.error(`${rows.length} glyphs read for others; ${right.size} glyphs read right`);
}

/** Each reading line aligned to the printed line it reads best (lines may be lost or split). */
function tally(printed: string[][], read: string[][], confused: Map<string, Map<string, number>>, right: Map<string, number>): void {
  let from = 0;
  for (const r of read) {
    let best = -1;
    let bestD = Infinity;
    for (let k = from; k < Math.min(printed.length, from + 3); k++) {
      const d = levenshtein(printed[k]!.join(''), r.join(''));
      if (d < bestD) [best, bestD] = [k, d];
    }
    if (best < 0 || bestD > printed[best]!.length / 3) continue;
    from = best + 1;
    for (const [t, g] of align(printed[best]!, r)) {
      if (!HAN.test(t)) continue;
      if (t === g) right.set(t, (right.get(t) ?? 0) + 1);
      else if (HAN.test(g)) {
        const m = confused.get(g) ?? new Map<string, number>();
        m.set(t, (m.get(t) ?? 0) + 1);
        confused.set(g, m);
      }
    }
  }
}

await main();
