/**
 * Repairs of OCR'd text from the rest of the same document. A document's forms print the same
 * phrases again and again (上海市社会保障卡服务中心, 长效管理机制健全性, 项目实施，保障了…), and a
 * blurred glyph read unsure in one of them is read surely in another. A character read below
 * DOUBT, or followed by one read so, is replaced where every context of four characters around it
 * (two on each side, or three and one) that the document reads surely elsewhere has the same other
 * character in its place, read so at least twice, and none has the one read. Evidence comes only from characters read at SURE
 * or above; a character is never replaced from its own reading. Tesseract is confidently wrong
 * often enough (项日 at 0.93) that this repairs a fraction of a photocopy's misread glyphs; it is
 * built not to touch a glyph read right. Where the vocabulary decides for the replacement too
 * (repairByVocabulary), a character read surely is replaced on the same evidence (敬老卡电领 read
 * surely, 敬老卡申领 read surely twice elsewhere; 电领 is no word, 申领 is), and one in doubt on
 * likely evidence read once (养老待过发放 at 0.57, 养老待遇发放 at 0.74 elsewhere). A term the
 * vocabulary lacks, read surely and printed beside a word one glyph off, twice, would still be
 * taken for a misreading. Last, a glyph in doubt that the document does not settle may be one
 * tesseract is known to read for another on degraded print (repairWithConfusions in
 * ocr-vocabulary.ts: 日党 is 日常), and a glyph tesseract reads from nothing at a clause's start is
 * dropped (clauseFillers: 环境，和营造). An ASCII ; in a cell that sets its commas full-width is
 * ； (cellSemicolons), an ASCII " a curly quote where the cell opens or closes one (cellQuotes), and a
 * * in running text a 。 (cellStops). A wrapped cell's lines are one text for all of this (wrappedRuns): a glyph
 * that ends a line has its context on the next.
 */
import type { Box, Page, Rule, Token } from './types.js';
import { middle } from './image.js';
import { hanGlyphPitch } from './ocr.js';
import { AFTER_MARK, BEFORE_MARK, FILLER_GLYPHS } from './ocr-words.js';
import { DECISIVE_GAIN, inWord, likelihoodGain, repairWithConfusions, vocabulary } from './ocr-vocabulary.js';

/** Below this confidence a character may be replaced. */
const DOUBT = 0.95;
/** At or above this confidence the characters around one in doubt are taken as read. */
const CONTEXT = 0.8;
/** At or above this confidence a character is evidence. */
const SURE = 0.95;
/** How often the document must read the replacing character surely in a context. */
const MIN_SUPPORT = 2;
/**
 * Context windows: characters before and after the one in doubt, four in all and on both sides
 * (four on one side let 保障率 after 电力 become 保障及, as in 电力保障及时率).
 */
const WINDOWS: readonly [number, number][] = [
  [2, 2],
  [3, 1],
  [1, 3],
];

const HAN = /^\p{Script=Han}$/u;
const HOLE = '\u0000';

interface Glyphs {
  chars: string[];
  conf: number[];
}

/** A token's characters with their confidences, when the route recorded them for its text. */
function glyphsOf(t: Token): Glyphs | null {
  // Text-layer tokens have none: their characters are not split (every token of every text PDF passes here).
  if (!t.glyphConfidence) return null;
  const chars = Array.from(t.text);
  return t.glyphConfidence.length === chars.length ? { chars, conf: t.glyphConfidence } : null;
}

/** `before` + HOLE + `after` → how often each character fills the hole in text read surely. */
type Evidence = Map<string, Map<string, number>>;

/**
 * The context of `a` characters before and `b` after position `i`, as an Evidence key, and the
 * indices it covers; null where it runs off the token or is not all Han.
 */
function contextAt(chars: string[], i: number, a: number, b: number): { key: string; at: number[] } | null {
  if (i - a < 0 || i + b >= chars.length) return null;
  const at = [...Array.from({ length: a }, (_, j) => i - a + j), ...Array.from({ length: b }, (_, j) => i + 1 + j)];
  if (!at.every((j) => HAN.test(chars[j]!))) return null;
  return { key: `${chars.slice(i - a, i).join('')}${HOLE}${chars.slice(i + 1, i + b + 1).join('')}`, at };
}

