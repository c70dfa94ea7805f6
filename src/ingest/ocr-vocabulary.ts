/**
 * A general Chinese vocabulary for the OCR route. Tesseract reads a blurred glyph as one that
 * looks like it (车辆 as 东辆, 志愿 as 志感, 响应 as 喇应), and the glyph read then makes no word
 * with its neighbours. The vocabulary says so (hasStrayGlyph), says which of two readings of the
 * same print reads likelier as Chinese (likelihoodGain: jieba's unigram model), blends two readings
 * glyph by glyph (likeliestBlend), and replaces a doubtful stray glyph by a glyph like it in print
 * that makes a word (repairWithVocabulary).
 *
 * The data (src/ingest/data/, built by eval/make-vocabulary.ts): the words of two and three glyphs
 * of jieba's dictionary, and for each glyph the glyphs most like it rendered in a Song and a Hei face.
 * And (built by eval/make-confusions.ts) which glyphs tesseract read in place of which on degraded
 * print, for the repair by confusions (repairWithConfusions).
 */

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface Alike {
  glyph: string;
  /** 0–1. */
  likeness: number;
}

/** A glyph printed that tesseract read as another, and the share of its readings that were so. */
export interface Confusion {
  glyph: string;
  /** 0–1: of the glyph's readings on degraded print, the share read as the other (smoothed: PRIOR_READINGS). */
  share: number;
}

export interface Vocabulary {
  /** Words of one to three glyphs, with their frequency's order of magnitude. */
  words: ReadonlyMap<string, number>;
  /** For a glyph, the glyphs most like it (most alike first) and their likeness. */
  alike: (glyph: string) => readonly Alike[];
  /** For a glyph read, the glyphs printed that tesseract read so (empty where none was seen). */
  misread: (glyph: string) => readonly Confusion[];
  /** The share of a glyph's readings that read it right (smoothed: see PRIOR_READINGS). */
  readRight: (glyph: string) => number;
}

/**
 * Shares of a glyph's readings are smoothed as if it had been read this many times more, right as
 * often as all glyphs together: a glyph printed once and read once as another is no sure confusion
 * (its share would be 1), and one never printed counts as read right as often as all glyphs are.
 */
const PRIOR_READINGS = 10;

/** A glyph and a count, as the data's lines list them (`车75`, `常2`). */
const ENTRY = /^(\p{Script=Han})(\d+)$/u;
const entries = (fields: readonly string[]): { glyph: string; n: number }[] =>
  fields.flatMap((e) => {
    const m = ENTRY.exec(e);
    return m ? [{ glyph: m[1]!, n: Number(m[2]) }] : [];
  });

const dataFile = (name: string): string => gunzipSync(readFileSync(new URL(`./data/${name}`, import.meta.url))).toString('utf8');

/**
 * The vocabulary in data files' text (a word and its magnitude a line; a glyph, a space and its
 * look-alikes each with its likeness in hundredths a line; a glyph read, a space and the glyphs
 * printed that were read so each with its count, then `= <glyph> <count>` for each glyph read
 * right). A glyph's look-alikes are parsed when first asked for: most glyphs never are.
 */
export function parseVocabulary(wordsText: string, likenessText: string, confusionsText = ''): Vocabulary {
  const words = new Map<string, number>();
  for (const line of wordsText.split('\n')) {
    const mag = line.charCodeAt(line.length - 1) - 48;
    if (line.length > 1 && mag >= 0 && mag <= 9) words.set(line.slice(0, -1), mag);
  }
  const raw = new Map<string, string>();
  for (const line of likenessText.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) raw.set(line.slice(0, space), line.slice(space + 1));
  }
  const parsed = new Map<string, Alike[]>();
  const alike = (glyph: string): readonly Alike[] => {
    let list = parsed.get(glyph);
    if (!list) {
      list = entries((raw.get(glyph) ?? '').split(' ')).map(({ glyph: g, n }) => ({ glyph: g, likeness: n / 100 }));
      parsed.set(glyph, list);
    }
    return list;
  };
  const { misread, readRight } = parseConfusions(confusionsText);
  return { words, alike, misread, readRight };
}

