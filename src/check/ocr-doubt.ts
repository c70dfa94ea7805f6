/**
 * Findings on figures read by OCR: a misread digit must not become an asserted inconsistency.
 * A finding whose row was read with low confidence, or whose figures the form's own redundancy
 * shows misread (a column that does not add up, amounts a power of ten or a look-alike digit apart,
 * a % read as digits), is lowered to `info` and says "verify by eye";
 * every other finding on an OCR-read form says the figures came from OCR.
 */
import type { Finding } from '../schema/findings.js';
import type { FormRecord, SelfEvaluation } from '../schema/records.js';
import { tableColumn } from '../schema/columns.js';
import type { SourceSpan } from '../ingest/types.js';
import { glyphsApart } from '../ingest/ocr-lexicon.js';
import { BREAKDOWNS, breakdownCells } from './target-declaration.js';
import { parseMeasure, type Measure } from '../parse/values.js';
import { checkFunding, COLUMN_LABEL, comparedCells, FUNDING_ROWS, MONEY_COLUMNS, ROW_LABEL } from './funding.js';
import type { PrintedMap } from './precision.js';

/** Below this OCR confidence a figure is not trusted enough to assert an inconsistency. */
export const LOW_CONFIDENCE = 0.6;

/** The indicator index a finding's `where` names (`name` or `name#2`), if any. */
function indicatorIndex(record: FormRecord, where: string): number | null {
  if (record.docType === 'evaluation_report') return null;
  const m = /^(.*?)(?:#(\d+))?$/.exec(where);
  const [name, nth] = [m?.[1] ?? where, Number(m?.[2] ?? 1)];
  let seen = 0;
  for (let i = 0; i < record.indicators.length; i++) {
    if (record.indicators[i]!.name === name && ++seen === nth) return i;
  }
  return null;
}

/** The parts of a form's provenance that hold its figures: its rows, its funding block, its 总分 (not its head or goals). */
const FIGURE_PARTS = /^(?:indicators|funding|total)(?:\.|$)/;

/**
 * The lowest OCR confidence among the spans a finding rests on: its indicator row; for a funding
 * finding (a self-evaluation's, or a declaration's breakdown), the cells it compares where each was
 * read (a figure it does not involve, unsure, does not put it in doubt), else the funding rows;
 * otherwise (a total, Σ over the rows) every figure span of the form (a year read unsure in a
 * goal's text puts no sum in doubt). A cell left empty has no reading to doubt.
 */
function confidenceOf(record: FormRecord, f: Finding, provenance: Record<string, SourceSpan>): number | null {
  const i = indicatorIndex(record, f.where);
  const cells = [...comparedCells(f), ...breakdownCells(f)].flatMap((k) => (provenance[k] ? [provenance[k]] : []));
  const spans =
    i !== null
      ? [provenance[`indicators.${i}`]]
      : cells.length > 0
        ? cells
        : f.where.startsWith('funding') && provenance.funding
          ? [provenance.funding]
          : Object.entries(provenance).flatMap(([k, span]) => (FIGURE_PARTS.test(k) ? [span] : []));
  const cs = spans.map((s) => s?.confidence).filter((c): c is number => c !== undefined);
  return cs.length ? Math.min(...cs) : null;
}

/** Two amounts five times or more apart (a power of ten, give or take): a separator or a point misread, not a discrepancy. */
function scaleApart(a: number | null, b: number | null): boolean {
  if (a === null || b === null || a <= 0 || b <= 0) return false;
  return a / b >= 5 || b / a >= 5;
}

const sum = (xs: (number | null)[]): number => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/** Digits a blurred or binarised scan reads one for the other. */
const LOOKALIKE_DIGITS = new Set(['35', '38', '58', '56', '68', '69', '89', '08', '06', '09', '17']);

/**
 * A thin face's 4 whose diagonal a photocopy broke reads 1: a look-alike for a row's 分值 and 得分
 * (small whole numbers), not for amounts, where a 1 against a 4 stays a discrepancy.
 */
const THIN_FACE_SCORE_DIGITS = new Set(['14']);

/** A 得分 and a 分值 of one digit that a thin face's photocopy reads one for the other (4 and 1). */
const thinFaceDigits = (a: string, b: string): boolean => a.length === 1 && b.length === 1 && THIN_FACE_SCORE_DIGITS.has([a, b].sort().join(''));

/**
 * Two strings of digits that differ as a scan misreads them: one digit for a look-alike (5 read as
 * 3, 8 as 6) or a leading digit lost or added. Another single-digit difference (1,480,000 against
 * 1,380,000) is as likely a misprint, and stays a discrepancy.
 */
export function misreadDigitApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  const [s, t] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length < t.length) return s === t.slice(1);
  let i = 0;
  while (s[i] === t[i]) i++;
  const pair = [s[i]!, t[i]!].sort().join('');
  return s.slice(i + 1) === t.slice(i + 1) && LOOKALIKE_DIGITS.has(pair);
}

