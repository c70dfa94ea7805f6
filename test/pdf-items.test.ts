/** Text items of a PDF page into lines and tokens (src/ingest/pdf.ts): where a table's vertical rule parts them. */
import { describe, expect, it } from 'vitest';
import { linesFromItems, splitAtRules } from '../src/ingest/pdf.js';

// A LibreOffice 总分 row: pdfjs gives the 分值 and the 得分 cell as one item, the white over the rule at 359.8 a space.
const item = (str: string, x: number, w: number) => ({ str, x, y: 231.8, w, h: 9.5 });
const rule = (x: number) => ({ x1: x, y1: 45.4, x2: x, y2: 246.4 });

describe('text items and the rules between cells', () => {
  it('cuts an item a vertical rule runs through at the space nearest the rule, each part at its share of the width', () => {
    const parts = splitAtRules([item('100.00 94.94', 328.5, 58.3)], [rule(325.7), rule(359.8), rule(389.3)]);
    expect(parts.map((p) => p.str)).toEqual(['100.00', '94.94']);
    expect(parts[0]!.x).toBe(328.5);
    expect(parts[0]!.x + parts[0]!.w).toBeLessThan(359.8);
    expect(parts[1]!.x).toBeGreaterThan(359.8);
    expect(parts[1]!.x + parts[1]!.w).toBeCloseTo(328.5 + 58.3, 5);
    // Its parts are a line's two tokens, each on its side of the rule.
    const [line] = linesFromItems(parts, 2, [rule(359.8)]);
    expect(line!.tokens.map((t) => t.text)).toEqual(['100.00', '94.94']);
  });
  it('(guard) leaves an item no rule runs through, or whose spaces all lie far from the rule, as it is', () => {
    const words = item('上年结转 资金', 40, 61.75);
    expect(splitAtRules([words], [rule(30), rule(120)])).toEqual([words]);
    // The rule 5 glyphs from the only space: no cell boundary the text shows.
    const far = item('上 海市人力资源和社会保障局', 100, 128.25);
    expect(splitAtRules([far], [rule(160)])).toEqual([far]);
  });
  it('merges two close items into one token, unless a vertical rule stands between them', () => {
    const a = item('5.00', 340, 19);
    const b = item('4.00', 361, 19);
    expect(linesFromItems([a, b], 1)[0]!.tokens.map((t) => t.text)).toEqual(['5.004.00']);
    expect(linesFromItems([a, b], 1, [rule(359.8)])[0]!.tokens.map((t) => t.text)).toEqual(['5.00', '4.00']);
  });
});
