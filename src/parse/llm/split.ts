/**
 * Structure-aware splitting of one serialised form into requests of at most `limit` input tokens
 * (system prompt + user message, by `estimateTokens`).
 *
 * A form with an indicator table (自评表, 申报表) is read as head | table header | rows | tail (总分 …):
 * part 1 carries the head, later parts the table header line(s) repeated plus consecutive rows; cuts fall
 * preferably where a 一级指标 group starts, else a 二级指标 group, else between rows, else at any line
 * (a line longer than a part is wrapped). A part that starts inside a group gets a `(续)` line naming the
 * group's labels (prompts/parts.md tells the model it is not printed). A form without a recognisable table
 * (evaluation reports) is cut at lines. Pure functions: the backend and `npm run eval -- --tokens` share them.
 */
import type { DocType } from '../../schema/records.js';
import { userPrompt, type PartKind } from './prompts.js';
import { estimateTokens } from './serialise.js';

export interface FormPart {
  k: number;
  n: number;
  kind: PartKind;
  /** The form text this part sends (table header and `(续)` line included). */
  text: string;
}

/** Cut priorities: lower is better; FORBIDDEN is never used. */
const L1 = 1;
const L2 = 2;
const ROW = 3;
const LINE = 4;
const INSIDE_LINE = 5;
const FORBIDDEN = 9;

const LEVEL1 = new Set(['产出指标', '效益指标', '成本指标', '满意度指标']);
/** Characters of 一级/二级指标 labels (产出指标, 经济成本指标, 可持续影响指标, 服务对象满意度指标 …). */
const LABEL_CHARS = /^[产出效益成本满意度数量质时经济社会生态环境可持续影响服务对象指标]+$/u;
/** Words of an indicator table's header row. */
const HEADER_WORDS = [
  '偏差原因分析及改进措施', '偏差原因分析', '及改进措施', '改进措施', '年度指标值', '指标目标值', '实际完成值', '一级指标', '二级指标', '三级指标',
  '绩效指标', '指标值', '完成值', '目标值', '评分标准', '分值', '得分', '权重', '备注', '序号', '一级', '二级', '三级', '年度', '实际', '指标', '绩效', '及',
];
const HEADER_RE = new RegExp(HEADER_WORDS.join('|'), 'g');
const TAIL_RE = /^(总分|合计|总计)/;
const ROW_END_RE = /(^|[\s|])-?\d+(\.\d+)?\s*(\|\s*)?-?\d+(\.\d+)?$/;

const squeeze = (s: string): string => s.replace(/\s+/g, '');

function isHeaderLine(line: string): boolean {
  const s = squeeze(line).replace(/\|/g, '');
  return s !== '' && s.replace(HEADER_RE, '') === '';
}

/** `产出指标数量指标` → ['产出指标', '数量指标']; null when the text is not made of labels. */
export function labelsOf(text: string): string[] | null {
  const s = squeeze(text);
  if (!LABEL_CHARS.test(s) || !s.endsWith('指标')) return null;
  const labels = s.split(/(?<=指标)/).filter((x) => x !== '');
  return labels.every((l) => l.length >= 4) ? labels : null;
}

interface Labels {
  level1: string | null;
  level2: string | null;
}

/** Labels read at a group start → the new state and whether a 一级 or a 二级 group starts. */
function applyLabels(labels: string[], state: Labels): { state: Labels; level: typeof L1 | typeof L2 } {
  const first = labels[0]!;
  // 成本指标 is a 二级指标 under 产出指标 in older forms, a 一级指标 (over 经济成本指标 …) in newer ones.
  const isLevel1 = LEVEL1.has(first) && !(labels.length === 1 && first === '成本指标' && state.level1 === '产出指标');
  if (isLevel1) return { state: { level1: first, level2: labels[1] ?? null }, level: L1 };
  return { state: { level1: state.level1, level2: labels.at(-1)! }, level: L2 };
}

export function carryLine(labels: Labels, level: number): string | null {
  if (level <= L1 || labels.level1 === null) return null;
  const cells = [`一级指标: ${labels.level1}`];
  if (level > L2 && labels.level2 !== null) cells.push(`二级指标: ${labels.level2}`);
  return `(续) ${cells.join(' | ')}`;
}

/** Where the indicator table is, and for each line the priority of a cut before it and the `(续)` line a part starting there needs. */
export interface TableLayout {
  headerStart: number;
  headerEnd: number;
  tailStart: number;
  cut: number[];
  carry: (string | null)[];
}

