/**
 * OCR'd glyphs repaired from the rest of the document (src/ingest/ocr-document.ts): tokens written
 * by hand with the confidences tesseract gives each character.
 */
import { describe, expect, it } from 'vitest';
import { cellQuotes, cellSemicolons, cellStops, clauseFillers, repairFromDocument, wrappedRuns } from '../src/ingest/ocr-document.js';
import type { Page, Rule, Token } from '../src/ingest/types.js';

/** A token of `text` whose characters are read at 0.98, except those given in `doubt` (index → confidence). */
function tok(text: string, doubt: Record<number, number> = {}): Token {
  const n = Array.from(text).length;
  return { text, x: 0, width: n, confidence: Math.min(0.98, ...Object.values(doubt)), glyphConfidence: Array.from({ length: n }, (_, i) => doubt[i] ?? 0.98) };
}
const page = (number: number, ...tokens: Token[]): Page => ({ number, lines: tokens.map((t, i) => ({ page: number, lineNo: i + 1, tokens: [t], text: t.text, cells: true, gapBefore: 0 })) });
const texts = (pages: Page[]): string[] => pages.flatMap((p) => p.lines.map((l) => l.text));
const UNIT = '上海市社会保障卡服务中心';

describe('repairFromDocument', () => {
  it('replaces a doubtful glyph by the one the document reads surely, twice, in the same context', () => {
    const pages = [page(1, tok(UNIT)), page(2, tok(UNIT)), page(3, tok('上海市社会保障上服务中心', { 7: 0.86 }))];
    expect(texts(repairFromDocument(pages))).toEqual([UNIT, UNIT, UNIT]);
    // Read so once only: a confident misread elsewhere would be evidence enough.
    expect(texts(repairFromDocument([pages[0]!, pages[2]!]))[1]).toBe('上海市社会保障上服务中心');
  });

  it('also doubts the glyph before one read unsure (tesseract’s doubt may fall on the next glyph)', () => {
    const pages = [page(1, tok(UNIT)), page(2, tok(UNIT)), page(3, tok('上海市社会保障上服务中心', { 8: 0.86 }))];
    expect(texts(repairFromDocument(pages))[2]).toBe(UNIT);
  });

  it('counts a reading recalled on a later page (the same confidences) once', () => {
    const misread = tok('社会保障上制作费');
    const recalled = { ...misread, box: { x: 0, y: 0, w: 1, h: 1 } };
    const pages = [page(1, misread), page(3, recalled), page(5, tok('社会保障卡制作费', { 4: 0.9 }))];
    expect(texts(repairFromDocument(pages))[2]).toBe('社会保障卡制作费');
  });

  it('repairs a glyph with three characters on one side and one on the other', () => {
    const pages = [page(1, tok('偏差原因分析及改进措施'), tok('分析及改进')), page(2, tok('偏差原因分析太改进措施', { 6: 0.9 }))];
    expect(texts(repairFromDocument(pages))[2]).toBe('偏差原因分析及改进措施');
  });

  it('leaves a glyph read surely, though the document reads another there elsewhere', () => {
    const pages = [page(1, tok('设备维护完成率'), tok('设备维护完成率')), page(2, tok('设备维修完成率'))];
    expect(texts(repairFromDocument(pages))[2]).toBe('设备维修完成率');
  });

  it('replaces a glyph read surely but wrong where the document reads another there surely, twice, and the vocabulary decides for it', () => {
    // 申 read surely as 电 in one cell (电领 is no word); the document reads 敬老卡申领 surely twice.
    const pages = [page(1, tok('保障本市敬老卡申领、制作'), tok('本市敬老卡申领、发放')), page(2, tok('保障本市敬老卡电领、制作'))];
    expect(texts(repairFromDocument(pages))[2]).toBe('保障本市敬老卡申领、制作');
    // Read so once only elsewhere: a term the vocabulary lacks (换领) beside a word one glyph off stays.
    expect(texts(repairFromDocument([page(1, tok('本市敬老卡申领、发放')), pages[1]!]))[1]).toBe('保障本市敬老卡电领、制作');
    expect(texts(repairFromDocument([page(1, tok('社会保障卡申领、换领、补领')), page(2, tok('社会保障卡换领、补领'))]))[1]).toBe('社会保障卡换领、补领');
    // Its own sure readings of the glyph there count for nothing, but another cell's do.
    const attested = [...pages, page(3, tok('市敬老卡电领、'))];
    expect(texts(repairFromDocument(attested))[2]).toBe('保障本市敬老卡电领、制作');
    // Read elsewhere in doubt only: no evidence for a glyph read surely.
    expect(texts(repairFromDocument([page(1, tok('保障本市敬老卡申领、制作', { 7: 0.8 }), tok('本市敬老卡申领、发放', { 5: 0.8 })), pages[1]!]))[2]).toBe('保障本市敬老卡电领、制作');
    // A glyph read surely that makes a word there stays (维修 / 维护).
    expect(texts(repairFromDocument([page(1, tok('设备维护完成率'), tok('设备维护完成率')), page(2, tok('设备维修完成率'))]))[2]).toBe('设备维修完成率');
  });

  it('replaces a doubtful glyph from a likely reading elsewhere, read once, where the vocabulary decides for it', () => {
    // Page 11 of the 2024 sample scan: 遇 read at 0.57 as 过 (待过 is a word, but not before 发放 as
    // likely as 待遇), and at 0.74 in the one other 养老待遇发放 of the document.
    const pages = [page(1, tok('养老待遇发放准确率', { 3: 0.74 })), page(2, tok('养老待过发放标准准确率', { 3: 0.57 }))];
    expect(texts(repairFromDocument(pages))[1]).toBe('养老待遇发放标准准确率');
    // Read less likely than that elsewhere: no evidence. (Tesseract reads 过 for 遇 on degraded
    // print, so the confusions repair 待过 all the same: the case is 迁, never read for 遇.)
    const unconfused = page(2, tok('养老待迁发放标准准确率', { 3: 0.57 }));
    expect(texts(repairFromDocument([page(1, tok('养老待遇发放准确率', { 3: 0.74 })), unconfused]))[1]).toBe('养老待遇发放标准准确率');
    expect(texts(repairFromDocument([page(1, tok('养老待遇发放准确率', { 3: 0.6 })), unconfused]))[1]).toBe('养老待迁发放标准准确率');
    expect(texts(repairFromDocument([page(1, tok('养老待遇发放准确率', { 3: 0.6 })), pages[1]!]))[1]).toBe('养老待遇发放标准准确率');
    // A doubtful glyph that makes a word where the replacement would too stays (维修 / 维护).
    expect(texts(repairFromDocument([page(1, tok('设备维护完成率', { 3: 0.8 })), page(2, tok('设备维修完成率', { 3: 0.6 }))]))[1]).toBe('设备维修完成率');
  });

  it('leaves a doubtful glyph the document also reads surely in that context, or where it reads two others there', () => {
    const attested = [page(1, tok('使用有责投诉率'), tok('使用有责投诉率'), tok('使用有效投诉率')), page(2, tok('使用有效投诉率', { 3: 0.5 }))];
    expect(texts(repairFromDocument(attested))[3]).toBe('使用有效投诉率');
    const split = [page(1, tok('使用有责投诉率'), tok('使用有责投诉率'), tok('使用有效投诉率'), tok('使用有效投诉率')), page(2, tok('使用有南投诉率', { 3: 0.5 }))];
    expect(texts(repairFromDocument(split))[4]).toBe('使用有南投诉率');
  });

  it('takes no evidence from doubtful readings, nor a context with another doubtful glyph, nor one side alone', () => {
    // (楗, not 键: tesseract was seen to read 键 for 健, and the confusions would repair it.)
    const unsure = [page(1, tok('长效管理机制健全性', { 6: 0.6 }), tok('长效管理机制健全性', { 6: 0.6 })), page(2, tok('长效管理机制楗全性', { 6: 0.5 }))];
    expect(texts(repairFromDocument(unsure))[2]).toBe('长效管理机制楗全性');
    // Read likely (0.9), they are evidence where the vocabulary decides (健全 is a word, 楗全 none).
    const likely = [page(1, tok('长效管理机制健全性', { 6: 0.9 })), page(2, tok('长效管理机制楗全性', { 6: 0.5 }))];
    expect(texts(repairFromDocument(likely))[1]).toBe('长效管理机制健全性');
    const twice = [page(1, tok('竣工验收合格率'), tok('竣工验收合格率')), page(2, tok('竣工验攸合格率', { 2: 0.5, 3: 0.5 }))];
    expect(texts(repairFromDocument(twice))[2]).toBe('竣工验攸合格率');
    // The document reads 竣工验收合格率 only within longer cells: four glyphs after the doubtful one are one side.
    const edge = [page(1, tok('项目竣工验收合格率'), tok('项目竣工验收合格率')), page(2, tok('滩工验收合格率', { 0: 0.4 }))];
    expect(texts(repairFromDocument(edge))[2]).toBe('滩工验收合格率');
  });

  it('repairs a cell’s doubtful or doubled first glyph from the same whole cell read surely twice', () => {
    const other = '上海市人力资源和社会保障局';
    const pages = [
      page(1, tok(UNIT), tok(other)),
      page(2, tok(UNIT), tok(other)),
      page(3, tok('土海市社会保障卡服务中心', { 0: 0.3 }), tok('上上海市人力资源和社会保障局', { 1: 0.7 })),
    ];
    const out = repairFromDocument(pages);
    expect(texts(out).slice(4)).toEqual([UNIT, other]);
    // The doubled glyph's confidence goes with it.
    expect(out[2]!.lines[1]!.tokens[0]!.glyphConfidence).toHaveLength(Array.from(other).length);
  });

  it('leaves a first glyph read surely or making a word, a short cell, a cell read once elsewhere or two cells it could be', () => {
    const sure = [page(1, tok(UNIT), tok(UNIT)), page(2, tok('土海市社会保障卡服务中心'))];
    expect(texts(repairFromDocument(sure))[2]).toBe('土海市社会保障卡服务中心');
    // Doubtful (0.9), but a word with the glyph after it (上半年): another cell's 下半年 is no evidence.
    const word = [page(1, tok('下半年资金执行率'), tok('下半年资金执行率')), page(2, tok('上半年资金执行率', { 0: 0.9 }))];
    expect(texts(repairFromDocument(word))[2]).toBe('上半年资金执行率');
    const stray = [page(1, tok(UNIT), tok(UNIT)), page(2, tok('土海市社会保障卡服务中心', { 0: 0.9 }))];
    expect(texts(repairFromDocument(stray))[2]).toBe(UNIT);
    const short = [page(1, tok('一级指标'), tok('一级指标')), page(2, tok('二级指标', { 0: 0.3 }))];
    expect(texts(repairFromDocument(short))[2]).toBe('二级指标');
    // (止, not 土: tesseract was seen to read 土 for 上, and the confusions would repair it.)
    const once = [page(1, tok(UNIT)), page(2, tok('止海市社会保障卡服务中心', { 0: 0.3 }))];
    expect(texts(repairFromDocument(once))[1]).toBe('止海市社会保障卡服务中心');
    const two = [page(1, tok('参保单位满意度调查'), tok('参保单位满意度调查'), tok('投保单位满意度调查'), tok('投保单位满意度调查')), page(2, tok('诊保单位满意度调查', { 0: 0.3 }))];
    expect(texts(repairFromDocument(two))[4]).toBe('诊保单位满意度调查');
  });

  it('leaves tokens without per-glyph confidences (text layers) and figures alone', () => {
    const plain: Token = { text: '社会保障上服务', x: 0, width: 7 };
    const pages = [page(1, tok('社会保障卡服务'), tok('社会保障卡服务')), page(2, plain, tok('10.00', { 2: 0.3 }))];
    expect(texts(repairFromDocument(pages)).slice(2)).toEqual(['社会保障上服务', '10.00']);
  });

  it('next to a mark, goes by the four glyphs on the glyph\'s other side (a clause\'s first or last glyph)', () => {
    // Photocopies read 确 after a comma as 傅, 亿, 全…: no glyph before it to go by.
    const sure = [tok('通过项目实施确保养老金按时'), tok('以此确保养老金按时')];
    expect(texts(repairFromDocument([page(1, ...sure), page(2, tok('项目开展，傅保养老金按时', { 5: 0.88 }))]))[2]).toBe('项目开展，确保养老金按时');
    // A line's end is no clause's end: a wrapped cell's word goes on in the next line (完成时 | 点).
    const rate = [tok('外包工作完成率达标'), tok('外包工作完成率达标')];
    expect(texts(repairFromDocument([page(1, ...rate), page(2, tok('数字化外包工作完成时', { 9: 0.9 }))]))[2]).toBe('数字化外包工作完成时');
  });

  it('drops a glyph tesseract read from nothing at a clause\'s start (clauseFillers)', () => {
    const [t] = texts(repairFromDocument([page(1, tok('提升工作环境，和营造智慧', { 7: 0.87 }))]));
    expect(t).toBe('提升工作环境，营造智慧');
    const repaired = repairFromDocument([page(1, tok('提升工作环境，和营造智慧', { 7: 0.87 }))])[0]!.lines[0]!.tokens[0]!;
    expect(repaired.glyphConfidence).toEqual([...Array.from({ length: 7 }, () => 0.98), ...Array.from({ length: 4 }, () => 0.98)]);
    expect(repaired.glyphConfidence).toHaveLength(Array.from(t!).length);
    // Read as surely as a printed one, in a word (和谐), or not after a mark: it stands.
    const at = (text: string, i: number, c: number): number[] => clauseFillers(Array.from(text), Array.from(text).map((_, k) => (k === i ? c : 0.98)));
    expect(at('提升工作环境，和营造智慧', 7, 0.97)).toEqual([]);
    expect(at('促进社会稳定，和谐发展', 7, 0.9)).toEqual([]);
    expect(at('提升参保单位和群众满意度', 6, 0.9)).toEqual([]);
    expect(at('实际需要，有聘请第三方', 5, 0.92)).toEqual([5]);
  });

  it('last, replaces a glyph in doubt that the document does not settle by one tesseract reads it for (repairWithConfusions)', () => {
    const pages = [page(1, tok('不影响日党业务工作开展', { 4: 0.94 }))];
    expect(texts(repairFromDocument(pages))).toEqual(['不影响日常业务工作开展']);
    // Read surely, it stands.
    expect(texts(repairFromDocument([page(1, tok('不影响日党业务工作开展'))]))).toEqual(['不影响日党业务工作开展']);
    // A glyph the document's evidence replaced (口 → 不, read at 0.5) counts as sure there: 不由 is
    // then a word to go by, and 担 (0.9) is 得.
    const replaced = [page(1, tok('项目管理不由'), tok('项目管理不由')), page(2, tok('项目管理口由担工作', { 4: 0.5, 6: 0.9 }))];
    expect(texts(repairFromDocument(replaced))[2]).toBe('项目管理不由得工作');
  });
});