/** Two strings of digits of one length that differ only in look-alike digits, in one place or more (=100.00 read as =190.99). */
function lookalikeDigitsApart(a: string, b: string): boolean {
  if (a === b || a.length !== b.length) return false;
  return Array.from(a).every((c, i) => c === b[i] || LOOKALIKE_DIGITS.has([c, b[i]!].sort().join('')));
}

/**
 * Two amounts whose digits, to the cent, differ as a scan misreads them: 5,066,552.00 read as
 * 3,066,552.00, 1,934.41 as 934.41 (a leading 1 lost to the blur).
 */
function digitApart(a: number | null, b: number | null): boolean {
  const cents = (x: number): string => Math.abs(x).toFixed(2).replace(/\D/g, '');
  return a !== null && b !== null && misreadDigitApart(cents(a), cents(b));
}

/**
 * The amount of a breakdown (0: the total; i: its i-th part) read a misread digit from the figure
 * with which the breakdown holds: the total from the sum of its parts, or a part from the total
 * less the other parts (上年结转资金 0.00 read as 9.00 beside 376.00 = 376.00 + 9.00 + 0.00).
 * -1 when no amount is. A blank part counts as nothing and is not itself weighed.
 */
function misreadInBreakdown(whole: number | null, parts: (number | null)[]): number {
  if (whole === null) return -1;
  const added = sum(parts);
  if (digitApart(whole, added)) return 0;
  const round = (x: number): number => Math.round(x * 100) / 100;
  const part = parts.findIndex((p) => p !== null && digitApart(p, round(whole - (added - p))));
  return part >= 0 ? part + 1 : -1;
}

/**
 * 全年执行数 / 全年预算数 rounds or truncates to the printed 执行率 (two decimals) once a digit is
 * put back before one amount's first: 454,341.54 read for 1,454,341.54. A printed rate off by its
 * last digit (96.963 printed as 96.97) is not reached by such a repair either, and stays an error.
 */
function leadingDigitLost(executed: number | null, budget: number | null, printed: number | null): boolean {
  if (executed === null || budget === null || printed === null || executed <= 0 || budget <= 0) return false;
  const restored = (x: number): number[] => {
    const place = 10 ** (Math.floor(Math.log10(x)) + 1);
    return x >= 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => d * place + x) : [];
  };
  const agrees = (e: number, b: number): boolean => {
    const rate = (100 * e) / b;
    return rate >= printed - 0.005 - 1e-9 && rate < printed + 0.01;
  };
  return restored(executed).some((e) => agrees(e, budget)) || restored(budget).some((b) => agrees(executed, b));
}

/**
 * The budget 得分 the rate gives (分值 × min(执行率, 100%), rounded or cut to the printed 得分's
 * decimals) where the printed one is a misread digit from it: 5.83 read for 8.83 = 10 × 88.32%.
 * Null when no rate gives one.
 */