/**
 * Context windows of four on one side, for a glyph that begins or ends a clause (a mark on its
 * other side: ，傅保养老金 has no glyph before 傅 to go by). Used only where the vocabulary decides
 * too (repairByVocabulary): on their own they would let 保障率 after 电力 become 保障及 (see WINDOWS).
 */
const CLAUSE_WINDOWS: readonly [number, number][] = [
  [0, 4],
  [4, 0],
];
/** A mark that ends a clause within a line (a line's end may be a wrapped word's middle: 完成时 | 点). */
const CLAUSE_MARK = /^[，。、；：！？,.;:]$/u;
/** Every context window the evidence is collected in. */
const ALL_WINDOWS = [...WINDOWS, ...CLAUSE_WINDOWS];

/**
 * A filler glyph at a clause's start is taken for one read from nothing below this: printed, such
 * glyphs are read at 0.96–0.99 (FILLER_GLYPHS). (ocr.ts reads a line with a filler below 0.97 again,
 * alone; this drops one without a second reading.)
 */
const CLAUSE_FILLER_DOUBT = 0.95;

/**
 * The positions of glyphs tesseract read from nothing at a clause's start: a filler glyph
 * (FILLER_GLYPHS) read below CLAUSE_FILLER_DOUBT right after a mark, before a Chinese glyph, in no
 * word with its neighbours (环境，和营造智慧 for 环境，营造智慧; 100%；上且全年; 实际需要，有聘请).
 */
export function clauseFillers(chars: readonly string[], conf: readonly number[]): number[] {
  const words = vocabulary().words;
  return chars.flatMap((c, i) =>
    FILLER_GLYPHS.has(c) && (conf[i] ?? 1) < CLAUSE_FILLER_DOUBT && i > 0 && CLAUSE_MARK.test(chars[i - 1]!) && HAN.test(chars[i + 1] ?? '') && !inWord(chars, i, words) ? [i] : [],
  );
}

/** An ASCII comma between Han glyphs: a cell set in ASCII marks (保障本市正式居住证申领,制作). */
const ASCII_COMMA = /\p{Script=Han},\p{Script=Han}/u;

/**
 * A cell's semicolons set in the width of its commas. Tesseract reads ； as ;, and ocr.ts
 * (fullWidthMarks) tells them apart by the white around the mark, which a printed ； leaves as
 * narrow as 0.45 of a glyph (提升服务水平；通过 on the sample scan and each of its photocopies). A
 * cell of running Chinese text sets its marks in one width: of the sample forms' 1,518 texts, two
 * set an ASCII mark beside full-width ones (a : after 措施, a ,), none a ;. So an ASCII ; in running
 * text (BEFORE_MARK and AFTER_MARK around it), in a cell with a ， and no ASCII comma between Han
 * glyphs, is ；. The positions to set full-width.
 */
export function cellSemicolons(chars: readonly string[]): number[] {
  const text = chars.join('');
  if (!chars.includes('，') || ASCII_COMMA.test(text)) return [];
  return chars.flatMap((c, i) => (c === ';' && BEFORE_MARK.test(chars[i - 1] ?? '') && AFTER_MARK.test(chars[i + 1] ?? '') ? [i] : []));
}

/**
 * A cell's ASCII double quotes set as the curly ones the forms print: tesseract reads a blurred “
 * or ” as " (流转至“帮办"专班, 唱响社保“好声音"). The sample forms' texts quote with “ ” only. Where
 * the cell's quote marks, straight and curly, pair up in turn — every “ opening, every ” closing, as
 * many of each — each " is set as the mark its turn makes it; where they do not (a 。 read as ":
 * 基金流失风险"全年组织), none is. Only in a cell with Han glyphs. The positions and the marks to set.
 */
export function cellQuotes(chars: readonly string[]): [number, string][] {
  if (!chars.some((c) => HAN.test(c))) return [];
  const quotes = chars.flatMap((c, i) => (c === '"' || c === '“' || c === '”' ? [i] : []));
  const opens = (k: number): boolean => k % 2 === 0;
  const paired = quotes.length % 2 === 0 && quotes.every((i, k) => chars[i] === '"' || (chars[i] === '“') === opens(k));
  return paired ? quotes.flatMap((i, k) => (chars[i] === '"' ? [[i, opens(k) ? '“' : '”'] as [number, string]] : [])) : [];
}

