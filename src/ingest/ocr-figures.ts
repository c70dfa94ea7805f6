/**
 * Figure cells read twice, by two readers: tesseract's Chinese model (chi_sim, which reads every
 * cell) and its English model (eng), asked again for the cells chi_sim read as figures. On these
 * forms' scans the two err differently:
 * - chi_sim garbles what is not a digit: a % as 9%, 96 or 94 (=100% as =10094), separators and
 *   points lost or doubled (1480,000.00; 5882.80000 for 5,882,800.00; 10000 for 100.00), a
 *   leading 1 lost (934.41 for 1,934.41) or a speck read as a digit (38.00 for 8.00).
 * - eng reads those cleanly, but has no ≥ (it reads ≥90% as 290%) and, on a binarised scan,
 *   confuses digits of like shape (5,832,800.00 for 5,882,800.00; 57.33 for 97.33), sure of both.
 * So the readings are compared: where they agree on the digits, the one that shows more of the
 * figure's marks stands; where they disagree, the figure is doubted (verified by eye), whichever
 * reading is kept.
 */
import { DIGIT_LOOKALIKE_GLYPHS } from './ocr-lexicon.js';
import type { Token } from './types.js';

/** What the second reader's reading must be: an operator, digits with separators and point, a % (bare or bracketed). */
const SECOND_FIGURE = /^[=<>≤≥]{0,2}\d[\d,]*(?:\.\d+)?(?:%|\(%\))?$/;

/** How sure the second reader must be of a figure for it to count. */
const SURE_SECOND = 0.8;

/** The confidence of a figure the two readers disagree on: under check/ocr-doubt's LOW_CONFIDENCE, so verified by eye. */
export const DISAGREED = 0.5;

const LOOKALIKE = new RegExp(`[${DIGIT_LOOKALIKE_GLYPHS}]`, 'gu');

/**
 * A first reading the second reader is asked for: one that holds a digit or a digit's look-alike
 * glyph (了 for 1, 巧 for 15) and no other Han glyph — a figure with a Chinese unit (=0次, 8.00(辆))
 * is chi_sim's alone, eng cannot read the unit; nor is a word (优), which eng would read as a digit.
 */
export function wantsSecondReading(text: string): boolean {
  return /[\d了巧司习刀丁]/u.test(text) && !/\p{Script=Han}/u.test(text.replace(LOOKALIKE, ''));
}

const operatorOf = (text: string): string => /^[=<>≤≥]*/.exec(text)![0];
const digitsOf = (text: string): string => text.replace(/\D/g, '');
const marksOf = (text: string): number => text.replace(/[^.,]/g, '').length;
const doubt = (t: Token): Token => ({ ...t, confidence: Math.min(t.confidence ?? 1, DISAGREED) });

/** A first reading that is a figure as printed (a FIGURE of ocr.ts without units). */
const WELL_FORMED = /^[=<>≤≥]{0,2}\d[\d,]*(?:\.\d+)?(?:%|[(（]%[)）])?$/;

/**
 * The reading of a figure cell given its first reading and the second reader's (in the first one's
 * box), or the first when the second is no sure figure. See the file's comment for why:
 * - an operator is taken from the first reading (the second reads ≥ as a digit), unless only the
 *   second shows one;
 * - a % the first shows and the second lacks stays;
 * - the same digits: the reading with more separators and points (5882.80000 → 5,882,800.00;
 *   but 97.5 stays, not 975);
 * - other digits: a first reading that is no figure (寺1005%46, 巧) takes the second; else, with as
 *   many digits in both, the first stands (the second's like-shaped digits), with a digit more or
 *   less the second (a lost or a speck digit); either way doubted.
 */
export function crossRead(first: Token, second: Token | null): Token {
  if (!second || !SECOND_FIGURE.test(second.text) || (second.confidence ?? 0) < SURE_SECOND) return first;
  const [op1, op2] = [operatorOf(first.text), operatorOf(second.text)];
  if (op1 !== op2 && op1 !== '') return first;
  if (/%/.test(first.text) && !/%/.test(second.text)) return first;
  const [d1, d2] = [digitsOf(first.text), digitsOf(second.text)];
  if (d1 === d2) {
    if (marksOf(second.text) < marksOf(first.text)) return first;
    return { ...second, confidence: Math.max(first.confidence ?? 0, second.confidence ?? 0) };
  }
  if (!WELL_FORMED.test(first.text)) return second;
  return doubt(d1.length === d2.length ? first : second);
}