function scoreOneGlyphFrom(score: number | null, weight: number | null, rates: (number | null)[]): string | null {
  if (score === null || weight === null || score < 0) return null;
  const places = [0, 1, 2].find((d) => Math.abs(Number(score.toFixed(d)) - score) < 1e-9);
  if (places === undefined) return null;
  const digits = (x: number): string => x.toFixed(places).replace(/\D/g, '');
  for (const rate of rates) {
    if (rate === null || rate < 0) continue;
    const exact = (weight * Math.min(rate, 100)) / 100;
    const unit = 10 ** places;
    for (const due of [Math.round(exact * unit) / unit, Math.floor(exact * unit + 1e-9) / unit]) {
      if (misreadDigitApart(digits(score), digits(due))) return due.toFixed(places);
    }
  }
  return null;
}

/** Two strings of digits of one length that differ in one place (any two digits). */
const oneDigitApart = (a: string, b: string): boolean => glyphsApart(a, b) === 1;

/**
 * One funding amount misread by one digit, as the form's own figures show: where a column's
 * 年度资金总额 and its parts disagree, one cell read as the others say it is (a part as the total
 * less the other parts, or the total as the sum of its parts), one digit from its reading, makes
 * the breakdown hold and at least one more funding check that failed (a rate, a score) hold too,
 * and fails none that held. Two checks that one digit of one cell explains are a misread, not two
 * discrepancies: 155.47 read for 155.17 in 当年财政拨款's 全年预算数, beside a total of 155.17
 * and a 执行率 of 97.77% = 151.72 / 155.17. Returns the findings (`rule|where`) the misread
 * explains, with the reason; null when no one cell does.
 */
export function oneAmountMisread(record: SelfEvaluation, printed?: PrintedMap): { explains: Set<string>; reason: string } | null {
  const key = (f: Finding): string => `${f.rule}|${f.where}`;
  const before = new Set(checkFunding(record, 0, printed).map(key));
  const cents = (x: number): string => Math.abs(x).toFixed(2).replace(/\D/g, '');
  const round = (x: number): number => Math.round(x * 100) / 100;
  for (const column of MONEY_COLUMNS) {
    if (!before.has(`funding.breakdown|funding.total.${column}`)) continue;
    const whole = record.funding.total[column];
    const parts = FUNDING_ROWS.slice(1).map((row) => record.funding[row][column]);
    if (whole === null || parts.some((x) => x === null)) continue;
    const partsSum = sum(parts);
    const readings = FUNDING_ROWS.map((row, i) => ({ row, read: i === 0 ? whole : parts[i - 1]!, as: round(i === 0 ? partsSum : whole - (partsSum - parts[i - 1]!)) }));
    for (const { row, read, as } of readings) {
      if (as < 0 || !oneDigitApart(cents(read), cents(as))) continue;
      const mended: SelfEvaluation = { ...record, funding: { ...record.funding, [row]: { ...record.funding[row], [column]: as } } };
      const after = new Set(checkFunding(mended, 0, printed).map(key));
      const explains = new Set([...before].filter((k) => !after.has(k)));
      if ([...after].every((k) => before.has(k)) && explains.size >= 2) {
        return { explains, reason: `${ROW_LABEL[row]}'s ${COLUMN_LABEL[column]} read as ${read} is one digit from ${as}, with which the breakdown and ${explains.size - 1} more funding check(s) hold` };
      }
    }
  }
  return null;
}

/** Findings that compare a row's 实际完成值 with its 年度指标值. */
const ACHIEVEMENT_RULES = new Set(['indicator.met_but_deducted', 'indicator.unmet_full_score']);

/**
 * The side of a target/actual pair that lost its % to the scan: one side a rate in %, the other a
 * bare figure of 200 or more (=100% beside =10000 or 10036: the % read as digits). A bare figure
 * beside a rate is otherwise printed (≥95% met by 96), so only an implausible rate counts.
 */