/** A mark of running Chinese text: a cell with one is prose, not a label or a formula. */
const PROSE_MARK = /[，。；、：]/;
/** A line of running text without a full-width mark: this many Han glyphs (a label holds fewer). */
const PROSE_GLYPHS = 10;
/** What a formula holds: 得分=分值*完成率, 实际支出/预算*100%. */
const FORMULA = /[=/×÷]/;
/** A list item's number after a mark: 3.参保人员, 2、保障. */
const ITEM_NUMBER = /^\d{1,2}[.、．]\p{Script=Han}/u;

/**
 * A cell's full stops read as *: the small ring of a 。 in a thin face, blurred (未实现电子化*措施,
 * 降低行政风险*3.参保人员). In a cell of running text (a ， or another mark of prose, or ten Han
 * glyphs; no formula), a * after a Han glyph, a % or a closing bracket (BEFORE_MARK), at the cell's
 * end, before a Han glyph or an opening quote, or before a list item's number. The positions.
 */
export function cellStops(chars: readonly string[]): number[] {
  const text = chars.join('');
  const prose = PROSE_MARK.test(text) || chars.filter((c) => HAN.test(c)).length >= PROSE_GLYPHS;
  if (!chars.includes('*') || !prose || FORMULA.test(text)) return [];
  return chars.flatMap((c, i) => {
    if (c !== '*' || !BEFORE_MARK.test(chars[i - 1] ?? '')) return [];
    const next = chars[i + 1];
    return next === undefined || /^[\p{Script=Han}“]$/u.test(next) || ITEM_NUMBER.test(chars.slice(i + 1, i + 5).join('')) ? [i] : [];
  });
}

function collect(tokens: Glyphs[], sure = SURE): Evidence {
  const ev: Evidence = new Map();
  for (const { chars, conf } of tokens) {
    for (let i = 0; i < chars.length; i++) {
      if (!HAN.test(chars[i]!) || conf[i]! < sure) continue;
      for (const [a, b] of ALL_WINDOWS) {
        const ctx = contextAt(chars, i, a, b);
        if (!ctx || ctx.at.some((j) => conf[j]! < sure)) continue;
        const fill = ev.get(ctx.key) ?? new Map<string, number>();
        fill.set(chars[i]!, (fill.get(chars[i]!) ?? 0) + 1);
        ev.set(ctx.key, fill);
      }
    }
  }
  return ev;
}

/**
 * What the reading of glyph `i` itself put in the evidence (collect's windows around it): taken out
 * again where it is weighed, so that no glyph is replaced, or kept, on its own reading. The same
 * phrase read elsewhere in its cell, or its line, is another reading and stays evidence.
 */
function ownAt({ chars, conf }: Glyphs, i: number, sure: number): Evidence {
  const ev: Evidence = new Map();
  if (!HAN.test(chars[i]!) || conf[i]! < sure) return ev;
  for (const [a, b] of ALL_WINDOWS) {
    const ctx = contextAt(chars, i, a, b);
    if (ctx && !ctx.at.some((j) => conf[j]! < sure)) ev.set(ctx.key, new Map([[chars[i]!, 1]]));
  }
  return ev;
}

/** The character the document's sure readings put at `i`, or null when they do not agree on one other than the read one. */
function repairAt({ chars, conf }: Glyphs, i: number, ev: Evidence): string | null {
  const seen = new Map<string, number>();
  for (const [a, b] of WINDOWS) {
    const ctx = contextAt(chars, i, a, b);
    // The context is itself read surely enough: one doubtful glyph at a time.
    if (!ctx || ctx.at.some((j) => conf[j]! < CONTEXT)) continue;
    const fill = ev.get(ctx.key);
    if (!fill) continue;
    if (fill.has(chars[i]!)) return null;
    for (const [c, n] of fill) seen.set(c, Math.max(seen.get(c) ?? 0, n));
  }
  // One character, read so at least twice elsewhere (a confident misread elsewhere is no evidence).
  const [only, ...others] = [...seen];
  return only && others.length === 0 && only[1] >= MIN_SUPPORT ? only[0] : null;
}

