/**
 * Lexicon repair of OCR text: the vocabulary of performance forms is small and fixed (the
 * indicator levels, the column heads, the usual endings of indicator names such as 完成率 or
 * 满意度), while tesseract misreads exactly those glyphs on blurred scans (率 → 淘, 量 → 最).
 * A cell line that ends in a window differing from one lexicon word in one character, where that
 * character is foreign to the whole lexicon, is taken to end in that word. Words shorter than three characters
 * are never used: one substitution in two characters is a guess, not a repair.
 */

import type { Token } from './types.js';
import { MIN_LIKENESS, vocabulary } from './ocr-vocabulary.js';

/** CJK glyphs tesseract reads for blurred digits in a figure cell (了5 or 巧 for 15, 司 for 15, 丁 for 1). */
export const DIGIT_LOOKALIKE_GLYPHS = '了巧司习刀丁';

/** Domain vocabulary (data, not tuned to any one document). */
export const FORM_LEXICON: readonly string[] = [
  // 指标层级 (indicator levels)
  '产出指标', '效益指标', '满意度指标', '数量指标', '质量指标', '时效指标', '成本指标',
  '经济成本指标', '社会成本指标', '生态环境成本指标', '经济效益指标', '社会效益指标',
  '生态效益指标', '可持续影响指标', '服务对象满意度指标',
  // 表头 (form heads)
  '项目名称', '主管部门', '实施单位', '项目资金', '年初预算数', '全年预算数', '全年执行数',
  '执行率', '年度资金总额', '当年财政拨款', '上年结转资金', '其他资金', '年度总体目标',
  '预期目标', '实际完成情况', '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值',
  '偏差原因分析及改进措施', '绩效自评表', '绩效目标申报表', '项目支出', '财政项目',
  // 指标名称的常见结尾 (usual endings of indicator names)
  '完成率', '合格率', '及时率', '准确率', '正常率', '到位率', '覆盖率', '达标率', '知晓率',
  '使用率', '满意度', '满意率', '知晓度', '认可度', '响应度', '投诉率', '合规率', '响应率', '处理率', '办结率', '故障率',
  '差错率', '出错率', '利用率', '完好率', '保障率', '通过率', '参与率', '受益率', '开通率',
  '上线率', '运行率', '发放率', '回收率', '支付率', '执行率', '验收合格率', '完成及时率',
  '合规性', '健全性', '完整性', '规范性', '有效性', '及时性', '准确性', '合理性', '安全性',
  '稳定性', '可用性', '可靠性', '保密性', '基本健全', '基本完成', '基本达到', '基本满意',
  // 经费名称的常见结尾 (usual endings of project names)
  '运行费', '维护费', '制作费', '购置费', '建设费', '运维费', '服务费', '工作经费', '专项经费',
  '业务费', '租赁费', '宣传费', '培训费', '印刷费', '邮寄费',
];

/** Only a glyph read below this confidence (0–1) is replaced. */
const MAX_REPAIR_CONFIDENCE = 0.9;

const LEXICON_CHARS = new Set(FORM_LEXICON.flatMap((w) => Array.from(w)));
const LEXICON_WORDS = [...new Set(FORM_LEXICON)];
const BY_LENGTH = new Map<number, string[]>();
for (const w of LEXICON_WORDS) {
  const n = Array.from(w).length;
  if (n >= 3) BY_LENGTH.set(n, [...(BY_LENGTH.get(n) ?? []), w]);
}

const LONGEST_WORD = Math.max(...BY_LENGTH.keys());

/**
 * The lexicon words that `window` reaches by replacing one character foreign to the lexicon, or one
 * tesseract is known to read for the word's (READ_AS: 认 for 率, though 认可度 is a word).
 */
function repairsOf(window: string[]): string[] {
  const out: string[] = [];
  for (const w of BY_LENGTH.get(window.length) ?? []) {
    const chars = Array.from(w);
    let diff = -1;
    let ok = true;
    for (let i = 0; i < chars.length && ok; i++) {
      if (chars[i] === window[i]) continue;
      if (diff >= 0 || (LEXICON_CHARS.has(window[i]!) && !(READ_AS[chars[i]!]?.includes(window[i]!) ?? false))) ok = false;
      else diff = i;
    }
    if (ok && diff >= 0) out.push(w);
  }
  return out;
}

/**
 * Glyphs tesseract (chi_sim) reads for a glyph of the lexicon on blurred scans and photocopies (seen
 * on the sample scans and photocopies): where a window reaches two words (及时窑: 及时率 or 及时性),
 * the one whose differing glyph is misread so is taken.
 */
const READ_AS: Readonly<Record<string, string>> = {
  率: '涂淘池窑举素训卒认',
  性: '件牲住',
  // 费 ending a project name read as 名 (社会保险经办业务名, 制卡设备更新及维护名, 敬老卡制作名:
  // gray photocopies of three documents, at 0.86–0.93), though 名 is the lexicon's own (项目名称);
  // below 0.9 only, as every READ_AS glyph not in SURE_MISREADS (a line ending in a sure 名 stays: 业务名 | 单).
  费: '名',
};

