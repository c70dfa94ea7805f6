/**
 * One text printed twice, read twice. A 绩效目标申报表 prints its 项目总目标 and its 年度总目标 in
 * two cells, most often the same text; OCR misreads each print in other places (办公用房 read as
 * 办公用丽 in one, 部门 as 部方 in the other). Where the two readings differ only in a few short
 * places, each place of one glyph against one where one reading's glyph is decisively likelier
 * Chinese (ingest/ocr-vocabulary.ts), making a word there where the other's makes none, takes that
 * glyph in both. Marks are settled by what OCR does to them, not by the vocabulary:
 *  - a full-width mark read by one where the other reads an ASCII mark (；for ;, 、for ' or :) stands;
 *  - a stray ASCII mark only one reading has (以上-。) goes, unless it may be part of a figure (a
 *    digit or letter beside a `-`, `.`, `%`, `=`, `>`…: 1-2 against 12 stays), is a slash (人/次) or is
 *    a bracket or a quote, which the other reading may have lost (目标(1) against 目标1));
 *  - an opening bracket only one reading has before the first glyph (《年内…) and closed nowhere
 *    after it goes: a cell's rule (（1）and 《…条例》 stay);
 *  - a full-width mark only one reading has between two Chinese glyphs (手续费、工本费) stands:
 *    OCR loses the thin marks far more often than it makes them up; so does a lone digit before a
 *    counting word (开展1次 against 开展次: a thin 1 lost);
 *  - a lone small Latin letter only one reading has, beside no letter, digit, bracket or quote
 *    (95%o以上), goes: a speck read as a letter;
 *  - a % after a digit, where the other reading has two glyphs no figure ends in (100% against
 *    1009e, 95% against 95?6), stands: the % read as a digit and a mark or letter.
 * A glyph tesseract reads from nothing (FILLER_GLYPHS), only one reading has, between Chinese
 * glyphs and in no word with them, goes where it splits a word (验收完上毕 against 验收完毕) or
 * doubles its neighbour (单位和和群众 against 单位和群众). One in a word (上年内, 参保人员) or between
 * words (质量和效率, 完成了验收) may be printed where the other reading lost it, and stays.
 * Places where both readings make words (全面 / 基本), of two glyphs or more (a name the vocabulary
 * lacks: 闵行 / 全市), figures (三年 / 两年), or a glyph only one reading has are otherwise left as
 * read: the two prints may differ there.
 */
import { DECISIVE_GAIN, inWord, likelihoodGain, vocabulary } from '../ingest/ocr-vocabulary.js';
import { FILLER_GLYPHS } from '../ingest/ocr-words.js';

/**
 * The readings are of one text when they differ in at most this share of their glyphs, each place
 * at most MAX_PLACE glyphs. Photocopied declarations read at 5–6 % apart (a misread glyph in about
 * every 20 of the two); two prints that really differ do so by clauses, which MAX_PLACE keeps out.
 */
const MAX_DIFFER = 0.08;
const MAX_PLACE = 3;
/** The largest alignment table (glyphs of one reading × the other's) built: two goals of 2,000 glyphs each. */
const MAX_CELLS = 4_000_000;
/** Glyphs of context on either side of a place, for the vocabulary to judge it by. */
const CONTEXT = 3;