export function analyseTable(lines: string[]): TableLayout | null {
  const at = lines.findIndex((l) => squeeze(l).includes('三级指标'));
  if (at < 0) return null;
  let headerStart = at;
  while (headerStart > 0 && isHeaderLine(lines[headerStart - 1]!)) headerStart--;
  let headerEnd = at + 1;
  while (headerEnd < lines.length && isHeaderLine(lines[headerEnd]!)) headerEnd++;
  let tailStart = lines.findIndex((l, i) => i >= headerEnd && TAIL_RE.test(squeeze(l)));
  if (tailStart < 0) tailStart = lines.length;

  const cut: number[] = lines.map((_, i) => (i === 0 ? FORBIDDEN : LINE));
  const carry: (string | null)[] = lines.map(() => null);
  for (let i = headerStart + 1; i < headerEnd; i++) cut[i] = FORBIDDEN;
  if (headerStart > 0) cut[headerStart] = L1;
  let state: Labels = { level1: null, level2: null };
  const gridded = (l: string): boolean => l.includes(' | ');
  for (let i = headerEnd; i < tailStart; ) {
    const line = lines[i]!;
    // A label run over short lines (flow text: 产出 / 指标 / 数量 / 指标).
    let j = i;
    let run = '';
    while (j < tailStart && !gridded(lines[j]!) && squeeze(lines[j]!).length <= 6 && LABEL_CHARS.test(squeeze(lines[j]!))) run += squeeze(lines[j++]!);
    const runLabels = j > i ? labelsOf(run) : null;
    // Or leading label cells of a gridded row (产出指标 | 数量指标 | name | …).
    const cellLabels: string[] = [];
    if (!runLabels && gridded(line)) {
      for (const cell of line.split(' | ')) {
        const l = labelsOf(cell);
        if (!l || l.length !== 1) break;
        cellLabels.push(l[0]!);
      }
    }
    const labels = runLabels ?? (cellLabels.length > 0 ? cellLabels : null);
    const prevEndsRow = i > headerEnd && (ROW_END_RE.test(lines[i - 1]!.trim()) || (gridded(lines[i - 1]!) && gridded(line)));
    if (i > headerEnd) {
      if (labels) {
        const { level } = applyLabels(labels, state);
        cut[i] = level;
        carry[i] = carryLine(state, level);
      } else if (prevEndsRow) {
        cut[i] = ROW;
        carry[i] = carryLine(state, ROW);
      } else carry[i] = carryLine(state, LINE);
    }
    if (labels) state = applyLabels(labels, state).state;
    if (runLabels) {
      for (let m = i + 1; m < j; m++) cut[m] = FORBIDDEN;
      i = j;
    } else i++;
  }
  if (tailStart < lines.length) {
    cut[tailStart] = ROW;
    carry[tailStart] = null;
  }
  return { headerStart, headerEnd, tailStart, cut, carry };
}

/** Fractional token cost of one line (the newline joining it to the previous one: ¼). */
function lineCost(line: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of line) {
    if (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u.test(ch)) cjk++;
    else other++;
  }
  return cjk + other / 4;
}

/** A line longer than `max` tokens → pieces of at most `max`, cut after 。；; where possible. */
function wrapLine(line: string, max: number): string[] {
  if (lineCost(line) <= max) return [line];
  const out: string[] = [];
  let cur = '';
  let lastStop = -1;
  for (const ch of line) {
    if (lineCost(cur + ch) > max) {
      if (lastStop > 0) {
        out.push(cur.slice(0, lastStop));
        cur = cur.slice(lastStop);
      } else {
        out.push(cur);
        cur = '';
      }
      lastStop = -1;
    }
    cur += ch;
    if (/[。；;，,]/.test(ch)) lastStop = cur.length;
  }
  if (cur !== '') out.push(cur);
  return out;
}

interface Unit {
  text: string;
  cut: number;
  carry: string | null;
  inTable: boolean;
  inHead: boolean;
}

/** Longest preamble + <document part> wrapper of any part kind (k, n two digits): the per-part overhead. */
export function partOverhead(kinds: readonly PartKind[]): number {
  return Math.max(...kinds.map((kind) => estimateTokens(userPrompt('', { k: 99, n: 99, kind }))));
}

export interface SplitOptions {
  /** Input tokens one request may carry (system + user). */
  limit: number;
  /** Tokens of the system prompt (the largest one the request may be sent with). */
  systemTokens: number;
  /** Upper bound on a part's form text, whatever the limit (config chunkTokens, evaluation reports). */
  maxPartTokens?: number;
}

/**
 * The parts of one form: a single part (k 1 of 1, kind `any`, the text unchanged) when system + user
 * fit the limit; otherwise parts each fitting it, as far as the text allows (a table header plus the
 * `(续)` line plus one wrapped line always fit any limit above the prompts).
 */