/** The confusions' text (see parseVocabulary) → a glyph read's confusions, and each glyph's share read right. */
function parseConfusions(text: string): Pick<Vocabulary, 'misread' | 'readRight'> {
  const right = new Map<string, number>();
  const counts = new Map<string, { read: string; printed: string; n: number }>();
  for (const line of text.split('\n')) {
    const [head, ...rest] = line.split(' ');
    if (!head) continue;
    if (head === '=') {
      const m = /^(\p{Script=Han}) (\d+)$/u.exec(rest.join(' '));
      if (m) right.set(m[1]!, (right.get(m[1]!) ?? 0) + Number(m[2]));
    } else if (HAN.test(head)) {
      // One count a pair (a glyph read, a glyph printed), however many lines list it.
      for (const { glyph, n } of entries(rest)) {
        const pair = `${head}${glyph}`;
        if (n > 0) counts.set(pair, { read: head, printed: glyph, n: (counts.get(pair)?.n ?? 0) + n });
      }
    }
  }
  // A glyph's readings in all: read right, and read as each other glyph.
  const total = new Map(right);
  for (const { printed, n } of counts.values()) total.set(printed, (total.get(printed) ?? 0) + n);
  const readings = [...total.values()].reduce((a, b) => a + b, 0);
  const rightReadings = [...right.values()].reduce((a, b) => a + b, 0);
  // Without any glyph counted as read right, every glyph read is taken as read right.
  const rightShare = readings > 0 && rightReadings > 0 ? rightReadings / readings : 1;
  const smoothed = (n: number, glyph: string): number => n / ((total.get(glyph) ?? 0) + PRIOR_READINGS);
  const byRead = new Map<string, Confusion[]>();
  for (const { read, printed, n } of counts.values()) {
    const list = byRead.get(read) ?? [];
    list.push({ glyph: printed, share: smoothed(n, printed) });
    byRead.set(read, list);
  }
  return {
    misread: (glyph) => byRead.get(glyph) ?? [],
    readRight: (glyph) => smoothed((right.get(glyph) ?? 0) + PRIOR_READINGS * rightShare, glyph),
  };
}

let loaded: Vocabulary | null = null;

/** The vocabulary shipped in src/ingest/data (read once). */
export function vocabulary(): Vocabulary {
  loaded ??= parseVocabulary(dataFile('words.txt.gz'), dataFile('likeness.txt.gz'), dataFile('confusions.txt.gz'));
  return loaded;
}

/** The longest words of the vocabulary, in glyphs. */
const LONGEST_WORD = 3;

/** Only a glyph read below this confidence (0–1) is replaced. */
const DOUBT = 0.8;
/** A glyph this common on its own (的, 不, 大, 下: 10⁵ times and more in jieba's counts) is a word by itself: it stays. */
const COMMON_GLYPH = 5;
/** Only a glyph this alike to the one read replaces it. */
export const MIN_LIKENESS = 0.6;
/**
 * How much likelier (in powers of ten) the text must read with the replacement than as read: a
 * word of two glyphs against its glyphs apart (车辆 against 东 and 辆), never a common glyph
 * against a rarer one (社保卡中心 stays: 十中 is no likelier than 卡 and 中).
 */
const MIN_GAIN = 2;
/** jieba's counts in all, as a power of ten (6·10⁷). */
const TOTAL = 7.8;
/**
 * A glyph on its own counts as no commoner than this magnitude: the glyphs of grammar (的, 到, 和,
 * 中, 10⁵ and more) would otherwise outweigh a word (到桌面 is no likelier reading than 云桌面).
 */
const MAX_GLYPH_MAGNITUDE = 3;
/** A glyph jieba does not know: rarer than any it counts. */
const UNKNOWN = -9;

const HAN = /^\p{Script=Han}$/u;

/** Whether glyph i of `chars` is part of a word of two or three glyphs there, whose other glyphs are all `usable`. */
export function inWord(chars: readonly string[], i: number, words: ReadonlyMap<string, number>, usable: (j: number) => boolean = () => true): boolean {
  for (let n = 2; n <= LONGEST_WORD; n++) {
    for (let s = Math.max(0, i - n + 1); s <= i && s + n <= chars.length; s++) {
      if (!words.has(chars.slice(s, s + n).join(''))) continue;
      if (Array.from({ length: n }, (_, k) => s + k).every((j) => j === i || usable(j))) return true;
    }
  }
  return false;
}

