/**
 * Helpers for forms whose lines carry real cells (tab-separated exports, gridded PDF tables).
 */
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

/** The cell that follows a label cell on the same line, e.g. `项目名称⇥X` → X. */
export function valueAfter(line: Line, label: RegExp): string | null {
  const i = line.tokens.findIndex((t) => label.test(cellText(t)));
  if (i < 0) return null;
  const next = line.tokens[i + 1];
  return next ? cellText(next) : null;
}

/** Searches `lines` for `label⇥value` and returns the value. */
export function lookupValue(lines: Line[], label: RegExp): string | null {
  for (const line of lines) {
    const v = valueAfter(line, label);
    if (v !== null && !label.test(v)) return v;
  }
  return null;
}

/** Column index of the first cell matching `re` on the line, or -1. */
export function colOf(line: Line, re: RegExp): number {
  const t = line.tokens.find((tok) => re.test(cellText(tok)));
  return t?.col ?? -1;
}

/** True when most lines of the span carry tab-separated cells. */
export function isGridded(lines: Line[]): boolean {
  const n = lines.length;
  return n > 0 && lines.filter((l) => l.cells).length >= n * 0.5;
}