/** Of READ_AS, the glyphs read for a word's glyph at any confidence that end no word of their own there (not 池, 认, 件, 名). */
const SURE_MISREADS: Readonly<Record<string, string>> = { 率: '素淘窑' };

/**
 * A glyph tesseract (chi_sim) reads for another, in these forms' text, where the glyph read is no
 * word there: 最 for 量 (数量 read as 数最, 制卡量与 as 制卡最与, 发放量 as 发放最; seen on the photocopy
 * samples at confidences up to 0.9). 最 stays where it begins a word: before what it qualifies
 * (最高, 最低, 最终, 最大限度, 最多, 最新 …).
 */
const MISREAD_FOR: readonly MisreadGlyph[] = [
  { read: '最', meant: '量', keep: /^[多少高低大小长短快慢好佳优新早晚近远终后先初为具重主关适严]/u },
  // 目 read as 日 (its middle strokes blurred together) in the two words of these forms it begins
  // or ends: 项目 (项日实施, 影响项日长效管理) and 目标 (年度日标). 各项日常工作 and 每日标准 are
  // words with 日.
  { read: '日', meant: '目', before: /项$/u, keep: /^[常程]/u },
  { read: '日', meant: '目', after: /^标/u, keep: /^标准/u, notBefore: /[每当次同单周逐]$/u },
  // Glyphs read for the one of a fixed term that no word has there: 有南投诉, 有资投诉 (有责投诉; 有效投诉 is
  // a term too, and stays), 合规件 and 健全作 (合规性, 健全性), 满意放 (满意度), 数虽 and 数基 (数量).
  { read: '南资页', meant: '责', before: /有$/u, after: /^投诉/u },
  { read: '件作', meant: '性', before: /(?:合规|健全)$/u, keep: /^[数]/u },
  { read: '放', meant: '度', before: /满意$/u },
  { read: '虽基', meant: '量', before: /数$/u, keep: /^[础金地建]/u },
  // 人 read as 大 or 入 (its strokes blurred apart or together) before 员 (工作人员, 参保人员,
  // 离退休人员), which no word of these forms has: 员工 follows 扩大 or 纳入, and 录入员 is a word.
  { read: '大入', meant: '人', after: /^员/u, keep: /^员(?:工|额)/u, notBefore: /[录输收加纳投注出进]$/u },
  // …and in 人次 after a figure or in its unit's bracket (25.00(大次/日)), and in 个人权益 (一个大… stays).
  // 列入员额, 扩大员额 are words.
  { read: '大', meant: '人', before: /[\d(（]$/u, after: /^次/u },
  { read: '大', meant: '人', before: /个$/u, after: /^(?:权益|缴费)/u, notBefore: /[一每各这那整两几]个$/u },
  // 日 read as 旦 in 日常 (不影响旦常业务工作): 旦常 is no word; 一旦 and 元旦 are.
  { read: '旦', meant: '日', after: /^常/u, notBefore: /[一元]$/u },
];

interface MisreadGlyph {
  /** The glyphs read (any one of them) for `meant`. */
  read: string;
  meant: string;
  /** What follows the glyph where it is what is printed. */
  keep?: RegExp;
  /** What must precede the glyph, or follow it, for it to be the misreading; what must not precede it. */
  before?: RegExp;
  after?: RegExp;
  notBefore?: RegExp;
}

/** The text with such misread glyphs put back (one glyph for one: confidences stay in place). */
export function repairMisreadGlyphs(text: string): string {
  let out = text;
  for (const { read, meant, keep, before, after, notBefore } of MISREAD_FOR) {
    const chars = Array.from(out);
    if (!chars.some((c) => read.includes(c))) continue;
    const misread = (i: number): boolean => {
      const [head, tail] = [chars.slice(0, i).join(''), chars.slice(i + 1).join('')];
      return !(keep?.test(tail) ?? false) && (before?.test(head) ?? true) && (after?.test(tail) ?? true) && !(notBefore?.test(head) ?? false);
    };
    out = chars.map((c, i) => (read.includes(c) && misread(i) ? meant : c)).join('');
  }
  return out;
}

/**
 * The candidates, narrowed to the one whose differing glyph is known to be read as the window's, or
 * else to the one whose differing glyph looks like the window's in print (知晓庶: 知晓度, not 知晓率),
 * when exactly one is.
 */
function tieBroken(cand: string[], window: string[]): string[] {
  if (cand.length < 2) return cand;
  const differing = (w: string): [meant: string, read: string] => {
    const chars = Array.from(w);
    const at = chars.findIndex((c, i) => c !== window[i]);
    return [chars[at]!, window[at]!];
  };
  const known = cand.filter((w) => {
    const [meant, read] = differing(w);
    return READ_AS[meant]?.includes(read) ?? false;
  });
  if (known.length === 1) return known;
  const alike = cand.filter((w) => {
    const [meant, read] = differing(w);
    return vocabulary().alike(read).some((a) => a.glyph === meant && a.likeness >= MIN_LIKENESS);
  });
  return alike.length === 1 ? alike : cand;
}

/**
 * Repairs the end of an OCR'd cell line against the lexicon: the words are labels that fill a cell
 * or endings of names, so only a window that ends the text is considered (维护人员 is not 维护费员).
 * Longer words first; a window with two candidates (及时率 / 及时性) is left alone. `confFromEnd(k)`
 * gives the OCR confidence of the k-th character from the end (1 = last); without it every
 * character counts as doubtful.
 */
export function repairWithLexicon(text: string, confFromEnd: (k: number) => number = () => 0): string {
  // A label can end in its unit: 执行率(%), 项目资金（元）. The word ends before it.
  const unit = /[(（][^()（）]{0,4}[)）]$/.exec(text);
  if (unit && unit.index > 0) {
    const tail = Array.from(unit[0]).length;
    return repairWithLexicon(text.slice(0, unit.index), (k) => confFromEnd(k + tail)) + unit[0];
  }
  const chars = Array.from(text);
  const lengths = [...BY_LENGTH.keys()].sort((a, b) => b - a);
  for (const n of lengths) {
    if (n > chars.length) continue;
    const window = chars.slice(chars.length - n);
    const cand = tieBroken(repairsOf(window), window);
    if (cand.length !== 1) continue;
    const word = Array.from(cand[0]!);
    const at = word.findIndex((c, i) => c !== window[i]);
    // A glyph read with confidence is what is printed (保障局 is not 保障率; 处理池, 回收池 are words),
    // unless it is one tesseract reads for the word's glyph however sure, and which makes no word
    // there itself (及时素, 到位素 at 0.9+).
    if (confFromEnd(n - at) >= MAX_REPAIR_CONFIDENCE && !(SURE_MISREADS[word[at]!]?.includes(window[at]!) ?? false)) continue;
    return [...chars.slice(0, chars.length - n), ...Array.from(cand[0]!)].join('');
  }
  return text;
}

/**
 * A cell's lines with the cell's end repaired across its last wrap. A name wrapped before its last
 * glyph or two (数字档案查询工作完成 / 率) leaves them on a line of their own, where tesseract reads
 * them without context (率 as 涂 or 淘) and the repair of that line alone has no word to go by: the
 * last line is repaired as the end of the last two lines joined. Only the last line's glyphs change.
 */
export function repairWrappedEnd(lines: Token[]): Token[] {
  const last = lines.at(-1);
  const prev = lines.at(-2);
  if (!last || !prev) return lines;
  const tail = Array.from(last.text);
  const head = Array.from(prev.text);
  if (tail.length >= LONGEST_WORD) return lines;
  const conf = (t: Token, n: number): number[] => t.glyphConfidence ?? Array.from({ length: n }, () => t.confidence ?? 0);
  const joined = [...conf(prev, head.length), ...conf(last, tail.length)];
  const repaired = Array.from(repairWithLexicon([...head, ...tail].join(''), (k) => joined[joined.length - k] ?? 1));
  if (repaired.length !== head.length + tail.length || repaired.slice(0, head.length).join('') !== prev.text) return lines;
  const text = repaired.slice(head.length).join('');
  return text === last.text ? lines : [...lines.slice(0, -1), { ...last, text }];
}

/** A letter, a digit or a Han glyph: what a text of marks alone has none of. */
const WORD_GLYPH = /[\p{L}\p{N}]/u;

/**
 * A text of marks alone (no letter, digit or Han glyph), as OCR reads a speck: a - or a : beside the
 * text of a cell. The empty text is one too.
 */
export const marksOnly = (text: string): boolean => !WORD_GLYPH.test(text);

/** How many places two texts of as many glyphs differ in, glyph for glyph; Infinity when their glyph counts differ. */
export function glyphsApart(a: string | readonly string[], b: string | readonly string[]): number {
  const [ca, cb] = [typeof a === 'string' ? Array.from(a) : a, typeof b === 'string' ? Array.from(b) : b];
  return ca.length === cb.length ? ca.filter((c, i) => c !== cb[i]).length : Infinity;
}

/** Levenshtein distance of a and b (characters as UTF-16 units: the CJK of these forms is one each); cap + 1 when their lengths alone differ by more than cap. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** How far a text is from the form's vocabulary: its least edit distance to a lexicon word, `cap` + 1 when none is within `cap`. */
export function lexiconDistance(text: string, cap = 3): number {
  let best = cap + 1;
  for (const w of LEXICON_WORDS) best = Math.min(best, editDistance(text, w, cap));
  return best;
}

/**
 * A text one character away from a lexicon word of three or more (数最指标, 实际完成什): most likely
 * that word misread, however sure the reading. The word itself is not.
 */
export function nearLexiconWord(text: string): boolean {
  const chars = Array.from(text);
  const words = BY_LENGTH.get(chars.length) ?? [];
  if (words.includes(text)) return false;
  return words.some((w) => glyphsApart(w, chars) === 1);
}
