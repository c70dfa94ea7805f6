/** Text items of a PDF page into lines and tokens (src/ingest/pdf.ts): where a table's vertical rule parts them. */
import { describe, expect, it } from 'vitest';
import { linesFromItems, splitJoinedCells } from '../src/ingest/pdf.js';

// A LibreOffice 总分 row: pdfjs gives the 分值 and the 得分 cell as one item, the white over the rule at 359.8 a space.
const item = (str: string, x: number, w: number) => ({ str, x, y: 231.8, w, h: 9.5 });
const rule = (x: number) => ({ x1: x, y1: 45.4, x2: x, y2: 246.4 });

describe('text items and the rules between cells', () => {
  it('cuts an item a vertical rule runs through at the space nearest the rule, each part at its share of the width', () => {
    const parts = splitJoinedCells([item('100.00 94.94', 328.5, 58.3)], [rule(325.7), rule(359.8), rule(389.3)]);
    expect(parts.map((p) => p.str)).toEqual(['100.00', '94.94']);
    expect(parts[0]!.x).toBe(328.5);
    expect(parts[0]!.x + parts[0]!.w).toBeLessThan(359.8);
    expect(parts[1]!.x).toBeGreaterThan(359.8);
    expect(parts[1]!.x + parts[1]!.w).toBeCloseTo(328.5 + 58.3, 5);
    // Its parts are a line's two tokens, each on its side of the rule.
    const [line] = linesFromItems(parts, 2, [rule(359.8)]);
    expect(line!.tokens.map((t) => t.text)).toEqual(['100.00', '94.94']);
  });
  it('(guard) leaves an item of words no rule runs through, or whose spaces all lie far from the rule, as it is', () => {
    const words = item('上年结转 资金', 40, 61.75);
    expect(splitJoinedCells([words], [rule(30), rule(120)])).toEqual([words]);
    // The rule 5 glyphs from the only space: no cell boundary the text shows.
    const far = item('上 海市人力资源和社会保障局', 100, 128.25);
    expect(splitJoinedCells([far], [rule(160)])).toEqual([far]);
  });
  it('cuts an item of figures side by side, with no rule between them, at every space between two figures', () => {
    // LibreOffice's funding row with no rules: four cells' figures in one item (年初预算数 … 分值).
    const parts = splitJoinedCells([item('446,048.00 446,048.00 446,048.00 10.00', 62.2, 171.7)], []);
    expect(parts.map((p) => p.str)).toEqual(['446,048.00', '446,048.00', '446,048.00', '10.00']);
    expect(parts.every((p, i) => i === 0 || p.x > parts[i - 1]!.x + parts[i - 1]!.w)).toBe(true);
    expect(parts[3]!.x + parts[3]!.w).toBeCloseTo(62.2 + 171.7, 5);
    // (guard) A phrase's words are not all figures: 2021 年, =0 次, 1.档案 …
    for (const text of ['2021 年(社保卡中心)交换平台运行费', '=0 次', '达到 100%，并保证档案存放安全性']) {
      const it1 = item(text, 100, 120);
      expect(splitJoinedCells([it1], [])).toEqual([it1]);
    }
  });
  it('leaves figures a space apart, and figures inside a ruled cell, as one item', () => {
    // 98.50 100.00 in 44 points: the white between them a space's, not two cells'.
    const close = item('98.50 100.00', 100, 44);
    expect(splitJoinedCells([close], [])).toEqual([close]);
    expect(linesFromItems([close], 1)[0]!.tokens.map((t) => t.text)).toEqual(['98.50 100.00']);
    // 2021 2022 wide apart, but between two rules: one cell's text.
    const years = item('2021  2022', 100, 60);
    expect(splitJoinedCells([years], [rule(90), rule(170)])).toEqual([years]);
  });
  it('merges two close items into one token, unless a vertical rule stands between them', () => {
    const a = item('5.00', 340, 19);
    const b = item('4.00', 361, 19);
    expect(linesFromItems([a, b], 1)[0]!.tokens.map((t) => t.text)).toEqual(['5.004.00']);
    expect(linesFromItems([a, b], 1, [rule(359.8)])[0]!.tokens.map((t) => t.text)).toEqual(['5.00', '4.00']);
  });
});