/**
 * Readings at or above this confidence are evidence for a glyph read below DOUBT where the
 * vocabulary decides too (repairByVocabulary): 养老待过发放 at 0.57, where the document's one other
 * 养老待遇发放 has its 遇 at 0.74.
 */
const LIKELY = 0.7;

/**
 * A glyph replaced by the one the document reads in its place, where the vocabulary decides for it:
 *  - the document reads one other glyph there, in the contexts of four around it that it reads
 *    elsewhere (`ev`, less the glyph's `own` reading: ownAt), at least `minSupport` times, and never the
 *    glyph read (next to a mark, the four after or before it are such a context: CLAUSE_WINDOWS);
 *  - the replacement makes a word there and the glyph read none, and the text around it reads
 *    decisively likelier Chinese with it (likelihoodGain).
 * A glyph read surely but wrong (敬老卡电领 beside two sure 敬老卡申领) is replaced on sure evidence
 * read twice: read once, a term the vocabulary lacks would be taken for a misreading (社会保障卡
 * 换领 beside one 社会保障卡申领; 换领 is no word of it). One read below DOUBT that the sure
 * readings alone do not settle is replaced on LIKELY evidence read once.
 */
function repairByVocabulary(g: Glyphs, i: number, ev: Evidence, own: Evidence, minSupport: number): string | null {
  const seen = new Map<string, number>();
  const mark = (c: string | undefined): boolean => c !== undefined && CLAUSE_MARK.test(c);
  const clause = CLAUSE_WINDOWS.filter(([a]) => mark(a === 0 ? g.chars[i - 1] : g.chars[i + 1]));
  for (const [a, b] of [...WINDOWS, ...clause]) {
    const ctx = contextAt(g.chars, i, a, b);
    if (!ctx || ctx.at.some((j) => g.conf[j]! < CONTEXT)) continue;
    const fill = ev.get(ctx.key);
    if (!fill) continue;
    const mine = own.get(ctx.key);
    for (const [c, n] of fill) {
      const others = n - (mine?.get(c) ?? 0);
      if (others <= 0) continue;
      if (c === g.chars[i]) return null;
      seen.set(c, Math.max(seen.get(c) ?? 0, others));
    }
  }
  const [only, ...rest] = [...seen];
  if (!only || rest.length > 0 || only[1] < minSupport) return null;
  const replaced = g.chars.map((c, j) => (j === i ? only[0] : c));
  const words = vocabulary().words;
  if (!inWord(replaced, i, words) || inWord(g.chars, i, words)) return null;
  const [from, to] = [Math.max(0, i - 3), i + 4];
  const gain = likelihoodGain(g.chars.slice(from, to).join(''), replaced.slice(from, to).join(''));
  return gain !== null && gain >= DECISIVE_GAIN ? only[0] : null;
}

/** A whole cell repaired at its first glyph is at least this long (a label of four, 一级指标 / 二级指标, is not). */
const MIN_CELL = 6;

/**
 * The first glyph of a cell has no context before it, so the windows above never repair it. The
 * whole cell is context enough: a cell whose first glyph is read below CONTEXT or makes no word with
 * the glyphs after it (土海市社会保险事业管理中心), or is read twice (上上海市人力资源和社会保障局), is
 * the cell the document reads surely, whole, at least twice with the rest of it alike and another
 * first glyph (or without the doubled one), where that is the only such cell and the cell as read is
 * never read surely.
 */
