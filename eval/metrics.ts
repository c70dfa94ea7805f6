/**
 * Eval metrics: record alignment, field precision/recall, indicator-row accuracy, goal-text
 * similarity and findings precision/recall. Pure functions over gold and predicted values; the
 * pipeline and the file system are eval/run.ts's business.
 *
 * Field counting (every scalar leaf of a record is a field):
 *   gold v, predicted v (equal; null = null included) → TP
 *   gold v, predicted w, both non-null, not equal     → FP + FN ("wrong")
 *   gold non-null, predicted null or absent           → FN ("missed")
 *   gold null, predicted absent                        → FN ("missed")
 *   gold null, predicted non-null                      → FP ("extra")
 *   gold absent, predicted present                     → FP ("extra": extra array element or record)
 * Predicted leaves that are not fields of the docType's schema (the project may add fields) are
 * ignored and only counted.
 */
import { docTypeLeaves, fieldEqual, isDocType, leaves, normText, type Leaf, type Scalar } from './fields.js';

// ── Input shapes (structural; src/pipeline.ts's DocumentResult must be assignable) ──────────────
export interface FindingLike {
  record: number;
  rule: string;
  where: string;
  severity: string;
  detail?: string;
}

export interface FormMetaLike {
  index: number;
  docType: string;
  title: string;
  status: 'parsed' | 'unparsed' | 'unsupported';
  reason?: string;
  record?: number;
  confidence?: number;
}

export interface PredictedDocument {
  file: string;
  records: readonly unknown[];
  findings: readonly FindingLike[];
  errors: readonly { file: string; form?: number; message: string }[];
  forms: readonly FormMetaLike[];
}

export interface GoldDocument {
  file: string;
  records: unknown[];
  findings: FindingLike[];
}

// ── Counting ──────────────────────────────────────────────────────────────────────────────────
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Prf {
  /** null when nothing was predicted although gold has items. */
  precision: number | null;
  /** null when gold has nothing although something was predicted. */
  recall: number | null;
  f1: number;
}

export function zeroCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

/** Precision/recall/F1; with no gold and no predicted items at all, P = R = F1 = 1. */
export function prf(c: Counts): Prf {
  if (c.tp + c.fp + c.fn === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);
  const f1 = c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return { precision, recall, f1 };
}

// ── Similarity ────────────────────────────────────────────────────────────────────────────────
/** Levenshtein distance over code points, O(n·m) time, two rows of memory. */
export function levenshtein(a: string, b: string): number {
  let s = Array.from(a);
  let t = Array.from(b);
  if (s.length < t.length) [s, t] = [t, s];
  const m = t.length;
  if (m === 0) return s.length;
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1]! + (si === t[j - 1] ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

/** 1 − Levenshtein / max length, on NFKC whitespace-stripped strings; two empty strings → 1. */
export function similarity(a: string, b: string): number {
  const x = normText(a);
  const y = normText(b);
  const len = Math.max(Array.from(x).length, Array.from(y).length);
  return len === 0 ? 1 : 1 - levenshtein(x, y) / len;
}

// ── Record alignment ──────────────────────────────────────────────────────────────────────────
export interface AlignedPair {
  gold: number;
  pred: number;
  by: 'name' | 'form' | 'order';
}

export interface Alignment {
  pairs: AlignedPair[];
  unmatchedGold: number[];
  unmatchedPred: number[];
  /** Gold records attributed to a form the pipeline did not parse: the form's status and reason. */
  refused: Map<number, { form: number; status: 'unparsed' | 'unsupported'; reason: string }>;
}

function field(r: unknown, key: string): unknown {
  return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>)[key] : undefined;
}

function nameKey(r: unknown): string | null {
  const n = field(r, 'projectName');
  return typeof n === 'string' ? normText(n) : null;
}

/**
 * Pair predicted records with gold records.
 * 1. same docType and equal normalised projectName (first unused, in order);
 * 2. where the pipeline reports exactly one form per gold record (forms.length = gold.length), the
 *    form at the gold record's position: its record if parsed, else the gold record is "refused"
 *    (not found, with the form's reason) and takes no further part;
 * 3. order: a remaining gold record takes the first unused predicted record of its docType lying
 *    between the predicted records paired with its nearest paired neighbours (positions are the
 *    records' form indices where `forms` says so, else their index in `records`).
 */
