/**
 * Checks of an `evaluation_report` record (samples/SCHEMA.md, report.* rules, total.score,
 * total.weight, grade.mismatch), with the interval rule for every recomputed figure, plus the
 * cross-check of the main scoring table against the 附件1 table, the working papers and the
 * 具体绩效分析 paragraphs (their figures come in `printed` as `sources.*`, see report-sources.ts).
 */
import type { Finding } from '../schema/findings.js';
import type { EvaluationReport } from '../schema/records.js';
import { REPORT_SOURCES, SOURCE_LABEL, sourceKey } from '../parse/rules/report-sources.js';
import { parsePrintedNumber } from '../parse/values.js';
import { finding } from './finding.js';
import { type Interval, div, isBounded, meets, printedInterval, scale, sum, withinOneUnit } from './interval.js';
import { type PrintedMap, type PrintedValue, printedValue } from './precision.js';
import { type ScoringRule, formulaScore, parseScoringRule, reachableScores, tierScores } from './scoring-rules.js';

type Indicator = EvaluationReport['indicators'][number];
type Output = EvaluationReport['outputs'][number];

const fmt = (x: number, d = 2): string => String(Number(x.toFixed(d)));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const range = (a: Interval, d = 2): string => `[${fmt(a.lo, d)}, ${fmt(a.hi, d)}]`;

// ── Linking base data (附件2 outputs) to indicators ───────────────────────────────────────────
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Indicators whose score the rule computes from 基础数据 completion rates. */
function usesBaseData(ind: Indicator, rule: ScoringRule | null): boolean {
  if (rule?.kind === 'formula') return /完成率/.test(rule.variable) || /基础数据/.test(ind.scoringRule ?? '');
  return /完成率$/.test(ind.name) && /基础数据/.test(ind.scoringRule ?? '');
}

/**
 * Each 附件2 item goes to the base-data indicator whose name stem (`个人权益记录单印发` of
 * `个人权益记录单印发完成率`) shares the longest prefix with it (at least 2 characters, uniquely).
 */
export function linkOutputs(indicators: readonly Indicator[], outputs: readonly Output[]): Map<string, Output[]> {
  const candidates = indicators
    .filter((ind) => usesBaseData(ind, parseScoringRule(ind.scoringRule)))
    .map((ind) => ({ code: ind.code, stem: ind.name.normalize('NFKC').replace(/(完成率|完成情况|完成数|率)$/, '') }));
  const links = new Map<string, Output[]>();
  for (const out of outputs) {
    const item = out.item.normalize('NFKC');
    const scored = candidates.map((c) => ({ code: c.code, n: commonPrefix(c.stem, item) })).sort((a, b) => b.n - a.n);
    const best = scored[0];
    if (!best || best.n < 2 || scored[1]?.n === best.n) continue;
    links.set(best.code, [...(links.get(best.code) ?? []), out]);
  }
  return links;
}

interface Completion {
  /** Σactual / Σplanned, as a fraction interval. */
  rate: Interval;
  value: number;
  detail: string;
  /** Each planned/actual pair's own rate (fraction interval), for the detail. */
  pairs: { item: string; rate: Interval }[];
}

function completionOf(outs: readonly Output[], outputs: readonly Output[], printed?: PrintedMap): Completion | null {
  const parts = outs.map((o) => {
    const k = outputs.indexOf(o);
    return { o, p: printedValue(o.planned, `outputs.${k}.planned`, printed), a: printedValue(o.actual, `outputs.${k}.actual`, printed) };
  });
  if (parts.length === 0 || parts.some((x) => x.p === null || x.a === null)) return null;
  const planned = parts.reduce((s, x) => s + x.p!.value, 0);
  const actual = parts.reduce((s, x) => s + x.a!.value, 0);
  if (planned === 0) return null;
  const rate = div(sum(parts.map((x) => x.a!.interval)), sum(parts.map((x) => x.p!.interval)));
  const each = parts.map((x) => `${x.o.item} ${x.a!.value}/${x.p!.value} = ${pct(x.a!.value / x.p!.value)}`);
  const combined = parts.length > 1 ? `; combined Σactual/Σplanned = ${actual}/${planned} = ${pct(actual / planned)}` : '';
  const pairs = parts.map((x) => ({ item: x.o.item, rate: div(x.a!.interval, x.p!.interval) }));
  return { rate, value: actual / planned, detail: `附件2 base data: ${each.join('; ')}${combined}`, pairs };
}