/** A token set at (x, y) on its page, its glyphs 24 units high and wide (a Han glyph at 200 dpi). */
const set = (t: Token, x: number, y: number): Token => ({ ...t, box: { x, y, w: 24 * Array.from(t.text).length, h: 24 } });
/** Row rules above and below the lines the tests set, across them: the lines lie in one row of a ruled table. */
const ROW_RULES: Rule[] = [
  { x1: 0, y1: 60, x2: 3000, y2: 60 },
  { x1: 0, y1: 3000, x2: 3000, y2: 3000 },
];
/** A page of lines, each holding the tokens given for it. */
const lines = (number: number, rows: Token[][], rules: Rule[] = ROW_RULES): Page => ({
  number,
  rules,
  lines: rows.map((tokens, i) => ({ page: number, lineNo: i + 1, tokens, text: tokens.map((t) => t.text).join(' '), cells: true, gapBefore: 0 })),
});
/** The runs' texts, their tokens' texts joined by |. */
const runTexts = (p: Page): string[] => wrappedRuns(p).map((run) => run.map(([i, j]) => p.lines[i]!.tokens[j]!.text).join('|'));

describe('wrappedRuns', () => {
  // Steps as on the flowscan and scan pages: a cell's next line 1.3 glyphs lower, the next row's 1.85.
  it("joins a cell's lines, one under the other a line lower, and no line of the next row", () => {
    const p = lines(1, [[set(tok('今后将根据项目需求完善'), 100, 100), set(tok('=100%'), 400, 100)], [set(tok('建设方考评机制。'), 100, 131)], [set(tok('下一行'), 100, 175)]]);
    expect(runTexts(p)).toEqual(['今后将根据项目需求完善|建设方考评机制。', '=100%', '下一行']);
  });
  it('joins a centred last line; not a line in another column, one wider than the line above, or one under a rule', () => {
    expect(runTexts(lines(1, [[set(tok('一级指'), 100, 100)], [set(tok('标'), 124, 131)]]))).toEqual(['一级指|标']);
    expect(runTexts(lines(1, [[set(tok('一级指'), 100, 100)], [set(tok('标'), 300, 131)]]))).toEqual(['一级指', '标']);
    expect(runTexts(lines(1, [[set(tok('一级指'), 100, 100)], [set(tok('二级指标名称'), 100, 131)]]))).toEqual(['一级指', '二级指标名称']);
    const rule = { x1: 50, y1: 128, x2: 600, y2: 128 };
    expect(runTexts(lines(1, [[set(tok('数量指标'), 100, 100)], [set(tok('质量指标'), 100, 131)]], [rule]))).toEqual(['数量指标', '质量指标']);
  });
  it("guard: measures a line's step by the nearer of its top and its bottom (a line's box may reach into a neighbour)", () => {
    // Boxes as read on the sbk-2021 bw300b photocopy: 正式居住证制发卡数晨 57 high over 完成率; 求存在差异 36 high under its line.
    const box = (t: Token, x: number, y: number, w: number, h: number): Token => ({ ...t, box: { x, y, w, h } });
    expect(runTexts(lines(1, [[box(tok('正式居住证制发卡数量'), 382, 996, 250, 57)], [box(tok('完成率'), 382, 1045, 77, 36)]]))).toEqual(['正式居住证制发卡数量|完成率']);
    expect(runTexts(lines(1, [[box(tok('社保卡计划制卡量与实际需'), 1192, 1452, 305, 26)], [box(tok('求存在差异。今后卡中心将'), 1192, 1488, 305, 36)]]))).toEqual([
      '社保卡计划制卡量与实际需|求存在差异。今后卡中心将',
    ]);
  });
  it('joins nothing without row rules where every line of the column is a line pitch below the last (rows cannot be told from lines)', () => {
    const rows = [[set(tok('数量指标'), 100, 100)], [set(tok('质量指标'), 100, 131)], [set(tok('时效指标'), 100, 162)]];
    expect(runTexts(lines(1, rows, []))).toEqual(['数量指标', '质量指标', '时效指标']);
    // A title far above, or one rule above only (a three-line table's), tells nothing.
    expect(runTexts(lines(1, [[set(tok('绩效目标表'), 100, 0)], ...rows], []))).toEqual(['绩效目标表', '数量指标', '质量指标', '时效指标']);
    expect(runTexts(lines(1, rows, [ROW_RULES[0]!]))).toEqual(['数量指标', '质量指标', '时效指标']);
    // With rows further apart somewhere in the column, a cell's lines are told from rows.
    expect(runTexts(lines(1, [...rows, [set(tok('成本指标'), 100, 206)]], []))).toEqual(['数量指标|质量指标|时效指标', '成本指标']);
  });
  it('takes a line 1.7 glyphs lower for the next of its cell between row rules, not without them', () => {
    const cell = [[set(tok('今后将根据项目需求'), 100, 100)], [set(tok('完善建设方'), 100, 141)], [set(tok('下一行'), 100, 190)]];
    expect(runTexts(lines(1, cell))).toEqual(['今后将根据项目需求|完善建设方', '下一行']);
    expect(runTexts(lines(1, cell, []))).toEqual(['今后将根据项目需求', '完善建设方', '下一行']);
  });
  it('guard: leaves tokens without a box or per-glyph confidences alone (a text layer)', () => {
    const plain = { text: '完善', x: 0, width: 2, box: { x: 100, y: 100, w: 48, h: 24 } };
    expect(runTexts(lines(1, [[tok('今后将根据')], [tok('项目需求')]]))).toEqual(['今后将根据', '项目需求']);
    expect(runTexts(lines(1, [[plain], [{ ...plain, box: { ...plain.box, y: 131 } }]]))).toEqual(['完善', '完善']);
  });
});