export function splitForm(docType: DocType, text: string, opts: SplitOptions): FormPart[] {
  const whole = opts.systemTokens + estimateTokens(userPrompt(text));
  if (whole <= opts.limit && (opts.maxPartTokens === undefined || estimateTokens(text) <= opts.maxPartTokens)) return [{ k: 1, n: 1, kind: 'any', text }];
  const lines = text.split('\n');
  const table = docType === 'evaluation_report' ? null : analyseTable(lines);
  const kinds: PartKind[] = table ? ['first', 'head', 'rows', 'last'] : ['any'];
  // When the prompts alone leave (almost) nothing under the limit, parts stay readable and the requests are over.
  let budget = Math.max(opts.limit - opts.systemTokens - partOverhead(kinds), 80);
  if (opts.maxPartTokens !== undefined) budget = Math.min(budget, opts.maxPartTokens);
  const header = table ? lines.slice(table.headerStart, table.headerEnd) : [];
  const headerCost = header.reduce((s, l) => s + lineCost(l) + 0.25, 0);
  const carryReserve = 40;
  const lineMax = Math.max(20, Math.floor((budget - headerCost - carryReserve) / 2));

  const units: Unit[] = [];
  lines.forEach((line, i) => {
    const pieces = wrapLine(line, lineMax);
    pieces.forEach((p, m) => {
      const inTable = table !== null && i >= table.headerEnd;
      const cut = m > 0 ? INSIDE_LINE : table ? table.cut[i]! : i === 0 ? FORBIDDEN : LINE;
      const carry = table ? (m > 0 ? (table.carry[i] ?? null) : table.carry[i]!) : null;
      units.push({ text: p, cut, carry, inTable, inHead: table === null || i < table.headerStart });
    });
  });
  const cost = units.map((u) => lineCost(u.text));
  const prefixOf = (s: number): string[] => {
    const u = units[s]!;
    if (s === 0 || !u.inTable) return [];
    return u.carry ? [...header, u.carry] : header;
  };
  const prefixCost = (pre: string[]): number => pre.reduce((a, l) => a + lineCost(l) + 0.25, 0);

  const starts: number[] = [0];
  for (let s = 0; ; ) {
    const pre = prefixCost(prefixOf(s));
    let total = pre - 0.25;
    let e = s;
    while (e < units.length && Math.ceil(total + 0.25 + cost[e]!) <= budget) total += 0.25 + cost[e++]!;
    if (e >= units.length) break;
    if (e === s) e = s + 1; // one unit over the budget (cannot happen after wrapping unless the budget is tiny)
    let best = -1;
    let bestLevel = FORBIDDEN;
    let fill = pre - 0.25;
    const fills: number[] = [];
    for (let c = s; c < e; c++) fills.push((fill += 0.25 + cost[c]!));
    const half = pre + (budget - pre) / 2;
    for (const wantHalf of [true, false]) {
      for (let c = e; c > s; c--) {
        const lvl = units[c]!.cut;
        if (lvl >= FORBIDDEN || (wantHalf && fills[c - s - 1]! < half)) continue;
        if (lvl < bestLevel) {
          bestLevel = lvl;
          best = c;
        }
      }
      if (best > 0) break;
    }
    if (best < 0) best = e;
    starts.push(best);
    s = best;
  }

  const n = starts.length;
  return starts.map((s, idx) => {
    const end = starts[idx + 1] ?? units.length;
    const body = units.slice(s, end).map((u) => u.text);
    const k = idx + 1;
    let kind: PartKind = 'any';
    if (table) {
      if (k === 1) kind = 'first';
      else if (units[s]!.inHead) kind = 'head';
      else kind = k === n ? 'last' : 'rows';
    }
    return { k, n, kind, text: [...prefixOf(s), ...body].join('\n') };
  });
}

/** The parts the backend sends a form in, under the configured limits (shared with the token report). */
export function planParts(docType: DocType, text: string, systemTokens: number, settings: { maxRequestTokens: number; chunkAboveTokens: number; chunkTokens: number }): FormPart[] {
  return splitForm(docType, text, {
    limit: settings.maxRequestTokens,
    systemTokens,
    maxPartTokens: estimateTokens(text) > settings.chunkAboveTokens ? settings.chunkTokens : undefined,
  });
}

/** Input tokens of the request carrying `part` with a system prompt of `systemTokens`. */
export function requestTokens(part: FormPart, systemTokens: number): number {
  return systemTokens + estimateTokens(userPrompt(part.text, part.n > 1 ? part : undefined));
}