export function alignRecords(
  gold: readonly unknown[],
  pred: readonly unknown[],
  forms: readonly FormMetaLike[] = [],
): Alignment {
  const goldToPred = new Map<number, AlignedPair>();
  const usedPred = new Set<number>();
  const refused: Alignment['refused'] = new Map();
  const pair = (g: number, p: number, by: AlignedPair['by']): void => {
    goldToPred.set(g, { gold: g, pred: p, by });
    usedPred.add(p);
  };
  const docTypeOf = (r: unknown): unknown => field(r, 'docType');

  // 1. by name
  gold.forEach((g, gi) => {
    const key = nameKey(g);
    if (key === null) return;
    const pi = pred.findIndex((p, i) => !usedPred.has(i) && docTypeOf(p) === docTypeOf(g) && nameKey(p) === key);
    if (pi >= 0) pair(gi, pi, 'name');
  });

  // 2. by form position
  if (forms.length > 0 && forms.length === gold.length) {
    const byIndex = [...forms].sort((a, b) => a.index - b.index);
    gold.forEach((g, gi) => {
      if (goldToPred.has(gi)) return;
      const form = byIndex[gi];
      if (!form || form.docType !== docTypeOf(g)) return;
      if (form.status === 'parsed') {
        const r = form.record;
        if (r !== undefined && r >= 0 && r < pred.length && !usedPred.has(r) && docTypeOf(pred[r]) === docTypeOf(g)) {
          pair(gi, r, 'form');
        }
      } else {
        refused.set(gi, { form: form.index, status: form.status, reason: form.reason ?? '(no reason given)' });
      }
    });
  }

  // 3. by order, within the gap between paired neighbours
  const position = pred.map((_, i) => i);
  for (const f of forms) if (f.record !== undefined && f.record >= 0 && f.record < pred.length) position[f.record] = f.index;
  gold.forEach((g, gi) => {
    if (goldToPred.has(gi) || refused.has(gi)) return;
    let lo = -Infinity;
    let hi = Infinity;
    for (const [og, pr] of goldToPred) {
      const pos = position[pr.pred]!;
      if (og < gi && pos > lo) lo = pos;
      if (og > gi && pos < hi) hi = pos;
    }
    let best = -1;
    pred.forEach((p, pi) => {
      if (usedPred.has(pi) || docTypeOf(p) !== docTypeOf(g)) return;
      const pos = position[pi]!;
      if (pos > lo && pos < hi && (best < 0 || pos < position[best]!)) best = pi;
    });
    if (best >= 0) pair(gi, best, 'order');
  });

  const pairs = [...goldToPred.values()].sort((a, b) => a.gold - b.gold);
  return {
    pairs,
    unmatchedGold: gold.map((_, i) => i).filter((i) => !goldToPred.has(i)),
    unmatchedPred: pred.map((_, i) => i).filter((i) => !usedPred.has(i)),
    refused,
  };
}

// ── Record comparison ─────────────────────────────────────────────────────────────────────────
export interface FieldDiff {
  /** Gold record index, or null for an extra predicted record. */
  record: number | null;
  /** Predicted record index, or null when the gold record was not found. */
  predRecord: number | null;
  path: string;
  kind: 'wrong' | 'missed' | 'extra';
  /** undefined = the field is absent on that side. */
  gold?: Scalar;
  predicted?: Scalar;
}

export interface RecordComparison {
  counts: Counts;
  /** Every field that is not a TP. */
  diffs: FieldDiff[];
  /** Gold indicator rows all of whose fields are right. */
  indicatorRows: { correct: number; total: number };
  /** Similarity of each gold `goals.*` field with its prediction. */
  goals: { path: string; similarity: number }[];
  /** Predicted leaves outside the docType's schema (ignored). */
  ignoredLeaves: number;
}

/** The docType of a record, if it is one we know. */
function docTypeField(r: unknown): ReturnType<typeof docTypeLeaves> | null {
  const d = field(r, 'docType');
  return isDocType(d) ? docTypeLeaves(d) : null;
}

/**
 * Compare a predicted record (or null: not found) with a gold record, or an extra predicted record
 * with no gold (gold = null). Fields are the gold record's leaves plus the predicted leaves that are
 * fields of the schema of the gold record's docType (of the predicted record's, when gold is null).
 */