/** Whether a glyph of `text` read below `doubt` (its confidence in `conf`) makes no word with its neighbours, nor is a common word alone. */
export function hasStrayGlyph(text: string, conf: readonly number[], doubt: number, words: ReadonlyMap<string, number> = vocabulary().words): boolean {
  const chars = Array.from(text);
  return chars.some((_, i) => stray(chars, i, conf, doubt, words));
}

function stray(chars: readonly string[], i: number, conf: readonly number[], doubt: number, words: ReadonlyMap<string, number>): boolean {
  const c = chars[i]!;
  return HAN.test(c) && (conf[i] ?? 1) < doubt && (words.get(c) ?? 0) < COMMON_GLYPH && !inWord(chars, i, words);
}

/**
 * The log10 likelihood of the likeliest reading of `chars` as a run of words (jieba's unigram
 * model: each word as likely as its count); what is not a Chinese glyph costs nothing.
 */
export function logLikelihood(chars: readonly string[], words: ReadonlyMap<string, number>): number {
  const best = [0];
  for (let e = 1; e <= chars.length; e++) {
    const c = chars[e - 1]!;
    if (!HAN.test(c)) {
      best[e] = best[e - 1]!;
      continue;
    }
    let b = best[e - 1]! + (words.has(c) ? Math.min(words.get(c)!, MAX_GLYPH_MAGNITUDE) + 0.5 - TOTAL : UNKNOWN);
    for (let n = 2; n <= LONGEST_WORD && n <= e; n++) {
      const mag = words.get(chars.slice(e - n, e).join(''));
      if (mag !== undefined) b = Math.max(b, best[e - n]! + mag + 0.5 - TOTAL);
    }
    best[e] = b;
  }
  return best[chars.length]!;
}

/**
 * How much likelier (powers of ten) text `b` reads than text `a`, two readings of the same
 * print: null when they differ in their number of Chinese glyphs (a reading with a glyph less is
 * likelier for that alone: 年初算数 is not 年初预算数 improved).
 */
export function likelihoodGain(a: string, b: string, words: ReadonlyMap<string, number> = vocabulary().words): number | null {
  if (hanCount(a) !== hanCount(b)) return null;
  return logLikelihood(Array.from(b), words) - logLikelihood(Array.from(a), words);
}

/** How many Chinese glyphs a text has. */
export const hanCount = (text: string): number => Array.from(text).filter((c) => HAN.test(c)).length;

/** How much likelier one reading must be than another to stand for that alone (see MIN_GAIN). */
export const DECISIVE_GAIN = MIN_GAIN;

/** Glyphs two readings may differ in for their likeliest blend to be looked for (2⁶ blends). */
const MAX_BLEND = 6;

/**
 * The likeliest text that takes each glyph from one of two readings of the same print, glyph for
 * glyph (完成东辆报废及时率 and 完成车辆报度及时率: 完成车辆报废及时率), with where each glyph comes
 * from (true: from `b`). Null unless the two are as long and differ in 1 to MAX_BLEND glyphs.
 */
export function likeliestBlend(a: string, b: string, words: ReadonlyMap<string, number> = vocabulary().words): { text: string; fromB: boolean[] } | null {
  const [ca, cb] = [Array.from(a), Array.from(b)];
  if (ca.length !== cb.length) return null;
  const differ = ca.flatMap((c, i) => (c !== cb[i] ? [i] : []));
  if (differ.length === 0 || differ.length > MAX_BLEND) return null;
  let best: { text: string; fromB: boolean[]; score: number } | null = null;
  for (let mask = 0; mask < 1 << differ.length; mask++) {
    const fromB = ca.map(() => false);
    differ.forEach((i, k) => (fromB[i] = (mask & (1 << k)) !== 0));
    const chars = ca.map((c, i) => (fromB[i] ? cb[i]! : c));
    const score = logLikelihood(chars, words);
    if (!best || score > best.score) best = { text: chars.join(''), fromB, score };
  }
  return best && { text: best.text, fromB: best.fromB };
}

/** A glyph that may have been printed where another was read, and what it adds to the text's log10 likelihood beyond the vocabulary's word (see repairStrays). */
interface Candidate {
  glyph: string;
  bonus: number;
}

