/**
 * Helpers for forms whose lines carry real cells (tab-separated exports, gridded PDF tables).
 */
import { editDistance } from '../../ingest/ocr-lexicon.js';
import type { Line, Token } from '../../ingest/types.js';
import { cleanText } from '../values.js';

/** A cell's text with whitespace removed (never empty: ingest drops empty cells). */
export function cellText(t: Token): string {
  return cleanText(t.text) ?? '';
}

/** The first line at or after `from` whose whitespace-free text matches. */
export function findLine(lines: Line[], re: RegExp, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) if (re.test(lines[i]!.text.replace(/\s+/g, ''))) return i;
  return -1;
}

/** The token of the cell that follows a label cell on the same line, e.g. `项目名称⇥X` → X. */
function cellAfter(line: Line, label: Matcher): Token | null {
  const i = line.tokens.findIndex((t) => label.test(cellText(t)));
  return i < 0 ? null : (line.tokens[i + 1] ?? null);
}

/** A cell read on a line: the token that holds it, with its line (for its span). */
export type LineCell = { line: Line; token: Token };

/** The text of cells read in order, joined; null for none. */
export function cellsText(cells: readonly LineCell[] | null): string | null {
  return cells ? cleanText(cells.map((c) => cellText(c.token)).join('')) : null;
}

/** Searches `lines` for `label⇥value` and returns the value's cell and its line. */
export function lookupCell(lines: Line[], label: Matcher): LineCell | null {
  for (const line of lines) {
    const token = cellAfter(line, label);
    if (token && !label.test(cellText(token))) return { line, token };
  }
  return null;
}

/** Column index of the first cell matching `re` on the line, or -1. */
export function colOf(line: Line, re: Matcher): number {
  const t = line.tokens.find((tok) => re.test(cellText(tok)));
  return t?.col ?? -1;
}

/** Whether a form's lines were read by OCR (defined with the line type it asks of). */
export { readByOcr } from '../../ingest/types.js';

/** True when most lines of the span carry tab-separated cells. */
export function isGridded(lines: Line[]): boolean {
  const n = lines.length;
  return n > 0 && lines.filter((l) => l.cells).length >= n * 0.5;
}

/** Anything with a `test`, such as a RegExp or a fuzzy label. */
export interface Matcher {
  test(s: string): boolean;
}

/**
 * `s` is `w` with one character read as two (项上月名称 for 项目名称: 目 split into 上月), which
 * an edit distance counts twice.
 */
function splitCharOf(s: string, w: string): boolean {
  if (s.length !== w.length + 1) return false;
  let i = 0;
  while (i < w.length && s[i] === w[i]) i++;
  return i < w.length && s.slice(i + 2) === w.slice(i + 1);
}

/**
 * A printed label that tolerates what OCR does to it: stray marks, one wrong, missing or extra
 * character per four (`主管上部门` is 主管部门). With `prefix`, text may continue after the label
 * (`项目资金（万元）`); with `split`, one character may be read as two (`项上月名称`), for labels
 * no other label is a split away from (项目绩效目标 is one from 项目总目标). Short labels (under 4
 * characters) must match exactly.
 */
export function fuzzy(words: string[], opts: { prefix?: boolean; split?: boolean } = {}): Matcher {
  return {
    test(raw: string): boolean {
      const s = raw.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '');
      return words.some((w) => {
        if (s === w || (opts.prefix && s.startsWith(w))) return true;
        if (w.length < 4) return false;
        const cap = Math.floor(w.length / 4);
        const candidates = opts.prefix ? [s.slice(0, w.length - 1), s.slice(0, w.length), s.slice(0, w.length + 1)] : [s];
        return candidates.some((c) => editDistance(c, w, cap) <= cap || (opts.split === true && splitCharOf(c, w)));
      });
    },
  };
}

/**
 * Header columns by their fixed order: a header cell whose label was not recognised (OCR reads
 * 执行率(%) as 执行六(9) is the field the form's fixed column order leaves for it, when it is the
 * only unrecognised cell between two recognised neighbours (or beyond the first or last one) and
 * exactly one field of that order is missing there. `cols` (column → field) is filled in place.
 */
export function fillColumnsByOrder<F>(cols: Map<number, F>, headerCols: readonly number[], order: readonly F[]): void {
  // A header cell split into two tokens is still one column.
  const unknown = [...new Set(headerCols)].filter((c) => !cols.has(c)).sort((a, b) => a - b);
  const known = [...cols.keys()].sort((a, b) => a - b);
  const assigned = new Set(cols.values());
  for (const u of unknown) {
    const prev = known.filter((c) => c < u).at(-1);
    const next = known.find((c) => c > u);
    // The other unrecognised cells between the same neighbours: the gap must hold only this one.
    const alone = unknown.filter((c) => (prev === undefined || c > prev) && (next === undefined || c < next)).length === 1;
    if (!alone) continue;
    const from = prev === undefined ? -1 : order.indexOf(cols.get(prev)!);
    const to = next === undefined ? order.length : order.indexOf(cols.get(next)!);
    // A recognised neighbour outside the order tells nothing about the gap.
    if ((prev !== undefined && from < 0) || (next !== undefined && to < 0) || to - from !== 2) continue;
    const field = order[from + 1];
    if (field === undefined || assigned.has(field)) continue;
    cols.set(u, field);
    assigned.add(field);
  }
}

/** The first line at or after `from` where every matcher matches one of its cells. */
export function findRow(lines: Line[], matchers: Matcher[], from = 0, to = lines.length): number {
  return findRowMatching(lines, matchers, matchers.length, from, to);
}

/** The first line at or after `from` where at least `least` of the matchers each match one of its cells. */
export function findRowMatching(lines: Line[], matchers: Matcher[], least: number, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) {
    const cells = lines[i]!.tokens.map(cellText);
    if (matchers.filter((m) => cells.some((c) => m.test(c))).length >= least) return i;
  }
  return -1;
}