describe('repairFromDocument across a wrapped cell', () => {
  const evidence = page(1, tok('完善建设方考评机制'), tok('完善建设方考评机制'));
  it("repairs a glyph at a line's end from the context the cell's next line holds", () => {
    // 奸 at 0.37 ends its line; 设方考评 begins the next one (a 300-dpi photocopy's 完善建设方考评机制).
    const cell = lines(2, [[set(tok('今后将根据项目需求完善奸', { 11: 0.37 }), 100, 100)], [set(tok('设方考评机制。'), 100, 131)]]);
    expect(texts(repairFromDocument([evidence, cell])).slice(2)).toEqual(['今后将根据项目需求完善建', '设方考评机制。']);
    // The same lines a row apart are two cells: no context across them.
    const rows = lines(2, [[set(tok('今后将根据项目需求完善奸', { 11: 0.37 }), 100, 100)], [set(tok('设方考评机制。'), 100, 175)]]);
    expect(texts(repairFromDocument([evidence, rows])).slice(2)).toEqual(['今后将根据项目需求完善奸', '设方考评机制。']);
  });
  it("splits the repaired text back into the cell's lines: a first glyph, a glyph further on, a filler at a line's start", () => {
    const pages = [page(1, tok(UNIT), tok(UNIT), tok('完善建设方考评机制'), tok('完善建设方考评机制'))];
    const cell = lines(2, [[set(tok('土海市社会保障卡服务中心', { 0: 0.5 }), 100, 100)], [set(tok('今后完善奸设方考评', { 4: 0.37 }), 100, 131)]]);
    expect(texts(repairFromDocument([...pages, cell])).slice(4)).toEqual([UNIT, '今后完善建设方考评']);
    // 和 read from nothing after the comma that ends the line above: dropped with its confidence.
    const wrapped = repairFromDocument([lines(1, [[set(tok('环境优化工作，'), 100, 100)], [set(tok('和营造智慧城市', { 0: 0.9 }), 100, 131)]])]);
    expect(wrapped[0]!.lines.map((l) => [l.text, l.tokens[0]!.glyphConfidence!.length])).toEqual([['环境优化工作，', 7], ['营造智慧城市', 6]]);
    // Guard: not a line's only glyph (no line is left empty).
    const alone = repairFromDocument([lines(1, [[set(tok('环境优化工作，'), 100, 100)], [set(tok('和', { 0: 0.9 }), 100, 131)], [set(tok('营造'), 100, 162)]])]);
    expect(texts(alone)).toEqual(['环境优化工作，', '和', '营造']);
  });
  it('counts the new lines of a run whose other line repeats a reading counted already (a recalled label)', () => {
    const label = set(tok('项目绩效目标完善情况说明'), 100, 100);
    const recalled = { ...label }; // the same glyphConfidence array: one reading
    const pages = [
      lines(1, [[label]]),
      lines(2, [[recalled], [set(tok('完善建设方考评机制'), 100, 131)]]),
      page(3, tok('完善建设方考评机制')),
      page(4, tok('今后完善奸设方考评', { 4: 0.37 })),
    ];
    expect(texts(repairFromDocument(pages)).at(-1)).toBe('今后完善建设方考评');
  });
  it('counts the same phrase read elsewhere in the cell as evidence, not the glyph’s own reading', () => {
    // 中 read surely for 申 (0.96); 居住证申领 is read surely once in the same cell and once elsewhere.
    const pages = [page(1, tok('正式居住证申领工作')), page(2, tok('正式居住证申领、制作、发放，符合正式居住证中领条件', { 22: 0.96 }))];
    expect(texts(repairFromDocument(pages))[1]).toBe('正式居住证申领、制作、发放，符合正式居住证申领条件');
    // Read so in the same cell only: once, not enough for a glyph read surely.
    expect(texts(repairFromDocument([pages[1]!]))[0]).toBe('正式居住证申领、制作、发放，符合正式居住证中领条件');
  });
});

