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
 * reading is kept; a lone digit eng read among others side by side that chi_sim read as another is
 * eng's unless a third reading sides with chi_sim (chi_sim reads a thin face's lone 2 as 5 or 9,
 * surely). A date (2022-12-31) is chi_sim's where it is one that exists, else eng's where
 * eng surely reads one that does, doubted, else chi_sim's, doubted.
 */
import { DIGIT_LOOKALIKE_GLYPHS } from './ocr-lexicon.js';
import type { Token } from './types.js';

/** What the second reader's reading must be: an operator, digits with separators and point, a % (bare or bracketed). */
const SECOND_FIGURE = /^[=<>≤≥]{0,2}\d[\d,]*(?:\.\d+)?(?:%|\(%\))?$/;

/** How sure the second reader must be of a figure for it to count. */
const SURE_SECOND = 0.8;

/**
 * How sure chi_sim must be of a figure for it to stand against a second reading that no figure is
 * printed as (a zero before its first digit): as sure as a second reading must be to count
 * (>=95% at 0.89 against >=050% on a holdout scan).
 */
const SURE_AGAINST_LEADING_ZERO = SURE_SECOND;

/** The confidence of a figure the two readers disagree on: under check/ocr-doubt's LOW_CONFIDENCE, so verified by eye. */
export const DISAGREED = 0.5;

const LOOKALIKE = new RegExp(`[${DIGIT_LOOKALIKE_GLYPHS}]`, 'gu');
const DIGIT_OR_LOOKALIKE = new RegExp(`[\\d${DIGIT_LOOKALIKE_GLYPHS}]`, 'u');

/** At this confidence of its digits (or more) chi_sim's reading of a figure may stand alone (see settled). */
const SURE_FIRST = 0.98;

/**
 * A first reading chi_sim is sure of and that shows its marks: a point or a %, or no more than two
 * digits (10, 15). chi_sim loses a point surely (983 for 9.83, 000 for 0.00), so a bare whole
 * number of three digits or more is still read again.
 */
const settled = (t: Token): boolean => (t.confidence ?? 0) >= SURE_FIRST && /^[=<>≤≥]{0,2}(?:[\d,]*\.\d+|\d[\d,.]*%|\d{1,2})$/.test(t.text);

/**
 * A first reading the second reader is asked for: one that holds a digit or a digit's look-alike
 * glyph (了 for 1, 巧 for 15) and no other Han glyph — a figure with a Chinese unit (=0次, 8.00(辆))
 * is chi_sim's alone, eng cannot read the unit; nor is a word (优), which eng would read as a digit —
 * unless chi_sim's reading is settled.
 */
export function wantsSecondReading(t: Token): boolean {
  return DIGIT_OR_LOOKALIKE.test(t.text) && !/\p{Script=Han}/u.test(t.text.replace(LOOKALIKE, '')) && !settled(t);
}

const operatorOf = (text: string): string => /^[=<>≤≥]*/.exec(text)![0];
/** The digits of a reading, in order. */
export const digitsOf = (text: string): string => text.replace(/\D/g, '');
/** Separators, point and %: the marks of a figure besides its digits. */
const marksOf = (text: string): number => text.replace(/[^.,%]/g, '').length;
/** A figure's value as written: without its operator, separators and % (brackets included). */
const valueOf = (text: string): string => text.replace(/^[=<>≤≥]+/, '').replace(/[,%()]/g, '');
/** Doubted, its per-glyph confidences dropped with it (they no longer say how sure the reading is). */
function doubt(t: Token): Token {
  const { glyphConfidence: _dropped, ...rest } = t;
  return { ...rest, confidence: Math.min(t.confidence ?? 1, DISAGREED) };
}

/** A unit these forms count in, after a figure. */
export const UNITS = '次|件|个|人次?|户|块|家|项|天|日|个?月|年|万?元|台|套|份|本';