export function compareRecord(
  gold: unknown,
  predicted: unknown,
  ids: { gold: number | null; pred: number | null } = { gold: 0, pred: 0 },
): RecordComparison {
  const schema = docTypeField(gold ?? predicted);
  const goldLeaves = gold === null || gold === undefined ? [] : leaves(gold);
  const predAll = predicted === null || predicted === undefined ? [] : leaves(predicted);
  const predLeaves = schema ? predAll.filter((l) => schema.has(l.pattern)) : predAll;
  const ignoredLeaves = predAll.length - predLeaves.length;

  const predByPath = new Map<string, Leaf>(predLeaves.map((l) => [l.path, l]));
  const goldPaths = new Set(goldLeaves.map((l) => l.path));
  const counts = zeroCounts();
  const diffs: FieldDiff[] = [];
  const rightPaths = new Set<string>();
  const base = { record: ids.gold, predRecord: ids.pred };

  for (const g of goldLeaves) {
    const p = predByPath.get(g.path);
    if (p && fieldEqual(g.value, p.value)) {
      counts.tp++;
      rightPaths.add(g.path);
    } else if (!p) {
      counts.fn++;
      diffs.push({ ...base, path: g.path, kind: 'missed', gold: g.value });
    } else if (g.value !== null && p.value === null) {
      counts.fn++;
      diffs.push({ ...base, path: g.path, kind: 'missed', gold: g.value, predicted: null });
    } else if (g.value === null) {
      counts.fp++;
      diffs.push({ ...base, path: g.path, kind: 'extra', gold: null, predicted: p.value });
    } else {
      counts.fp++;
      counts.fn++;
      diffs.push({ ...base, path: g.path, kind: 'wrong', gold: g.value, predicted: p.value });
    }
  }
  for (const p of predLeaves) {
    if (goldPaths.has(p.path)) continue;
    counts.fp++;
    diffs.push({ ...base, path: p.path, kind: 'extra', predicted: p.value });
  }

  // Indicator rows: a gold row is right when all of its gold fields are.
  const rows = new Map<string, boolean>();
  for (const g of goldLeaves) {
    const m = /^indicators\.(\d+)\./.exec(g.path);
    if (!m) continue;
    const row = m[1]!;
    rows.set(row, (rows.get(row) ?? true) && rightPaths.has(g.path));
  }
  const indicatorRows = { correct: [...rows.values()].filter(Boolean).length, total: rows.size };

  const goals = goldLeaves
    .filter((g) => g.path.startsWith('goals.'))
    .map((g) => {
      const p = predByPath.get(g.path);
      let sim = 0;
      if (p && g.value === null && p.value === null) sim = 1;
      else if (p && typeof g.value === 'string' && typeof p.value === 'string') sim = similarity(g.value, p.value);
      return { path: g.path, similarity: sim };
    });

  return { counts, diffs, indicatorRows, goals, ignoredLeaves };
}

// ── Findings ──────────────────────────────────────────────────────────────────────────────────
export interface FindingsComparison {
  counts: Counts;
  missed: FindingLike[];
  extra: FindingLike[];
}

export function isInfo(f: FindingLike): boolean {
  return f.severity === 'info';
}

/**
 * Multiset match of findings by (gold record index, rule, normalised `where`). Predicted findings'
 * record indices are mapped to gold indices through the alignment (`predToGold`); a finding on a
 * predicted record with no gold counterpart cannot match.
 */
export function matchFindings(
  gold: readonly FindingLike[],
  predicted: readonly FindingLike[],
  predToGold: ReadonlyMap<number, number>,
): FindingsComparison {
  const key = (record: string, f: FindingLike): string => `${record}\u0000${f.rule}\u0000${normText(f.where)}`;
  const pool = new Map<string, FindingLike[]>();
  for (const g of gold) {
    const k = key(String(g.record), g);
    pool.set(k, [...(pool.get(k) ?? []), g]);
  }
  const counts = zeroCounts();
  const extra: FindingLike[] = [];
  for (const p of predicted) {
    const mapped = predToGold.get(p.record);
    const k = key(mapped === undefined ? `pred:${p.record}` : String(mapped), p);
    const list = pool.get(k);
    if (list && list.length > 0) {
      list.shift();
      counts.tp++;
    } else {
      counts.fp++;
      extra.push(p);
    }
  }
  const missed = [...pool.values()].flat();
  counts.fn = missed.length;
  return { counts, missed, extra };
}

