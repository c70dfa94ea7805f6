/**
 * Row rules a photocopy lost in a ruled table (src/ingest/row-ruled.ts lostRowRules, columnStubs,
 * labelSpans): an office suite's 0.1 pt hairlines between rows vanish under the copy's threshold
 * while the frame and the column rules stay, and whole runs of rows read as one cell. Hand-drawn
 * pages for each rule of the inference; the LibreOffice prints photocopied (samples/officescan,
 * eval's officescan route) are the real measure.
 */
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { columnStubs, labelSpans, lostRowRules } from '../src/ingest/row-ruled.js';
import type { Rule } from '../src/ingest/types.js';
import { pageTables } from '../src/layout/grid.js';

/** Pixels per point of the drawn pages: 200 dpi, where the 20-pixel text below is 7 points tall. */
const PX = 200 / 72;

/** A block of "text": x0, x1 and its top, 20 pixels tall. */
type Block = [number, number, number];

function blank(width = 1000, height = 700): GrayImage {
  return { width, height, data: new Uint8Array(width * height).fill(255) };
}

function fill(img: GrayImage, x0: number, x1: number, y0: number, y1: number): void {
  for (let y = y0; y < y1; y++) img.data.fill(0, y * img.width + x0, y * img.width + x1);
}

function withText(blocks: Block[]): GrayImage {
  const img = blank();
  for (const [x0, x1, y0] of blocks) fill(img, x0, x1, y0, y0 + 20);
  return img;
}

/** A frame (y 50–350, x 50–950) with column rules at `xs` from top to bottom: its row rules lost. */
function frame(xs: number[]): Rule[] {
  return [
    { x1: 50, y1: 50, x2: 950, y2: 50 },
    { x1: 50, y1: 350, x2: 950, y2: 350 },
    ...[50, ...xs, 950].map((x) => ({ x1: x, y1: 50, x2: x, y2: 350 })),
  ];
}

const grids = (rules: Rule[]) => pageTables(rules, 2 * PX).tables.map((t) => t.grid);
const verticals = (rules: Rule[]): Rule[] => rules.filter((r) => r.x1 === r.x2);
const found = (rules: Rule[]): string[] => rules.map((r) => `${r.x1}-${r.x2}@${r.y1}`).sort();

describe('row rules a photocopy lost in a ruled table', () => {
  it('finds them in the white between rows across the table, not between the lines of a cell', () => {
    const rules = frame([300, 600]);
    // Three rows; the second's first cell wraps (lines 8 pixels apart), its other cells centred on it.
    const img = withText([
      [60, 250, 70], [320, 500, 70], [620, 900, 70],
      [60, 250, 140], [60, 200, 168], [320, 500, 154], [620, 900, 154],
      [60, 250, 230], [320, 500, 230], [620, 900, 230],
    ]);
    // The white 90–140 and 188–230 across all three columns: rules through its middle.
    expect(found(lostRowRules(img, grids(rules), verticals(rules), [], PX))).toEqual(['50-950@115', '50-950@209']);
  });

  it('puts the rule where column rules standing on one row rule end in a narrow white, with the columns they make', () => {
    // 项目名称 | its value over the whole width, then 主管部门 | value | 实施单位 | value: the
    // column rules of the second row stand on the frame's bottom and end at 180, in white 10 pixels
    // high (less than a text height).
    const rules = frame([300]);
    const stubs = [500, 700].map((x) => ({ x1: x, y1: 180, x2: x, y2: 350 }));
    const img = withText([
      [60, 250, 160], [320, 900, 160],
      [60, 250, 190], [320, 480, 190], [520, 680, 190], [720, 900, 190],
    ]);
    expect(found(lostRowRules(img, grids([...rules, ...stubs]), [...verticals(rules), ...stubs], stubs, PX))).toEqual(['50-950@180']);
    // (guard) A column rule ending there alone is a rule a scan broke, not a lost row rule.
    expect(lostRowRules(img, grids([...rules, stubs[0]!]), [...verticals(rules), stubs[0]!], [stubs[0]!], PX)).toEqual([]);
  });

  it('(guard) finds none in one row whose cells hold two lines beside single lines level with their second', () => {
    // Five columns; a name and a target of two lines each, 20 pixels of white between their lines;
    // the three figures beside them on one line each, level with their second lines: one row (the
    // white runs across the table, but only two columns have text above it).
    const rules = frame([250, 450, 650, 800]);
    const img = withText([
      [60, 240, 120], [60, 200, 160],
      [260, 440, 120], [260, 400, 160],
      [460, 640, 160], [660, 790, 160], [810, 940, 160],
    ]);
    expect(lostRowRules(img, grids(rules), verticals(rules), [], PX)).toEqual([]);
  });

  it('keeps a label centred in a merged cell whole, its side a column rule, while the rows beside it are parted', () => {
    // 成本指标 in column 50–250, centred on three rows of names and figures (tops 70, 140, 210).
    const rules = frame([250, 600]);
    const img = withText([
      [270, 580, 70], [620, 900, 70],
      [60, 240, 140], [270, 580, 140], [620, 900, 140],
      [270, 580, 210], [620, 900, 210],
      [270, 580, 280], [620, 900, 280],
    ]);
    const got = lostRowRules(img, grids(rules), verticals(rules), [], PX);
    // Rows parted right of the label; in its column only under its third row (the label's span is
    // rows 1–3: its middle, 150, is theirs).
    expect(found(got.filter((r) => r.y1 === r.y2))).toEqual(['250-950@115', '250-950@185', '50-950@255']);
    expect(got.filter((r) => r.x1 === r.x2).map((r) => `${r.x1}@${Math.round(r.y1)}-${Math.round(r.y2)}`)).toEqual(['250@54-255']);
  });
});