/** A figure as printed: an operator, digits with separators and point, a % or a unit (bracketed or not); or a dash for none. */
export const FIGURE = new RegExp(`^(?:[=<>≤≥]{0,2}\\d[\\d,]*(?:\\.\\d+)?(?:%|[(（](?:%|${UNITS})[)）]|${UNITS})?|-)$`);

/** A figure's marks where they can stand: separators between groups of three, one point at most. */
const PLAUSIBLE = /^[=<>≤≥]{0,2}(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|\(%\))?$/;

/**
 * The reading of a figure cell given its first reading and the second reader's (in the first one's
 * box), or the first when the second is no sure figure. See the file's comment for why:
 * - an operator is taken from the first reading (the second reads ≥ as a digit), unless only the
 *   second shows one;
 * - a % the first shows and the second lacks stays;
 * - the same digits: the second where it shows more separators, points or %, set as printed
 *   (5882.80000 → 5,882,800.00; 9827 → 98.27), or as many where the first sets them as never
 *   printed (1.454,161.00) or lacks the operator (99(%) → ≥99(%)); else the first: sure where
 *   both read the same value, as it was where the second lost a mark (97.5 stays, not 975),
 *   doubted where the marks stand elsewhere (10.00 and 100.0);
 * - other digits: a first reading that is no figure (寺1005%46) takes the second; else the
 *   figure is doubted. With as many digits a third reading decides (chi_sim's figure-only reading
 *   of the cell alone, enlarged: see wantsThirdReading): the second where the third has its digits,
 *   the first where it has the first's (the third itself where it shows more marks: 99.37 for 9937);
 *   else the first stands (the second's like-shaped digits on a binarised scan), but for a lone digit the second read
 *   side by side with others (`sideBySide`, ocr.ts readRows), where the second does (a UMing 2 read by chi_sim as 5 at
 *   0.82, 9 at 0.84, by eng in a row as 2 at 0.99; stacked, eng read such 2s as 9, 0 or 5);
 *   with more or fewer the second (a digit lost, a speck or a % read as digits:
 *   934.41 → 1,934.41, 38.00 → 8.00, 9994 → 99%, 3 → 15 in a box wide enough for two: on the
 *   sample scans and photocopies the second was right in every such case but those that follow) — but not a leading 2
 *   or 5 where the first has no operator (≥ read as a digit: 90% → 290%), nor a second with a zero
 *   before its first digit against a sure first (>=95% → >=050%). chi_sim reads a digit twice far more often than eng
 *   reads two as one: on the holdout, photocopy and flowscan sets, keeping the first where it had a
 *   digit twice (>99% beside eng's >9%) mended that one figure and broke 18 (5882800 as 55882800,
 *   15 as 155, 97.5 as 997.5).
 */