function percentLost(target: string | null, actual: string | null): string | null {
  const [t, a] = [parseMeasure(target), parseMeasure(actual)];
  if (!t || !a) return null;
  const bareBeside = (x: Measure, y: Measure): boolean => x.unit === null && x.value !== null && x.value >= 200 && y.unit === '%';
  if (bareBeside(a, t)) return `the 实际完成值 ${a.text}`;
  if (bareBeside(t, a)) return `the 年度指标值 ${t.text}`;
  return null;
}

/**
 * A target missed by what a scan misreads, where the row has its full 得分 (which says it was
 * met): the actual's digits and the target's differ as a scan misreads them (=0次 read beside 9次;
 * =100% beside 190.99%, each 0 read as a 9), or the actual stands on the bound of a strict target
 * (>99% beside 99.00%: a ≥ whose bar the scan lost). Both figures in the same unit; null when the
 * miss is more than that.
 */
function missedByMisread(target: string | null, actual: string | null): string | null {
  const [t, a] = [parseMeasure(target), parseMeasure(actual)];
  if (!t || !a || t.value === null || a.value === null || (t.unit ?? '') !== (a.unit ?? '')) return null;
  if ((t.op === '>' || t.op === '<') && a.value === t.value) return `the 实际完成值 ${a.text} is the bound of the 年度指标值 ${t.text}, whose ≥ or ≤ may have lost its bar`;
  const places = Math.max(t.decimals ?? 0, a.decimals ?? 0);
  const digits = (m: Measure): string => Math.abs(m.value!).toFixed(places).replace(/\D/g, '');
  if (misreadDigitApart(digits(t), digits(a))) return `the 实际完成值 ${a.text} and the 年度指标值 ${t.text} differ by a misread digit`;
  return lookalikeDigitsApart(digits(t), digits(a)) ? `the 实际完成值 ${a.text} and the 年度指标值 ${t.text} differ only in look-alike digits` : null;
}

/** Findings about one row's 得分 against its 分值 and target. */
const SCORE_RULES = new Set(['indicator.deduction_without_reason', 'indicator.met_but_deducted', 'indicator.unmet_full_score', 'indicator.score_range']);

/**
 * Why the figures a finding compares are more likely misread than misprinted, on an OCR-read form:
 * the amounts compared are a power of ten apart (a lost separator or point), a total differs from
 * the sum of its parts by a misread digit, or a rate agrees once a lost leading digit is put back;
 * a row's target and actual, one a % and the other a bare figure no rate can be (the % read as
 * digits), or, for a full score against a missed target, apart as a scan misreads them; for the indicator
 * table, its 分值 column does not add up to the printed total (a weight was misread and the scores
 * beside it are in doubt too) or a 得分 stands above its own 分值; for a row's deduction, the 得分
 * column does not add up to the printed 总分 and the deduction would not stand were its own 得分 the
 * figure misread (and its 分值 column could be checked: every cell read). Null when nothing says so.
 */
