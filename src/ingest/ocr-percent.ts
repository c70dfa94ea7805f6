/**
 * How OCR misreads the % of these forms' figures, and how a figure is read back with it: one list
 * of the %'s misreadings for the two kinds of evidence there are.
 *  - The cell alone (repairFigures in ocr.ts): a reading no printed figure has. =10090 after an
 *    operator (a target over 10,000 % is not printed), 100.00(o%) (no unit is spelt so).
 *  - The row (restorePercentSigns in parse/rules/grid-table.ts): a reading that could be a count,
 *    mended only where the row says the cell holds a percentage (the other value has its %, the
 *    name names a rate), or where both values of the row were read with the same digits for it.
 * The readings were collected from gray 150–200 dpi scans and binarised 300 dpi photocopies: a blurred
 * % reads as 9, 6, 4, 0 or 2 (its loops and stroke), two or three of those, or o, e, b, g in brackets.
 */

// ── The cell alone ───────────────────────────────────────────────────────────────────────────

/** What a bracketed % reads as: (o%), (%4), (o0), (2%), (%p), (9), (S), and on binarised scans (90), (20), (94). */
export const PERCENT_UNIT = /^(?:(?=[o0%4689g]*[%o])[o0%4689g]{1,3}|9|S|%[a-z0-9]|[a-z0-9]%)$/;

/**
 * The % in brackets that end a figure's cell, as binarised scans read it: digits ((20), (94)), a
 * lone 0 or o, or ob ((0), (ob)); no unit of these forms reads so. ≤2(60)分钟 is no such reading.
 */
export const PERCENT_UNIT_DIGITS = /^(?:[024689]{2,3}|[0o]b?)$/;

/** What a blurred % after a rate reads as, in digits. */
const PERCENT_TAILS = new Set(['90', '96', '26', '06', '20', '9', '6', '2']);
/** After a 0 rate the % is read as 90, 96 or 06 (=090, =096, =006). */
const ZERO_PERCENT_TAILS = new Set(['90', '96', '06']);

/**
 * The rate in a run of digits that is a rate of 60–100 (or 0) followed by a % read as digits
 * (1009, 10020, 959, 090), preferring 100; null when the digits are not such a reading.
 */
export function percentHead(digits: string): string | null {
  const heads = ['100', digits.slice(0, 2), '0'];
  for (const h of heads) {
    const tail = digits.slice(h.length);
    if (!digits.startsWith(h) || !PERCENT_TAILS.has(tail)) continue;
    if (h === '100') return h;
    if (h === '0') {
      if (ZERO_PERCENT_TAILS.has(tail)) return h;
    } else if (Number(h) >= 60 && Number(h) < 100) return h;
  }
  return null;
}

// ── The row ──────────────────────────────────────────────────────────────────────────────────

/**
 * What tesseract reads a % as, in digits, on blurred or binarised scans (100% read as 10094,
 * 1009, 100954; 0% as 094, 0946, 09), alike in both values of a row.
 */