describe('cellSemicolons', () => {
  const at = (text: string): number[] => cellSemicolons(Array.from(text));
  it('sets an ASCII ; in running text full-width in a cell whose commas are full-width', () => {
    // The sample scan's 提升服务水平；通过, read with ; (the white around it 0.45 of a glyph).
    expect(at('规范经办标准，提升服务水平;通过继续聘请')).toEqual([13]);
    expect(at('均达到100%;且全年不发生，征地')).toEqual([7]);
    const cell = lines(1, [[set(tok('规范经办标准，提升服务'), 100, 100)], [set(tok('水平;通过继续聘请'), 100, 131)]]);
    expect(texts(repairFromDocument([cell]))).toEqual(['规范经办标准，提升服务', '水平；通过继续聘请']);
  });
  it('guard: leaves it in a cell set in ASCII marks, with no comma, or between figures', () => {
    expect(at('保障本市居住证申领,制作发放;2、保障')).toEqual([]);
    expect(at('提升服务水平;通过继续聘请')).toEqual([]);
    expect(at('金额，2;564')).toEqual([]);
  });
});

describe('cellQuotes', () => {
  const quoted = (text: string): string => {
    const chars = Array.from(text);
    for (const [j, mark] of cellQuotes(chars)) chars[j] = mark;
    return chars.join('');
  };
  it('closes a quote the cell opened with the curly mark, and opens one before a Han glyph', () => {
    // The UMing flowscans' 流转至“帮办"专班 and the photocopies' 唱响社保“好声音"。
    expect(quoted('确保12333咨询员接单后24小时内流转至“帮办"专班')).toBe('确保12333咨询员接单后24小时内流转至“帮办”专班');
    expect(quoted('做好微信发布相关工作，唱响社保“好声音"。截至')).toBe('做好微信发布相关工作，唱响社保“好声音”。截至');
    expect(quoted('70篇单篇阅读数超万次。"上海社保”微信公众号')).toBe('70篇单篇阅读数超万次。“上海社保”微信公众号');
    expect(quoted('社保"在线帮办"服务机制')).toBe('社保“在线帮办”服务机制');
    expect(quoted('上线"App"和"小程序"')).toBe('上线“App”和“小程序”');
  });
  it('sets them in a wrapped cell read as one text', () => {
    const cell = lines(1, [[set(tok('流转至“帮办'), 100, 100)], [set(tok('"专班'), 100, 131)]]);
    expect(texts(repairFromDocument([cell]))).toEqual(['流转至“帮办', '”专班']);
  });
  it('guard: leaves a cell without Han glyphs, a mark before neither Han glyph nor figure, and one nothing closes', () => {
    expect(cellQuotes(Array.from('"ABC"'))).toEqual([]);
    expect(cellQuotes(Array.from('保持在100"%'))).toEqual([]);
    // A 。 read as " (the UMing flowscan's 基金流失风险"全年组织): nothing closes it, and beside a
    // pair the marks no longer pair up in turn.
    expect(cellQuotes(Array.from('有效防范基金流失风险"全年组织50期'))).toEqual([]);
    expect(cellQuotes(Array.from('风险"按照“钉钉”平台'))).toEqual([]);
  });
});