export function misreadReason(record: FormRecord, f: Finding, printed?: PrintedMap): string | null {
  if (record.docType === 'target_declaration' && f.rule === 'target.funding_breakdown') {
    const b = BREAKDOWNS.find((x) => f.where === `funding.${x.total}`);
    const [whole, parts] = b ? [record.funding[b.total], b.parts.map((k) => record.funding[k])] : [null, []];
    if (scaleApart(whole, sum(parts))) return `the total and the sum of its parts are a power of ten apart`;
    const at = misreadInBreakdown(whole, parts);
    if (at === 0) return `the total and the sum of its parts differ by a misread digit`;
    if (at > 0) return `${b?.parts[at - 1]} is a misread digit from the figure with which the breakdown holds`;
  }
  if (record.docType !== 'self_evaluation') return null;
  if (f.rule.startsWith('funding.')) {
    const one = oneAmountMisread(record, printed);
    if (one?.explains.has(`${f.rule}|${f.where}`)) return one.reason;
  }
  const { total, currentYearFiscal, carryover, other } = record.funding;
  if (f.rule === 'funding.rate') {
    const key = FUNDING_ROWS.find((k) => f.where === `funding.${k}.executionRate`) ?? 'total';
    const row = record.funding[key];
    const computed = row.executed !== null && row.annualBudget ? (100 * row.executed) / row.annualBudget : null;
    if (scaleApart(computed, row.executionRate)) return `全年执行数 / 全年预算数 and the printed 执行率 are a power of ten apart`;
    if (leadingDigitLost(row.executed, row.annualBudget, row.executionRate)) return `全年执行数 / 全年预算数 agrees with the printed 执行率 once a leading digit lost from an amount is put back`;
  }
  if (f.rule === 'funding.breakdown') {
    const k = MONEY_COLUMNS.find((c) => f.where === `funding.total.${c}`);
    const [whole, parts] = k ? [total[k], [currentYearFiscal, carryover, other].map((p) => p[k])] : [null, []];
    if (scaleApart(whole, sum(parts))) return `年度资金总额 and the sum of its parts are a power of ten apart`;
    const at = misreadInBreakdown(whole, parts);
    if (at === 0) return `年度资金总额 and the sum of its parts differ by a misread digit`;
    if (at > 0 && k) return `${ROW_LABEL[FUNDING_ROWS[at]!]}'s ${COLUMN_LABEL[k]} is a misread digit from the figure with which the breakdown holds`;
  }
  if (f.rule === 'funding.score' && total.weight !== null && total.score !== null && (total.score > 1.5 * total.weight || (total.executionRate ?? 0) > 150)) {
    return `a budget 得分 or 执行率 beyond what the form can print`;
  }
  if (f.rule === 'funding.score') {
    // The 得分 is weighed against both routes to the rate; where those disagree by a power of ten,
    // an amount or the rate is misread, and so is the ground of the finding.
    const computed = total.executed !== null && total.annualBudget ? (100 * total.executed) / total.annualBudget : null;
    if (scaleApart(computed, total.executionRate)) return `全年执行数 / 全年预算数 and the printed 执行率 are a power of ten apart`;
    const due = scoreOneGlyphFrom(total.score, total.weight, [total.executionRate, computed]);
    if (due !== null) return `the 得分 ${total.score} is one misread digit from ${due}, 分值 × 执行率`;
  }
  if ((f.rule.startsWith('indicator.') || f.rule.startsWith('total.')) && record.totalWeight !== null) {
    // A 分值 not read (a faint lone figure) makes the column fall short without any figure misread:
    // with cells empty, only a column read above its printed total shows one.
    const column = tableColumn(record, 'weight');
    const weights = sum(column);
    const shown = Math.round(weights * 100) / 100;
    if (column.every((w) => w !== null) && Math.abs(weights - record.totalWeight) > 0.01) {
      return `the 分值 column adds up to ${shown}, not the printed ${record.totalWeight}`;
    }
    if (weights > record.totalWeight + 0.01) return `the 分值 read add up to ${shown}, more than the printed ${record.totalWeight}`;
  }
  if (f.rule === 'indicator.score_range') {
    // A 得分 above its 分值 one look-alike digit from it (19 read for a full 10): a full score misread.
    const own = indicatorIndex(record, f.where);
    const row = own === null ? undefined : record.indicators[own];
    const [score, weight] = [row?.score ?? null, row?.weight ?? null];
    if (score !== null && weight !== null && score > weight && Number.isInteger(score) && Number.isInteger(weight) && (misreadDigitApart(String(score), String(weight)) || thinFaceDigits(String(score), String(weight)))) {
      return `the 得分 ${score} is one misread digit from its 分值 ${weight}, a full score`;
    }
  }
  if (f.rule === 'total.score' || SCORE_RULES.has(f.rule)) {
    // A 得分 above its own 分值 cannot be printed on these forms: the 得分 column holds a misread
    // figure, and the total and the other rows' scores are in doubt (the row itself is its own finding).
    const own = indicatorIndex(record, f.where);
    const rows = [{ name: '年度资金总额', weight: total.weight, score: total.score }, ...record.indicators];
    const over = rows.find((r, i) => i - 1 !== own && r.weight !== null && r.score !== null && r.score > r.weight + 0.01);
    if (over) return `${over.name} has 得分 ${over.score} above its 分值 ${over.weight}`;
  }
  if (ACHIEVEMENT_RULES.has(f.rule)) {
    const own = indicatorIndex(record, f.where);
    const row = own === null ? null : record.indicators[own];
    const lost = row ? percentLost(row.target, row.actual) : null;
    if (lost) return `${lost} is read without the % of the other side and is no rate as read`;
    // A full score says the row was met: a misreading is what misses it.
    const glyph = row && f.rule === 'indicator.unmet_full_score' ? missedByMisread(row.target, row.actual) : null;
    if (glyph) return glyph;
  }
  const scores = tableColumn(record, 'score');
  if (SCORE_RULES.has(f.rule) && record.totalScore !== null && scores.every((x) => x !== null)) {
    // A row's deduction read from a 得分 column that does not add up to its printed total: one of
    // its figures is misread, by the difference — unless the finding stands whichever it was.
    const added = sum(scores);
    const off = added - record.totalScore;
    if (Math.abs(off) > 0.05 && !standsWhicheverMisread(record, f, off)) return `the 得分 column adds up to ${Math.round(added * 100) / 100}, not the printed ${record.totalScore}`;
  }
  return null;
}

