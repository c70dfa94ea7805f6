/**
 * Grounding: every string and number of an LLM record must be found in the form's source text.
 * Normalisation: NFKC, whitespace removed, LaTeX/HTML artefacts (`$\geq 95\%$`, `<p>`) resolved;
 * numbers are compared as values against every numeric literal of the source (with or without
 * thousands separators, trailing zeros or a % sign). An ungrounded number is replaced by null — a
 * model must not be able to invent or "fix" a figure and so make an inconsistent form consistent —
 * and every ungrounded value is reported. The printed literal of each grounded number is kept, so
 * the checks know its precision.
 */

/** Source/value normalisation shared by both sides. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/<\/?(p|br|td|tr|th|span|div)\b[^>]*>/gi, '')
    .replace(/\\geq?\b|\\ge\b/g, '≥')
    .replace(/\\leq?\b|\\le\b/g, '≤')
    .replace(/\\times\b/g, '×')
    .replace(/\\%/g, '%')
    .replace(/\$/g, '')
    .replace(/\s+/g, '');
}

const NUMERIC = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

export interface SourceIndex {
  text: string;
  /** value → the literals that print it (`99.35`, `0.00`). */
  numbers: Map<number, string[]>;
}

export function indexSource(source: string): SourceIndex {
  const numbers = new Map<number, string[]>();
  // Literals are read before whitespace is removed, so neighbouring cells do not run together.
  const spaced = source.normalize('NFKC').replace(/\\%/g, '%');
  for (const m of spaced.matchAll(NUMERIC)) {
    const literal = m[0];
    const value = Number(literal.replace(/,/g, ''));
    if (!Number.isFinite(value)) continue;
    const list = numbers.get(value) ?? [];
    if (!list.includes(literal)) list.push(literal);
    numbers.set(value, list);
  }
  return { text: normaliseText(source), numbers };
}

function dateGrounded(v: string, src: SourceIndex): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  const M = String(Number(mo));
  const D = String(Number(d));
  const forms = [`${y}-${mo}-${d}`, `${y}年${M}月${D}日`, `${y}年${mo}月${d}日`, `${y}.${mo}.${d}`, `${y}.${M}.${D}`, `${y}/${M}/${D}`, `${y}/${mo}/${d}`, `${y}${mo}${d}`];
  return forms.some((f) => src.text.includes(f));
}

/** A string is grounded when it occurs in the source; a long one when ≥ 80 % of its 6-char pieces do
 *  (extraction splits long cells across interleaved lines). */
export function stringGrounded(value: string, src: SourceIndex): boolean {
  const v = normaliseText(value);
  if (v === '') return true;
  if (src.text.includes(v) || dateGrounded(v, src)) return true;
  const chars = Array.from(v);
  if (chars.length < 12) {
    // A short label split over lines between other cells (`时效` … `指标`): every 2-char piece must occur.
    if (chars.length < 4) return false;
    for (let i = 0; i < chars.length; i += 2) if (!src.text.includes(chars.slice(i, i + 2).join(''))) return false;
    return true;
  }
  let found = 0;
  let pieces = 0;
  for (let i = 0; i < chars.length; i += 6) {
    const piece = chars.slice(i, i + 6).join('');
    pieces++;
    if (src.text.includes(piece)) found++;
  }
  return found / pieces >= 0.8;
}

export function numberLiteral(value: number, src: SourceIndex): string | null {
  // The literal as printed (separators kept, as the deterministic parser records it).
  const hit = src.numbers.get(value);
  if (hit) return hit[0]!;
  // Floating error in the model's copy (99.35000000001).
  for (const [k, lits] of src.numbers) if (Math.abs(k - value) < 1e-9 * Math.max(1, Math.abs(k))) return lits[0]!;
  return null;
}

export interface Grounding {
  /** The record with ungrounded numbers set to null. */
  record: unknown;
  ungroundedNumbers: { path: string; value: number }[];
  ungroundedStrings: { path: string; value: string }[];
  /** Leaves checked (non-null strings and numbers). */
  checked: number;
  /** Printed literal of each grounded number, by field path. */
  printed: Record<string, string>;
}