describe('the rows a centred label spans (labelSpans)', () => {
  // The level2 column of a photocopied LibreOffice print (sibao 2024, 信息化运维项目's second page):
  // row boundaries found to its right, and its labels: the header, 时效指标 centred on the three
  // rows 343–600, 社会效益指标 on 600–735, 可持续影响指标 on 735–785, 服务对象满意度指标 (two
  // lines) on 785–885.
  const cuts = [159, 244, 295, 343, 429, 516, 600, 651, 735, 785, 835, 885, 932, 977];
  const at = (spans: [number, number][], c = cuts): string[] => spans.map(([p, q]) => `${c[p]}-${c[q]}`);

  it('gives each label the most rows centred on it that leave the next its own', () => {
    // 时效指标 alone would take 295–651 (centred too), leaving 社会效益指标 no span centred on it.
    expect(at(labelSpans([[188, 212], [458, 483], [655, 680], [748, 772], [803, 865]], cuts, 15))).toEqual(['159-244', '343-600', '600-735', '735-785', '785-885']);
  });

  it('gives a label whose centred span would leave the next none the rows it lies on, the others theirs', () => {
    // A (45–65) is centred on 0–110; B (140–160) only on 0–300, over A: B keeps the rows it lies on.
    const rows = [0, 100, 110, 200, 210, 300];
    expect(at(labelSpans([[45, 65], [140, 160]], rows, 2), rows)).toEqual(['0-110', '110-200']);
  });

  it('gives a label centred on no run of rows the rows it lies on (printed at the top of a cell a page break cut)', () => {
    // Its middle (302) 13 pixels above its row's (315), none of the longer runs centred on it either.
    const rows = [290, 340, 390, 440, 490];
    expect(at(labelSpans([[292, 312]], rows, 10), rows)).toEqual(['290-340']);
  });
});

describe('column rules standing on one row rule (columnStubs)', () => {
  // A frame (rules at y 50 and 350, x 50–950) with a column rule at 500 through it.
  const lattice: Rule[] = [
    { x1: 50, y1: 50, x2: 950, y2: 50 },
    { x1: 50, y1: 350, x2: 950, y2: 350 },
    ...[50, 500, 950].map((x) => ({ x1: x, y1: 50, x2: x, y2: 350 })),
  ];
  const box = [{ x0: 50, y0: 50, x1: 950, y1: 350 }];
  const stroke = (img: GrayImage, x: number, y0: number, y1: number): void => fill(img, x - 1, x + 2, y0, y1);

  it('takes a rule from the frame to white inside, not a glyph stroke touching the frame or a rule a scan broke', () => {
    const img = blank();
    for (const r of lattice) if (r.x1 === r.x2) stroke(img, r.x1, 50, 350);
    fill(img, 50, 950, 49, 52);
    fill(img, 50, 950, 349, 352);
    // A column rule from the top to 150, white below it.
    stroke(img, 300, 50, 150);
    // A glyph's long stroke from the top, crossed by two of its strokes.
    stroke(img, 700, 50, 100);
    fill(img, 688, 712, 70, 72);
    fill(img, 688, 712, 85, 87);
    // A column rule broken at 150–158 by the scan.
    stroke(img, 850, 50, 150);
    stroke(img, 850, 158, 350);
    const candidates: Rule[] = [
      { x1: 300, y1: 50, x2: 300, y2: 150 },
      { x1: 700, y1: 50, x2: 700, y2: 100 },
      { x1: 850, y1: 50, x2: 850, y2: 150 },
    ];
    const { stubs, ending } = columnStubs(img, [...lattice.filter((r) => r.x1 === r.x2), ...candidates], lattice, box, PX);
    expect(stubs.map((r) => r.x1)).toEqual([300, 850]);
    expect(ending.map((r) => r.x1)).toEqual([300]);
  });
});
