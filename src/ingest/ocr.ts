/**
 * Scanned pages → positioned words, with tesseract.js and Chinese traineddata shipped by npm
 * (@tesseract.js-data/chi_sim; figure cells are read again with @tesseract.js-data/eng, see
 * ocr-figures.ts), fully offline. Pages are deskewed and their table rules detected
 * here, so the same lattice reader serves scans and text-layer PDFs.
 * The only file that imports tesseract.js, when a first page is read (a batch of text-layer PDFs
 * never loads it).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { Worker } from 'tesseract.js';
import { pageTables, type Grid } from '../layout/grid.js';
import { DECISIVE_GAIN, hanCount, hasStrayGlyph, likeliestBlend, likelihoodGain, logLikelihood, repairWithVocabulary, vocabulary } from './ocr-vocabulary.js';
import { DIGIT_LOOKALIKE_GLYPHS, editDistance, lexiconDistance, repairMisreadGlyphs, repairWithLexicon, repairWrappedEnd } from './ocr-lexicon.js';
import { PERCENT_UNIT, PERCENT_UNIT_DIGITS, percentHead, percentRead } from './ocr-percent.js';
import { crossRead, digitsOf, FIGURE, leadingZero, UNITS, wantsSecondReading, wantsThirdReading } from './ocr-figures.js';
import { createOcrMemory, inkMask, recallLabel, rememberable, type MemoryTurn, type OcrMemory } from './ocr-memory.js';
import { bestTurn, hanSureness, probeWindow, PROBE_SURE, sureShare, suspectTurned, turnImage, TURNS, type Turn } from './orientation.js';
import type { Box, Line, Page, Rule, Token } from './types.js';
import { columnStubs, inferredColumns, lostColumnRules, lostRowRules, rowRuledStacks } from './row-ruled.js';
import { AFTER_MARK, BEFORE_MARK, FILLER_GLYPHS, glyphsOf, joinPieces, type OcrWord, type Piece } from './ocr-words.js';
import { charWidth, displayWidth } from './width.js';
import { findLines, placed, tokenRows } from './line-finder.js';
import { blots, brokenDigit, bridgeRows, holesIn, cropOrigin, middle, detachedBar, lowCrossbar, loopedNine, chevron, despeckle, eraseRules, latticeRules, ruleCandidates, hasUnderbar, slashStrokes, estimateSkew, inkBands, type Band, inkIn, inkRatio, trimRows, widthGroups, inkSaturation, lighten, OCR_DPI, resample, rotate, rowCrops, rowPieces, stackCrops, weightRuns, toSpix, type GrayImage, type PixelBox, type Placement, type RowPlacement } from './image.js';

/** Above this share of solid black in its ink, a page is a binarised scan (see inkSaturation). */
const BINARISED_SATURATION = 0.6;
/**
 * A speck, in square points and points: a blot of less ink than 0.39 pt² (3 pixels at 200 dpi),
 * at most 1.44 pt a side. A printed full stop or decimal point has more.
 */
const SPECK_AREA = 0.39;
const SPECK_SIDE = 1.44;

/**
 * Recycle a worker after it has read two hundred A4 pages' worth of pixels at OCR_DPI: tesseract.js
 * workers may grow in memory. Counted in pixels, not calls: a page is read in several strips of
 * its trimmed cells. A new worker costs about a second of CPU (its WebAssembly compiled, the
 * traineddata loaded) and its slot waits for it, up to two seconds on a busy machine: at forty
 * pages' worth it was paid every ~50 scanned pages. Measured: over 408 scanned pages read in one
 * process with no recycling at all, RSS stayed between 550 and 616 MB (the WebAssembly heap keeps
 * the size of the largest strip read, it does not creep); the budget stays within that run.
 */
const PIXELS_PER_WORKER = 200 * Math.round((210 / 25.4) * OCR_DPI) * Math.round((297 / 25.4) * OCR_DPI);

/** The folder of a language's traineddata, installed by npm (@tesseract.js-data). */
export function langPath(lang: Lang): string {
  const pkg = createRequire(import.meta.url).resolve(`@tesseract.js-data/${lang}/package.json`);
  return join(dirname(pkg), '4.0.0_best_int');
}

type Mode = 'block' | 'line' | 'auto' | 'figures';
type Lang = 'chi_sim' | 'eng';

interface Slot {
  lang: Lang;
  worker: Promise<Worker>;
  /** Pixels read since the worker started. */
  pixels: number;
  busy: boolean;
  /** The page segmentation and resolution the worker is set to. */
  mode?: Mode;
  dpi?: number;
}

const slots: Slot[] = [];
const waiting: { lang: Lang; take: (s: Slot) => void }[] = [];

type Tesseract = typeof import('tesseract.js');
let tesseract: Promise<Tesseract> | null = null;
const loadTesseract = (): Promise<Tesseract> => (tesseract ??= import('tesseract.js'));

/** tesseract.js's worker script, run with leptonica's messages off the terminal (see tesseract-worker.cjs). */
const WORKER_PATH = fileURLToPath(new URL('./tesseract-worker.cjs', import.meta.url));

async function newWorker(lang: Lang): Promise<Worker> {
  const { createWorker, OEM } = await loadTesseract();
  return createWorker(lang, OEM.LSTM_ONLY, {
    langPath: langPath(lang),
    gzip: true,
    cacheMethod: 'none', // no cache writes into the working directory
    workerPath: WORKER_PATH,
  });
}

const cores = (): number => Math.max(1, availableParallelism());

/**
 * A worker for a read in `lang`: an idle one of that model, or a new one. Each model keeps up to
 * one worker per core, and no more reads run at once than there are cores. The English workers
 * cost memory, not CPU, while idle: peak RSS reading the 19-page sample scan went from 543 to
 * 638 MB with them.
 */
async function acquire(lang: Lang): Promise<Slot> {
  const busy = slots.filter((s) => s.busy).length;
  const free = busy < cores() ? slots.find((s) => !s.busy && s.lang === lang) : undefined;
  if (free) {
    free.busy = true;
    return free;
  }
  if (busy < cores() && slots.filter((s) => s.lang === lang).length < cores()) {
    const s: Slot = { lang, worker: newWorker(lang), pixels: 0, busy: true };
    slots.push(s);
    return s;
  }
  return new Promise((resolve) => waiting.push({ lang, take: resolve }));
}

/** Ends a slot's worker; one that failed to start has nothing to end. */
async function endWorker(s: Slot): Promise<void> {
  await s.worker.then((w) => w.terminate()).catch(() => undefined);
}

function release(s: Slot, pixels: number): void {
  // A slot no longer in the pool (the pool was shut down while it read) ends with its read.
  if (!slots.includes(s)) {
    void endWorker(s);
    serveNext(null);
    return;
  }
  if ((s.pixels += pixels) >= PIXELS_PER_WORKER) {
    void endWorker(s);
    s.worker = newWorker(s.lang);
    s.pixels = 0;
    s.mode = undefined;
    s.dpi = undefined;
  }
  s.busy = false;
  serveNext(s);
}

/** A slot whose worker could not start leaves the pool (the next read of its language starts another). */
function retire(s: Slot): void {
  const k = slots.indexOf(s);
  if (k >= 0) slots.splice(k, 1);
  serveNext(null);
}

/** The longest waiting read goes next: on the freed worker if it wants its language, else on an idle (or new) worker of its own. */
function serveNext(freed: Slot | null): void {
  const next = waiting.shift();
  if (!next) return;
  if (freed && next.lang === freed.lang) {
    freed.busy = true;
    next.take(freed);
  } else void acquire(next.lang).then(next.take);
}

/** Ends the OCR workers (call when a batch is done so the process can exit). */
export async function shutdownOcr(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(all.map(endWorker));
}

/** Capitals and at least one small l, no other letter beside them, a Han glyph on one side at least. */
const ACRONYM_WITH_L = /(?<=\p{Script=Han})[A-Zl]*l[A-Zl]*(?![A-Za-z])|(?<![A-Za-z])[A-Zl]*l[A-Zl]*(?=\p{Script=Han})/gu;

/**
 * Repairs what OCR does to these forms' glyphs, word by word: remnants of erased rules (| _),
 * stray marks, and operators read as dashes (=100% read as -100%: targets are never negative,
 * and a dash directly before a figure is the 等号's lower stroke lost to the blur).
 */
