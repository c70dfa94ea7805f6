/**
 * A report indicator's 评分标准 in executable form, where it is formulaic:
 *
 * - `formula` — `指标得分=项目完成率*3`: score = factor × min(rate, 100%);
 * - `tiers`   — `95%≤预算执行率<100%，得3.5分；…；预算执行率<70%，不得分`, also `X%以上（含X%）`,
 *               `A%-B%`, `不足X%`: score = the band the figure falls in;
 * - `perItem` — `每符合1项，得1分` (with ①②… / “…” / 是否 items): score = k × points, k items met.
 *
 * Anything else (满意度 question sums, 按计划/略有偏差 judgements) is not formulaic: null.
 * Percent figures are percent numbers (91.38 for 91.38%); rates given to `formulaScore` are fractions.
 */
import { type Interval, meets, minWith, scale } from './interval.js';

export interface Tier {
  /** Lower bound in percent, null = none. */
  lo: number | null;
  loInclusive: boolean;
  hi: number | null;
  hiInclusive: boolean;
  score: number;
}

export type ScoringRule =
  | { kind: 'formula'; variable: string; factor: number }
  | { kind: 'tiers'; variable: string | null; tiers: Tier[] }
  | { kind: 'perItem'; points: number; items: number | null };

const NUM = '(\\d+(?:\\.\\d+)?)';

function norm(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u3000]+/g, '').replace(/<=/g, '≤').replace(/>=/g, '≥');
}

/** `指标得分=项目完成率*3` → { variable: 项目完成率, factor: 3 }. */
function parseFormula(t: string): ScoringRule | null {
  const m = new RegExp(`(?:指标)?得分=([^=*×xX]*?率)[*×xX]${NUM}`).exec(t);
  if (!m) return null;
  return { kind: 'formula', variable: m[1]!, factor: Number(m[2]) };
}

interface Condition {
  variable: string | null;
  lo: number | null;
  loInclusive: boolean;
  hi: number | null;
  hiInclusive: boolean;
}

const VAR = '([^\\d<>≤≥=%,，;；()]*?)';