describe('cellStops', () => {
  const at = (text: string): number[] => cellStops(Array.from(text));
  it('reads a * in running text as 。', () => {
    // The UMing flowscan's 未实现电子化*措施 and 降低行政风险*3.参保人员.
    expect(at('档案尚未实现电子化*措施:改进应用程序，增加功能。')).toEqual([9]);
    // A line of a wrapped cell read alone, no full-width mark in it: ten Han glyphs make it running text.
    expect(at('库房基本已实现电子化管理.存在少量非纸质档案尚未实现电子化*措施:改进应用程序')).toEqual([29]);
    expect(at('办理行政争议案件，有效降低行政风险*3.参保人员')).toEqual([17]);
    expect(at('健全机制，完善社会保障制度体系*')).toEqual([15]);
    const cell = lines(1, [[set(tok('库房设施存在改进空间*措'), 100, 100)], [set(tok('施，增加设施更新力度。'), 100, 131)]]);
    expect(texts(repairFromDocument([cell]))).toEqual(['库房设施存在改进空间。措', '施，增加设施更新力度。']);
  });
  it('guard: leaves a * between figures, before a mark, in a formula, or in a cell of no running text', () => {
    expect(at('2*3=6')).toEqual([]);
    expect(at('达到100*，以上')).toEqual([]);
    expect(at('注*：')).toEqual([]);
    expect(at('得分=分值*完成率，按季度计')).toEqual([]);
    expect(at('执行率为实际支出/预算*100%，保留两位')).toEqual([]);
    // A label's or a figure's star (a required field, a footnote).
    expect(at('项目名称*')).toEqual([]);
    expect(at('满意度≥90%*')).toEqual([]);
  });
});