// ── Document ──────────────────────────────────────────────────────────────────────────────────
export type FileStatus = 'scored' | 'not-yet-supported';

export interface NotFoundRecord {
  record: number;
  docType: string;
  projectName: string;
  fields: number;
  /** Why: the unparsed/unsupported form's reason, or "no matching record". */
  reason: string;
}

export interface ExtraRecord {
  predRecord: number;
  docType: string;
  projectName: string;
  fields: number;
}

export interface FileEval {
  file: string;
  status: FileStatus;
  /** For not-yet-supported files, what the pipeline said. */
  statusNote?: string;
  records: { expected: number; found: number; predicted: number; extra: number };
  pairs: AlignedPair[];
  fields: Counts & Prf;
  indicatorRows: { correct: number; total: number; accuracy: number | null };
  goals: { n: number; sum: number; mean: number | null };
  findings: Counts & Prf & { missed: FindingLike[]; extra: FindingLike[] };
  infoFindings: Counts & Prf & { missed: FindingLike[]; extra: FindingLike[] };
  /** Wrong/missed/extra fields of found records (not-found and extra records are summarised below). */
  diffs: FieldDiff[];
  notFound: NotFoundRecord[];
  extraRecords: ExtraRecord[];
  forms: { total: number; parsed: number; refused: FormMetaLike[] };
  pipelineErrors: { form?: number; message: string }[];
  /** Gold records' disagreements with the schema (should be empty). */
  goldSchemaIssues: string[];
  ignoredPredictedLeaves: number;
  ms?: number;
}

export interface EvaluateOptions {
  /** DocTypes the pipeline is not expected to handle yet: a file whose gold records are all of
   *  these and for which no record of those types was predicted is "not yet supported". */
  pendingDocTypes?: readonly string[];
  /** Cross-check function for gold records (eval/fields.ts's crossCheckRecord). */
  crossCheck?: (record: unknown) => string[];
}

export const PENDING_DOC_TYPES: readonly string[] = ['evaluation_report'];

function withPrf<T extends Counts>(c: T): T & Prf {
  return { ...c, ...prf(c) };
}

function label(r: unknown): { docType: string; projectName: string } {
  const d = field(r, 'docType');
  const n = field(r, 'projectName');
  return { docType: typeof d === 'string' ? d : '?', projectName: typeof n === 'string' ? n : '?' };
}