export function cleanOcrWord(raw: string): string {
  let w = raw.replace(/[|_¦]/g, '');
  // A lone ASCII mark is a speck; full-width punctuation (，。、) is the form's own.
  if (/^[.,'"`~:;]+$/.test(w)) return '';
  // A leading quote mark is a speck unless the text closes it (“钉钉”移动平台).
  if (!/^[“‘"'][^”’"']+[”’"']/.test(w)) w = w.replace(/^[“”‘’'"`]+/, '');
  // ">=" as printed (its lower stroke often lost to the blur); a printed ≥ is read as ≥.
  w = w.replace(/^[>＞]\s*[-—一=]\s*(?=\d)/, '>=').replace(/^[<＜]\s*[-—一=]\s*(?=\d)/, '<=');
  w = w.replace(/^[-—一－]+\s*=?\s*(?=\d)/, '=');
  w = w.replace(/^=[-—=]+(?=\d)/, '=');
  // 一 read as a hyphen or two before a glyph (-级指标, -次性项目, 进--步, 六位-体): a hyphen never
  // stands between or before Han glyphs in these forms (a dash in running text is ——).
  w = w.replace(/(^|[\p{Script=Han}，。、；：“”‘’（）《》])-{1,2}(?=\p{Script=Han})/gu, '$1一');
  // A point or comma after a whole figure, no digit after it, is a speck (15. for 15): no figure is printed so.
  w = w.replace(/^([=<>≤≥]*\d+)[.,]$/, '$1');
  // An acronym's I read as a small l beside Han glyphs (与Al即审即批 for AI, lT运维 for IT): a run of
  // capitals in Chinese text holds no small letter, and an l is what tesseract takes an I for.
  w = w.replace(ACRONYM_WITH_L, (m: string) => (/[A-Z]/.test(m) ? m.replace(/l/g, 'I') : m));
  return w;
}

/** Whether `text` opens a bracket it does not close. */
function unclosed(text: string): boolean {
  const opened = (text.match(/[[［〔【(（]/g) ?? []).length;
  const closed = (text.match(/[\]］〕】)）]/g) ?? []).length;
  return opened > closed;
}

/** `head` followed by "9%" was `head`% read with a stray 9: with the 9 the figure is no rate (1009%), without it one. */
const percentReadAs9 = (head: string): boolean => Number(`${head}9`) >= 200 && Number(head) <= 100;

/** A comparison after a rate's name: 均达到, 达, 不低于, 不超过. */
const COMPARED = String.raw`(?:均|须|应|将|要)?(?:达到|达|不低于|低于|不超过|超过|不高于|高于)`;
/** A rate's name and a comparison before a figure: 完成率均达到, 满意度达, 满意度不低于, 发生率不超过. */
const RATE_STATED = String.raw`(?<=[率度]${COMPARED})`;
const RATE_END = String.raw`(?=[，。；、,;）)]|以[上下内]|$)`;
const RATE_STATED_96 = new RegExp(`${RATE_STATED}(\\d{1,3}(?:\\.\\d+)?)96${RATE_END}`, 'g');
const RATE_STATED_9 = new RegExp(`${RATE_STATED}(\\d{1,3}(?:\\.\\d+)?)9%`, 'g');
const RATE_STATED_PERCENT_6 = new RegExp(`${RATE_STATED}(\\d{1,3}(?:\\.\\d+)?)%[468]${RATE_END}`, 'g');
/**
 * A rate stated in running text read with its % as two or three digits (满意度不低于9994。, 不低于999。):
 * only after a rate that is a share (满意度, 完成率…), not an amount or a speed (额度, 速率).
 */
const SHARE_STATED = String.raw`(?<=(?:满意|知晓|认可|覆盖|完成|合格|准确|及时|达标|使用|投诉|差错|到位|通过)[率度]${COMPARED})`;
const RATE_STATED_DIGITS = new RegExp(`${SHARE_STATED}\\d{3,5}${RATE_END}`, 'g');
/**
 * A share stated with a stray digit before its % (合格率均达到1002%, 满意度达到955%): 60–100 % without
 * it. A completion rate may pass 100 % (完成率达到800%): it is taken for a misreading only at 1000 % or more.
 */
const SHARE_STATED_STRAY = new RegExp(`${SHARE_STATED}(\\d{2,3})\\d%`, 'g');
const COMPLETION_STATED = new RegExp(`完成率${COMPARED}$`);

/**
 * Repairs of a cell line's figures, where tesseract reads a blurred % as "9%", "%0" or "%%", and
 * 1 / 0 as I / O between digits. A percentage of 200 or more that ends in 9 and is ≤ 100 without
 * it ("1009%", "909%") is such a reading; a genuine 109% is kept. Also: thousands separators
 * partly lost, and 《 read for （. The %'s misreadings are listed in ocr-percent.ts.
 */
export function repairFigures(text: string): string {
  let t = text.replace(/%{2,}/g, '%');
  // ≥ / ≤ read as 之 / 和 before a figure; a bracket speck between an operator and its figure.
  t = t.replace(/^[\][](?=\d)/, '');
  t = t.replace(/^(?:之|兰|过|>>|≥>|>≥)(?=\d)/, '≥').replace(/^(?:和|委|<<|≤<|<≤)(?=\d)/, '≤');
  // The brackets of a unit after a figure read as 》 } or {: 25.00(人次/日》, 1.00(年}, =4.00{次/月).
  t = t.replace(/(\d[(（][^()（）《》{}]{1,6})[》}]$/, '$1)').replace(/(\d)\{(?=[^(){}（）]{1,6}[)）]$)/, '$1(');
  // A bracketed % unit after a figure read as (o%), (%4), (o0): only o/0/%/4/9/g inside, a % or o among them.
  t = t
    .replace(/(\d)[（(]\{?([^()（）]{1,3})[)）]/g, (m, d: string, inner: string, at: number, all: string) =>
      PERCENT_UNIT.test(inner) || (PERCENT_UNIT_DIGITS.test(inner) && at + m.length === all.length && /^[=<>≤≥]*[\d.,]+$/.test(all.slice(0, at + 1))) ? `${d}(%)` : m,
    )
    .replace(/(\d)\{[（(]/g, '$1(');
  t = t.replace(/^([=<>≤≥]+)[\][](?=\d)/, (_m, op: string, at: number, all: string) => (/^0\d/.test(all.slice(op.length + 1)) ? `${op}1` : op));
  // A 1 read as ] or I between an operator and a unit: >=]次/年.
  t = t.replace(/^([=<>≤≥]+)[\]Il|](?=[次件个人户块家项天月年元台套份本])/, '$11');
  t = t.replace(/(?<=[=<>≤≥]|^)[Il|](?=\d)/, '1').replace(/(?<=\d)[Il](?=\d)/g, '1').replace(/(?<=\d)[Oo](?=[\d%])/g, '0');
  t = t.replace(/(\d)%\d$/, '$1%');
  // A figure's point read as a colon or semicolon before its two decimals and its %/unit: 99:00(%),
  // 100;00(%), >8:00(年). (A clock time or a ratio has none: 17:00, 9:00(工作日), 1:10(比例).)
  t = t.replace(new RegExp(`^([=<>≤≥]*\\d{1,3})[:;：；](\\d{2})(?=%|[(（](?:%|${UNITS})[)）])`), '$1.$2');
  // A 0 read as an opening bracket between an operator and its unit, no bracket closing it: =(次, =(起.
  t = t.replace(/^([=<>≤≥]+)[(（](?=\p{Script=Han}{1,3}$)/u, '$10');
  // A 1 read as ] with no bracket before it to close, between glyphs: 202]年, 不晚于]周 (its foot lost to
  // the blur); 沪财预〔2021]12号 keeps it.
  t = t.replace(/(?<=[\d\p{Script=Han}])[\]］](?=[\d\p{Script=Han}])/gu, (m, at: number, all: string) => (unclosed(all.slice(0, at)) ? m : '1'));
  // …or as ], I, l or L at the start of a range after a glyph: 引入]-2名, 引入L-2名 (no bracket open before it).
  t = t.replace(/(?<=\p{Script=Han})[\]］IlL](?=-\d{1,3}\p{Script=Han})/gu, (m, at: number, all: string) => (unclosed(all.slice(0, at)) ? m : '1'));
  // The hyphen of a range read as =, between a figure and a figure with its unit: 1=3个工作日.
  t = t.replace(/(?<=(?:^|[^\d=<>≤≥.])\d{1,3})=(?=\d{1,3}\p{Script=Han})/gu, '-');
  // A bracketed % whose opening bracket and % were read as zeros: 100.0000) for 100.00(%).
  t = t.replace(/^([=<>≤≥]*\d+\.\d{2})0{2,3}[)）]$/, '$1(%)');
  // A rate of 60–100 with a stray digit before its % (=1002%, =1000%, >=900%): over 200 %, not printed.
  t = t.replace(/^([=<>≤≥]*)(\d{2,3})\d%$/, (m, op: string, head: string) => (Number(head) >= 60 && Number(head) <= 100 && Number(m.slice(op.length, -1)) >= 200 ? `${op}${head}%` : m));
  // …or before it, a digit of 2 or more (>=295%; >=160% is printed). After the stray digit after it:
  // where either reading fits (>=989%), the % is the likelier misread (>=98%).
  t = t.replace(/^([=<>≤≥]+)[2-9]([6-9]\d|100)%$/, '$1$2%');
  t = t.replace(/(^|[=<>≤≥])09%$/, '$10%');
  // After an operator, a % read as "90": =10090, >=9090 (targets of 60–100 %; =1090 stays).
  // Also as "96", "26", "06", "20", "9", "6" or "2" (=10096, >9596, >=952, =1009, =10020; =090 is =0%).
  t = t.replace(/^([=<>≤≥]+)(\d+)$/, (m, op: string, digits: string) => {
    const head = percentHead(digits);
    return head === null ? m : `${op}${head}%`;
  });
  // Without an operator, a rate of 60–100 followed by "96", "26" or "06" (10096), or by a 0/9 after
  // two decimals (99.580): a percentage of over 100 with a third decimal is not what these columns hold.
  t = t.replace(/^(\d{2,3})(96|26|06)$/, (m, head: string) => (Number(head) >= 60 && Number(head) <= 100 ? `${head}%` : m));
  t = t.replace(/^100[96]$/, '100%');
  t = t.replace(/^(\d{1,3}\.\d{2})[09]$/, (m, head: string) => (Number(head) <= 100 && Number(head) >= 60 ? `${head}%` : m));
  // A speck read as a point after a separator (2,.557,145.00).
  t = t.replace(/(?<=\d),\.(?=\d{3})/g, ',');
  // Thousands separators read as points (1.480.70 is 1,480.70).
  if (/^\d{1,3}(\.\d{3})+\.\d{1,2}$/.test(t)) t = t.replace(/\.(?=\d{3}[.])/g, ',');
  // Thousands separators partly lost (1480,000.00): the digits are what count.
  if (/^\d[\d,]*,\d{3}(\.\d+)?$/.test(t) && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  // 《 〈 for an opening parenthesis: (2021年度) read as 《2021年度).
  t = t.replace(/[《〈](?=[^《》〈〉()（）]*[)）])/g, '（');
  // In running text, a % followed by a stray 6, 4 or 8 (its lower loop read again: 95%6，,
  // 100%4，, 95%4以上 with 上 misread too) or 0 (before a mark, 以上 or 以下: 10%0以内 may be 10‰),
  // or read as 96 before 以上/以下 after a quality's name (稳定性9996以上): a rate of 10 or more
  // (60–100) is meant. A small figure keeps it: 1%0以内 is 1‰ misread, not 1%.
  t = t.replace(/(\d+(?:\.\d+)?)%(?:[468](?=[，。；、,;]|以|$)|0(?=[，。；、,;]|以[上下]|$))/g, (m, n: string) => (Number(n) >= 10 ? `${n}%` : m));
  t = t.replace(/(?<=[性率度到于达为])(\d{2,3})96(?=以[上下])/g, (m, head: string) => (Number(head) >= 60 && Number(head) <= 100 ? `${head}%` : m));
  t = t.replace(/(\d+)9%$/, (m, head: string) => (percentReadAs9(head) && !/^0\d/.test(head) ? `${head}%` : m));
  // A rate stated in running text after the rate's name and a comparison (完成率均达到10096，满意度不低于
  // 9996。故障率不超过0.0196，满意度达到959%以上，发生率低于1%6，): % read as 96, or as 9% when the
  // figure is then no rate, or followed by a 6, 4 or 8 however small the rate.
  t = t.replace(RATE_STATED_PERCENT_6, '$1%');
  t = t.replace(RATE_STATED_96, (m, n: string) => (Number(n) <= 100 ? `${n}%` : m));
  t = t.replace(RATE_STATED_9, (m, n: string) => (percentReadAs9(n) ? `${n}%` : m));
  // …or as other digits its loops look like, where the figure as read is no rate (9994, 9990, 9954, 999).
  t = t.replace(RATE_STATED_DIGITS, (m) => percentRead(m, true)?.value ?? m);
  t = t.replace(SHARE_STATED_STRAY, (m, head: string, at: number, all: string) => {
    const completion = COMPLETION_STATED.test(all.slice(0, at));
    return Number(head) >= 60 && Number(head) <= 100 && (!completion || Number(m.slice(0, -1)) >= 1000) ? `${head}%` : m;
  });
  // A list's first item number read as a stroke at the start of a line (I、保障, ].档案).
  t = t.replace(/^[Il\]]([、.．])(?=\p{Script=Han})/u, '1$1');
  return t;
}

/**
 * The figure repairs over a cell's lines read together: a figure or a stated rate wrapped in its
 * cell is repaired as one (满意度达到 | 959%以上, ≥25.00(人次/ | 日》). A change is made in the line
 * where it begins; what it replaces on the next lines is taken from them.
 */
export function repairAcrossLines(lines: Token[]): Token[] {
  if (lines.length < 2) return lines;
  const joined = lines.map((t) => t.text).join('');
  const repaired = repairFigures(joined);
  if (repaired === joined) return lines;
  let p = 0;
  while (p < joined.length && joined[p] === repaired[p]) p++;
  let q = 0;
  while (q < joined.length - p && q < repaired.length - p && joined[joined.length - 1 - q] === repaired[repaired.length - 1 - q]) q++;
  const [from, to, insert] = [p, joined.length - q, repaired.slice(p, repaired.length - q)];
  let at = 0;
  return lines
    .map((t) => {
      const [a, b] = [at, at + t.text.length];
      at = b;
      if (b <= from || a >= to) return t;
      // The line where the change begins takes it; later lines lose what it replaced.
      const head = a <= from ? t.text.slice(0, from - a) + insert : '';
      // Its characters moved: their confidences no longer line up with them.
      const { glyphConfidence: _moved, ...rest } = t;
      return { ...rest, text: head + t.text.slice(Math.min(t.text.length, to - a)) };
    })
    .filter((t) => t.text.length > 0);
}

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
  return groups.filter((g) => g.length).map(joinPieces);
}


/**
 * Boxes to read one by one: every inked cell of every ruled table (a table cut by a page break is
 * closed as the layout stage closes it), and the full-width bands above, between and below them.
 */
function readingBoxes(img: GrayImage, rules: Rule[], scale: number): PixelBox[] | null {
  const { tables } = pageTables(rules, 2 * scale);
  if (tables.length === 0) return null;
  const inset = Math.max(2, Math.round(0.8 * scale)); // off the (erased) rule and its blur
  const minInk = Math.round(4 * scale);
  const margin = Math.round(3 * scale); // white kept above and below a box's ink
  const boxes: PixelBox[] = [];
  const keep = (b: PixelBox): void => {
    const box = { x0: Math.max(0, Math.round(b.x0)), y0: Math.max(0, Math.round(b.y0)), x1: Math.min(img.width, Math.round(b.x1)), y1: Math.min(img.height, Math.round(b.y1)) };
    if (box.x1 - box.x0 > 2 * inset && box.y1 - box.y0 > 2 * inset && inkIn(img, box) >= minInk) boxes.push(trimRows(img, box, margin));
  };
  let above = 0;
  for (const { grid } of [...tables].sort((a, b) => a.box.y0 - b.box.y0)) {
    keep({ x0: 0, y0: above, x1: img.width, y1: grid.ys[0]! - inset });
    for (const c of [...grid.cells].sort((a, b) => a.row - b.row || a.col - b.col)) {
      keep({ x0: grid.xs[c.col]! + inset, y0: grid.ys[c.row]! + inset, x1: grid.xs[c.colEnd + 1]! - inset, y1: grid.ys[c.rowEnd + 1]! - inset });
    }
    above = Math.max(above, grid.ys.at(-1)! + inset);
  }
  keep({ x0: 0, y0: above, x1: img.width, y1: img.height });
  return boxes;
}

/** What a figure cell can hold: digits, operators, separators, % and the units these forms count in. */
const FIGURE_CHARS = '0123456789.,%=<>≥≤-:()' + '次件个人户块家项天日月年元万台套份本';

function modeParams({ PSM }: Tesseract, mode: Mode): Record<string, string> {
  const params: Record<Mode, Record<string, string>> = {
    block: { tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_char_whitelist: '' },
    line: { tessedit_pageseg_mode: PSM.SINGLE_LINE, tessedit_char_whitelist: '' },
    auto: { tessedit_pageseg_mode: PSM.AUTO, tessedit_char_whitelist: '' },
    figures: { tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_char_whitelist: FIGURE_CHARS },
  };
  return params[mode];
}

/**
 * Tesseract reads a line whose glyphs it is on average less than 70% sure of a second time, from
 * the inverted image (white text on black), and keeps the surer reading. These forms print no
 * light-on-dark text, so the second reading only costs time: 8% of the CPU of the three sample
 * scans, whose records come out the same without it. Where the inverse did win, on speckled
 * photocopies, it was on lone faint figures: without it eval's holdout, photocopy and flowscan
 * routes read 8 more fields right, and one UMing photocopy 12 more wrong (faint weights and scores
 * it had read as nothing before, now read as other digits).
 */
const NOT_INVERTED = { invert_threshold: '0' };

async function recognize(img: GrayImage, mode: Mode, dpi: number, lang: Lang = 'chi_sim'): Promise<OcrBlock[]> {
  const slot = await acquire(lang);
  let w: Worker;
  try {
    w = await slot.worker;
  } catch (e) {
    retire(slot);
    throw e;
  }
  try {
    if (slot.mode !== mode || slot.dpi !== dpi) {
      // debug_file: tesseract's own messages on a crop it cannot read ("Image too small to scale!!")
      // are not written to the user's terminal, unless JIXIAO_OCR_DEBUG is set.
      await w.setParameters({ ...modeParams(await loadTesseract(), mode), ...NOT_INVERTED, user_defined_dpi: String(dpi), ...(process.env.JIXIAO_OCR_DEBUG ? {} : { debug_file: '/dev/null' }) });
      slot.mode = mode;
      slot.dpi = dpi;
    }
    const { data } = await w.recognize(Buffer.from(toSpix(img).buffer), {}, { blocks: true, text: false });
    return data.blocks ?? [];
  } finally {
    release(slot, img.width * img.height);
  }
}

type OcrBlock = { paragraphs: { lines: { bbox: Piece['bbox']; words: OcrWord[] }[] }[] };

const LATIN_END = /[A-Za-z0-9%.]$/;
const LATIN_START = /^[A-Za-z0-9]/;

/**
 * A word's characters with their confidences (0–1) and boxes, from its symbols where they spell the
 * word (`own`), else the word's box.
 */
function charsOf(w: OcrWord): { text: string; conf: number[]; boxes: Piece['bbox'][]; own: boolean } {
  const text = w.text.replace(/\s+/g, '');
  const pieces = glyphsOf(w);
  const glyphs = pieces.flatMap((g) => Array.from(g.text.replace(/\s+/g, '')).map(() => g));
  return { text, conf: glyphs.map((g) => g.confidence / 100), boxes: glyphs.map((g) => g.bbox), own: pieces[0] !== w };
}

/**
 * White from the glyph before a mark to the one after it, at least this share of the line's glyph
 * pitch: the mark fills a square of its own. Measured on the sample scans and photocopies (224
 * semicolons read): printed ； 0.45–1.6, most 0.7–1.5; printed ASCII ; 0.35–0.48 (one 0.79).
 */
const FULL_WIDTH_WHITE = 0.55;
/**
 * A mark that begins a line is full-width when the white after it is at least this share of the
 * pitch: ； at the start of a scan's wrapped line 0.63–0.70, a printed ASCII ; 0.04–0.16 after it.
 */
const LINE_START_WHITE = 0.4;
const FULL_WIDTH_OF: Readonly<Record<string, string>> = { ';': '；' };

/** The line's glyph pitch: the middle distance between the centres of neighbouring Han glyphs (null with fewer than three such pairs). */
function hanPitch(chars: string[], boxes: (Piece['bbox'] | null)[]): number | null {
  const steps: number[] = [];
  for (let k = 1; k < chars.length; k++) {
    const [p, q] = [boxes[k - 1], boxes[k]];
    if (p && q && p !== q && HAN.test(chars[k - 1]!) && HAN.test(chars[k]!)) steps.push((q.x0 + q.x1 - p.x0 - p.x1) / 2);
  }
  return steps.length >= 3 ? steps.sort((x, y) => x - y)[steps.length >> 1]! : null;
}

/**
 * A semicolon in running Chinese text as printed: tesseract reads ； as ; whatever its width. A
 * full-width mark takes a glyph's square, its ink at the left, so the white from the glyph before it
 * to the one after is about a glyph's pitch; an ASCII mark's advance is half of that or less.
 * Between Han glyphs, or a Han glyph and a % before it or an item number after it (100%；通过,
 * 目标；2.档案), never between figures (2;564 is a misread comma). `boxes[i]` is the box of
 * character i (null where unknown); without the line's pitch a Han neighbour's height stands for
 * it; without boxes the mark stays as read.
 */
export function fullWidthMarks(chars: string[], boxes: (Piece['bbox'] | null)[]): string[] {
  if (!chars.some((c) => FULL_WIDTH_OF[c])) return chars;
  const pitch = hanPitch(chars, boxes);
  return chars.map((c, i) => {
    const wide = FULL_WIDTH_OF[c];
    const [a, b] = [boxes[i - 1], boxes[i + 1]];
    const [before, after] = [chars[i - 1] ?? '', chars[i + 1] ?? ''];
    // A line's first glyph (the line before it ended in the sentence the mark closes): the white
    // after the mark alone tells its width, its ink being at its left.
    if (wide && i === 0 && b && boxes[0] && boxes[0] !== b && HAN.test(after)) {
      return b.x0 - boxes[0].x1 >= LINE_START_WHITE * (pitch ?? b.y1 - b.y0) ? wide : c;
    }
    if (!wide || !a || !b || a === b || !BEFORE_MARK.test(before) || !AFTER_MARK.test(after) || !(HAN.test(before) || HAN.test(after))) return c;
    const unit = pitch ?? Math.max(HAN.test(before) ? a.y1 - a.y0 : 0, HAN.test(after) ? b.y1 - b.y0 : 0);
    return b.x0 - a.x1 >= FULL_WIDTH_WHITE * unit ? wide : c;
  });
}

/**
 * The box of an operator OCR merged into the figure's first digit (⩾9 read as 9): a first digit,
 * read unsure (or read surely but SURE_MERGED of the other digits wide), wider than its own height
 * and than 1.6 of the figure's other digits (otherDigits: 1s and what follows the figure are no
 * measure), or of DIGIT_SHARE of its height where the figure has no other (⩾2(次/周)), with at
 * least 0.6 of a digit's width left of a digit; the operator is that left part. Null when the first
 * glyph is no such digit.
 */
export function mergedOperatorBox(glyphs: Piece[]): Piece['bbox'] | null {
  const [first, ...rest] = glyphs;
  if (!first || !/^\d$/.test(first.text)) return null;
  const measured = otherDigits(rest);
  const digit = measured?.width ?? DIGIT_SHARE * (first.bbox.y1 - first.bbox.y0);
  const width = first.bbox.x1 - first.bbox.x0;
  if (width <= 1.6 * digit || width <= MAX_DIGIT_ASPECT * (first.bbox.y1 - first.bbox.y0) || width - digit < 0.6 * digit) return null;
  if (first.confidence >= 50 && (!measured || width < SURE_MERGED * digit)) return null;
  return { ...first.bbox, x1: first.bbox.x1 - digit - 1 };
}

/**
 * The middle top, foot and width of the figure's digits after its first glyph: 1s left out (narrow
 * in most fonts), and what follows the figure (a unit's glyphs, a % misread as 0 in 99(%)); null
 * with none.
 */
function otherDigits(rest: readonly Piece[]): { y0: number; y1: number; width: number } | null {
  const end = rest.findIndex((g) => !/^[\d.,]$/.test(g.text));
  const digits = (end < 0 ? rest : rest.slice(0, end)).filter((g) => /^[02-9]$/.test(g.text)).map((g) => g.bbox);
  if (digits.length === 0) return null;
  const middle = (vs: number[]): number => vs.sort((a, b) => a - b)[vs.length >> 1]!;
  return { y0: middle(digits.map((b) => b.y0)), y1: middle(digits.map((b) => b.y1)), width: middle(digits.map((b) => b.x1 - b.x0)) };
}

/**
 * A digit read surely is an operator merged into a digit only where its box is this many of the
 * figure's other digits wide (⩾9 read as 9 at 0.82–0.88 in a thin Ming face: 31 pixels where the
 * digits are 10). A figure with no other digit is no measure (a faint 1.5 read as 1, 31 wide).
 */
const SURE_MERGED = 2.2;

/** A digit's width in its height, about (12–13 pixels by 19–20 on the 200-dpi photocopies of the samples). */
const DIGIT_SHARE = 0.6;

/** What the pixels show of a glyph: a bar under it (≥ from >), an operator merged into a digit or read as another glyph, a digit whose strokes broke. */
export interface GlyphPixels {
  underlined(box: Piece['bbox']): boolean;
  /** A bar apart above the glyph, white between (see detachedBar). */
  barApart?(box: Piece['bbox']): boolean;
  operator(box: Piece['bbox']): '≥' | '≤' | '>' | '<' | null;
  digit(box: Piece['bbox'], read: '3' | '1' | '5'): '5' | '4' | '9' | null;
  /** How many slashes the glyph's box holds (see slashStrokes). */
  slashes?(box: Piece['bbox']): number;
}

const NO_PIXELS: GlyphPixels = { underlined: () => false, operator: () => null, digit: () => null };

/** A figure alone in its cell, its operator and % included: where a digit's pixels are judged. */
const BARE_FIGURE = /^[=<>≤≥]*\d[\d.,]*(?:%|[(（]%[)）])?$/;

/**
 * A figure's 3s, 1s and 5s as their pixels show them (5s and 4s a thin face's strokes broke, 9s
 * whose loop a bold face closed: see brokenDigit and loopedNine), where the glyph's own box is
 * known: no wider than 0.9 of its height (a word's box standing in for its glyphs' is wider).
 */
export function brokenDigits(chars: string[], boxes: (Piece['bbox'] | null)[], pixels: GlyphPixels): string[] {
  if (!BARE_FIGURE.test(chars.join(''))) return chars;
  return chars.map((c, i) => {
    const b = boxes[i];
    if (c === '3' && b && shortDigit(b) && pixels.barApart?.(b)) return '5';
    if ((c !== '3' && c !== '1' && c !== '5') || !b || b.x1 - b.x0 > 0.9 * (b.y1 - b.y0)) return c;
    return pixels.digit(b, c) ?? c;
  });
}

/**
 * A `/` between two Han glyphs read where two slashes are printed is `//` (改造//前期 read as
 * 改造/前期): the ink from 0.3 of the way into the glyph before it to 0.7 of the way into the glyph
 * after it holds two slashes (see slashStrokes; tesseract's box for the `/` may hold one slash and
 * half the next glyph, the other slash lying in the box of the glyph before). Its confidence, in
 * `conf`, stands for both. Only where the glyphs' own boxes are known; beside a digit or a letter
 * (1/7, a 7's stem binarised apart from its bar) a glyph's stroke may lean as a slash does.
 */
export function doubledSlashes(chars: string[], boxes: (Piece['bbox'] | null)[], pixels: GlyphPixels, conf: number[]): string[] {
  if (!pixels.slashes || !chars.includes('/')) return chars;
  const out: string[] = [];
  const spanOf = (i: number): Piece['bbox'] | null => {
    const [b, before, after] = [boxes[i], boxes[i - 1], boxes[i + 1]];
    if (!b) return null;
    const h = b.y1 - b.y0;
    return { x0: before ? before.x0 + 0.3 * (before.x1 - before.x0) : b.x0 - h / 2, x1: after ? after.x1 - 0.3 * (after.x1 - after.x0) : b.x1 + h / 2, y0: b.y0, y1: b.y1 };
  };
  chars.forEach((c, i) => {
    const span = c === '/' && HAN.test(chars[i - 1] ?? '') && HAN.test(chars[i + 1] ?? '') ? spanOf(i) : null;
    if (span && pixels.slashes!(span) >= 2) {
      conf.splice(out.length, 0, conf[out.length] ?? 1);
      out.push('/');
    }
    out.push(c);
  });
  return out;
}

/**
 * The words of one line of one cell → one token: CJK joined directly, Latin words by a space;
 * then the line is cleaned as a whole (operators at its start, specks at its ends, figures, the
 * lexicon — where a misread glyph has a low confidence).
 */
export function joinWords(pieces: OcrWord[], pixels: GlyphPixels = NO_PIXELS): Token[] {
  if (pieces.length === 0) return [];
  let raw = '';
  const conf: number[] = [];
  const boxes: (Piece['bbox'] | null)[] = [];
  // Each character's own box in the strip's pixels where tesseract gave its symbols (a word's box
  // standing in for them has been moved to the page by then).
  const glyphBoxes: (Piece['bbox'] | null)[] = [];
  for (const p of pieces) {
    const c = charsOf(p);
    if (!c.text) continue;
    if (raw && LATIN_END.test(raw) && LATIN_START.test(c.text)) {
      raw += ' ';
      conf.push(1);
      boxes.push(null);
      glyphBoxes.push(null);
    }
    raw += c.text;
    conf.push(...c.conf);
    boxes.push(...c.boxes);
    glyphBoxes.push(...c.boxes.map((b) => (c.own ? b : null)));
  }
  // Marks are measured in one frame: the glyphs' own boxes (the strip's) where the line has any, a
  // word's box standing in for its glyphs (moved to the page) only where none has.
  const markBoxes = glyphBoxes.some((b) => b !== null) ? glyphBoxes : boxes;
  raw = doubledSlashes(brokenDigits(fullWidthMarks(Array.from(raw), markBoxes), glyphBoxes, pixels), glyphBoxes, pixels, conf).join('');
  const symbols = pieces.flatMap((p) => p.symbols ?? []);
  const lead = pieces[0]?.symbols?.[0];
  // An operator read as a digit (⩾95.00 as 295.00, >95.00 as 595.00): a first digit shaped as none
  // of the figure's other digits (loneOperatorShaped) whose pixels are a chevron pointing right
  // (chevron() takes no 2 or 3 for one). Judged before the test below, which would take a ⩾ read
  // unsure as 2, 1.6 digits wide, for a ⩾ merged into a 2.
  const others = lead && /^\d$/.test(lead.text) && raw.startsWith(lead.text) && FIGURE_AND_UNIT.test(raw.slice(1)) ? otherDigits(symbols.slice(1)) : null;
  if (lead && others && loneOperatorShaped(lead.bbox, others, symbols[1]!.bbox.x0)) {
    const digitOp = pixels.operator(lead.bbox);
    if (digitOp === '>' || digitOp === '≥') raw = digitOp + raw.slice(1);
  }
  // An operator merged into the first digit (⩾95% read as 95%): put back as the pixels show it.
  const merged = /^\d/.test(raw) ? mergedOperatorBox(symbols) : null;
  const op = merged && pixels.operator(merged);
  if (op) {
    raw = op + raw;
    conf.unshift(conf[0] ?? 0);
  }
  // An operator read as a CJK glyph before a figure and its unit (≥ as 大, 关 or 宇; ≤ as 么 or 委;
  // 过 for either): where the glyph's pixels are a chevron, the way it points. Read with confidence
  // too (过 at 0.93), so the pixels decide; repairFigures maps the usual glyphs without them.
  if (lead && /^\p{Script=Han}$/u.test(lead.text) && raw.startsWith(lead.text) && FIGURE_AND_UNIT.test(raw.slice(lead.text.length))) {
    const chevronOp = pixels.operator(lead.bbox);
    // Such a glyph is a ≥ or ≤: a bare > or < is read as itself; its bar is what the blur garbles.
    if (chevronOp) raw = (/[>≥]/.test(chevronOp) ? '≥' : '≤') + raw.slice(lead.text.length);
  }
  // ≥ / ≤ whose bar the blur thinned are read as > / <: the bar is looked for in the pixels.
  if (lead && /^[<>＜＞]$/.test(lead.text) && pixels.underlined(lead.bbox)) {
    const op = /[<＜]/.test(lead.text) ? '≤' : '≥';
    raw = raw.replace(/^[<>＜＞][-—一=＝_]*/, op);
    conf.splice(0, conf.length - Array.from(raw).length);
  }
  const chars = Array.from(raw);
  const confFromEnd = (k: number): number => conf[chars.length - k] ?? 1;
  // (A misread glyph is put back first: the lexicon would take 发放最 for 发放率.)
  const text = repairFigures(cleanOcrWord(repairWithVocabulary(repairWithLexicon(repairMisreadGlyphs(raw), confFromEnd), conf)));
  if (!text) return [];
  // A figure is as sure as its digits: a unit or operator repaired above does not make its value doubtful.
  const digits = chars.flatMap((c, i) => (/[0-9.,]/.test(c) ? [conf[i] ?? 1] : []));
  const figure = /^[=<>≤≥]*[\d.,]+/.test(text) && digits.length > 0;
  const confidence = figure ? Math.min(...digits) : Math.min(...pieces.map((w) => w.confidence / 100));
  const x0 = Math.min(...pieces.map((w) => w.bbox.x0));
  const y0 = Math.min(...pieces.map((w) => w.bbox.y0));
  const x1 = Math.max(...pieces.map((w) => w.bbox.x1));
  const y1 = Math.max(...pieces.map((w) => w.bbox.y1));
  const h = Math.max(1, y1 - y0);
  const token: Token = { text, x: x0 / h, width: (x1 - x0) / h, box: { x: x0, y: y0, w: x1 - x0, h }, confidence };
  // Each character's confidence, where cleaning kept them in place (a repair replaces, never shifts, a glyph).
  if (Array.from(text).length === chars.length) token.glyphConfidence = conf.slice(0, chars.length);
  // Cleaning dropped glyphs the box still covers (a rule's remnant in 5|): its width says nothing of a lost digit.
  if (Array.from(raw.replace(/\s+/g, '')).length !== Array.from(text).length) BOX_HOLDS_DROPPED.add(token);
  return [token];
}

/**
 * A first glyph shaped as no digit of the figure's face (`digits`: the middle of its other digits;
 * `next`: where the glyph after it begins): lower by a fifth and standing clear of the digits' top
 * and foot (> read as 5; a 5 whose upright faded keeps its foot on theirs), or wider by 1.45 and set
 * apart from the next glyph by 0.3 of a digit (⩾ read as 2: 1.5–1.6 digits wide and 0.4–0.5 apart
 * on the photocopies and thin Ming scans of the samples, where a printed 2 stands 1.3–1.44 as wide
 * and 0.2 apart). Not twice as wide: that is an operator merged into a digit (⩾9 read as 9, 3
 * digits wide; mergedOperatorBox).
 */
function loneOperatorShaped(b: Piece['bbox'], digits: { y0: number; y1: number; width: number }, next: number): boolean {
  const [w, dw, dh] = [b.x1 - b.x0, digits.width, digits.y1 - digits.y0];
  if (w >= 2 * dw) return false;
  const clear = 0.1 * dh;
  const lower = b.y1 - b.y0 <= 0.8 * dh && b.y0 >= digits.y0 + clear && b.y1 <= digits.y1 - clear;
  return lower || (w >= 1.45 * dw && next - b.x1 >= 0.3 * dw);
}

/** Tokens whose box also covers glyphs that cleaning dropped. */
const BOX_HOLDS_DROPPED = new WeakSet<Token>();

/**
 * The glyph tests on a strip's pixels (symbol boxes are in strip coordinates; those of a reading
 * enlarged, scaled back, fall between pixels).
 */
export function pixelsOf(strip: GrayImage): GlyphPixels {
  return {
    underlined: (b) => hasUnderbar(strip, b),
    slashes: (b) => slashStrokes(strip, b),
    barApart: (b) => detachedBar(strip, b),
    // A 4 closes a loop too (its triangle): only a 3 or a 5 may be a 9.
    digit: (b, read) => (read === '1' ? brokenDigit(strip, b, '1') : (loopedNine(strip, b) ?? (read === '3' ? brokenDigit(strip, b, '3') : null))),
    operator: (b) => {
      const dir = chevron(strip, b);
      if (!dir) return null;
      const barred = hasUnderbar(strip, b);
      return dir === '>' ? (barred ? '≥' : '>') : barred ? '≤' : '<';
    },
  };
}

/**
 * A glyph box scarcely higher than wide (9 × 10 pixels where the digits stand 15 high): it may hold
 * only a 5's bowl where the face's thin upright faded (see detachedBar). Not a box half again as
 * wide as high: that is a word's, standing in for its glyphs'.
 */
const shortDigit = (b: Piece['bbox']): boolean => b.y1 - b.y0 < 1.2 * (b.x1 - b.x0) && b.x1 - b.x0 < 1.5 * (b.y1 - b.y0);

/** Moves a piece read in the strip back to its place on the page. */
function unstack(p: OcrWord, placements: Placement[], pad: number): OcrWord | null {
  const cy = (p.bbox.y0 + p.bbox.y1) / 2;
  const at = placements.find((q) => cy >= q.at && cy < q.at + q.height) ?? null;
  return at ? moved(p, at.box.x0 - pad, at.box.y0 - pad - at.at) : null;
}

/** A word with its box moved by (dx, dy) (its glyphs' boxes stay where they were read: see pixelsOf). */
const moved = (p: OcrWord, dx: number, dy: number): OcrWord => ({ ...p, bbox: { x0: p.bbox.x0 + dx, x1: p.bbox.x1 + dx, y0: p.bbox.y0 + dy, y1: p.bbox.y1 + dy } });

/** A word read in an image enlarged `by`, its box and its glyphs' boxes scaled back to the image's own size. */
function scaledBack(w: OcrWord, by: number): OcrWord {
  if (by === 1) return w;
  const back = (b: Piece['bbox']): Piece['bbox'] => ({ x0: b.x0 / by, y0: b.y0 / by, x1: b.x1 / by, y1: b.y1 / by });
  return { ...w, bbox: back(w.bbox), symbols: w.symbols?.map((g) => ({ ...g, bbox: back(g.bbox) })) };
}

/**
 * Reads crops of a page, stacked into strips of crops of like width and bounded ink (one OCR call
 * each, run on the worker pool together; a crop heavier than the bound is cut between its lines);
 * returns the tokens of each crop (one per line of text in it), in tesseract's order, placed back
 * on the page.
 */
async function readCells(img: GrayImage, dpi: number, boxes: PixelBox[], pad: number, gap: number, mode: Mode, lang: Lang = 'chi_sim', enlarge = 1): Promise<Token[][]> {
  const most = STRIP_INK * (dpi / OCR_DPI) ** 2;
  const pieces = boxes.flatMap((box, i) => rowPieces(img, box, most).map((p) => ({ ...p, of: i })));
  const strips = widthGroups(pieces.map((p) => p.box)).flatMap((g) => weightRuns(g, (k) => pieces[k]!.ink, most));
  const reads = await Promise.all(strips.map((s) => readStrip(img, dpi, s.map((k) => pieces[k]!.box), pad, gap, mode, lang, enlarge)));
  const read = scatter(strips, reads, pieces.length);
  const out: Token[][] = boxes.map(() => []);
  pieces.forEach((p, k) => out[p.of]!.push(...(read[k] ?? [])));
  return out;
}

/**
 * The most dark pixels (at OCR_DPI) one OCR call reads. Tesseract's time goes with the text in a
 * strip (0.02 ms a dark pixel on the sample scans, r = 0.98 over their 84 first-reading strips),
 * and a document's pages are read two at a time, each waiting for the labels of the page two
 * before it (ocr-memory.ts): one strip of a page's prose, 217 000 dark pixels read in 3.5 s, kept
 * one core busy while the other waited. At 40 000, about half a sample page's text, the time one
 * worker stood idle while the other read went from 6.7 s to 3.4 s on the 34 sample scan pages.
 */
const STRIP_INK = 40_000;

/** Per-group results back in the order of the items grouped: `groups[k][j]` is the index of `reads[k][j]`. */
export function scatter<T>(groups: number[][], reads: T[][], n: number): (T | undefined)[] {
  const out: (T | undefined)[] = new Array<T | undefined>(n).fill(undefined);
  groups.forEach((g, k) => g.forEach((i, j) => (out[i] = reads[k]![j])));
  return out;
}

/**
 * Reads crops stacked into one strip in one OCR call: the tokens of each crop. `enlarge` > 1 has
 * tesseract read the strip resampled by that factor (at that much higher a resolution); its boxes
 * are scaled back to the strip's, so tokens land on the page as at its own size.
 */
async function readStrip(img: GrayImage, dpi: number, boxes: PixelBox[], pad: number, gap: number, mode: Mode, lang: Lang, enlarge = 1): Promise<Token[][]> {
  const { strip, placements } = stackCrops(img, boxes, pad, gap);
  const out: Token[][] = boxes.map(() => []);
  const pixels = pixelsOf(strip);
  const read = enlarge === 1 ? strip : resample(strip, Math.round(strip.width * enlarge), Math.round(strip.height * enlarge));
  for (const block of await recognize(read, mode, Math.round(dpi * enlarge), lang)) {
    for (const para of block.paragraphs) {
      // A line of the strip lies in one cell: its words become one token, in tesseract's order
      // (re-sorting single glyphs by their boxes would shuffle them).
      for (const line of para.lines) {
        const words = line.words.map((w) => scaledBack(w, enlarge));
        const cy = words.length ? (words[0]!.bbox.y0 + words[0]!.bbox.y1) / 2 : -1;
        const at = placements.findIndex((q) => cy >= q.at && cy < q.at + q.height);
        if (at < 0) continue;
        out[at]!.push(...joinWords(words.flatMap((w) => unstack(w, placements, pad) ?? []), pixels));
      }
    }
  }
  return out;
}

/**
 * White between crops laid side by side, against the row's height: at 1.3 tesseract read two lone
 * digits as one figure (2 and 1 as 201), at 2.6 none (2.5 is used).
 */
const ROW_GAP = 2.5;
/** Crops of a row at most this much higher than its lowest (tesseract scales a line to its height). */
const ROW_HEIGHTS = 1.5;
/** The widest row read in one call, in pixels (before it is enlarged). */
const ROW_WIDTH = 4000;

/**
 * Crops in rows of like height and bounded width (lowest crops first), each with the white to leave
 * between its crops: ROW_GAP of its highest crop's height, with its padding.
 */
export function rowGroups(boxes: readonly PixelBox[], pad: number): { crops: number[]; gap: number }[] {
  const height = (i: number): number => boxes[i]!.y1 - boxes[i]!.y0 + 2 * pad;
  const width = (i: number): number => boxes[i]!.x1 - boxes[i]!.x0 + 2 * pad;
  const order = boxes.map((_, i) => i).sort((a, b) => height(a) - height(b) || a - b);
  const groups: { crops: number[]; gap: number }[] = [];
  let inked = 0; // the group's crops' widths
  for (const i of order) {
    const last = groups.at(-1);
    const gap = Math.round(ROW_GAP * height(i)); // the crops come lowest first: i is the highest
    // A row of n crops is n crops wide and has n + 1 gaps (rowCrops).
    const fits = last && height(i) <= ROW_HEIGHTS * height(last.crops[0]!) && inked + width(i) + (last.crops.length + 2) * gap <= ROW_WIDTH;
    if (fits) {
      last.crops.push(i);
      last.gap = gap;
      inked += width(i);
    } else {
      groups.push({ crops: [i], gap });
      inked = width(i);
    }
  }
  return groups;
}

/** A word read in a row of crops moved back to its place on the page, and the crop it is in (null between crops). */
function unrow(p: OcrWord, placements: RowPlacement[], pad: number): { word: OcrWord; at: number } | null {
  const cx = (p.bbox.x0 + p.bbox.x1) / 2;
  const at = placements.findIndex((q) => cx >= q.at && cx < q.at + q.width);
  if (at < 0) return null;
  const q = placements[at]!;
  return { word: moved(p, q.box.x0 - pad - q.at, q.box.y0 - pad), at };
}

/**
 * Reads crops of one line each laid side by side in rows (rowCrops, rowGroups), each row one OCR
 * call read as a single line, enlarged by half: the tokens of each crop (one, or none), placed
 * back on the page. Stacked in a strip and read as a block, lone figures of a thin face are
 * misread however clean: the English model read four of the seven 2s of a binarised UMing scan's
 * 分值 column as 9, 0, 5 and ©; side by side it read all fifteen crops of that strip right, at
 * 0.93 or more. At their own size, three lone 2s in a row were read as nothing.
 */
async function readRows(img: GrayImage, dpi: number, boxes: PixelBox[], pad: number, lang: Lang): Promise<Token[][]> {
  const out: Token[][] = boxes.map(() => []);
  await Promise.all(
    rowGroups(boxes, pad).map(async ({ crops: group, gap }) => {
      const { row, placements } = rowCrops(img, group.map((i) => boxes[i]!), pad, gap);
      const words: OcrWord[][] = group.map(() => []);
      const enlarged = resample(row, Math.round(row.width * ENLARGE), Math.round(row.height * ENLARGE));
      for (const block of await recognize(enlarged, 'line', Math.round(dpi * ENLARGE), lang)) {
        for (const para of block.paragraphs) {
          for (const line of para.lines) {
            for (const w of line.words) {
              const placed = unrow(scaledBack(w, ENLARGE), placements, pad);
              if (placed) words[placed.at]!.push(placed.word);
            }
          }
        }
      }
      const pixels = pixelsOf(row);
      group.forEach((i, k) => (out[i] = words[k]!.length ? joinWords(words[k]!, pixels) : []));
    }),
  );
  return out;
}

/**
 * A crop at most this many times as wide as it is high is read in a row: a lone digit or two (a
 * weight or score: 2, 10). A UMing 1.5 (1.6 times as wide as high) the row read as 1.3, 125 or 5
 * more often than stacked.
 */
const ROW_SHORT = 1.2;
/** A crop at most this high (in points) holds one line: a rule-less page's line of ink, not a ruled cell with its margins. */
const ROW_LINE = 10;

/** A reading the English model is sure of that is a figure with a digit (a lone weight or score's second reading). */
const sureFigure = (t: Token): boolean => /\d/.test(t.text) && FIGURE.test(t.text) && (t.confidence ?? 0) >= SURE_SECOND_DIGIT;

/** The English model's readings of figure cells, and which cells took a row's reading or have two readings at odds. */
interface EnglishReadings {
  lines: Token[][];
  /** Cells whose reading is the row's (readRows). */
  sideBySide: Set<number>;
  /** Cells whose row and stacked readings are sure figures of other digits, neither with the first reading's. */
  disputed: Set<number>;
}

/**
 * Figure cells read by the English model (the first readings of the cells, where there are).
 * Short crops of one line are read both side by side (readRows) and stacked (readCells); the row's
 * reading stands where it is a sure figure (sureFigure), unless the stacked one has the digits of
 * the first reading and the row's has not (two readers against one); where the stacked one is a
 * sure figure of other digits too, neither the first's, the cell is disputed. Other crops are read
 * stacked, where a cell of two lines reads as two.
 */
async function readFiguresInEnglish(img: GrayImage, dpi: number, boxes: PixelBox[], firsts: readonly (Token | undefined)[], pad: number, gap: number): Promise<EnglishReadings> {
  const inRow = (b: PixelBox): boolean => b.y1 - b.y0 <= ROW_LINE * (dpi / 72) && b.x1 - b.x0 <= ROW_SHORT * (b.y1 - b.y0);
  const short = boxes.flatMap((b, i) => (inRow(b) ? [i] : []));
  const [rows, stacked] = await Promise.all([readRows(img, dpi, short.map((i) => boxes[i]!), pad, 'eng'), readCells(img, dpi, boxes, pad, gap, 'block', 'eng')]);
  const inRows = scatter([short], [rows], boxes.length);
  const [sideBySide, disputed] = [new Set<number>(), new Set<number>()];
  const lines = boxes.map((_, i) => {
    const [row, stack, first] = [inRows[i], stacked[i] ?? [], firsts[i]];
    if (row?.length !== 1 || !sureFigure(row[0]!)) return stack;
    const digits = (reading: readonly Token[]): string | null => (reading.length === 1 ? digitsOf(reading[0]!.text) : null);
    const had = first ? digitsOf(first.text) : '';
    if (had !== '' && digits(stack) === had && digits(row) !== had) return stack;
    if (stack.length === 1 && sureFigure(stack[0]!) && digits(stack) !== digits(row) && digits(row) !== had) disputed.add(i);
    sideBySide.add(i);
    return row;
  });
  return { lines, sideBySide, disputed };
}

/** How much a cell is enlarged to be read a second time (see readEnlarged and the doubtful lines in readPage). */
const ENLARGE = 1.5;

/**
 * A cell read on its own enlarged by half, its tokens placed back in page pixels. On a photocopy,
 * thin strokes and a streak across a line can keep tesseract from finding the line at all (完善
 * read as nothing at its own size, alone or among other crops), which it finds enlarged. `mode`
 * figures: a figure cell read restricted to figure characters (the third reading of ocr-figures).
 */
export async function readEnlarged(img: GrayImage, dpi: number, box: PixelBox, pad: number, mode: Mode = 'block'): Promise<Token[]> {
  const [tokens = []] = await readStrip(img, dpi, [box], pad, 0, mode, 'chi_sim', ENLARGE);
  return tokens;
}

/**
 * How much a line tesseract left out of a cell is enlarged to be read alone: by half, else twice
 * (which of the two finds the line varies: 成率 only enlarged by half, 果满意度 only twice, on the
 * same photocopied page).
 */
const LOST_LINE_ENLARGE = [ENLARGE, 2];

/** A line of a cell read alone (`box` one band of its ink), as one sure line, or null. */
async function readLostLine(img: GrayImage, dpi: number, box: PixelBox, pad: number): Promise<Token | null> {
  for (const enlarge of LOST_LINE_ENLARGE) {
    const [lines = []] = await readStrip(img, dpi, [box], pad, 0, 'line', 'chi_sim', enlarge);
    if (lines.length === 1 && (lines[0]!.confidence ?? 0) >= SURE_ALONE && lines[0]!.box) return lines[0]!;
  }
  return null;
}

/** A unit at the end of a reading, bracketed or not. */
const UNIT = new RegExp(`[(（]?(?:${UNITS})[)）]?$`);
/**
 * A figure and no more than its unit: a % (with what a blurred % leaves after it: 90%0), a
 * bracketed unit or garbled % (500.00(人次), 2(次/周》, 99(o0, 0.01(9%)), or a unit (2500000份).
 * 24小时内流转 and 3.2万人。 are running text.
 */
const FIGURE_AND_UNIT = new RegExp(`^\\d[\\d.,]*(?:%.{0,2}|[(（][^()（）]{0,8}[)）》}]?|${UNITS})?$`, 'u');
/** Glyphs tesseract reads for digits in a figure cell: the CJK look-alikes, and Q O o I l D S & (D for 0, S for 5, & for 8). */
const DIGIT_LOOKALIKES = new RegExp(`[${DIGIT_LOOKALIKE_GLYPHS}QOoIlDS&]`);

/**
 * A cell's first reading that is (or should be) a figure: an operator, digits and separators, a %
 * or a unit — allowing for digits misread as look-alike glyphs and specks.
 */
export function looksLikeFigure(text: string): boolean {
  const t = text.replace(UNIT, '');
  if (t.length === 0 || t.length > 16) return false;
  // A lone glyph (or a glyph and a speck) may be a short figure misread (不 or 二 for 4).
  if (isLoneGlyph(text)) return true;
  if (!/\d/.test(t) && !DIGIT_LOOKALIKES.test(t)) return false;
  // Glyphs that are neither figure characters nor look-alikes: one in a longer cell, none in a short one.
  const foreign = Array.from(t).filter((c) => !/[\d.,%=<>≥≤:;\-—()（）\]\[j]/.test(c) && !DIGIT_LOOKALIKES.test(c));
  // Short cells: a speck read as a letter among digits (1J0).
  return foreign.length <= (t.length >= 4 || (/\d/.test(t) && foreign.every((c) => /[A-Za-z]/.test(c))) ? 1 : 0);
}

/** A cell read as one glyph that is neither a digit nor a look-alike of one (不, 二, 帮), a speck or two around it. */
function isLoneGlyph(text: string): boolean {
  return /^(?:\p{Script=Han}[^\p{Script=Han}\d\s]?|[^\p{Script=Han}\d\s]\p{Script=Han})$/u.test(text) && !DIGIT_LOOKALIKES.test(text);
}

/** A figure's comparison operator at its start. */
const LEADING_OPERATOR = /^[=<>≤≥]/;

/** A figure with its % or unit. */
const hasUnit = (text: string): boolean => /%/.test(text) || UNIT.test(text);

/** How sure the figure reading of a lone glyph must be to replace it. */
const LONE_GLYPH_FIGURE = 0.85;

/** Below this confidence chi_sim is unsure of a lone glyph it read (a word it reads is surer: 优, 是). */
const UNSURE_GLYPH = 0.5;

/** A line of four Han glyphs or more and nothing else: what the page's glyph measures are taken from. */
const HAN_LINE = /^\p{Script=Han}{4,}$/u;

/**
 * The size of a Han glyph on the page, as its pitch: the middle pitch (width over glyphs) of the lines read as
 * four Han glyphs or more and nothing else; null with fewer than three such lines. (A line's box
 * height is no measure: tesseract's boxes of a paragraph's lines reach into the lines about them.)
 */
export function hanGlyphPitch(cells: readonly Token[][]): number | null {
  const pitches = cells.flatMap((c) => c.flatMap((t) => (t.box && HAN_LINE.test(t.text) ? [t.box.w / Array.from(t.text).length] : [])));
  return pitches.length >= 3 ? middle(pitches) : null;
}

/**
 * A lone glyph, or a lone mark (LONE_MARK: an & for an 8), whose ink is a digit's size, lower and
 * narrower than the page's Han glyphs (figures stand about 0.65 of a Han glyph high and half as
 * wide): 10 × 15 pixels beside 22-pixel glyphs.
 */
export function digitSized(t: Token, pitch: number | null): boolean {
  return (isLoneGlyph(t.text) || LONE_MARK.test(t.text)) && digitBox(t, pitch);
}
/** A mark read alone that is no digit, no Han glyph and none of a figure's own marks: & for an 8, > for a 2, T for a 1, D for a 0. */
const LONE_MARK = /^[^\p{Script=Han}\d\s.,%\-—]$/u;
/** A token whose ink is lower and narrower than the page's Han glyphs, as a figure's is (false with no measure). */
const digitBox = (t: Token, pitch: number | null): boolean => pitch !== null && t.box !== undefined && t.box.h < DIGIT_HEIGHT * pitch && t.box.w < DIGIT_WIDTH * pitch;
const DIGIT_HEIGHT = 0.8;
const DIGIT_WIDTH = 0.6;

/** A box lower than the page's Han glyphs and at most a short figure wide (15, 1.5: four digits' width). */
function figureSizedBox(b: PixelBox, pitch: number | null): boolean {
  return pitch !== null && b.y1 - b.y0 < DIGIT_HEIGHT * pitch && b.x1 - b.x0 < 4 * DIGIT_WIDTH * pitch;
}

/**
 * A cell read as a lone closing bracket of a digit's size: a digit whose strokes chi_sim lost but
 * a stroke (a Ming face's 1, its serif foot read as the bracket's; a blurred 4 or 5), read again by
 * the English model. A rule's remnant left by erasing is as high as the cell, not a digit's height.
 */
export function loneStroke(t: Token, pitch: number | null): boolean {
  return /^[\]］]$/.test(t.text) && digitBox(t, pitch);
}
/** How sure the English model must be of a digit read for a lone stroke. */
const SURE_SECOND_DIGIT = 0.8;

/** Cells of a page read on their own at most (each a call of its own). */
const MAX_ALONE = 8;

/** How sure a line of a cell read on its own must be. */
const SURE_ALONE = 0.5;

/** A line read at this confidence or below is no reading (tesseract's 0 on what it cannot read). */
const UNREAD = 0.05;

/**
 * A cell's reading of CJK text (a label, an indicator name, a short value) whose least sure line is
 * below this confidence is read a second time, enlarged by half. On a photocopy tesseract misreads
 * glyphs in such lines at 0.9 and more (反馈 as 友馈, 车辆 as 东辆, 有责 as 有南), while its word
 * confidence, the line's, falls; enlarged, read among other cells so read, it mostly reads them
 * right (问题反馈及时率, 完成车辆报废及时率, 竣工验收合格率, 长效管理机制健全性). Which reading stands
 * is settleReread's to say. With the vocabulary deciding (ocr-vocabulary.ts), the photocopy samples
 * had 9172 fields right at 0.7 against 9155 at 0.5 and 9175 at 0.9 (of 9474), reading 1.5 and 2.6
 * times as many cells again as at 0.5.
 */
const REREAD_BELOW = 0.7;
/**
 * Only short cells are read again whole: prose (goals, deviation reasons) would add two fifths to a
 * scan's reading time. A line of prose with a glyph that makes no word is read again, with other
 * such lines in strips (see MAX_PROSE_LINES).
 */
const REREAD_MAX_LINES = 2;
const REREAD_MAX_CHARS = 30;

const HAN = /\p{Script=Han}/u;
const leastSure = (lines: Token[]): number => Math.min(...lines.map((t) => t.confidence ?? 0));

/** A cell of CJK text short enough to read again (REREAD_MAX_LINES, REREAD_MAX_CHARS). */
function shortCjkCell(lines: Token[]): boolean {
  if (lines.length === 0 || lines.length > REREAD_MAX_LINES || !lines.some((t) => HAN.test(t.text))) return false;
  return lines.reduce((n, t) => n + Array.from(t.text).length, 0) <= REREAD_MAX_CHARS;
}

/** A short cell of CJK text read unsure (see REREAD_BELOW). */
const readUnsure = (lines: Token[]): boolean => shortCjkCell(lines) && leastSure(lines) < REREAD_BELOW;

/**
 * A short cell of CJK text (as it stands after its second reading) with a glyph read below
 * STRAY_DOUBT that makes no word with its neighbours (志晤服务种盖数, 重大才驶事故发后数, 安全千保级别):
 * read a third time, enlarged twice, where tesseract reads some of them right.
 */
const readStray = (lines: Token[]): boolean => shortCjkCell(lines) && lines.some((t) => hasStrayGlyph(t.text, t.glyphConfidence ?? [], STRAY_DOUBT));
const STRAY_DOUBT = 0.9;
const THIRD_ENLARGE = 2;
/**
 * Lines of prose read a third time on a page, at most: a photocopy's page had up to 8 (enlarged
 * twice, each costs four times its pixels).
 */
const MAX_PROSE_LINES = 16;

/**
 * The second reading stands when it reads as many lines and, where one of the two readings is
 * decisively likelier Chinese (ocr-vocabulary.ts: 印制准确率 against 印制准傅率, read at 0.00
 * against 0.30), it is that one. Otherwise (and only `bySureness`) when its least sure line of
 * those read differently is surer than the first's, and none of its lines further from the form's
 * vocabulary than the first's (年度总绅标 is not improved by 年度总绅杯, read at 0.32 against 0.00:
 * 标 for 杯 is tesseract's misreading too).
 */
export function surerReading(first: Token[], second: Token[], bySureness = true): boolean {
  if (second.length !== first.length) return false;
  const gain = likelihoodGain(first.map((t) => t.text).join(''), second.map((t) => t.text).join(''));
  if (gain !== null && Math.abs(gain) >= DECISIVE_GAIN) return gain > 0;
  if (!bySureness) return false;
  // Lines both read alike say nothing of which reading is surer.
  const differ = first.flatMap((t, i) => (t.text === second[i]!.text ? [] : [i]));
  if (differ.length === 0 || leastSure(differ.map((i) => second[i]!)) <= leastSure(differ.map((i) => first[i]!))) return false;
  return second.every((t, i) => lexiconDistance(t.text) <= lexiconDistance(first[i]!.text));
}

/**
 * The reading of a cell read twice that stands: where the two readings have lines of the same
 * lengths and each misread glyphs the other read right (完成东辆报废及时率, 完成车辆报度及时率), their
 * likeliest blend, when it is decisively likelier than either; else the surer reading
 * (surerReading). A blended line is as sure as the less sure of its two readings. A third reading,
 * enlarged twice, stands by the vocabulary alone (`bySureness` false): tesseract is surer of
 * it than it should be (“钉钉” as “钉杀” at 0.75 against 0.28).
 */
export function settleReread(first: Token[], second: Token[], bySureness = true): Token[] {
  const sameShape = second.length === first.length && first.every((t, i) => Array.from(t.text).length === Array.from(second[i]!.text).length);
  const [a, b] = [first.map((t) => t.text).join(''), second.map((t) => t.text).join('')];
  const blend = sameShape ? likeliestBlend(a, b) : null;
  if (blend && blend.text !== a && blend.text !== b) {
    const gains = [likelihoodGain(a, blend.text), likelihoodGain(b, blend.text)];
    if (gains.every((g) => g !== null && g >= DECISIVE_GAIN)) return blendLines(first, second, blend.fromB);
  }
  return surerReading(first, second, bySureness) ? second : first;
}

/** The lines of two readings of the same shape, each glyph taken from the second where `fromB` says. */
function blendLines(first: Token[], second: Token[], fromB: boolean[]): Token[] {
  let at = 0;
  return first.map((t, i) => {
    const other = second[i]!;
    const [ca, cb] = [Array.from(t.text), Array.from(other.text)];
    const pick = ca.map((_, k) => fromB[at + k]!);
    at += ca.length;
    const glyph = (x: Token, k: number): number => x.glyphConfidence?.[k] ?? x.confidence ?? 0;
    return {
      ...other,
      text: ca.map((c, k) => (pick[k] ? cb[k]! : c)).join(''),
      confidence: Math.min(t.confidence ?? 0, other.confidence ?? 0),
      glyphConfidence: ca.map((_, k) => (pick[k] ? glyph(other, k) : glyph(t, k))),
    };
  });
}

const FILLER_DOUBT = 0.97;
/** Lines of a page read alone to check such a glyph, at most (each a call of its own). */
const MAX_FILLER_LINES = 12;

/** The positions of glyphs of a line that may be such fillers: read below FILLER_DOUBT. */
export function fillerSuspects(t: Token): number[] {
  const conf = t.glyphConfidence;
  if (!conf) return [];
  return Array.from(t.text).flatMap((c, k) => (FILLER_GLYPHS.has(c) && (conf[k] ?? 1) < FILLER_DOUBT ? [k] : []));
}

/**
 * The first reading of a line without the suspected fillers that its reading alone lacks: the
 * removal that brings the first reading closest to the second, where it does bring it closer and
 * the two then differ in no more than one glyph in ten (one in a shorter line). Only fillers are removed; every other glyph
 * stays as first read. Null when nothing is to be removed.
 */
export function withoutFillers(first: Token, alone: Token): Token | null {
  const at = fillerSuspects(first);
  if (at.length === 0) return null;
  const chars = Array.from(first.text);
  const cap = Math.max(4, chars.length);
  const sets = [...at.map((k) => [k]), ...(at.length > 1 ? [at] : [])];
  const asRead = editDistance(first.text, alone.text, cap);
  let best: { drop: number[]; d: number } | null = null;
  for (const drop of sets) {
    const kept = chars.filter((_, k) => !drop.includes(k)).join('');
    const d = editDistance(kept, alone.text, cap);
    if (d < (best?.d ?? asRead) && d <= Math.max(1, Math.floor((chars.length - drop.length) / 10))) best = { drop, d };
  }
  if (!best) return null;
  const keep = (_: unknown, k: number): boolean => !best.drop.includes(k);
  return { ...first, text: chars.filter(keep).join(''), ...(first.glyphConfidence ? { glyphConfidence: first.glyphConfidence.filter(keep) } : {}) };
}

/** The rows a band and a token's box have in common (negative: the white between them). */
const rowsShared = (b: Band, box: Box): number => Math.min(b.y1, box.y + box.h) - Math.max(b.y0, box.y);

/**
 * The box of a cell's j-th line of `lines` read, to read it alone: the j-th of the cell's `bands` of
 * ink rows (inkBands, lines `minHeight` rows or more) where the cell has as many as lines read, else
 * the band the line's box overlaps most (tesseract's glyph boxes may reach into the next line); a
 * few white rows kept about it.
 */
function lineBox(bands: Band[], cell: PixelBox, lines: Token[], j: number, minHeight: number): PixelBox | null {
  const box = lines[j]!.box;
  if (!box) return null;
  const overlap = (b: Band): number => rowsShared(b, box);
  const band = bands.length === lines.length ? bands[j] : [...bands].sort((a, b) => overlap(b) - overlap(a))[0];
  if (!band || overlap(band) <= 0) return null;
  return bandBox(bands, bands.indexOf(band), cell, minHeight);
}

/** The box of a cell's k-th band of ink rows, a few white rows kept about it (to the middle of the white between it and its neighbours). */
function bandBox(bands: Band[], k: number, cell: PixelBox, minHeight: number): PixelBox {
  const band = bands[k]!;
  const margin = Math.max(1, Math.round(minHeight / 4));
  const y0 = Math.max(cell.y0, band.y0 - margin, k > 0 ? Math.ceil((bands[k - 1]!.y1 + band.y0) / 2) : cell.y0);
  const y1 = Math.min(cell.y1, band.y1 + margin, k + 1 < bands.length ? Math.floor((band.y1 + bands[k + 1]!.y0) / 2) : cell.y1);
  return { x0: cell.x0, y0, x1: cell.x1, y1 };
}

/**
 * The indices of a cell's bands of ink that no line read lies on: a line lies on a band where the
 * middle of its box is inside the band, or it covers half the band's height (tesseract's boxes
 * may reach into the next line).
 */
export function unreadBands(bands: Band[], lines: Token[]): number[] {
  const boxes = lines.flatMap((t) => (t.box ? [t.box] : []));
  if (boxes.length < lines.length) return [];
  return bands.flatMap((b, k) => {
    const read = boxes.some((x) => {
      const mid = x.y + x.h / 2;
      return (mid >= b.y0 && mid < b.y1) || rowsShared(b, x) >= (b.y1 - b.y0) / 2;
    });
    return read ? [] : [k];
  });
}

/** Below this confidence of its digits, a well-formed figure is read again. */
const SURE_FIGURE = 0.95;

/** A digit is at most this wide against its height (0.5–0.8 as printed). */
const MAX_DIGIT_ASPECT = 1;

/** Below LOW_CONFIDENCE in check/ocr-doubt.ts: a finding resting on the figure says "verify by eye". */
const MISSING_GLYPH_CONFIDENCE = 0.3;

/**
 * A number whose box is too wide for its digits: the box holds a glyph the reading lacks (a 15
 * whose 1 touches the 5, read as 5 with high confidence; 10 read as 0).
 */
export function missingGlyph(t: Token): boolean {
  if (!t.box || !/^[\d.,]+$/.test(t.text) || BOX_HOLDS_DROPPED.has(t)) return false;
  const digits = digitsOf(t.text).length;
  // A point or a separator takes about half a digit's width.
  const glyphs = digits + 0.5 * (t.text.length - digits);
  return digits > 0 && t.box.w / Math.max(1, t.box.h) / glyphs > MAX_DIGIT_ASPECT;
}

const doubted = (t: Token): Token => ({ ...t, confidence: Math.min(t.confidence ?? 1, MISSING_GLYPH_CONFIDENCE) });

/** The token made doubtful (verified by eye) when its box holds a glyph its reading lacks. */
const doubtMissingGlyph = (t: Token): Token => (missingGlyph(t) ? doubted(t) : t);

/**
 * A figure cell's reading after its second, figure-only reading (given in the first one's box).
 * A first reading lacking a glyph its box holds takes a second that fills the box and keeps its
 * digits (15 for 5); otherwise it stays, doubtful. Else the second replaces the first as
 * preferSecond says, doubtful in turn if it lacks a glyph.
 */
export function settleFigure(first: Token, second: Token | null): Token {
  const barred = second && barredOperator(first, second);
  if (barred) return barred;
  if (missingGlyph(first)) return second && fillsBox(first, second) ? second : doubtMissingGlyph(first);
  return second && preferSecond(first, second) ? doubtMissingGlyph(second) : first;
}

/**
 * A second reading of a first that lacks a glyph its box holds (missingGlyph) which fills the box
 * and keeps the first's digits: a figure, no glyph missing from it, the first's digits within its
 * own (15 for 5).
 */
function fillsBox(first: Token, second: Token): boolean {
  return missingGlyph(first) && FIGURE.test(second.text) && !missingGlyph(second) && digitsOf(second.text).includes(digitsOf(first.text));
}

/**
 * The English model's sure reading that fills the box of a first that lacks a glyph (fillsBox),
 * the first's text standing whole within it (1.00 for 00, 379.00 for 79.00, 10 for 1; not 150.0
 * for 5.00), where at every place it stands so the glyphs before it are neither a lone 2 or 5 (≥5
 * read as 25, or as 55) nor 0s alone (0.00 for 00: a 1.00 whose 1 both models lost is as wide).
 */
export function englishFills(first: Token, second: Token): boolean {
  if ((second.confidence ?? 0) < SURE_SECOND_DIGIT || !fillsBox(first, second)) return false;
  const [read, again] = [first.text.replace(/,/g, ''), second.text.replace(/,/g, '')];
  const places = Array.from(again, (_, at) => at).filter((at) => again.startsWith(read, at));
  const fills = (before: string): boolean => !/^[25]$/.test(before) && !(/\d/.test(before) && !/[1-9]/.test(before));
  return places.length > 0 && places.every((at) => fills(again.slice(0, at)));
}

/**
 * A figure cell's reading after the English model's (ocr-figures.ts crossRead), given the
 * figure-only third reading where one was made; `sideBySide` where eng read the cell in a row with
 * others, `disputed` where its readings side by side and stacked were at odds. Where the first
 * still lacks a glyph its box holds and eng's sure reading fills the box (englishFills), eng's
 * stands as sure: the box's width and eng agree, chi_sim's reading is the one that fell short (a
 * photocopy's 1.00 read by chi_sim as 00, at 0.83 and 0.99, by eng as 1.00 at 0.99; doubted, a
 * real 得分 below its 分值 went unasserted). As settleFigure takes chi_sim's own figure-only
 * reading that fills the box.
 */
export function settleEnglish(first: Token, second: Token | null, third: Token | null, sideBySide: boolean, disputed: boolean): Token {
  const crossed = second && englishFills(first, second) ? second : crossRead(first, second, third, sideBySide);
  // The English model's two readings at odds (side by side and stacked): verified by eye, whichever stands.
  const settled = disputed ? doubted(crossed) : crossed;
  // A box too wide for the first reading's digits, and for the second's, holds a glyph neither has (a 5 read for 15).
  return missingGlyph(first) ? doubtMissingGlyph(settled) : settled;
}

const unbarred = (text: string): string => text.replace(/^≥/, '>').replace(/^≤/, '<');

/**
 * Two readings of a figure alike but for the bar under its operator (>99(%) and ≥99(%)): the first
 * with the operator barred. The bar is what the pixels of one reading's box showed (hasUnderbar),
 * and a box a little narrower missed it (⩾ read as > at 0.29, the same ⩾ merged into its 9 in the
 * figure-only reading, its bar found); blur hides a bar far more often than a speck makes one.
 */
export function barredOperator(first: Token, second: Token): Token | null {
  if (first.text === second.text || unbarred(first.text) !== unbarred(second.text)) return null;
  return /^[≥≤]/.test(first.text) ? first : { ...first, text: second.text[0]! + first.text.slice(1) };
}

/** A cell's first reading that looks like a figure and is malformed or unsure. */
export function doubtfulFigure(t: Token): boolean {
  return looksLikeFigure(t.text) && (!FIGURE.test(t.text) || (t.confidence ?? 0) < SURE_FIGURE);
}

const FIGURE_MARK_OR_DIGIT = /^[\d.,%=<>≤≥()（）]$/;

/**
 * Whether `second` is `first` with each glyph that is no figure character (上 of 上.00) read as a
 * digit, and the rest as it was: 上.00 and 1.00, not 10.00 or 1.50. A first reading ending in a unit
 * is no such figure: the English model reads no unit (上0次 is not 100).
 */
export function digitsForGlyphs(first: string, second: string): boolean {
  const chars = Array.from(first);
  if (!chars.some((c) => !FIGURE_MARK_OR_DIGIT.test(c)) || UNIT.test(first)) return false;
  const pattern = chars.map((c) => (FIGURE_MARK_OR_DIGIT.test(c) ? c.replace(/[.()[\]]/g, '\\$&') : '\\d')).join('');
  return new RegExp(`^${pattern}$`, 'u').test(second);
}

/**
 * The figure-only reading replaces the first when it is a well-formed figure and the first is not,
 * or when both are and the second is surer of its digits.
 */
export function preferSecond(first: Token, second: Token): boolean {
  if (!FIGURE.test(second.text)) return false;
  // A lone glyph is a figure only when the figure reading is sure (是, 无 stay words).
  if (isLoneGlyph(first.text)) return (second.confidence ?? 0) >= LONE_GLYPH_FIGURE;
  if (!FIGURE.test(first.text)) return true;
  // A figure-only reading that lost the first one's operator (≥95% read again as 95%) read it into a digit.
  if (LEADING_OPERATOR.test(first.text) && !LEADING_OPERATOR.test(second.text)) return false;
  // A well-formed first reading with a % or a unit keeps it: a second reading without one read the
  // unit as digits (=100% as =10030).
  if (hasUnit(first.text) && !hasUnit(second.text)) return false;
  return (second.confidence ?? 0) > (first.confidence ?? 0) + 0.05;
}

/**
 * A page image → positioned words. Deskewed, its table rules found and erased; when the rules
 * make a table, every cell is read on its own (stacked into strips of crops of like width, one OCR call each), otherwise
 * the page is read with tesseract's own layout analysis. With a document's `memory`, a cell printing
 * a label already read on an earlier page takes that reading (ocr-memory.ts).
 */
export async function ocrPage(img: GrayImage, pageNo: number, dpi = OCR_DPI, memory?: OcrMemory): Promise<Page> {
  // The page's turn is taken now, in the order pages are handed over; it is given up (nothing
  // remembered) however the reading ends.
  const turn = memory?.turn();
  try {
    return await readPage(img, pageNo, dpi, turn);
  } finally {
    turn?.remember([]);
  }
}

/** OCR for the pages of one document, handed over in page order: labels read on earlier pages are recalled (ocr-memory.ts). */
export function documentOcr(): (img: GrayImage, pageNo: number, dpi: number) => Promise<Page> {
  const memory = createOcrMemory();
  return (img, pageNo, dpi) => ocrPage(img, pageNo, dpi, memory);
}

/**
 * The table rules of a (deskewed) page and the page with its printed rules erased: the rules of
 * ruled (lattice) tables, and of tables ruled between rows only (with or without a frame), whose
 * columns are inferred from the white between cells (row-ruled.ts), as are a lattice's column and
 * row rules a photocopy lost (lostColumnRules, lostRowRules).
 */
export function tableRules(img: GrayImage, scale: number): { rules: Rule[]; erased: GrayImage } {
  const candidates = ruleCandidates(img, scale);
  const lattice = latticeRules(candidates, scale);
  const snap = 2 * scale;
  // A lattice with no inner column rule (a frame around rows ruled between them) is such a table too.
  const latticeTables = pageTables(lattice, snap).tables.filter((t) => t.grid.xs.length > 2);
  const latticeBoxes = latticeTables.map((t) => t.box);
  const inLattice = (r: Rule): boolean => latticeBoxes.some((b) => r.y1 >= b.y0 - snap && r.y1 <= b.y1 + snap && r.x1 < b.x1 && r.x2 > b.x0);
  const stacks = rowRuledStacks(candidates.horizontal, img.width, img.height, snap, inLattice);
  const stacked = new Set(stacks.flat());
  // Column rules of rows whose rule a photocopy lost stand on one row rule only (columnStubs).
  const { stubs, ending } = columnStubs(img, candidates.vertical, lattice, latticeBoxes, scale);
  const printed = [...lattice.filter((r) => !stacked.has(r)), ...stubs, ...stacked];
  const erased = eraseRules(img, printed, Math.max(2, Math.round(1.1 * scale)));
  // The lattice tables again with the rules found since (the same tables when there are none).
  const latticeGrids = latticeTables.map((t) => t.grid);
  const grids = (more: Rule[]): Grid[] => (more.length ? pageTables([...lattice, ...more], snap).tables.flatMap((t) => (t.grid.xs.length > 2 ? [t.grid] : [])) : latticeGrids);
  const columned = [...lattice, ...stubs];
  const lostRows = lostRowRules(erased, grids(stubs), columned, ending, scale);
  const lost = lostColumnRules(erased, lostRows.length ? grids([...stubs, ...lostRows]) : latticeGrids, scale);
  return { rules: [...printed, ...lost, ...lostRows, ...stacks.flatMap((s) => inferredColumns(erased, s, scale))], erased };
}

/**
 * Reads the boxes of a page (a ruled table's cells and the bands about it, or a page's lines of ink)
 * one by one, in strips: each box's lines, one token each.
 */
async function readBoxes(clean: GrayImage, dpi: number, pageNo: number, boxes: PixelBox[], turn: MemoryTurn | undefined): Promise<Token[][]> {
  // Tesseract is told the page's resolution in whole dots per inch.
  const ppi = Math.max(1, Math.round(dpi));
  const scale = dpi / 72;
  const pad = Math.round(1.5 * scale);
  const gap = Math.round(6 * scale);
  // A label printed on an earlier page, in the same ink, is not read again (ocr-memory.ts).
  const seen = turn ? await turn.recall() : [];
  const masks = turn ? boxes.map((b) => inkMask(clean, b)) : [];
  const recalled = boxes.map((_, i) => (masks[i] && seen.length ? recallLabel(seen, masks[i]!, dpi) : null));
  const unread = boxes.flatMap((_, i) => (recalled[i] ? [] : [i]));
  turn?.recalled(pageNo, recalled.flatMap((r) => r ?? []));
  const fresh = scatter([unread], [await readCells(clean, ppi, unread.map((i) => boxes[i]!), pad, gap, 'block')], boxes.length);
  // Tesseract now and then leaves out a clean line of a strip: a cell's only line, or the short
  // last line of a wrapped name (成率 of 档案资料数字化计划完成率); which one depends on the strip's
  // other crops. A cell with more lines of ink than lines read is read again, in a strip of such
  // cells, and the reading with more lines stands if it is a reading of the cell's ink: no more
  // lines than the ink has, none read at no confidence (in a strip of few crops tesseract may take
  // a photocopy's speckled background for lines, and read 完善 as 和习 at 0).
  const lineHeight = Math.round(4 * scale);
  const bands = new Map(unread.map((i) => [i, inkBands(clean, boxes[i]!, lineHeight)]));
  const ink = new Map(unread.map((i) => [i, bands.get(i)!.length]));
  const short = unread.filter((i) => (fresh[i]?.length ?? 0) < ink.get(i)!);
  if (short.length > 0) {
    const again = await readCells(clean, ppi, short.map((i) => boxes[i]!), pad, gap, 'block');
    short.forEach((i, k) => {
      const lines = again[k] ?? [];
      if (lines.length > (fresh[i]?.length ?? 0) && lines.length <= ink.get(i)! && lines.every((t) => (t.confidence ?? 0) > UNREAD)) fresh[i] = lines;
    });
    // A cell still without a reading is read on its own, each in a strip of its own; lines read
    // unsure there (speckle taken for a line) are dropped.
    const blank = short.filter((i) => (fresh[i]?.length ?? 0) === 0).slice(0, MAX_ALONE);
    const takeAlone = (i: number, lines: Token[]): void => {
      const sure = lines.filter((t) => (t.confidence ?? 0) >= SURE_ALONE);
      if (sure.length <= ink.get(i)!) fresh[i] = sure;
    };
    const alone = await Promise.all(blank.map((i) => readStrip(clean, ppi, [boxes[i]!], pad, gap, 'block', 'chi_sim')));
    blank.forEach((i, k) => takeAlone(i, alone[k]![0] ?? []));
    // A cell read as nothing there too is read once more, enlarged, on the same terms.
    const still = blank.filter((i) => (fresh[i]?.length ?? 0) === 0);
    const enlarged = await Promise.all(still.map((i) => readEnlarged(clean, ppi, boxes[i]!, pad)));
    still.forEach((i, k) => takeAlone(i, enlarged[k]!));
    // A cell read in part, with a band of ink under none of its lines read: tesseract left that
    // line out (过率, the end of 档案信息保密性验收通过率 wrapped in its cell, read twice as
    // 档案信息保密性验收通). The band is read alone, enlarged, as one line (at its own size tesseract
    // found nothing in 过率 or 成率 there), and the line goes in its place where it is read surely
    // (readLostLine).
    const partial = short
      .filter((i) => (fresh[i]?.length ?? 0) > 0 && fresh[i]!.length < ink.get(i)!)
      .flatMap((i) => unreadBands(bands.get(i)!, fresh[i]!).map((k) => ({ i, box: bandBox(bands.get(i)!, k, boxes[i]!, lineHeight) })))
      .slice(0, MAX_ALONE);
    const lost = await Promise.all(partial.map(({ box }) => readLostLine(clean, ppi, box, pad)));
    partial.forEach(({ i }, k) => {
      const line = lost[k];
      if (line && fresh[i]!.length < ink.get(i)!) fresh[i] = [...fresh[i]!, line].sort((a, b) => (a.box?.y ?? 0) - (b.box?.y ?? 0));
    });
  }
  // A box of a figure's height read as nothing: a lone weight or score in a thin Ming face, whose
  // ink is lower than a line (so no short cell above) and in which chi_sim finds no glyph. The
  // English model reads such boxes (readFiguresInEnglish); a figure it is sure of stands,
  // verified by eye (one model read it). (A line's box on a rule-less page: a ruled table's cell box
  // is as wide as the cell, and its margins make it higher than this.)
  const pitchRead = hanGlyphPitch(unread.map((i) => fresh[i] ?? []));
  const lone = unread.filter((i) => (fresh[i]?.length ?? 0) === 0 && figureSizedBox(boxes[i]!, pitchRead));
  if (lone.length > 0) {
    const again = await readFiguresInEnglish(clean, ppi, lone.map((i) => boxes[i]!), [], pad, gap).catch(() => null);
    lone.forEach((i, k) => {
      const [line, ...more] = again?.lines[k] ?? [];
      if (line && more.length === 0 && sureFigure(line)) fresh[i] = [doubted(line)];
    });
  }
  const read: Token[][] = boxes.map((_, i) => recalled[i] ?? fresh[i] ?? []);
  // A line read as more glyphs than its ink is wide for holds extra ones (a glyph read from a
  // radical, from nothing or twice, however sure: 健全性 as 健全人性, 有责 as 有有责, 补换敬老卡 as
  // 补换和敬老卡): glyphSurplus.
  const inkHeight = pageInkHeight(unread.flatMap((i) => read[i]!.map((t) => ({ t, bands: bands.get(i)! }))));
  const surplusIn = (i: number) => (t: Token): number | null => glyphSurplus(t, pitchRead, bandOf(bands.get(i)!, t), inkHeight);
  // The page's labels are remembered before the second readings below: later pages wait for them
  // (ocr-memory.ts). A cell read again is one read unsure or with extra glyphs, and no label of that
  // is remembered. A page whose reading looks turned (orientation.ts) remembers nothing: its labels
  // are garbage, or it is read again turned, after the pages waiting for it could have gone on.
  const remembered = unread.filter((i) => !read[i]!.some((t) => extraGlyphs(t, surplusIn(i))));
  turn?.remember(suspectTurned(read.flat()) ? [] : remembered.flatMap((i) => rememberable(masks[i] ?? null, read[i]!) ?? []));
  // The lines of `cells` that `wanted` picks (cell i, line j), each with its box to read it alone
  // (lineBox; null where the line has none); and a line's reading replaced.
  const linesWhere = (cells: number[], wanted: (t: Token, i: number) => boolean) =>
    cells.flatMap((i) => read[i]!.flatMap((t, j) => (wanted(t, i) ? [{ i, j, box: lineBox(bands.get(i)!, boxes[i]!, read[i]!, j, lineHeight) }] : [])));
  const replaceLine = (i: number, j: number, line: Token): void => {
    read[i] = read[i]!.map((t, n) => (n === j ? line : t));
  };
  // Short cells read unsure are read again enlarged, together, and the reading settleReread takes
  // stands; those then still with a glyph that makes no word are read a third time, enlarged more.
  for (const [which, enlarge, bySureness] of [[readUnsure, ENLARGE, true], [readStray, THIRD_ENLARGE, false]] as const) {
    const cells = unread.filter((i) => which(read[i]!));
    if (cells.length === 0) continue;
    const again = await readCells(clean, ppi, cells.map((i) => boxes[i]!), pad, gap, 'block', 'chi_sim', enlarge);
    cells.forEach((i, k) => (read[i] = settleReread(read[i]!, again[k] ?? [], bySureness)));
  }
  // Lines read with more glyphs than their ink holds (see above) are read again, each alone (its
  // band of ink cut from its cell; in a strip, what tesseract makes of a line changes with the other
  // crops), enlarged by half and then twice; from a reading of the same ink with fewer glyphs, the
  // first without its extra glyphs stands (withoutInsertion).
  for (const enlarge of [ENLARGE, THIRD_ENLARGE]) {
    const crowded = linesWhere(unread, (t, i) => extraGlyphs(t, surplusIn(i))).slice(0, MAX_ALONE);
    if (crowded.length === 0) break;
    const again = await Promise.all(crowded.map(({ box }) => (box ? readStrip(clean, ppi, [box], pad, gap, 'block', 'chi_sim', enlarge) : Promise.resolve([[]]))));
    crowded.forEach(({ i, j }, k) => {
      const lines = again[k]![0] ?? [];
      if (lines.length === 1) replaceLine(i, j, withoutInsertion(read[i]![j]!, lines[0]!, surplusIn(i)));
    });
  }
  // Lines of prose (cells too long to read again whole) with a glyph read unsure that makes no word
  // are read again enlarged twice, together in strips (年内究成 read 年内完成, 相关昭能部门
  // 相关职能部门); a reading of as many glyphs that is decisively likelier Chinese, or a blend of
  // the two that is, stands (settleReread, by the vocabulary alone).
  const strayLines = linesWhere(
    unread.filter((i) => !shortCjkCell(read[i]!)),
    (t) => hasStrayGlyph(t.text, t.glyphConfidence ?? [], STRAY_DOUBT),
  )
    .flatMap((l) => (l.box ? [{ ...l, box: l.box }] : []))
    .slice(0, MAX_PROSE_LINES);
  if (strayLines.length > 0) {
    const again = await readCells(clean, ppi, strayLines.map((l) => l.box), pad, gap, 'block', 'chi_sim', THIRD_ENLARGE);
    strayLines.forEach(({ i, j }, k) => {
      const [first, lines] = [read[i]![j]!, again[k] ?? []];
      if (lines.length !== 1 || Array.from(lines[0]!.text).length !== Array.from(first.text).length) return;
      replaceLine(i, j, settleReread([first], lines, false)[0]!);
    });
  }
  // Lines with a glyph that may be a filler (FILLER_GLYPHS) are read alone, one call each, and the
  // fillers that reading lacks are dropped.
  const suspects = linesWhere(unread, (t) => fillerSuspects(t).length > 0).slice(0, MAX_FILLER_LINES);
  const alone = await Promise.all(suspects.map(({ box }) => (box ? readStrip(clean, ppi, [box], pad, gap, 'line', 'chi_sim') : Promise.resolve([[]]))));
  suspects.forEach(({ i, j }, k) => {
    const lines = alone[k]![0] ?? [];
    const t = lines.length === 1 ? withoutFillers(read[i]![j]!, lines[0]!) : null;
    if (t) replaceLine(i, j, t);
  });
  // The page's Han glyph size, from its lines of four Han glyphs or more (no figure cell is one).
  const pitch = hanGlyphPitch(read);
  // Cells that hold a figure read doubtfully, or lacking a glyph, are read again restricted to
  // figure characters (15 read as 了5, 巧 or 5; 0.00 as 0Q00); settleFigure says which reading stands.
  // So is a lone glyph of a digit's size, a unit's glyph too (日 read for a 6), which is no figure as read.
  const figureBoxes = boxes.flatMap((_, i) => (read[i]?.length === 1 && (doubtfulFigure(read[i]![0]!) || missingGlyph(read[i]![0]!) || digitSized(read[i]![0]!, pitch)) ? [i] : []));
  const unreadFigures = new Set<number>();
  const glyphsForDigits = new Set<number>();
  if (figureBoxes.length > 0) {
    const again = await readCells(clean, ppi, figureBoxes.map((i) => boxes[i]!), pad, gap, 'figures');
    // A lone glyph chi_sim was unsure of, where the figure-only reading finds nothing: chi_sim
    // reads no digit there (a serif 15 or 10 read as 芭 or 晤, and then as nothing), which the
    // English model reads cleanly — it is asked next, as for a figure. So is a figure read unsure
    // with a glyph for a digit, where the figure-only reading is no figure either (a photocopy's
    // 1.00 as 上.00, and then as .00); there the English reading must put digits in the glyphs'
    // places (glyphsForDigits).
    // So is a lone glyph of a digit's size, however sure chi_sim is of it or what the figure-only
    // reading made of it (a thin face's 6 read as 他 at 0.48, 名 at 0.62; the figures-only 台).
    figureBoxes.forEach((i, k) => {
      const first = read[i]![0]!;
      const unsure = !FIGURE.test(first.text) && (first.confidence ?? 0) < UNSURE_GLYPH;
      if ((unsure && !again[k]?.length) || digitSized(first, pitch)) unreadFigures.add(i);
      else if (unsure && /\d/.test(first.text) && !(again[k]?.length === 1 && FIGURE.test(again[k]![0]!.text))) glyphsForDigits.add(i);
    });
    settleSecondReadings(read, figureBoxes, again, settleFigure);
  }
  // Figure cells are read again by the English model, and the two readings compared (ocr-figures.ts).
  const strokes = new Set(boxes.flatMap((_, i) => (read[i]?.length === 1 && loneStroke(read[i]![0]!, pitch) ? [i] : [])));
  const figures = boxes.flatMap((_, i) => (read[i]?.length === 1 && (wantsSecondReading(read[i]![0]!) || unreadFigures.has(i) || glyphsForDigits.has(i) || strokes.has(i)) ? [i] : []));
  if (figures.length > 0) {
    // Without the English model (its worker failed to start) the first readings stand, as before it.
    const english = await readFiguresInEnglish(clean, ppi, figures.map((i) => boxes[i]!), figures.map((i) => read[i]![0]), pad, gap).catch(() => null);
    const again = english?.lines ?? [];
    const cellsOf = (ks: Set<number> | undefined): Set<number> => new Set([...(ks ?? [])].map((k) => figures[k]!));
    const [sideBySide, disputed] = [cellsOf(english?.sideBySide), cellsOf(english?.disputed)];
    // Where the two models read as many digits differently, a third reading decides: chi_sim's,
    // figures only, of the cell alone and enlarged (a few cells a document, one call each).
    const tied = figures.flatMap((i, k) => (again[k]?.length === 1 && wantsThirdReading(read[i]![0]!, again[k]![0]!) ? [k] : []));
    const thirds = new Map<number, Token | null>();
    await Promise.all(
      tied.map(async (k) => {
        const lines = await readEnlarged(clean, ppi, boxes[figures[k]!]!, pad, 'figures');
        thirds.set(figures[k]!, lines.length === 1 ? lines[0]! : null);
      }),
    );
    settleSecondReadings(read, figures, again, (first, second, i) => {
      // A lone stroke read as a digit by the English model alone: verified by eye.
      if (strokes.has(i)) return second && FIGURE.test(second.text) && (second.confidence ?? 0) >= SURE_SECOND_DIGIT ? doubted(second) : first;
      // A glyph read for a digit, read as one by the English model alone: verified by eye.
      if (glyphsForDigits.has(i)) return second && (second.confidence ?? 0) >= SURE_SECOND_DIGIT && digitsForGlyphs(first.text, second.text) ? doubted(second) : first;
      return settleEnglish(first, second, thirds.get(i) ?? null, sideBySide.has(i), disputed.has(i));
    });
  }
  // A 。 ending a cell that tesseract left out is put back, found by its shape (loneFullStop), after
  // the repairs of the cell's lines (repairWrappedEnd pairs its last two lines). A cell read as one
  // figure with a leading zero lost or misread a glyph: verified by eye. (Not read again: another
  // cell in the second strip changes the readings of the others there. The second line of an amount
  // wrapped in its cell, 048.00 of 446,048.00, is no such figure.)
  const readHere = new Set(unread);
  return read.map((cell, i) => {
    const tokens = repairWrappedEnd(repairAcrossLines(cell)).map((t) => strokedFour(clean, t, pitch));
    const stop = readHere.has(i) ? loneFullStop(clean, boxes[i]!, tokens, pitch) : null;
    if (stop) return [...tokens, stop];
    return tokens.length === 1 && leadingZero(tokens[0]!) ? [doubted(tokens[0]!)] : tokens;
  });
}

/** A full stop's ring against the Han glyph's size: across and high (0.3 in the faces of these forms). */
const STOP_SIZE = [0.15, 0.4] as const;
/** Lighter than this a pixel is no part of the ring (a gray scan's anti-aliased edge is). */
const STOP_INK = 160;
/** Blots of less ink than this share of a Han glyph's square are specks, not another mark (8 pixels at 200 dpi). */
const STOP_SPECK = 0.01;
/** How sure a full stop found by its shape is taken to be: below SURE in ocr-document.ts, no evidence there. */
const STOP_CONFIDENCE = 0.9;

/**
 * The box of a full stop's ring, the rightmost blot of ink in `region` (specks aside): 0.15–0.4 of
 * a Han glyph across and high, clear of the other blots' columns, its top below `top`, closing a
 * hole; or null. Where `from` is given, the ring must be the region's one blot and start within
 * half a glyph of it.
 */
function stopRing(img: GrayImage, region: PixelBox, pitch: number, top: number, from: number | null): PixelBox | null {
  // Whole pixels: a line read enlarged has its box scaled back to fractions of one.
  const [x0, y0] = [Math.max(0, Math.floor(region.x0)), Math.max(0, Math.floor(region.y0))];
  const [x1, y1] = [Math.min(img.width, Math.ceil(region.x1)), Math.min(img.height, Math.ceil(region.y1))];
  if (y1 - y0 < STOP_SIZE[0] * pitch || x1 - x0 < STOP_SIZE[0] * pitch) return null;
  const b = blots(img, x0, y0, x1 - x0, y1 - y0, STOP_INK);
  const marks = Array.from(b.blot)
    .flatMap((c, r) => (c === r && b.size[c]! >= STOP_SPECK * pitch * pitch ? [{ x0: x0 + b.x0[c]!, y0: y0 + b.y0[c]!, x1: x0 + b.x1[c]!, y1: y0 + b.y1[c]! }] : []))
    .sort((p, q) => q.x1 - p.x1);
  const ring = marks[0];
  if (!ring || (from !== null && (marks.length > 1 || Math.abs(ring.x0 - from) > pitch / 2))) return null;
  const fits = (n: number): boolean => n >= STOP_SIZE[0] * pitch && n <= STOP_SIZE[1] * pitch;
  if (!fits(ring.x1 - ring.x0) || !fits(ring.y1 - ring.y0) || ring.y0 < top || marks.slice(1).some((m) => m.x1 > ring.x0)) return null;
  return holesIn(img, { x0: ring.x0 - 1, y0: ring.y0 - 1, x1: ring.x1 + 1, y1: ring.y1 + 1 }).length > 0 ? ring : null;
}

/**
 * A 。 that ends a cell's text and that tesseract left out: at the end of the last line, inside
 * its box or after it (…换发145.17万张。 read without it), or wrapped alone onto a line below
 * (…完善项目绩效目标 | 。), whose ink is lower than a band of text (inkBands), so the cell looks
 * read in full. Only after a line that ends in a Han glyph, where the ink there is a full stop's
 * ring (stopRing): in the lower half of the line, or where the lines start below it. Returns it
 * as a token of its own, or null.
 */
export function loneFullStop(img: GrayImage, cell: PixelBox, lines: readonly Token[], pitch: number | null): Token | null {
  const last = lines.at(-1);
  if (!pitch || !last?.box || !/\p{Script=Han}$/u.test(last.text)) return null;
  const { x, y, w, h } = last.box;
  const start = Math.min(...lines.map((t) => t.box?.x ?? Number.POSITIVE_INFINITY));
  const below = Math.ceil(y + h);
  const ring =
    stopRing(img, { x0: Math.floor(x + w - pitch), y0: y, x1: cell.x1, y1: Math.min(cell.y1, below) }, pitch, y + h / 2, null) ??
    stopRing(img, { x0: cell.x0, y0: below, x1: cell.x1, y1: cell.y1 }, pitch, below, start);
  if (!ring) return null;
  return { text: '。', x: ring.x0 / h, width: (ring.x1 - ring.x0) / h, box: { x: ring.x0, y: ring.y0, w: ring.x1 - ring.x0, h: ring.y1 - ring.y0 }, confidence: STOP_CONFIDENCE, glyphConfidence: [STOP_CONFIDENCE] };
}

/**
 * Full-width punctuation whose ink stands at one side of its square: an opening mark's to the
 * right, a closing mark's to the left. At a line's start (opening) or end (closing) the line's ink
 * ends short of the square, by more than half of it: such a mark counts EDGE_INK of a glyph there.
 */
const OPENING = /^[“‘《〈「『【（]$/u;
const CLOSING = /^[。，、；：！？”’》〉」』】）]$/u;
const EDGE_INK = 0.4;

/**
 * How many more glyphs a line with Han glyphs was read as than its ink is wide for: its glyphs'
 * widths (a Han glyph or a full-width mark 1, a digit or an ASCII mark ½: charWidth; a
 * full-width opening mark at its start and closing one at its end EDGE_INK) less its width in
 * pitches of the page (hanGlyphPitch), the pitch scaled down for a line in a smaller face (its
 * band of ink, `band`, lower than the page's, `inkHeight`). Null for a line without Han glyphs, or
 * without the measures. On four photocopies and scans of the samples (1 900 lines of Han glyphs
 * only, three or more), lines read right came to at most 0.4, but for a table head's 一级指标
 * (0.4–0.8); the 13 read with a glyph over another's ink (健全人性, 有有责, 人和人员) to 0.75–2.
 * Over 860 lines of three Han glyphs or more among marks and figures on seven scans and
 * photocopies, lines read right came to at most 0.54; of the 19 at 0.7 or more (0.7–1.8), 18 held
 * a glyph read from nothing (同时有具备, 补换和敬老卡, 社保上本中心, 25.00(和人次/) and one was
 * garbled (执行率("%4)).
 */
export function glyphSurplus(t: Token, pitch: number | null, band: Band | null, inkHeight: number | null): number | null {
  if (!pitch || !t.box || !HAN.test(t.text)) return null;
  const size = band && inkHeight ? Math.min(1, (band.y1 - band.y0) / inkHeight) : 1;
  return glyphWidths(t.text) - t.box.w / (pitch * size);
}

/** The widths of a line's glyphs, in Han glyphs, as glyphSurplus counts them. */
function glyphWidths(text: string): number {
  const chars = Array.from(text);
  // (An ASCII mark fills most of its half square: it counts as it stands.)
  const edge = (c: string | undefined, mark: RegExp): number => (c !== undefined && mark.test(c) && charWidth(c) === 1 ? 1 - EDGE_INK : 0);
  return displayWidth(text) - edge(chars[0], OPENING) - (chars.length > 1 ? edge(chars.at(-1), CLOSING) : 0);
}

/**
 * A surplus of glyphs (glyphSurplus) from which a line of three Han glyphs or more (a shorter
 * line's width says too little) is taken to hold extra glyphs, and up to which a reading fits its ink.
 */
const EXTRA_GLYPH = 0.7;
const FITS_INK = 0.5;
export const extraGlyphs = (t: Token, surplus: (t: Token) => number | null): boolean => hanCount(t.text) >= 3 && (surplus(t) ?? 0) >= EXTRA_GLYPH;

/** The band of ink (inkBands) a token's middle lies in. */
export function bandOf(bands: readonly Band[], t: Token): Band | null {
  if (!t.box) return null;
  const mid = t.box.y + t.box.h / 2;
  return bands.find((b) => mid >= b.y0 && mid < b.y1) ?? null;
}

/** The middle height of the bands of ink of a page's lines of four Han glyphs or more (null with fewer than three). */
export function pageInkHeight(lines: readonly { t: Token; bands: readonly Band[] }[]): number | null {
  const heights = lines.flatMap(({ t, bands }) => {
    const band = HAN_LINE.test(t.text) ? bandOf(bands, t) : null;
    return band ? [band.y1 - band.y0] : [];
  });
  return heights.length >= 3 ? middle(heights) : null;
}

/** Glyphs a second reading may lack of the first's (see withoutInsertion). */
const MAX_LEFT_OUT = 3;
/** Ways of leaving glyphs out (leftOut) kept at most: a line of like glyphs (0000…) has thousands. */
const MAX_WAYS = 8;

/**
 * The ways to leave glyphs out of `long` that make it glyph for glyph as like `short` as can be
 * (the fewest glyphs differing: `changed`), each as the positions of `long` kept (the first
 * MAX_WAYS found): null unless `short` is shorter by 1 to MAX_LEFT_OUT glyphs. 有有责投诉率 against
 * 有责投诉率: either 有 out. A way is followed only while it can still be one of the best.
 */
export function leftOut(long: string, short: string): { ways: number[][]; changed: number } | null {
  const [l, s] = [Array.from(long), Array.from(short)];
  if (l.length - s.length < 1 || l.length - s.length > MAX_LEFT_OUT) return null;
  let best: { ways: number[][]; changed: number } = { ways: [], changed: Infinity };
  const kept: number[] = [];
  const visit = (i: number, changed: number): void => {
    if (changed > best.changed || (changed === best.changed && best.ways.length >= MAX_WAYS)) return;
    const j = kept.length;
    if (i === l.length) {
      if (changed < best.changed) best = { ways: [[...kept]], changed };
      else best.ways.push([...kept]);
      return;
    }
    if (j < s.length) {
      kept.push(i);
      visit(i + 1, changed + (l[i] === s[j] ? 0 : 1));
      kept.pop();
    }
    if (l.length - i > s.length - j) visit(i + 1, changed);
  };
  visit(0, 0);
  return best;
}

/**
 * A line read with extra glyphs (extraGlyphs), or, where its second reading reads the same ink (as
 * many pitches wide: a reading that left glyphs at an end unread is narrower by them) with as many
 * glyphs as it is wide for and fewer than the first: the first without the glyphs the second
 * lacks, each glyph the two read otherwise taken from the likelier Chinese of the two (the first's
 * where neither is likelier). Of the ways to leave glyphs out, the one that leaves out the most
 * glyphs tesseract reads from nothing (FILLER_GLYPHS: every extra glyph seen was one), then the
 * likeliest Chinese, then the one that leaves out glyphs read less surely. The result has as many
 * Han glyphs as the second (a mark is no glyph's stand-in) and fits the ink. 同时有具备 and 同时县备
 * give 同时具备; 档条管理制度健全人性 and 档案管理制度健全性, 档案管理制度健全性; 人时效指标 and
 * 付效指标, 时效指标.
 */
export function withoutInsertion(first: Token, again: Token, surplus: (t: Token) => number | null): Token {
  const [before, after] = [surplus(first), surplus(again)];
  if (!extraGlyphs(first, surplus) || before === null || after === null || Math.abs(after) > FITS_INK) return first;
  const pitches = (t: Token, s: number): number => glyphWidths(t.text) - s;
  if (Math.abs(pitches(again, after) - pitches(first, before)) > FITS_INK) return first;
  const left = leftOut(first.text, again.text);
  if (!left) return first;
  const glyphs = Array.from(first.text);
  const words = vocabulary().words;
  const conf = (t: Token, k: number): number => t.glyphConfidence?.[k] ?? t.confidence ?? 0;
  let best: { kept: number[]; fromB: boolean[]; text: string; fillers: number; score: number; dropped: number } | null = null;
  for (const kept of left.ways) {
    const text = kept.map((i) => glyphs[i]!).join('');
    // Null when the two differ in too many glyphs to be readings of the same print.
    const blend = text === again.text ? { text, fromB: kept.map(() => true) } : likeliestBlend(text, again.text, words);
    if (!blend || hanCount(blend.text) !== hanCount(again.text)) continue;
    const score = logLikelihood(Array.from(blend.text), words);
    const out = glyphs.flatMap((_, i) => (kept.includes(i) ? [] : [i]));
    const fillers = out.filter((i) => FILLER_GLYPHS.has(glyphs[i]!)).length;
    const dropped = out.reduce((sum, i) => sum + conf(first, i), 0);
    const better = !best || fillers > best.fillers || (fillers === best.fillers && (score > best.score || (score === best.score && dropped < best.dropped)));
    if (better) best = { kept, ...blend, fillers, score, dropped };
  }
  if (!best) return first;
  if (best.text === again.text) return again;
  const settled: Token = {
    ...again,
    text: best.text,
    confidence: Math.min(first.confidence ?? 0, again.confidence ?? 0),
    glyphConfidence: best.kept.map((i, k) => (best.fromB[k] ? conf(again, k) : conf(first, i))),
  };
  return Math.abs(surplus(settled) ?? Infinity) <= FITS_INK ? settled : first;
}

/**
 * A line read as one glyph that is no figure (了, 十, +), of a digit's size, whose ink is a 4 that
 * lost its thin diagonal (a stem and a crossbar reaching left of it, in its lower half: see
 * brokenDigit; the bar lower than a plus sign's, see lowCrossbar): read as 4, verified by eye. Both
 * models read such a cross as a glyph or a sign, never as 4.
 */
export function strokedFour(img: GrayImage, t: Token, pitch: number | null): Token {
  if (Array.from(t.text).length !== 1 || /\d/.test(t.text) || !t.box || !digitBox(t, pitch)) return t;
  const { x, y, w, h } = t.box;
  // The crossbar, as thin as the lost diagonal, may be broken too (#...###, ####  ##): bridged first.
  const around = { x0: x - BAR_GAP, y0: y - BAR_GAP, x1: x + w + BAR_GAP, y1: y + h + BAR_GAP };
  const crop = bridgeRows(img, around, BAR_GAP);
  const [dx, dy] = cropOrigin(around);
  const inCrop = { x0: x - dx, y0: y - dy, x1: x + w - dx, y1: y + h - dy };
  return brokenDigit(crop, inCrop, '1') === '4' && lowCrossbar(crop, inCrop) ? doubted({ ...t, text: '4' }) : t;
}
/** Pixels of white a broken crossbar is bridged across (at OCR_DPI), and the margin kept about the glyph. */
const BAR_GAP = 3;

/**
 * Cells read a second time (`again[k]` the lines of cell `cells[k]`, whose first reading is one
 * line): each cell's reading becomes what `settle` makes of the first and the second, a second
 * reading of one line given in the first one's box (null otherwise).
 */
function settleSecondReadings(read: Token[][], cells: number[], again: Token[][], settle: (first: Token, second: Token | null, cell: number) => Token): void {
  cells.forEach((i, k) => {
    const first = read[i]![0]!;
    const second = again[k]?.length === 1 ? again[k]![0]! : null;
    read[i] = [settle(first, second && { ...second, box: first.box, x: first.x, width: first.width }, i)];
  });
}

/**
 * Reads a page as it stands and, if its reading looks like a turned page's, in the turn a sample of
 * it reads surest in, keeping the surer of the two readings (orientation.ts). Should the sample or
 * the second reading fail, the first stands.
 */
async function readPage(img: GrayImage, pageNo: number, dpi: number, turn: MemoryTurn | undefined): Promise<Page> {
  // A blank page is not read (a one-row table on a page of its own still is).
  if (inkRatio(img) < 0.0005) return { number: pageNo, lines: [], rules: [], width: img.width, height: img.height, scale: dpi / 72 };
  const page = await readStanding(img, pageNo, dpi, turn);
  const tokens = (p: Page): Token[] => p.lines.flatMap((l) => l.tokens);
  if (!suspectTurned(tokens(page))) return page;
  try {
    const upright = await probeTurn(img, dpi);
    if (upright === 0) return page;
    const again: Page = { ...(await readStanding(turnImage(img, upright), pageNo, dpi, turn)), turned: upright };
    return sureShare(tokens(again)) > sureShare(tokens(page)) ? again : page;
  } catch {
    return page;
  }
}

/**
 * Sure Chinese glyphs read in a window of the page (orientation.ts probeWindow) turned each way,
 * the four read at once: the turn the page reads in.
 */
async function probeTurn(img: GrayImage, dpi: number): Promise<Turn> {
  const { strip } = stackCrops(img, [probeWindow(img, dpi / 72)], 0, 0);
  const ppi = Math.max(1, Math.round(dpi));
  const sure = await Promise.all(
    TURNS.map(async (t) => {
      const words = (await recognize(turnImage(strip, t), 'block', ppi)).flatMap((b) => b.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words)));
      const read = words.map((w) => {
        const { text, conf } = charsOf(w);
        return { text, glyphConfidence: conf };
      });
      return hanSureness(read, PROBE_SURE).sure;
    }),
  );
  return bestTurn(sure);
}