/** One condition of a band: `95%≤预算执行率<100%`, `预算执行率=100%`, `<95%`, `到位95%以上(含95%)`, `到位率90%-94%`, `到位率不足90%`. */
export function parseCondition(piece: string): Condition | null {
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^${NUM}%(≤|<)${VAR}(≤|<)${NUM}%`).exec(piece))) {
    return { variable: m[3] || null, lo: Number(m[1]), loInclusive: m[2] === '≤', hi: Number(m[5]), hiInclusive: m[4] === '≤' };
  }
  if ((m = new RegExp(`^${VAR}${NUM}%?[-~～至]${NUM}%`).exec(piece))) {
    return { variable: m[1] || null, lo: Number(m[2]), loInclusive: true, hi: Number(m[3]), hiInclusive: true };
  }
  if ((m = new RegExp(`^${VAR}${NUM}%(?:及)?以上(\\(含${NUM}%\\))?`).exec(piece))) {
    return { variable: m[1] || null, lo: Number(m[2]), loInclusive: true, hi: null, hiInclusive: false };
  }
  if ((m = new RegExp(`^${VAR}(?:不足|低于)${NUM}%`).exec(piece))) {
    return { variable: m[1] || null, lo: null, loInclusive: false, hi: Number(m[2]), hiInclusive: false };
  }
  if ((m = new RegExp(`^${VAR}(=|≥|>|≤|<)${NUM}%`).exec(piece))) {
    const v = Number(m[3]);
    const variable = m[1] || null;
    switch (m[2]) {
      case '=':
        return { variable, lo: v, loInclusive: true, hi: v, hiInclusive: true };
      case '≥':
      case '>':
        return { variable, lo: v, loInclusive: m[2] === '≥', hi: null, hiInclusive: false };
      default:
        return { variable, lo: null, loInclusive: false, hi: v, hiInclusive: m[2] === '≤' };
    }
  }
  return null;
}

/** `得3.5分` → 3.5, `不得分` / `得0分` → 0, else null. */
function parseScore(piece: string): number | null {
  if (/不得分/.test(piece)) return 0;
  const m = new RegExp(`得${NUM}分`).exec(piece);
  return m ? Number(m[1]) : null;
}

function parseTiers(t: string): ScoringRule | null {
  const pieces = t.split(/[;；,，。]/).filter((p) => p !== '');
  const tiers: Tier[] = [];
  let pending: Condition | null = null;
  let variable: string | null = null;
  for (const piece of pieces) {
    const cond = parseCondition(piece);
    const score = parseScore(piece);
    if (cond) {
      pending = cond;
      variable ??= cond.variable;
    }
    if (score !== null && pending) {
      tiers.push({ lo: pending.lo, loInclusive: pending.loInclusive, hi: pending.hi, hiInclusive: pending.hiInclusive, score });
      pending = null;
    }
  }
  return tiers.length >= 2 ? { kind: 'tiers', variable, tiers } : null;
}

/** Items a 每符合1项 rule counts: ①②…, else “…” phrases, else 是否 questions. */
function countItems(t: string): number | null {
  const circled = new Set(t.match(/[①②③④⑤⑥⑦⑧⑨⑩]/g) ?? []);
  if (circled.size > 0) return circled.size;
  const quoted = t.match(/“[^”]+”/g) ?? [];
  if (quoted.length > 0) return quoted.length;
  const questions = t.match(/是否/g) ?? [];
  return questions.length > 0 ? questions.length : null;
}

const PER_ITEM = new RegExp(`每(?:符合|满足|完成|达到)?(?:1|一)项[,，]?得${NUM}分`);

/** `raw`: the rule before NFKC, which would turn ① into 1. */
function parsePerItem(t: string, raw: string): ScoringRule | null {
  const m = PER_ITEM.exec(t);
  if (!m) return null;
  const r = raw.replace(/[\s\u3000]+/g, '');
  const at = /每(?:符合|满足|完成|达到)?(?:1|一|１)项/.exec(r)?.index ?? r.length;
  return { kind: 'perItem', points: Number(m[1]), items: countItems(r.slice(0, at)) };
}

/** The rule's executable form, or null when it is not formulaic. */
export function parseScoringRule(text: string | null | undefined): ScoringRule | null {
  if (!text) return null;
  const t = norm(text);
  return parseFormula(t) ?? parseTiers(t) ?? parsePerItem(t, text);
}

// ── Evaluation ────────────────────────────────────────────────────────────────────────────────

/** Score interval of a `formula` rule for a completion-rate interval given as a fraction (0.9 = 90%). */
export function formulaScore(rule: Extract<ScoringRule, { kind: 'formula' }>, rate: Interval): Interval {
  return scale(minWith(rate, 1), rule.factor);
}

function tierMeets(t: Tier, x: Interval): boolean {
  const lo = t.lo ?? -Infinity;
  const hi = t.hi ?? Infinity;
  // Closed on both ends: at a boundary the check errs towards "agrees".
  return meets({ lo, hi }, x);
}

/** Scores the bands give for a figure (percent) anywhere in `x`; several when `x` straddles a boundary. */
export function tierScores(rule: Extract<ScoringRule, { kind: 'tiers' }>, x: Interval): number[] {
  return [...new Set(rule.tiers.filter((t) => tierMeets(t, x)).map((t) => t.score))];
}

/** Every score the rule can give: the bands' scores, or k × points for k items met (capped at `weight`). */
export function reachableScores(rule: ScoringRule, weight: number | null): number[] | null {
  switch (rule.kind) {
    case 'formula':
      return null; // continuous
    case 'tiers':
      return [...new Set(rule.tiers.map((t) => t.score))];
    case 'perItem': {
      const cap = weight ?? (rule.items === null ? null : rule.items * rule.points);
      if (cap === null) return null;
      const max = rule.items ?? Math.floor(cap / rule.points + 1e-9);
      const out = new Set<number>();
      for (let k = 0; k <= max; k++) out.add(Math.min(cap, Math.round(k * rule.points * 1e6) / 1e6));
      return [...out];
    }
  }
}