/**
 * The text with each glyph read below `doubt` that makes no word with its neighbours (nor is a
 * common word alone) replaced by the candidate (`candidates` of the glyph read) that makes a word
 * there with glyphs read at DOUBT or above and makes the text likelier by MIN_GAIN powers of ten,
 * its bonus counted: the likeliest such (the first of equals), unless `margin` is set and another
 * candidate that makes a word scores within it (a guess between two, not a repair). A glyph is
 * replaced one for one: `conf[i]` stays the confidence of glyph i; a glyph without one is taken as
 * sure.
 */
function repairStrays(text: string, conf: readonly number[], doubt: number, margin: number, candidates: (read: string) => readonly Candidate[], words: ReadonlyMap<string, number>): string {
  const chars = Array.from(text);
  const sure = (j: number): boolean => (conf[j] ?? 1) >= DOUBT;
  let changed = false;
  for (let i = 0; i < chars.length; i++) {
    const read = chars[i]!;
    if (!stray(chars, i, conf, doubt, words)) continue;
    // The glyphs about it that a word through glyph i can reach.
    const [from, to] = [Math.max(0, i - 3), Math.min(chars.length, i + 4)];
    const asRead = logLikelihood(chars.slice(from, to), words);
    let best: { glyph: string; score: number } | null = null;
    let runnerUp = -Infinity;
    for (const { glyph, bonus } of candidates(read)) {
      chars[i] = glyph;
      // The word made must be made with glyphs read surely: a misread neighbour makes words too (志语者 is not 志语音).
      const scored = inWord(chars, i, words, sure) ? logLikelihood(chars.slice(from, to), words) + bonus : -Infinity;
      const score = Number.isFinite(scored) ? scored : -Infinity;
      if (score >= asRead + MIN_GAIN && score > (best?.score ?? -Infinity)) {
        runnerUp = Math.max(runnerUp, best?.score ?? -Infinity);
        best = { glyph, score };
      } else runnerUp = Math.max(runnerUp, score);
    }
    const chosen = best && (margin === 0 || runnerUp <= best.score - margin) ? best.glyph : null;
    chars[i] = chosen ?? read;
    changed ||= chosen !== null;
  }
  return changed ? chars.join('') : text;
}

/**
 * The text with each doubtful glyph (below DOUBT) that makes no word with its neighbours replaced
 * by a glyph like it in print (MIN_LIKENESS) that makes the text likelier by MIN_GAIN powers of ten
 * (repairStrays).
 */
export function repairWithVocabulary(text: string, conf: readonly number[], vocab: Vocabulary = vocabulary()): string {
  const alike = (read: string): Candidate[] => vocab.alike(read).flatMap((a) => (a.likeness >= MIN_LIKENESS ? [{ glyph: a.glyph, bonus: 0 }] : []));
  return repairStrays(text, conf, DOUBT, 0, alike, vocab.words);
}

/** Below this confidence a glyph that makes no word may be replaced by a glyph tesseract confuses with it. */
const CONFUSION_DOUBT = 0.95;
/** Two confusions that make a word there and score within this many powers of ten of each other leave the glyph as read. */
const CONFUSION_MARGIN = 1;

/**
 * The text with each glyph read below CONFUSION_DOUBT that makes no word with its neighbours
 * replaced by a glyph tesseract was seen to read as it on degraded print (Vocabulary.misread), where
 * that makes the likelier reading by MIN_GAIN powers of ten, weighing how often each glyph is read
 * so: the text with the glyph printed p and read r scores its likelihood plus log10 of the share of
 * p's readings that read r, against the text as read plus log10 of the share of r's readings that
 * read it right (both smoothed: PRIOR_READINGS). A photocopy's 日党 at 0.94 is 日常 (常 read as 党
 * now and then); 温志 is 温馨. Where two such glyphs score within CONFUSION_MARGIN of each other
 * (出县: 具 and 息 are both read as 县, and 出具 and 出息 are both words), the glyph stays as read.
 */
export function repairWithConfusions(text: string, conf: readonly number[], vocab: Vocabulary = vocabulary()): string {
  const confused = (read: string): Candidate[] => {
    const right = Math.log10(vocab.readRight(read));
    return vocab.misread(read).map((c) => ({ glyph: c.glyph, bonus: Math.log10(c.share) - right }));
  };
  return repairStrays(text, conf, CONFUSION_DOUBT, CONFUSION_MARGIN, confused, vocab.words);
}
