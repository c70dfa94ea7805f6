/** The order of a cell's tokens (src/layout/grid.ts): visual lines top to bottom, each left to right. */
import { describe, expect, it } from 'vitest';
import { readingOrder } from '../src/layout/grid.js';
import type { Token } from '../src/ingest/types.js';

const token = (text: string, x: number, y: number, w: number, h: number): Token => ({ text, x: x / h, width: w / h, box: { x, y, w, h } });

describe('readingOrder', () => {
  it('puts side-by-side tokens of one line in x order', () => {
    const order = readingOrder([token('满意度', 200, 101, 60, 20), token('群众', 100, 100, 40, 20)]);
    expect(order.map((t) => t.text)).toEqual(['群众', '满意度']);
  });
  it('keeps lines whose boxes reach into each other in their order down the cell', () => {
    // A scan's paragraph: tesseract's line boxes 45 px tall at a 27 px line pitch, so the centres of
    // two lines are closer than half a box; the second line starts a pixel further left.
    const lines = [
      token('、机房等公共场所和重点部位安全有序运行，提高经办大厅', 921, 350, 560, 44),
      token('服务水平，提升参保单位和群众对社会保险经办服务的便利', 921, 377, 560, 45),
      token('度、体验度和满意度。2022年年底前，全市各分中心按照市', 920, 403, 556, 45),
    ];
    expect(readingOrder([lines[2]!, lines[0]!, lines[1]!]).map((t) => t.text)).toEqual(lines.map((t) => t.text));
  });
});