/**
 * Whether a finding on a row's 得分 stands were any one figure of the 得分 column misread by `off`
 * (the column's sum less the printed 总分): if that figure is the row's own 得分, it was printed
 * `off` lower. A deduction stands when the column reads high (the 得分 was lower still) or when the
 * deduction is wider than the amount off (1.00 against a 分值 of 1.50, the column 0.20 low); a
 * 得分 above its 分值 likewise the other way. A full score against a missed target never does: any
 * other reading of it is no longer full.
 */
function standsWhicheverMisread(record: SelfEvaluation, f: Finding, off: number): boolean {
  const own = indicatorIndex(record, f.where);
  const row = own === null ? undefined : record.indicators[own];
  if (!row || row.weight === null || row.score === null) return false;
  // With a 分值 cell not read, the 分值 column cannot be checked against its printed total (see
  // misreadReason), so the row's own 分值, the other figure such a finding rests on, may be the one
  // misread: a flowscan probe's 得分 3 > 分值 1 was both printed 4, its 分值 column one cell short.
  if (tableColumn(record, 'weight').some((w) => w === null)) return false;
  const slack = 0.005;
  if (f.rule === 'indicator.deduction_without_reason' || f.rule === 'indicator.met_but_deducted') return off > 0 || row.weight - row.score > -off + slack;
  if (f.rule === 'indicator.score_range') return off < 0 || row.score - row.weight > off + slack;
  return false;
}

export function qualifyOcrFindings(record: FormRecord, findings: Finding[], provenance: Record<string, SourceSpan>, printed?: PrintedMap): Finding[] {
  return findings.map((f) => {
    if (f.severity === 'info') return { ...f, detail: `${f.detail} [read by OCR: verify the figures by eye]` };
    const c = confidenceOf(record, f, provenance);
    if (c !== null && c < LOW_CONFIDENCE) {
      return { ...f, severity: 'info', detail: `verify by eye (OCR confidence ${c.toFixed(2)} on the figures involved): ${f.detail}` };
    }
    const misread = misreadReason(record, f, printed);
    if (misread) return { ...f, severity: 'info', detail: `verify by eye (read by OCR; ${misread}: a figure is likely misread): ${f.detail}` };
    return { ...f, detail: `${f.detail} [read by OCR: verify the figures by eye]` };
  });
}
