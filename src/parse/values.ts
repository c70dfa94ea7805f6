/**
 * Value normalisation shared by every parser and by the checks:
 * printed cells → JSON values following samples/SCHEMA.md's conventions.
 */

/** All whitespace removed (it is an extraction artefact in Chinese text); empty → null. */
export function cleanText(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = s.replace(/[\s\u3000]+/g, '');
  return t === '' ? null : t;
}

/** Text comparison key: NFKC, no whitespace. */
export function textKey(s: string | null | undefined): string {
  return (s ?? '').normalize('NFKC').replace(/\s+/g, '');
}

const NULL_CELL = /^[-－—–‐―]+$|^\/$|^无$/;

/** A printed number with its precision. `1,934.41` → 1934.41 (2 decimals); `99.35%` → 99.35. */
export interface PrintedNumber {
  value: number;
  decimals: number;
  percent: boolean;
}

const NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$/;

export function parsePrintedNumber(s: string | null | undefined): PrintedNumber | null {
  const t = cleanText(s)?.replace(/，/g, ',').replace(/％/g, '%').replace(/^(.*)\(%\)$/, '$1%');
  if (!t || NULL_CELL.test(t)) return null;
  const m = NUMBER.exec(t);
  if (!m) return null;
  const intPart = m[2]!.replace(/,/g, '');
  const frac = m[3] ?? '';
  const value = Number(`${m[1]}${intPart}${frac ? '.' + frac : ''}`);
  return Number.isFinite(value) ? { value, decimals: frac.length, percent: m[4] === '%' } : null;
}

/** A numeric cell → JSON number, or null for `-`, `—`, blank and non-numbers. */
export function parseNumber(s: string | null | undefined): number | null {
  return parsePrintedNumber(s)?.value ?? null;
}

/** True when the cell is a number (or a percent) and nothing else. */
export function isNumberCell(s: string): boolean {
  return parsePrintedNumber(s) !== null;
}

export function isNullCell(s: string | null | undefined): boolean {
  const t = cleanText(s);
  return t === null || NULL_CELL.test(t);
}

export type Operator = '=' | '≥' | '>' | '≤' | '<';

/** A target or actual value read as operator + number + unit, or as qualitative text. */
export interface Measure {
  /** The printed string, whitespace removed. */
  text: string;
  op: Operator | null;
  value: number | null;
  decimals: number | null;
  /** Unit as printed without brackets: `%`, `次/月`, `万元`, `个子系统`. */
  unit: string | null;
  /** True when there is no number at all (及时, 达成指标, 有效改善…). */
  qualitative: boolean;
}

const OPS: [RegExp, Operator][] = [
  [/^(>=|≥|＞=|≧|不低于|不少于|大于等于|大于或等于)/, '≥'],
  [/^(<=|≤|＜=|≦|不高于|不超过|不多于|小于等于|小于或等于)/, '≤'],
  [/^(>|＞|大于|高于|超过)/, '>'],
  [/^(<|＜|小于|低于)/, '<'],
  [/^(=|＝|==|等于)/, '='],
];

const MEASURE = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(.*)$/;

export function parseMeasure(raw: string | null | undefined): Measure | null {
  const text = cleanText(raw);
  if (text === null) return null;
  const t = text.normalize('NFKC');
  let op: Operator | null = null;
  let rest = t;
  for (const [re, o] of OPS) {
    const m = re.exec(rest);
    if (m) {
      op = o;
      rest = rest.slice(m[0].length);
      break;
    }
  }
  const m = MEASURE.exec(rest);
  if (!m) return { text, op: null, value: null, decimals: null, unit: null, qualitative: true };
  const numStr = m[1]!.replace(/,/g, '');
  const decimals = numStr.includes('.') ? numStr.split('.')[1]!.length : 0;
  let unit = m[2]!.trim();
  const bracketed = /^\((.*)\)$/.exec(unit);
  if (bracketed) unit = bracketed[1]!;
  return {
    text,
    op,
    value: Number(numStr),
    decimals,
    unit: unit === '' ? null : unit,
    qualitative: false,
  };
}

/**
 * `2022-01-01`, `2022年1月1日`, `2022/1/1`, `2022.01.01` → `2022-01-01`. A date whose month and day
 * are two digits each stands with one of its two separators lost (`2022-0101`, `202201-01`: OCR loses
 * a faint hyphen), or one read as a colon (`2022-01:01` on a scan), or a colon beside one
 * (`2022:-12-31`); eight bare digits are no date. No month past 12 or day past 31 is a date.
 */
export function parseDate(s: string | null | undefined): string | null {
  const read = cleanText(s);
  if (!read) return null;
  // A colon beside a separator is a speck read so (2022:-12-31 on a photocopy), not a separator.
  const t = read.replace(/:+(?=[-/.])|(?<=[-/.]):+/g, '');
  // A colon for one separator at most, and among figures alone (2022年10:30 is a time).
  const colonFits = t.split(':').length <= 2 && !(t.includes(':') && /[年月日]/.test(t));
  const m = (colonFits ? /^(\d{4})[-/.:年](\d{1,2})[-/.:月](\d{1,2})日?$/.exec(t) : null) ?? (/[-/.]/.test(t) ? /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/.exec(t) : null);
  if (!m) return null;
  const [month, day] = [Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}