/** Fields whose value is a label chosen from the schema rather than copied from the text. */
const NOT_COPIED = new Set(['docType', 'moneyUnit']);

export function ground(record: unknown, src: SourceIndex): Grounding {
  const g: Grounding = { record: undefined, ungroundedNumbers: [], ungroundedStrings: [], checked: 0, printed: {} };
  const walk = (v: unknown, path: string[]): unknown => {
    const p = path.join('.');
    if (typeof v === 'number') {
      g.checked++;
      const lit = numberLiteral(v, src);
      if (lit === null) {
        g.ungroundedNumbers.push({ path: p, value: v });
        return null;
      }
      g.printed[p] = lit;
      return v;
    }
    if (typeof v === 'string') {
      if (path.length === 1 && NOT_COPIED.has(path[0]!)) return v;
      g.checked++;
      if (!stringGrounded(v, src)) g.ungroundedStrings.push({ path: p, value: v });
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  g.record = walk(record, []);
  return g;
}

/** Row anchors: the label a row's figures stand beside in the form. */
const FUNDING_LABELS: Record<string, string[]> = {
  total: ['年度资金总额'],
  currentYearFiscal: ['当年财政拨款', '财政拨款'],
  carryover: ['上年结转'],
  other: ['其他资金'],
};
const ROW_NAME_KEYS = ['name', 'item', 'code'] as const;

function lineNumbers(line: string): Set<number> {
  const out = new Set<number>();
  for (const m of line.normalize('NFKC').matchAll(NUMERIC)) out.add(Number(m[0].replace(/,/g, '')));
  return out;
}

/**
 * Local grounding: a row's figures must stand near the row's label (within `window` lines, default 8, of a line
 * that carries it). Catches a figure copied from elsewhere in the form — a model "fixing" 90 into the
 * 100 printed in another row — which value-level grounding cannot. Only reported, never nulled: a
 * pdftotext layout can put a figure far from its label, so this is a doubt, not proof.
 */
export function displacedNumbers(record: unknown, sourceLines: string[], window = 8): { path: string; value: number }[] {
  const norm = sourceLines.map(normaliseText);
  const nums = sourceLines.map(lineNumbers);
  const out: { path: string; value: number }[] = [];
  const near = (anchors: string[], value: number): boolean | null => {
    const hits: number[] = [];
    norm.forEach((l, i) => {
      if (anchors.some((a) => a !== '' && l.includes(a))) hits.push(i);
    });
    if (hits.length === 0) return null; // the anchor itself is not found: nothing to say
    return hits.some((h) => {
      // A gridded row (cells joined by ' | ') carries its figures itself; allow a neighbour for split rows.
      const w = sourceLines[h]!.includes(' | ') ? 1 : window;
      for (let i = Math.max(0, h - w); i <= Math.min(nums.length - 1, h + w); i++) if (nums[i]!.has(value)) return true;
      return false;
    });
  };
  const checkRow = (row: unknown, path: string, anchors: string[]): void => {
    if (typeof row !== 'object' || row === null) return;
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'number' && near(anchors, v) === false) out.push({ path: `${path}.${k}`, value: v });
    }
  };
  if (typeof record !== 'object' || record === null) return out;
  const rec = record as Record<string, unknown>;
  const funding = rec['funding'];
  if (typeof funding === 'object' && funding !== null) {
    for (const [key, row] of Object.entries(funding)) if (FUNDING_LABELS[key]) checkRow(row, `funding.${key}`, FUNDING_LABELS[key]!);
  }
  for (const [field, list] of Object.entries(rec)) {
    if (!Array.isArray(list)) continue;
    list.forEach((row, i) => {
      if (typeof row !== 'object' || row === null) return;
      const r = row as Record<string, unknown>;
      const key = ROW_NAME_KEYS.find((k) => typeof r[k] === 'string' && (r[k] as string).length >= 2);
      if (!key) return;
      const name = normaliseText(r[key] as string);
      // A long name may be split over lines: its head is enough as an anchor.
      checkRow(row, `${field}.${i}`, [name, Array.from(name).slice(0, 6).join('')]);
    });
  }
  return out;
}
