/**
 * Helpers for flow text (pdftotext-like, no tabs): a line's whitespace-split tokens are pieces of
 * table cells, and widths (display-width units, CJK = 1, ASCII = ½) stand in for positions.
 */
import type { Line, SourceSpan, Token } from '../../ingest/types.js';

/** A line's text with all whitespace removed. */
export function compact(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

export function lineCompact(line: Line): string {
  return compact(line.text);
}

/**
 * Approximate printed width in em of Chinese fonts: CJK and full-width signs 1, Latin digits and
 * letters ½ (the Times-like Latin face such forms use), narrow punctuation less. Closer to the page
 * than displayWidth's flat ½ for ASCII, which matters for cells such as `≥25.00(人次`.
 */
export function printedWidth(s: string): number {
  let w = widthCache.get(s);
  if (w === undefined) {
    if (widthCache.size > 20_000) widthCache.clear();
    widthCache.set(s, (w = measure(s)));
  }
  return w;
}

const widthCache = new Map<string, number>();

function measure(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x2000) w += c >= 0xff61 && c <= 0xff9f ? 0.5 : 1;
    else if (/[.,:;'!|]/.test(ch)) w += 0.25;
    else if (/[()[\]{}\-/`]/.test(ch)) w += 0.33;
    else if (ch === '%') w += 0.83;
    else if (/[=+<>~]/.test(ch)) w += 0.56;
    else if (/\s/.test(ch)) w += 0.25;
    else if (/[A-Z@&#]/.test(ch)) w += 0.67;
    else w += 0.5;
  }
  return w;
}

/** Width of a run of tokens as printed on one line (the gap between tokens counts ¼). */
export function tokensWidth(tokens: readonly Token[]): number {
  if (tokens.length === 0) return 0;
  let w = 0;
  for (const t of tokens) w += printedWidth(t.text);
  return w + 0.25 * (tokens.length - 1);
}

/** Width of a line after trimming (what a column's capacity is measured against). */
export function lineWidth(line: Line): number {
  return tokensWidth(line.tokens);
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2010-\u206f]/;

export function isCjkChar(ch: string): boolean {
  return CJK.test(ch);
}

/** True when the token is Chinese text only (no digits, Latin or punctuation). */
export function isHanOnly(s: string): boolean {
  return /^[\u3400-\u9fff]+$/.test(s);
}

/** Chinese text and full-width punctuation only: its printed width is exact. */
export function isHanText(s: string): boolean {
  return [...s].every((ch) => (ch.codePointAt(0) ?? 0) >= 0x2000);
}

/** Characters that may not start a line (Chinese line-breaking rules). */
const NO_BREAK_BEFORE = /[，。、；：！？）》」』】〕〉”’,.;:!?)\]%]/;
/** Characters that may not end a line: they go down with what follows. */
const NO_BREAK_AFTER = /[（《「『【〔〈“‘(\[]$/;

/**
 * Width of the first piece of `s` that a line breaker cannot split: an ASCII run (`100%`), or one
 * CJK character, with opening brackets glued to what follows and closing punctuation to what precedes.
 */
export function firstUnitWidth(s: string): number {
  return printedWidth(firstUnit(s));
}

/** Number of unbreakable pieces in `s` (see firstUnit). */
export function unitCount(s: string): number {
  let n = 0;
  let rest = s.trimStart();
  while (rest) {
    const u = firstUnit(rest);
    if (!u) break;
    rest = rest.trimStart().slice(u.length).trimStart();
    n++;
  }
  return n;
}

/** The first piece of `s` that a line breaker cannot split (see firstUnitWidth). */
export function firstUnit(s: string): string {
  const t = s.trimStart();
  if (t === '') return '';
  let unit = '';
  let rest = t;
  do {
    const ascii = /^[!-~]+/.exec(rest);
    const piece = ascii ? ascii[0] : [...rest][0]!;
    unit += piece;
    rest = rest.slice(piece.length);
  } while (rest && NO_BREAK_AFTER.test(unit));
  while (rest && NO_BREAK_BEFORE.test(rest[0]!)) {
    unit += rest[0];
    rest = rest.slice(1);
  }
  return unit;
}

/** Operator-led value (`=100(%)`, `≥99%`, `<120(分钟)`, `>=90%`, `不低于95%`). */
export function isOperatorLed(s: string): boolean {
  return /^(>=|<=|[=≥≤><＝＞＜≧≦]|不低于|不少于|不高于|不超过|大于|小于|等于)/.test(s);
}

/** A bare operator token (`≥` printed apart from its number). */
export function isBareOperator(s: string): boolean {
  return /^(>=|<=|[=≥≤><＝＞＜≧≦])$/.test(s);
}

export function isNumberLed(s: string): boolean {
  return /^[+-]?\d/.test(s);
}

/** The graded verdicts printed as 实际完成值 for qualitative targets. */
export function isVerdict(s: string): boolean {
  return /^(达成|部分达成|基本达成|未达成|已达成|完成|已完成|未完成|基本完成)/.test(s);
}

/** A verdict no target or name would start with (达成指标, 部分达成…, 未达成…). */
export function isGradedVerdict(s: string): boolean {
  return /^(达成指标|部分达成|基本达成|未达成|已达成)/.test(s);
}

/** A plain number as printed for 分值 / 得分 (`5.00`, `10`, `1.5`). */
export function isScoreNumber(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3})?$/.test(s);
}

export function isDash(s: string): boolean {
  return /^[-－—–‐―]+$/.test(s);
}

/** Span of a set of lines, for provenance. */
export function spanOf(lines: readonly Line[]): SourceSpan | null {
  if (lines.length === 0) return null;
  const first = lines[0]!;
  let from = first.lineNo;
  let to = first.lineNo;
  for (const l of lines) {
    if (l.page !== first.page) continue;
    from = Math.min(from, l.lineNo);
    to = Math.max(to, l.lineNo);
  }
  return { page: first.page, fromLine: from, toLine: to };
}

/** A page break shows in flow text as a run of blank lines. */
export function isPageBreak(line: Line): boolean {
  return line.gapBefore >= 2;
}

/** Page furniture that is no part of any table cell (`- 3 -`, `第 3 页`, `3/12`). */
export function isPageFurniture(line: Line): boolean {
  const s = lineCompact(line);
  return /^[-—–]\d{1,3}[-—–]$/.test(s) || /^第\d{1,3}页(共\d{1,3}页)?$/.test(s) || /^\d{1,3}\/\d{1,3}$/.test(s);
}