export function crossRead(first: Token, second: Token | null, third: Token | null = null, sideBySide = false): Token {
  if (DATE.test(first.text)) return crossReadDate(first, second);
  if (!second || !comparable(first, second)) return first;
  const [op1, op2] = [operatorOf(first.text), operatorOf(second.text)];
  const [d1, d2] = [digitsOf(first.text), digitsOf(second.text)];
  if (d1 === d2) {
    const [m1, m2] = [marksOf(first.text), marksOf(second.text)];
    const agreed = (t: Token): Token => ({ ...t, confidence: Math.max(first.confidence ?? 0, second.confidence ?? 0) });
    const setBetter = m2 > m1 || (m2 === m1 && ((op1 === '' && op2 !== '') || !PLAUSIBLE.test(first.text)));
    if (setBetter && PLAUSIBLE.test(second.text)) return agreed(second);
    // The same value (4104326.00 and 4,104326.00) is read alike; fewer marks in the second is a point
    // it lost (975 for 97.5); marks set elsewhere (10.00 and 100.0) leave the value in doubt.
    if (valueOf(first.text) === valueOf(second.text)) return agreed(first);
    return m2 < m1 ? first : doubt(first);
  }
  if (!FIGURE.test(first.text)) return second;
  if (third && d1.length === d2.length && SECOND_FIGURE.test(third.text)) {
    const d3 = digitsOf(third.text);
    if (d3 === d2) return doubt(second);
    // The third sides with the first: as it shows more of the figure's marks (99.37 for 9937).
    if (d3 === d1) return doubt(marksOf(third.text) > marksOf(first.text) && PLAUSIBLE.test(third.text) ? { ...third, box: first.box, x: first.x, width: first.width } : first);
  }
  // A figure is never printed with a zero before its first digit: a sure first reading without one
  // stands against it (>=95% at 0.89 against >=050%); an unsure one does not (0% at 0.35 against
  // 00%, on a UMing photocopy's 环保达标率100% whose 1 went with the text before it).
  if (leadingZero(second) && !leadingZero(first) && (first.confidence ?? 0) >= SURE_AGAINST_LEADING_ZERO) return doubt(first);
  // A lone digit (a weight or score) read as another: the English model's reading of it side by side
  // with others (ocr.ts readRows) stands. chi_sim reads a thin face's lone 2 as 5 or 9 at 0.8 and
  // more; eng read them right at 0.99 there (stacked, it too misread them).
  if (sideBySide && d1.length === 1 && d2.length === 1) return doubt(second);
  const operatorAsDigit = op2 === '' && /^[25]/.test(d2) && d2.slice(1) === d1;
  return doubt(!operatorAsDigit && d1.length !== d2.length ? second : first);
}

/**
 * A date as these forms print it: 2022-12-31 (or 2022/12/31). Not with points: 1000.00.00 is an
 * amount read with a point twice, for the figure rules to mend.
 */
const DATE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;

/** A date that exists: its month 1–12, its day within the month (2024-02-29 is one, 2023-02-29 not). */
function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date cell's two readings (or its first alone): the first where it is a date that
 * exists; else the second where it is one and sure, doubted (2022-12-33 read by chi_sim, a 1 read
 * as 3, against eng's 2022-12-31); else the first, doubted: no such date is printed.
 */
function crossReadDate(first: Token, second: Token | null): Token {
  if (validDate(first.text)) return first;
  return doubt(second && validDate(second.text) && (second.confidence ?? 0) >= SURE_SECOND ? second : first);
}

/**
 * A figure with a zero before another digit (00.00, =09): no figure is printed so, a glyph was
 * lost or misread (100.00 read as 00.00), however sure the reading. Bare zeros (000, =00, 0.00
 * whose point was lost) are still zero; zeros before a % or a unit (00%, 000%) are taken for a
 * 100% or 1000% whose 1 was lost.
 */
export const leadingZero = (t: Token): boolean => FIGURE.test(t.text) && /^[=<>≤≥]*0\d/.test(t.text) && !/^[=<>≤≥]*0+$/.test(t.text);

/** Whether the second reading is one crossRead weighs against the first: a sure figure, its operator and % not at odds with the first's. */
function comparable(first: Token, second: Token): boolean {
  if (!SECOND_FIGURE.test(second.text) || (second.confidence ?? 0) < SURE_SECOND) return false;
  const [op1, op2] = [operatorOf(first.text), operatorOf(second.text)];
  if (op1 !== op2 && op1 !== '') return false;
  return !(/%/.test(first.text) && !/%/.test(second.text));
}

/**
 * Two readings of a figure cell that a third decides between: a figure and a sure figure of as
 * many digits, not the same. On binarised scans either model misreads a digit for one of like
 * shape (chi_sim 3,882,800.00 and 35 where eng reads 5,882,800.00 and 15; eng 1,206,714.00 where
 * chi_sim reads 1,296,714.00), each sure of it.
 */
export function wantsThirdReading(first: Token, second: Token | null): boolean {
  if (!second || !FIGURE.test(first.text) || !comparable(first, second)) return false;
  const [d1, d2] = [digitsOf(first.text), digitsOf(second.text)];
  return d1 !== d2 && d1.length === d2.length;
}