const HAN = /\p{Script=Han}/u;
const FIGURE = /[\d０-９〇零一二三四五六七八九十百千万亿两]/u;
/** A full-width mark and the ASCII glyph OCR reads for it. */
const FULL_WIDTH: Readonly<Record<string, string>> = { '；': ';', '，': ',', '：': ':', '（': '(', '）': ')', '！': '!', '？': '?' };
/** The full-width marks Chinese prose is punctuated with (thin strokes OCR loses or reads as ASCII marks). */
const CJK_MARK = /^[、，；：。]$/u;
const ASCII_MARK = /^[!-/:-@[-`{-~]$/;
/** ASCII marks that may belong to a figure or a Latin word (1-2, 1.5, 95%, 1,000, +5, 7~9, 10:30, =100%, >95%, Wi-Fi). */
const FIGURE_MARK = /^[-.:%,+~=<>]$/;
const OPENING = /^[《〈(（「【[]$/u;
const CLOSING = /^[》〉)）」】\]]$/u;
/** ASCII marks that may be printed in one reading's place and lost in the other's: brackets, quotes (目标(1)完成 against 目标1)完成) and a unit's slash (人/次). */
const KEPT_MARK = /^[()[\]{}"'/]$/;
const ASCII_ALNUM = /^[0-9A-Za-z]$/;
const SMALL_LETTER = /^[a-z]$/;
const QUOTE = /^["'“”‘’]$/u;
/** The counting words (量词) a figure stands before in these forms' goals: 1次, 2名, 3项, 4个季度. */
const COUNTING_WORD = /^[次名项个季期批家件人户块台套份本条篇场周年月日天]$/u;
const DIGIT = /^[0-9０-９]$/u;
/** A digit (ASCII or full-width) or a Latin letter: what a figure's or a Latin word's mark stands beside. */
const alnum = (c: string | undefined): boolean => c !== undefined && (DIGIT.test(c) || ASCII_ALNUM.test(c));

interface Place {
  /** [start, end) in a and in b. */
  a: [number, number];
  b: [number, number];
}

/** The places where a and b differ, between runs of their longest common subsequence. */
function places(a: string[], b: string[]): Place[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Place[] = [];
  let [i, j] = [0, 0];
  let open: Place | null = null;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      if (open) out.push(open);
      open = null;
      i++;
      j++;
      continue;
    }
    open ??= { a: [i, i], b: [j, j] };
    if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) open.b[1] = ++j;
    else open.a[1] = ++i;
  }
  if (open) out.push(open);
  return out;
}

/** Which reading of a place stands: 'a', 'b', or null (left as read). */
function settle(a: string[], b: string[], p: Place): 'a' | 'b' | null {
  const [na, nb] = [p.a[1] - p.a[0], p.b[1] - p.b[0]];
  if (na + nb === 1) return na === 1 ? settleOneSided(a, p.a[0], 'a') : settleOneSided(b, p.b[0], 'b');
  if (readPercent(a, p.a, b, p.b)) return 'a';
  if (readPercent(b, p.b, a, p.a)) return 'b';
  // One glyph for one: two glyphs or more may be a name the vocabulary lacks (闵行 against 全市).
  if (na !== 1 || nb !== 1) return null;
  const [ga, gb] = [a[p.a[0]]!, b[p.b[0]]!];
  if (FULL_WIDTH[ga] === gb) return 'a';
  if (FULL_WIDTH[gb] === ga) return 'b';
  // A full-width mark against an ASCII one, away from figures and Latin words (温馨:高效 against 温馨、高效).
  const awayFromAlnum = ![a[p.a[0] - 1], a[p.a[1]]].some(alnum);
  if (awayFromAlnum && CJK_MARK.test(ga) && ASCII_MARK.test(gb)) return 'a';
  if (awayFromAlnum && CJK_MARK.test(gb) && ASCII_MARK.test(ga)) return 'b';
  // Chinese glyphs, and no figure (the prints may differ in a year or an amount, 三年 or 两年).
  if (![ga, gb].every((c) => HAN.test(c) && !FIGURE.test(c))) return null;
  const before = a.slice(Math.max(0, p.a[0] - CONTEXT), p.a[0]);
  const after = a.slice(p.a[1], p.a[1] + CONTEXT);
  const [ta, tb] = [[...before, ga, ...after], [...before, gb, ...after]];
  const gain = likelihoodGain(ta.join(''), tb.join(''));
  if (gain === null || Math.abs(gain) < DECISIVE_GAIN) return null;
  // The likelier reading must also be the one whose glyph makes a word there, the other's not
  // (办公用丽 against 办公用房); where both make words (办公似的 against 办公房的: 似的 is the
  // commoner word) the vocabulary cannot tell a misreading.
  const [winner, loser] = gain > 0 ? [tb, ta] : [ta, tb];
  const words = vocabulary().words;
  if (!inWord(winner, before.length, words) || inWord(loser, before.length, words)) return null;
  return gain > 0 ? 'b' : 'a';
}

/** Two glyphs no figure ends in, as OCR reads a %: a digit and a mark or small letter (9e, ?6). */
const PERCENT_MISREAD = /^(?:\d[?a-z]|[?a-z]\d)$/;

/** Whether `x`'s place [s, e) is a % after a digit, and `y`'s place [t, u) the % misread (PERCENT_MISREAD). */
function readPercent(x: string[], [s, e]: [number, number], y: string[], [t, u]: [number, number]): boolean {
  return e - s === 1 && x[s] === '%' && DIGIT.test(x[s - 1] ?? '') && PERCENT_MISREAD.test(y.slice(t, u).join(''));
}

/**
 * A glyph only one reading has, at index i of `has` (the reading called `side`): which reading
 * stands, or null. See the header for the kinds of glyph settled; any other glyph is left.
 */
function settleOneSided(has: string[], i: number, side: 'a' | 'b'): 'a' | 'b' | null {
  const other = side === 'a' ? 'b' : 'a';
  const [g, before, after] = [has[i]!, has[i - 1], has[i + 1]];
  // (Unless it is closed later on, as an item number or a title is: （1）, 《…条例》, which the other reading lost.)
  if (i === 0 && OPENING.test(g) && !has.slice(1).some((c) => CLOSING.test(c))) return other;
  if (ASCII_MARK.test(g) && !KEPT_MARK.test(g)) {
    // A mark between letters or digits may be printed (Wi-Fi, 1-2).
    return FIGURE_MARK.test(g) && [before, after].some(alnum) ? null : other;
  }
  if (CJK_MARK.test(g) && before !== undefined && after !== undefined && HAN.test(before) && HAN.test(after)) return side;
  // A glyph read from nothing, in no word between Chinese glyphs, where it splits a word
  // (验收完上毕 against 验收完毕) or doubles its neighbour (和和群众): a printed 和 or 了 the other
  // reading lost stands between words (质量和效率, 完成了验收).
  if (FILLER_GLYPHS.has(g) && before !== undefined && after !== undefined && HAN.test(before) && HAN.test(after) && !inWord(has, i, vocabulary().words)) {
    if (vocabulary().words.has(before + after) || before === g || after === g) return other;
  }
  // A lone digit before a counting word, after a Chinese glyph (开展1次 against 开展次): a thin 1 is
  // lost. (Inside a word, 办公1用房, a digit may be a speck or a rule's end read as one.)
  if (DIGIT.test(g) && before !== undefined && HAN.test(before) && !FIGURE.test(before) && after !== undefined && COUNTING_WORD.test(after)) return side;
  // A lone small Latin letter beside no letter, digit or bracket (95%o以上 against 95%以上): a speck
  // read as a letter. (An item's letter, (a), may be printed where the other reading lost it.)
  if (SMALL_LETTER.test(g) && ![before, after].some((c) => alnum(c) || (c !== undefined && (OPENING.test(c) || CLOSING.test(c) || QUOTE.test(c))))) return other;
  return null;
}

/**
 * Two OCR readings of what is likely one printed text, each with its misread places put right from
 * the other where the vocabulary decides (see above); unchanged when they are not readings of one
 * text (they differ in more than MAX_DIFFER of their glyphs, or somewhere over MAX_PLACE glyphs).
 */
export function reconcileTwins(first: string, second: string): [string, string] {
  const [a, b] = [Array.from(first), Array.from(second)];
  // Goals run to a few hundred glyphs; the alignment's table is not built for texts far longer.
  if (a.length === 0 || b.length === 0 || first === second || a.length * b.length > MAX_CELLS) return [first, second];
  const ps = places(a, b);
  const differing = ps.reduce((s, p) => s + Math.max(p.a[1] - p.a[0], p.b[1] - p.b[0]), 0);
  if (differing > MAX_DIFFER * Math.max(a.length, b.length) || ps.some((p) => Math.max(p.a[1] - p.a[0], p.b[1] - p.b[0]) > MAX_PLACE)) return [first, second];
  const [outA, outB] = [[...a], [...b]];
  // Right to left, so that earlier places keep their indices when a place's length changes.
  for (const p of [...ps].reverse()) {
    const side = settle(a, b, p);
    if (side === 'a') outB.splice(p.b[0], p.b[1] - p.b[0], ...a.slice(...p.a));
    if (side === 'b') outA.splice(p.a[0], p.a[1] - p.a[0], ...b.slice(...p.b));
  }
  return [outA.join(''), outB.join('')];
}