/** Reads a page as it stands: deskewed, its table rules found and erased, its cells or lines of ink read. */
async function readStanding(img: GrayImage, pageNo: number, dpi: number, turn: MemoryTurn | undefined): Promise<Page> {
  const scale = dpi / 72;
  const skew = estimateSkew(img);
  const straight = rotate(img, skew);
  const { rules, erased } = tableRules(straight, scale);
  // A binarised page's solid, thickened strokes are thinned before OCR (decimal points and the
  // gaps inside digits come back); gray scans are read as they are.
  const clean = inkSaturation(erased) > BINARISED_SATURATION ? lighten(erased, 0.6) : erased;
  const boxes = readingBoxes(clean, rules, scale);
  const lines: Line[] = [];
  const push = (tokens: Token[]): void => {
    if (tokens.length) lines.push({ page: pageNo, lineNo: lines.length + 1, tokens, text: tokens.map((t) => t.text).join(' '), cells: false, gapBefore: 0 });
  };
  if (boxes) {
    // Each line of a cell a line of the page: the layout stage puts it in its cell by its place.
    for (const cell of await readBoxes(clean, dpi, pageNo, boxes, turn)) for (const t of cell) push([t]);
  } else {
    // No ruled table: the page's lines of ink are read as cells are, and set in rows as a PDF's
    // text layer has them (line-finder.ts), for the stream reader to find the table in.
    // The lines are found without a photocopy's speckle (a speck beside a glyph stretched its line
    // or bridged the white between two cells); they are read from the page as it is, since a
    // binarised digit's thin strokes break into blots as small as specks (8 read as 3 without them).
    const { lines: found, size } = findLines(despeckle(clean, Math.round(SPECK_AREA * scale * scale), Math.round(SPECK_SIDE * scale)), scale);
    const words = found.filter((l) => !l.mark);
    const read = new Map(words.map((l, i) => [l, i]));
    const reads = await readBoxes(clean, dpi, pageNo, words, turn);
    const tokens = found.flatMap((l) => placed(l, size, l.mark ? [{ text: l.mark, x: 0, width: 0 }] : reads[read.get(l)!]!));
    for (const row of tokenRows(tokens)) push(row);
  }
  return { number: pageNo, lines, rules, width: img.width, height: img.height, scale, ...(skew ? { skew } : {}) };
}