function repairFirstGlyph({ chars, conf }: Glyphs, cells: ReadonlyMap<string, number>): string | null {
  if (chars.length < MIN_CELL || !HAN.test(chars[0]!) || (conf[0]! >= DOUBT && (conf[1] ?? 1) >= DOUBT)) return null;
  const text = chars.join('');
  if (cells.has(text)) return null;
  const rest = chars.slice(1).join('');
  const found = new Set<string>();
  // Read twice: the doubled glyph dropped.
  if (chars[0] === chars[1] && (cells.get(rest) ?? 0) >= MIN_SUPPORT) found.add(rest);
  // Another first glyph only where its own reading is doubtful or makes no word with the glyphs after
  // it (土海市; 上半年 read at 0.9 is no 下半年).
  if (conf[0]! < CONTEXT || !inWord(chars, 0, vocabulary().words)) {
    for (const [cell, n] of cells) {
      if (n >= MIN_SUPPORT && cell.length === text.length && cell.slice(1) === text.slice(1) && HAN.test(cell[0]!)) found.add(cell);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** A token's place on its page: [line index, token index]. */
type Place = readonly [number, number];

/**
 * How far below a line the next line of its cell is, at most, in glyph sizes: 1.3–1.5 in the
 * cells of the forms' scans, 1.85 from one row to the next of a rule-less table. Between row rules
 * (a rule above and one below, across the lines) a line never continues a cell across a rule, and
 * any line pitch is a cell's (as layout/stream.ts's linePitch: up to 1.75).
 */
const WRAP_STEP = 1.6;
const RULED_WRAP_STEP = 1.75;
/**
 * Without row rules about them, a cell's lines are told from rows only where the column's lines
 * (those starting where these do) somewhere stand further apart than this (rows with padding), and
 * no more than BLOCK_STEP (a title or a footer far off is no row); where every step is a line's,
 * nothing is joined (as linePitch).
 */
const ROW_STEP = 1.7;
const BLOCK_STEP = 3;
/** How far apart, in glyph sizes, the lines of a cell start (or, centred, have their middles) at most. */
const WRAP_ALIGN = 1;
/**
 * The page's Han glyph size in page units: ocr.ts's hanGlyphPitch over its lines (a line box's
 * height may reach into its neighbours); on a page with too few lines of Han glyphs for it, the
 * middle token height.
 */
function pageGlyphSize(page: Page): number {
  const heights = page.lines.flatMap((l) => l.tokens.flatMap((t) => (t.box ? [t.box.h] : [])));
  return hanGlyphPitch(page.lines.map((l) => l.tokens)) ?? (heights.length > 0 ? middle(heights) : 0);
}

/** The horizontal rules of a page. */
const horizontal = (rules: readonly Rule[]): Rule[] => rules.filter((r) => Math.abs(r.y1 - r.y2) <= 2);

/** Whether a horizontal rule runs across both boxes' columns at a height `at` accepts. */
const ruleAcross = (rules: readonly Rule[], a: Box, b: Box, at: (y: number) => boolean): boolean => {
  const [left, right] = [Math.max(a.x, b.x), Math.min(a.x + a.w, b.x + b.w)];
  return rules.some((r) => at(r.y1) && Math.min(r.x1, r.x2) < right && Math.max(r.x1, r.x2) > left);
};

/**
 * How far below box `a` box `b` lies: the lesser of the steps from top to top and from bottom to
 * bottom that are steps at all (more than half a glyph), as a line's box may reach into the line
 * above it or below it (正式居住证制发卡数晨 57 high and 求存在差异 36 high, their glyphs 25); with
 * neither, Infinity.
 */
function lineStep(a: Box, b: Box, size: number): number {
  const steps = [b.y - a.y, b.y + b.h - (a.y + a.h)].filter((s) => s > size / 2);
  return steps.length > 0 ? Math.min(...steps) : Infinity;
}

/**
 * Whether the lines of the column `t` starts (tokens starting within a glyph of it) stand further
 * apart than ROW_STEP somewhere, and no more than BLOCK_STEP: rows with white between them.
 */
function rowsApart(page: Page, t: Box, size: number): boolean {
  const column = page.lines.flatMap((l) => l.tokens.flatMap((u) => (u.box && Math.abs(u.box.x - t.x) <= WRAP_ALIGN * size ? [u.box] : []))).sort((a, b) => a.y - b.y);
  return column.some((b, i) => {
    const step = i > 0 ? lineStep(column[i - 1]!, b, size) : 0;
    return step > ROW_STEP * size && step <= BLOCK_STEP * size;
  });
}

/** Whether `next`, on the line after `t`'s, is the next line of `t`'s cell (wrapped there), on a page of glyphs `size` across. */
function wrapsTo(page: Page, t: Token, next: Token, size: number, rules: readonly Rule[]): boolean {
  if (!t.box || !next.box || !glyphsOf(t) || !glyphsOf(next)) return false;
  const [a, b] = [t.box, next.box];
  const step = lineStep(a, b, size);
  const starts = Math.abs(b.x - a.x) <= WRAP_ALIGN * size;
  const centred = Math.abs(b.x + b.w / 2 - (a.x + a.w / 2)) <= WRAP_ALIGN * size;
  if (!(starts || centred) || b.w > a.w + size || ruleAcross(rules, a, b, (y) => y > a.y + a.h / 2 && y < b.y + b.h / 2)) return false;
  const ruled = ruleAcross(rules, a, b, (y) => y <= a.y + a.h / 2) && ruleAcross(rules, a, b, (y) => y >= b.y + b.h / 2);
  return ruled ? step <= RULED_WRAP_STEP * size : step <= WRAP_STEP * size && rowsApart(page, a, size);
}

/**
 * The page's tokens as the cells they are lines of: a cell's lines one after another (a token
 * continued by one on the next line, set under it, a line lower, no rule between: wrapsTo), every
 * other token alone. A glyph at a wrapped line's end has its context on the next line
 * (今后将根据项目需求完善奸 | 设方考评机制). Without row rules about them, lines in a column whose
 * every step is a line's stand alone.
 */
export function wrappedRuns(page: Page): Place[][] {
  const rules = horizontal(page.rules ?? []);
  const size = pageGlyphSize(page);
  const next = new Map<string, Place>();
  const taken = new Set<string>();
  page.lines.forEach((l, i) => {
    const below = page.lines[i + 1];
    if (!below || size <= 0) return;
    l.tokens.forEach((t, j) => {
      const k = below.tokens.findIndex((u, m) => !taken.has(`${i + 1}:${m}`) && wrapsTo(page, t, u, size, rules));
      if (k < 0) return;
      next.set(`${i}:${j}`, [i + 1, k]);
      taken.add(`${i + 1}:${k}`);
    });
  });
  return page.lines.flatMap((l, i) =>
    l.tokens.flatMap((_, j) => {
      if (taken.has(`${i}:${j}`)) return [];
      const run: Place[] = [[i, j]];
      for (let at = next.get(`${i}:${j}`); at; at = next.get(`${at[0]}:${at[1]}`)) run.push(at);
      return [run];
    }),
  );
}

/** The glyphs of a run of tokens end to end, with where each token's glyphs start; null where a token has no glyph confidences. */
function joined(tokens: readonly Token[]): { g: Glyphs; starts: number[] } | null {
  const parts = tokens.map(glyphsOf);
  if (!parts.every((x): x is Glyphs => x !== null)) return null;
  const starts: number[] = [];
  let n = 0;
  for (const x of parts) {
    starts.push(n);
    n += x.chars.length;
  }
  return { g: { chars: parts.flatMap((x) => x.chars), conf: parts.flatMap((x) => x.conf) }, starts };
}

/** A run's tokens split where a token's reading was counted already (a label recalled from an earlier page shares its confidences). */
function unseenParts(tokens: readonly Token[], seen: Set<number[]>): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (glyphsOf(t) && !seen.has(t.glyphConfidence!)) {
      seen.add(t.glyphConfidence!);
      parts.at(-1)!.push(t);
    } else parts.push([]);
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * The pages with glyphs replaced where the document's readings agree on another (see above), glyphs
 * read from nothing at a clause's start dropped, and a cell's semicolons, quotes and stops set as
 * the form prints them.
 */
export function repairFromDocument(pages: Page[]): Page[] {
  // Text layers carry no per-glyph confidences: nothing to repair.
  if (!pages.some((p) => p.lines.some((l) => l.tokens.some((t) => glyphsOf(t))))) return pages;
  // A wrapped cell's lines are read as one text, for the evidence and for its repairs.
  const runs = pages.map((p) => wrappedRuns(p).map((places) => ({ places, tokens: places.map(([i, j]) => p.lines[i]!.tokens[j]!) })));
  // One reading is one piece of evidence: a label recalled on a later page (ocr-memory.ts) shares
  // the confidences of the reading it repeats, and is not counted again.
  const seen = new Set<number[]>();
  const unseen = runs.flat().flatMap(({ tokens }) => unseenParts(tokens, seen));
  const read = unseen.map((tokens) => joined(tokens)!.g);
  const ev = collect(read);
  const likely = collect(read, LIKELY);
  const cells = new Map<string, number>();
  for (const g of unseen.flat().map((t) => glyphsOf(t)!)) {
    const cell = g.chars.join('');
    if (g.conf.every((c) => c >= SURE)) cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  const fix = (run: Token[]): Token[] => {
    // A run of several tokens has glyph confidences in each (wrapsTo); a lone token may have none.
    const first = glyphsOf(run[0]!);
    if (!first) return run;
    // A cell's first glyph, from the cells the document reads whole; a cell so repaired keeps its
    // first line as that, and the rest of it is repaired as below.
    const whole = first.conf.every((c) => c >= DOUBT) ? null : repairFirstGlyph(first, cells);
    // The doubled glyph's confidence goes with it; a replaced one keeps its place.
    const glyphConfidence = whole === null ? [] : Array.from(whole).length === first.chars.length ? first.conf : first.conf.slice(1);
    const tokens = whole === null ? run : [{ ...run[0]!, text: whole, glyphConfidence }, ...run.slice(1)];
    const { g, starts } = joined(tokens)!;
    const settled = whole === null ? 0 : glyphConfidence.length;
    const chars = [...g.chars];
    g.chars.forEach((c, i) => {
      if (!HAN.test(c) || i < settled) return;
      // Tesseract's doubt may fall on the glyph after the misread one (上 for 卡 at 0.98, 服 after it at 0.86).
      const sure = g.conf[i]! >= DOUBT && (g.conf[i + 1] ?? 1) >= DOUBT;
      const r = sure ? repairByVocabulary(g, i, ev, ownAt(g, i, SURE), MIN_SUPPORT) : (repairAt(g, i, ev) ?? repairByVocabulary(g, i, likely, ownAt(g, i, LIKELY), 1));
      if (r) chars[i] = r;
    });
    // A glyph in doubt that the document's evidence left as read may be one tesseract reads for
    // another on degraded print (repairWithConfusions: 日党 is 日常); a glyph the evidence replaced
    // counts as sure there.
    const text = Array.from(repairWithConfusions(chars.join(''), g.conf.map((c, j) => (chars[j] === g.chars[j] && j >= settled ? c : 1))));
    for (const j of cellSemicolons(text)) text[j] = '；';
    for (const [j, mark] of cellQuotes(text)) text[j] = mark;
    for (const j of cellStops(text)) text[j] = '。';
    // A filler is dropped, but not a token's only glyph (no token is left empty).
    const lone = new Set(starts.filter((s, k) => (starts[k + 1] ?? g.chars.length) - s === 1));
    const dropped = new Set(clauseFillers(text, g.conf).filter((j) => j >= settled && !lone.has(j)));
    return tokens.map((t, k) => {
      const [from, to] = [starts[k]!, starts[k + 1] ?? g.chars.length];
      const kept = Array.from({ length: to - from }, (_, j) => from + j).filter((j) => !dropped.has(j));
      const repaired = kept.map((j) => text[j]!).join('');
      if (kept.length < to - from) return { ...t, text: repaired, glyphConfidence: kept.map((j) => g.conf[j]!) };
      return repaired === t.text ? t : { ...t, text: repaired };
    });
  };
  return pages.map((p, n) => {
    const fixed = new Map<string, Token>();
    for (const { places, tokens } of runs[n]!) fix(tokens).forEach((t, k) => fixed.set(`${places[k]![0]}:${places[k]![1]}`, t));
    return {
      ...p,
      lines: p.lines.map((l, i) => {
        const tokens = l.tokens.map((t, j) => fixed.get(`${i}:${j}`) ?? t);
        return tokens.every((t, j) => t === l.tokens[j]) ? l : { ...l, tokens, text: tokens.map((t) => t.text).join(' ') };
      }),
    };
  });
}