export function evaluateDocument(gold: GoldDocument, pred: PredictedDocument, opts: EvaluateOptions = {}): FileEval {
  const pending = opts.pendingDocTypes ?? PENDING_DOC_TYPES;
  const align = alignRecords(gold.records, pred.records, pred.forms);
  const predToGold = new Map(align.pairs.map((p) => [p.pred, p.gold]));

  let fieldCounts = zeroCounts();
  const diffs: FieldDiff[] = [];
  const rows = { correct: 0, total: 0 };
  const goals = { n: 0, sum: 0 };
  let ignored = 0;
  const notFound: NotFoundRecord[] = [];
  const extraRecords: ExtraRecord[] = [];

  const paired = new Map(align.pairs.map((p) => [p.gold, p.pred]));
  gold.records.forEach((g, gi) => {
    const pi = paired.get(gi);
    const cmp = compareRecord(g, pi === undefined ? null : pred.records[pi], { gold: gi, pred: pi ?? null });
    fieldCounts = addCounts(fieldCounts, cmp.counts);
    rows.correct += cmp.indicatorRows.correct;
    rows.total += cmp.indicatorRows.total;
    goals.n += cmp.goals.length;
    goals.sum += cmp.goals.reduce((s, x) => s + x.similarity, 0);
    ignored += cmp.ignoredLeaves;
    if (pi === undefined) {
      const r = align.refused.get(gi);
      notFound.push({
        record: gi,
        ...label(g),
        fields: cmp.counts.fn,
        reason: r ? `form #${r.form} ${r.status}: ${r.reason}` : 'no matching predicted record',
      });
    } else {
      diffs.push(...cmp.diffs);
    }
  });
  for (const pi of align.unmatchedPred) {
    const cmp = compareRecord(null, pred.records[pi], { gold: null, pred: pi });
    fieldCounts = addCounts(fieldCounts, cmp.counts);
    ignored += cmp.ignoredLeaves;
    extraRecords.push({ predRecord: pi, ...label(pred.records[pi]), fields: cmp.counts.fp });
  }

  const main = matchFindings(
    gold.findings.filter((f) => !isInfo(f)),
    pred.findings.filter((f) => !isInfo(f)),
    predToGold,
  );
  const info = matchFindings(gold.findings.filter(isInfo), pred.findings.filter(isInfo), predToGold);

  const goldTypes = new Set(gold.records.map((r) => label(r).docType));
  const predOfGoldTypes = pred.records.filter((r) => goldTypes.has(label(r).docType)).length;
  const refusedForms = pred.forms.filter((f) => f.status !== 'parsed');
  const allUnsupported = pred.forms.length > 0 && pred.forms.every((f) => f.status === 'unsupported');
  const allPending = goldTypes.size > 0 && [...goldTypes].every((t) => pending.includes(t));
  const notYet = gold.records.length > 0 && predOfGoldTypes === 0 && (allUnsupported || allPending);
  const statusNote = notYet
    ? refusedForms.length > 0
      ? refusedForms.map((f) => `form #${f.index} ${f.status}: ${f.reason ?? '(no reason)'}`).join('; ')
      : pred.errors.length > 0
        ? `pipeline error: ${pred.errors[0]!.message}`
        : 'no record produced'
    : undefined;

  const crossCheck = opts.crossCheck;
  const goldSchemaIssues = crossCheck
    ? gold.records.flatMap((r, i) => crossCheck(r).map((s) => `gold record ${i}: ${s}`))
    : [];

  return {
    file: gold.file,
    status: notYet ? 'not-yet-supported' : 'scored',
    ...(statusNote === undefined ? {} : { statusNote }),
    records: {
      expected: gold.records.length,
      found: align.pairs.length,
      predicted: pred.records.length,
      extra: align.unmatchedPred.length,
    },
    pairs: align.pairs,
    fields: withPrf(fieldCounts),
    indicatorRows: { ...rows, accuracy: rows.total === 0 ? null : rows.correct / rows.total },
    goals: { ...goals, mean: goals.n === 0 ? null : goals.sum / goals.n },
    findings: { ...withPrf(main.counts), missed: main.missed, extra: main.extra },
    infoFindings: { ...withPrf(info.counts), missed: info.missed, extra: info.extra },
    diffs,
    notFound,
    extraRecords,
    forms: {
      total: pred.forms.length,
      parsed: pred.forms.filter((f) => f.status === 'parsed').length,
      refused: refusedForms,
    },
    pipelineErrors: pred.errors.map((e) => (e.form === undefined ? { message: e.message } : { form: e.form, message: e.message })),
    goldSchemaIssues,
    ignoredPredictedLeaves: ignored,
  };
}

export interface TotalEval {
  files: number;
  excluded: string[];
  records: { expected: number; found: number; predicted: number; extra: number };
  fields: Counts & Prf;
  indicatorRows: { correct: number; total: number; accuracy: number | null };
  goals: { n: number; sum: number; mean: number | null };
  findings: Counts & Prf;
  infoFindings: Counts & Prf;
}

/** Micro-averaged total over scored files; not-yet-supported files are listed in `excluded`. */
export function totalOf(files: readonly FileEval[]): TotalEval {
  const scored = files.filter((f) => f.status === 'scored');
  const add = (pick: (f: FileEval) => Counts): Counts => scored.map(pick).reduce(addCounts, zeroCounts());
  const total = (pick: (f: FileEval) => number): number => scored.reduce((s, f) => s + pick(f), 0);
  const records = {
    expected: total((f) => f.records.expected),
    found: total((f) => f.records.found),
    predicted: total((f) => f.records.predicted),
    extra: total((f) => f.records.extra),
  };
  const fields = add((f) => f.fields);
  const findings = add((f) => f.findings);
  const info = add((f) => f.infoFindings);
  const rows = { correct: total((f) => f.indicatorRows.correct), total: total((f) => f.indicatorRows.total) };
  const goals = { n: total((f) => f.goals.n), sum: total((f) => f.goals.sum) };
  return {
    files: scored.length,
    excluded: files.filter((f) => f.status !== 'scored').map((f) => f.file),
    records,
    fields: withPrf(fields),
    indicatorRows: { ...rows, accuracy: rows.total === 0 ? null : rows.correct / rows.total },
    goals: { ...goals, mean: goals.n === 0 ? null : goals.sum / goals.n },
    findings: withPrf(findings),
    infoFindings: withPrf(info),
  };
}