const PERCENT_READS = new Set(['954', '946', '546', '94', '96', '04', '06', '9', '6']);
/** A rate as printed before its %: 0–100, at most two decimals, no leading zero. */
const RATE = /^(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?$/;
const OPERATOR = /^[=<>≤≥＝＜＞]*/;
/** The rates these tables hold: 60–100 (completion, satisfaction) or at most 1 (complaint, error rates). */
const plausibleRate = (head: string): boolean => RATE.test(head) && (Number(head) <= 1 || (Number(head) >= 60 && Number(head) <= 100));

/**
 * With the row's word that the cell holds a percentage (the other value has its %, or the name
 * names a rate), any reading of a % as digits: one of the single digits a blurred % reads as
 * (=1000, =1009, =1006, =1004) or two or three of those its loops and stroke look like (=10024,
 * >=90940, 98.4450, 9590, =000; never a 1 or a 7). A zero first only as 00, 04, 06 or 000: 1005
 * beside =100% is no 10 with its % read as 05.
 */
const PERCENT_AS_DIGITS = /^(?:[0469]|0[046]|000|[2345689][02345689]{1,2})$/;

/**
 * The rate a figure read without its % stands for (=10094 → =100%) and the digits the % was read
 * as (94), or null: a figure that is no rate as read (over 200, more than two decimals, a leading
 * zero: 094) whose digits are a rate of 60–100 or at most 1, 100 preferred (else the longest),
 * followed by a reading of the %. `loose` where the row says the cell holds a percentage: any
 * reading of the % as digits (PERCENT_AS_DIGITS); else only the readings seen alike in both cells
 * of a row (PERCENT_READS). A count beside a % (2400, 3000, ≥2000) has no such rate before it.
 */
export function percentRead(text: string, loose = false): { value: string; read: string } | null {
  const op = OPERATOR.exec(text)![0];
  const digits = text.slice(op.length);
  const asRead = RATE.test(digits) && Number(digits) <= 200; // 106: a rate over 100 % printed without its %
  if (!/^\d[\d.]*$/.test(digits) || asRead) return null;
  const reads = loose ? [1, 2, 3].map((n) => digits.slice(-n)).filter((r) => r.length < digits.length && PERCENT_AS_DIGITS.test(r)) : [...PERCENT_READS];
  const splits = reads.flatMap((read) => {
    const head = digits.slice(0, -read.length);
    return digits.endsWith(read) && plausibleRate(head) ? [{ head, read }] : [];
  });
  const best = splits.find((s) => s.head === '100') ?? splits.sort((a, b) => b.head.length - a.head.length)[0];
  return best ? { value: `${op}${best.head}%`, read: best.read } : null;
}

/** A unit as printed after a figure: CJK in brackets or not ((人), 万元, (人次)), or the %. */
const WELL_FORMED_UNIT = /^(?:[(（]?\p{Script=Han}+[)）]?|[(（]%[)）]|%)$/u;
const BRACKET = /[()（）[\]{}]/;
/**
 * What a bracketed (%) is garbled into on these scans: brackets, the %, digits, the letters its
 * loops read as (o, e, b, g, G), quote marks, and 人 or 刘 beside a digit or a %. A real unit has
 * other glyphs (次/年, 小时/日, km, 人次) and is never rewritten.
 */
const GARBLED_PERCENT = /^[()（）[\]{}%oObegG\d"'\\人刘]+$/;

/**
 * A figure whose bracketed % was misread ((%) as (e6), (4), [20), (%9, (0人, G0), 04) after its
 * two decimals, or lost its closing bracket: the figure with (%), or null where what follows the
 * figure is no such misreading (none, a unit as printed: (人) and (次/年) stay, a well-formed (%)).
 */
export function percentUnitRead(text: string): string | null {
  const m = /^(?<op>[=<>≤≥＝＜＞]*)(?<figure>\d[\d,]*(?:\.\d{1,2})?)(?<rest>.+)$/.exec(text);
  const { op = '', figure = '', rest = '' } = m?.groups ?? {};
  if (!m || !BRACKET.test(rest) || WELL_FORMED_UNIT.test(rest) || /[(（]%[)）]/.test(rest) || !GARBLED_PERCENT.test(rest)) return null;
  // 人 without a digit or a % beside it is the unit 人 that lost a bracket: (人.
  if (/[人刘]/.test(rest) && !/[\d%]/.test(rest)) return null;
  return `${op}${figure}(%)`;
}

/**
 * What a bracketed (%) is garbled into on a Ming face's photocopy, past GARBLED_PERCENT: its
 * brackets, % and loops read as any Latin letter (f9), fS5), t9)), a bar, a 《 or 》, or 人, 刘, 归,
 * 匀 beside a digit (人9, (人4). Only taken with the row's word that the cell holds a percentage.
 */
const LOOSE_PERCENT = /^[()（）[\]{}《》%\p{Script=Latin}\d"'\\|人刘归匀]{1,5}$/u;
/** A bracket or the % itself: what a garbled % keeps of its shape. */
const PERCENT_MARK = /[%()（）[\]{}《》]/;

/**
 * With the row's word that the cell holds a percentage, a figure whose (%) was garbled past
 * percentUnitRead's reading (100.00人9, 98.00f9), =100fS5), 100:00199 with its point read as a
 * colon): the figure with (%), or null. The figure must be a rate (at most 200); after a figure
 * with two decimals the tail may be digits alone (199 for (%)), else it must have another glyph.
 * A unit as printed stays (Mbps, (次)), and so does 人 without a digit or a % beside it (the unit 人).
 */
export function percentTailRead(text: string): string | null {
  const m = /^(?<op>[=<>≤≥＝＜＞]*)(?<int>\d{1,3})(?:[.:](?<dec>\d\d))?(?<rest>.+)$/u.exec(text);
  if (!m) return null;
  const { op = '', int = '', dec, rest = '' } = m.groups ?? {};
  if (Number(`${int}.${dec ?? 0}`) > 200 || WELL_FORMED_UNIT.test(rest) || !LOOSE_PERCENT.test(rest)) return null;
  // Without decimals the tail must start past the figure and hold a bracket or the % (fS5)): 7x24 is no rate.
  if (dec === undefined && (/^[\d.:]/.test(rest) || !PERCENT_MARK.test(rest))) return null;
  // Digits alone after two decimals only as the (%) reads so (199, 19, 99): 99.875 has a third decimal.
  if (/^\d+$/.test(rest) && !/^(?:1?99|19|9)$/.test(rest)) return null;
  // Letters in brackets, with a digit or not, are a unit as printed ((km), (m2), (m3)).
  if (/^[(（]\p{Script=Latin}+\d?[)）]$/u.test(rest)) return null;
  if (/[人刘]/.test(rest) && !/[\d%]/.test(rest)) return null;
  // Letters alone are a unit as printed (Mbps, GB): a garbled % keeps a digit, a bracket or itself.
  if (!/\d/.test(rest) && !PERCENT_MARK.test(rest)) return null;
  // A figure over 100 with a third decimal (100.001(%)) is the (%)'s bracket read as a 1; 0.001(%) may be printed so.
  if (/^\d[(（]/.test(rest) && /[(（]%[)）]$/.test(rest) && Number(int) < 100) return null;
  return `${op}${int}${dec === undefined ? '' : `.${dec}`}(%)`;
}
