/**
 * Scanned pages → positioned words, with tesseract.js and Chinese traineddata shipped by npm
 * (@tesseract.js-data/chi_sim), fully offline. Pages are deskewed and their table rules detected
 * here, so the same lattice reader serves scans and text-layer PDFs.
 * The only file that imports tesseract.js.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { Line, Page, Rule, Token } from './types.js';
import { detectRules, eraseRules, estimateSkew, inkRatio, rotate, toPgm, type GrayImage } from './image.js';

/** Recycle a worker after this many pages: tesseract.js workers grow in memory. */
const PAGES_PER_WORKER = 40;

function langPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json');
  return join(dirname(pkg), '4.0.0_best_int');
}

interface Slot {
  worker: Promise<Worker>;
  pages: number;
  busy: boolean;
}

const slots: Slot[] = [];
const waiting: ((s: Slot) => void)[] = [];

function newWorker(): Promise<Worker> {
  return createWorker('chi_sim', OEM.LSTM_ONLY, {
    langPath: langPath(),
    gzip: true,
    cacheMethod: 'none', // no cache writes into the working directory
  });
}

async function acquire(): Promise<Slot> {
  const free = slots.find((s) => !s.busy);
  if (free) {
    free.busy = true;
    return free;
  }
  if (slots.length < Math.max(1, availableParallelism())) {
    const s: Slot = { worker: newWorker(), pages: 0, busy: true };
    slots.push(s);
    return s;
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(s: Slot): void {
  if (++s.pages >= PAGES_PER_WORKER) {
    void s.worker.then((w) => w.terminate());
    s.worker = newWorker();
    s.pages = 0;
  }
  const next = waiting.shift();
  if (next) next(s);
  else s.busy = false;
}

/** Ends the OCR workers (call when a batch is done so the process can exit). */
export async function shutdownOcr(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(all.map((s) => s.worker.then((w) => w.terminate()).catch(() => undefined)));
}

/**
 * Repairs what OCR does to these forms' glyphs, word by word: remnants of erased rules (| _),
 * stray marks, and operators read as dashes (=100% read as -100%: targets are never negative,
 * and a dash directly before a figure is the 等号's lower stroke lost to the blur).
 */
export function cleanOcrWord(raw: string): string {
  let w = raw.replace(/[|_¦]/g, '');
  if (/^[。，、.,'"“”‘’`~:;；：]+$/.test(w)) return '';
  w = w.replace(/^[“”‘’'"`]+/, '');
  w = w.replace(/^[>＞]\s*[-—一=]\s*(?=\d)/, '≥').replace(/^[<＜]\s*[-—一=]\s*(?=\d)/, '≤');
  w = w.replace(/^[-—一－]+\s*=?\s*(?=\d)/, '=');
  w = w.replace(/^=[-—=]+(?=\d)/, '=');
  return w;
}

interface Piece {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  confidence: number;
}

type OcrWord = Piece & { symbols?: Piece[] };

/**
 * With the rules erased, tesseract may read across a cell border as one word (户外|数量指标);
 * a word that a vertical rule crosses is cut there, by its symbols' boxes.
 */
export function splitAtRules(word: OcrWord, rules: Rule[]): Piece[] {
  const { x0, x1, y0, y1 } = word.bbox;
  const cy = (y0 + y1) / 2;
  const cuts = rules
    .filter((r) => r.x1 === r.x2 && r.x1 > x0 + 2 && r.x1 < x1 - 2 && r.y1 <= cy && r.y2 >= cy)
    .map((r) => r.x1)
    .sort((a, b) => a - b);
  if (!cuts.length || !word.symbols?.length) return [word];
  const groups: Piece[][] = cuts.map(() => []);
  groups.push([]);
  for (const sym of word.symbols) {
    const mid = (sym.bbox.x0 + sym.bbox.x1) / 2;
    const k = cuts.findIndex((c) => mid < c);
    groups[k < 0 ? cuts.length : k]!.push(sym);
  }
  return groups
    .filter((g) => g.length)
    .map((g) => ({
      text: g.map((p) => p.text).join(''),
      bbox: { x0: Math.min(...g.map((p) => p.bbox.x0)), y0: Math.min(...g.map((p) => p.bbox.y0)), x1: Math.max(...g.map((p) => p.bbox.x1)), y1: Math.max(...g.map((p) => p.bbox.y1)) },
      confidence: Math.min(...g.map((p) => p.confidence)),
    }));
}


export async function ocrPage(img: GrayImage, pageNo: number, dpi = 200): Promise<Page> {
  const scale = dpi / 72;
  if (inkRatio(img) < 0.002) return { number: pageNo, lines: [], rules: [], width: img.width, height: img.height };
  const skew = estimateSkew(img);
  const straight = rotate(img, skew);
  const rules = detectRules(straight, scale);
  const slot = await acquire();
  let data;
  try {
    const w = await slot.worker;
    ({ data } = await w.recognize(toPgm(eraseRules(straight, rules, Math.max(2, Math.round(1.1 * scale)))), {}, { blocks: true, text: false }));
  } finally {
    release(slot);
  }
  const lines: Line[] = [];
  for (const block of data.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const tokens: Token[] = [];
        for (const word of line.words) {
          for (const piece of splitAtRules(word, rules)) {
            const text = cleanOcrWord(piece.text.trim());
            if (!text) continue;
            const { x0, y0, x1, y1 } = piece.bbox;
            const h = Math.max(1, y1 - y0);
            // Words stay apart: a tesseract line can cross table cells; the lattice reader joins a cell's words.
            tokens.push({ text, x: x0 / h, width: (x1 - x0) / h, box: { x: x0, y: y0, w: x1 - x0, h }, confidence: piece.confidence / 100 });
          }
        }
        if (tokens.length) lines.push({ page: pageNo, lineNo: lines.length + 1, tokens, text: tokens.map((t) => t.text).join(' '), cells: false, gapBefore: 0 });
      }
    }
  }
  return { number: pageNo, lines, rules, width: img.width, height: img.height, scale };
}