// ── The checks ────────────────────────────────────────────────────────────────────────────────
export function checkEvaluationReport(r: EvaluationReport, record: number, printed?: PrintedMap): Finding[] {
  const out: Finding[] = [];
  const pv = (v: number | null, path: string): PrintedValue | null => printedValue(v, path, printed);
  const indIndex = new Map(r.indicators.map((x, i) => [x.code, i]));
  const subIndex = new Map(r.subtotals.map((x, i) => [x.code, i]));

  /** The main table's weight/score of a code (indicator, group, section), with its path. */
  const tableFigure = (code: string, field: 'weight' | 'score'): PrintedValue | null => {
    const i = indIndex.get(code);
    if (i !== undefined) return pv(r.indicators[i]![field], `indicators.${i}.${field}`);
    const s = subIndex.get(code);
    if (s !== undefined) return pv(r.subtotals[s]![field], `subtotals.${s}.${field}`);
    return null;
  };

  // report.subtotal: a group or section 小计 ≠ the sum of its rows; total.* : 总分 ≠ Σ sections.
  const sumCheck = (
    rule: 'report.subtotal' | 'total.score' | 'total.weight',
    where: string,
    label: string,
    field: 'weight' | 'score',
    stated: PrintedValue | null,
    rows: { code: string; v: PrintedValue | null }[],
  ): void => {
    if (!stated || rows.length === 0 || rows.some((x) => x.v === null)) return;
    const total = rows.reduce((s, x) => s + x.v!.value, 0);
    if (withinOneUnit(total, stated.value, stated.decimals)) return;
    out.push(finding(record, rule, where,
      `${label} ${field === 'score' ? '得分' : '分值'} ${stated.text} ≠ Σ ${rows.map((x) => `${x.code} ${x.v!.text}`).join(' + ')} = ${fmt(total)}`));
  };
  const groups = new Set(r.subtotals.map((s) => s.code));
  for (const [si, s] of r.subtotals.entries()) {
    const members =
      s.code.length === 2
        ? r.indicators.filter((x) => x.code.startsWith(s.code) && x.code.length === 3).map((x) => x.code)
        : [...groups].filter((g) => g.length === 2 && g.startsWith(s.code));
    // A section without group subtotals sums its indicators.
    const codes = members.length > 0 ? members : r.indicators.filter((x) => x.code.startsWith(s.code)).map((x) => x.code);
    for (const field of ['score', 'weight'] as const) {
      sumCheck('report.subtotal', s.code, `${s.code} ${s.name} 小计`, field, pv(s[field], `subtotals.${si}.${field}`),
        codes.map((code) => ({ code, v: tableFigure(code, field) })));
    }
  }
  const sections = r.subtotals.filter((s) => s.code.length === 1).map((s) => s.code);
  const topCodes = sections.length > 0 ? sections : r.indicators.map((x) => x.code);
  sumCheck('total.score', 'totalScore', '总分', 'score', pv(r.totalScore, 'totalScore'), topCodes.map((code) => ({ code, v: tableFigure(code, 'score') })));
  sumCheck('total.weight', 'totalWeight', '总分', 'weight', pv(r.totalWeight, 'totalWeight'), topCodes.map((code) => ({ code, v: tableFigure(code, 'weight') })));

  // grade.mismatch
  if (r.grade !== null && r.totalScore !== null) {
    const s = r.totalScore;
    const expected = s >= 90 ? '优' : s >= 80 ? '良' : s >= 60 ? '中' : '差';
    const g = r.grade.replace(/秀|好$/, '');
    if (['优', '良', '中', '差'].includes(g) && g !== expected) {
      out.push(finding(record, 'grade.mismatch', 'grade', `评价结果 ${r.grade}, but 总分 ${s} is ${expected} (优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60)`));
    }
  }

  // report.heading_score: a heading's 满分/得分 ≠ the table's weight/score for its code.
  for (const [hi, h] of r.headingScores.entries()) {
    const parts: string[] = [];
    for (const field of ['score', 'weight'] as const) {
      const stated = pv(h[field], `headingScores.${hi}.${field}`);
      const table = tableFigure(h.code, field);
      if (!stated || !table || meets(stated.interval, table.interval)) continue;
      parts.push(`heading ${field === 'score' ? `得 ${stated.text} 分` : `满分 ${stated.text} 分`} ≠ main scoring table ${field} ${table.text}`);
    }
    if (parts.length === 0) continue;
    const others = REPORT_SOURCES.flatMap((src) => {
      const w = printed?.[sourceKey(src, h.code, 'weight')];
      const sc = printed?.[sourceKey(src, h.code, 'score')];
      return sc === undefined && w === undefined ? [] : [`${SOURCE_LABEL[src]}: ${w !== undefined ? `weight ${w}, ` : ''}score ${sc ?? '-'}`];
    });
    // The parent group's heading: does it add up with the table's figure rather than the heading's?
    const parentCode = h.code.slice(0, -1);
    const parent = r.headingScores.find((x) => x.code === parentCode);
    const siblings = r.indicators.filter((x) => x.code.length === h.code.length && x.code.startsWith(parentCode));
    if (parent?.score != null && h.code.length === 3 && siblings.every((x) => x.score !== null)) {
      const tableSum = siblings.reduce((a, x) => a + x.score!, 0);
      if (Math.abs(tableSum - parent.score) < 1e-6) {
        others.push(`the ${parentCode} heading's 得 ${parent.score} 分 = Σ table scores ${siblings.map((x) => x.score).join(' + ')}, which implies the table's figure`);
      }
    }
    const name = r.indicators.find((x) => x.code === h.code)?.name ?? r.subtotals.find((x) => x.code === h.code)?.name ?? '';
    out.push(finding(record, 'report.heading_score', h.code,
      `Heading '${h.code} ${name}（满分 ${h.weight ?? '-'} 分，得 ${h.score ?? '-'} 分）': ${parts.join('; ')}${others.length > 0 ? `. Other copies — ${others.join('; ')}` : ''}`));
  }

  // Cross-check of the main table against 附件1, the working papers and the analysis paragraphs.
  for (const code of [...indIndex.keys(), ...subIndex.keys()]) {
    const diffs: string[] = [];
    for (const src of REPORT_SOURCES) {
      for (const field of ['weight', 'score'] as const) {
        const text = printed?.[sourceKey(src, code, field)];
        const p = text === undefined ? null : parsePrintedNumber(text);
        const table = tableFigure(code, field);
        if (!p || !table) continue;
        if (meets(printedInterval(p.value, p.decimals), table.interval)) continue;
        diffs.push(`${SOURCE_LABEL[src]} ${field} ${text} ≠ main scoring table ${table.text}`);
      }
    }
    if (diffs.length > 0) out.push(finding(record, 'report.source_mismatch', code, diffs.join('; ')));
  }

  // A working paper stating another 完成率 than the 具体绩效分析 paragraph.
  for (const [si, s] of r.statedRates.entries()) {
    const text = printed?.[sourceKey('workpaper', s.code, 'statedRate')];
    const p = text === undefined ? null : parsePrintedNumber(text);
    const stated = pv(s.rate, `statedRates.${si}.rate`);
    if (!p || !stated || meets(printedInterval(p.value, p.decimals), stated.interval)) continue;
    out.push(finding(record, 'report.source_mismatch', s.code, `${SOURCE_LABEL.workpaper} states 完成率 ${text}, 具体绩效分析 states ${stated.text}`));
  }

  // Base-data checks: stated rates and formula scores recomputed from 附件2.
  const links = linkOutputs(r.indicators, r.outputs);
  for (const [si, s] of r.statedRates.entries()) {
    const outs = links.get(s.code);
    if (!outs) continue;
    const c = completionOf(outs, r.outputs, printed);
    const stated = pv(s.rate, `statedRates.${si}.rate`);
    const st = stated ? stated.text.replace(/%$/, '') : '';
    if (!c || !stated || !isBounded(c.rate)) continue;
    const computed = scale(c.rate, 100);
    if (meets(computed, stated.interval)) continue;
    const i = indIndex.get(s.code);
    const ind = i === undefined ? undefined : r.indicators[i];
    const paper = printed?.[sourceKey('workpaper', s.code, 'statedRate')];
    const rule = parseScoringRule(ind?.scoringRule);
    let scoreNote = '';
    if (ind && ind.score !== null && rule?.kind === 'formula') {
      const score = pv(ind.score, `indicators.${i}.score`)!;
      const byData = formulaScore(rule, c.rate);
      const byStated = formulaScore(rule, scale(stated.interval, 0.01));
      const agreesData = meets(byData, score.interval);
      const agreesStated = meets(byStated, score.interval);
      scoreNote = ` Printed score ${score.text} ${agreesData ? 'agrees' : 'does not agree'} with ${rule.factor} × ${pct(c.value)} = ${fmt(rule.factor * Math.min(1, c.value), 3)} (base data)` +
        ` and ${agreesStated ? 'agrees' : 'does not agree'} with ${rule.factor} × ${st}% = ${fmt(rule.factor * Math.min(1, s.rate / 100), 3)} (stated rate)` +
        (agreesData && !agreesStated ? ', so the stated rate is the inconsistent figure.' : '.');
      // A frequent slip: the unrounded score (factor × rate) written as the percentage.
      if (meets(scale(byData, 100), stated.interval)) {
        scoreNote += ` ${st} equals 100 × ${rule.factor} × ${(c.value * 100).toFixed(4)}%, i.e. the unrounded score written as a percentage.`;
      }
    }
    if (c.pairs.length > 1) {
      const alone = c.pairs.filter((p) => isBounded(p.rate) && meets(scale(p.rate, 100), stated.interval)).map((p) => p.item);
      scoreNote += alone.length > 0
        ? ` The stated rate matches ${alone.join(', ')} alone, not the combined base data.`
        : ' No single pair agrees with the stated rate either.';
    }
    out.push(finding(record, 'report.stated_rate', s.code,
      `Stated 完成率 ${st}% (具体绩效分析 ${s.code}${paper !== undefined ? `; working paper ${paper}` : ''}) ≠ ${c.detail}; ` +
      `recomputed ${range(computed, 3)}% cannot round to ${st}%.${scoreNote}`));
  }

  for (const [i, ind] of r.indicators.entries()) {
    const rule = parseScoringRule(ind.scoringRule);
    const score = pv(ind.score, `indicators.${i}.score`);
    if (!rule || !score) continue;
    if (rule.kind === 'formula') {
      const outs = links.get(ind.code);
      if (!outs || !/完成率/.test(rule.variable)) continue;
      const c = completionOf(outs, r.outputs, printed);
      if (!c || !isBounded(c.rate)) continue;
      const computed = formulaScore(rule, c.rate);
      if (meets(computed, score.interval)) continue;
      out.push(finding(record, 'report.formula_score', ind.code,
        `Score ${score.text} ≠ ${rule.factor} × ${rule.variable} ${pct(c.value)} = ${fmt(rule.factor * Math.min(1, c.value), 3)} (${c.detail}; interval ${range(computed, 3)})`));
    } else if (rule.kind === 'tiers') {
      const figures = tierFigures(r, rule.variable, printed);
      if (figures.length > 0) {
        const scores = figures.map((f) => ({ f, s: tierScores(rule, f.interval) }));
        if (scores.some(({ s }) => s.some((x) => meets({ lo: x, hi: x }, score.interval)))) continue;
        const why = scores.map(({ f, s }) => `${f.label} → ${s.length > 0 ? s.map((x) => `得 ${x} 分`).join(' or ') : 'no band'}`).join('; ');
        out.push(finding(record, 'report.tier_score', ind.code, `Score ${score.text} ≠ the band the rule gives: ${why} (rule: ${ind.scoringRule ?? ''})`));
        continue;
      }
      unreachable(rule, ind, i, score);
    } else {
      unreachable(rule, ind, i, score);
    }
  }

  function unreachable(rule: ScoringRule, ind: Indicator, i: number, score: PrintedValue): void {
    const reachable = reachableScores(rule, ind.weight);
    if (!reachable || reachable.some((x) => meets({ lo: x, hi: x }, score.interval))) return;
    out.push(finding(record, 'report.tier_score', ind.code,
      `Score ${score.text} is not a score the rule can give (${reachable.join(', ')}); rule: ${ind.scoringRule ?? ''} (indicators.${i})`));
  }

  // report.budget_lines: the lines sum to 合计 (per column), each line's 执行率 = 执行数 / 调整后预算数.
  const lines = r.budgetLines;
  const totalAt = lines.findIndex((l) => l.item === '合计');
  const cols = ['budget', 'adjustedBudget', 'executed'] as const;
  if (totalAt >= 0) {
    const items = lines.filter((_, k) => k !== totalAt);
    for (const col of cols) {
      const total = pv(lines[totalAt]![col], `budgetLines.${totalAt}.${col}`);
      const parts = items.map((l) => pv(l[col], `budgetLines.${lines.indexOf(l)}.${col}`));
      if (!total || parts.length === 0 || parts.some((p) => p === null)) continue;
      const s = sum(parts.map((p) => p!.interval));
      if (meets(s, total.interval)) continue;
      out.push(finding(record, 'report.budget_lines', `budgetLines.合计.${col}`,
        `合计 ${col} ${total.text} ≠ Σ lines ${parts.map((p) => p!.text).join(' + ')} = ${fmt(parts.reduce((a, p) => a + p!.value, 0))}`));
    }
  }
  const rateCheck = (where: string, rate: PrintedValue | null, executed: PrintedValue | null, base: PrintedValue | null): void => {
    if (!rate || !executed || !base) return;
    const computed = scale(div(executed.interval, base.interval), 100);
    if (!isBounded(computed) || meets(computed, rate.interval)) return;
    out.push(finding(record, 'report.budget_lines', where,
      `执行率 ${rate.text} ≠ 执行数 ${executed.text} / 调整后预算数 ${base.text} = ${pct(executed.value / base.value)} (interval ${range(computed)}%)`));
  };
  lines.forEach((l, k) =>
    rateCheck(`budgetLines.${l.item}.executionRate`, pv(l.executionRate, `budgetLines.${k}.executionRate`),
      pv(l.executed, `budgetLines.${k}.executed`), pv(l.adjustedBudget ?? l.budget, `budgetLines.${k}.${l.adjustedBudget !== null ? 'adjustedBudget' : 'budget'}`)));
  rateCheck('budget.executionRate', pv(r.budget.executionRate, 'budget.executionRate'), pv(r.budget.executed, 'budget.executed'),
    pv(r.budget.adjusted ?? r.budget.initial, r.budget.adjusted !== null ? 'budget.adjusted' : 'budget.initial'));

  return out;
}

/** The figures a band rule's variable can be computed from (percent intervals); only 预算执行率 so far. */
function tierFigures(r: EvaluationReport, variable: string | null, printed?: PrintedMap): { label: string; interval: Interval }[] {
  if (variable === null || !/预算执行率|资金执行率/.test(variable)) return [];
  const out: { label: string; interval: Interval }[] = [];
  const rate = printedValue(r.budget.executionRate, 'budget.executionRate', printed);
  if (rate) out.push({ label: `printed 预算执行率 ${rate.text}`, interval: rate.interval });
  const ex = printedValue(r.budget.executed, 'budget.executed', printed);
  const base = printedValue(r.budget.adjusted ?? r.budget.initial, r.budget.adjusted !== null ? 'budget.adjusted' : 'budget.initial', printed);
  if (ex && base) {
    const x = scale(div(ex.interval, base.interval), 100);
    if (isBounded(x)) out.push({ label: `${ex.text} / ${base.text} = ${pct(ex.value / base.value)}`, interval: x });
  }
  return out;
}
