/**
 * Tables ruled between rows only, on page images: their column boundaries inferred from the white
 * between cells (src/ingest/row-ruled.ts). Hand-drawn pages for each rule of the inference, then a
 * real one: the pages of a holdout PDF rendered by pdfjs, whose inferred columns must give the
 * lattice reader the same records as the hand-made gold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../src/ingest/image.js';
import { ingestPdf } from '../src/ingest/pdf.js';
import { tableRules } from '../src/ingest/ocr.js';
import { inferredColumns, inkMap, lostColumnRules, rowRuledStacks } from '../src/ingest/row-ruled.js';
import type { Page, Rule } from '../src/ingest/types.js';
import { gridDocument, pageTables } from '../src/layout/grid.js';
import { parseForm } from '../src/parse/index.js';
import type { FormRecord, SelfEvaluation } from '../src/schema/records.js';
import { segmentForms } from '../src/segment/forms.js';

/** Pixels per point of the drawn pages: 200 dpi, where the 20-pixel text below is 7 points tall. */
const PX = 200 / 72;

/** A block of "text": x0, x1 and its top. */
type Block = [number, number, number];

/** A white page with horizontal rules (x 50–950) at `ys` and solid "text" blocks [x0, x1, y0] 20 pixels tall. */
function page(ys: number[], blocks: Block[], width = 1000, height = 700): { img: GrayImage; rules: Rule[] } {
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, x1, y0] of blocks) for (let y = y0; y < y0 + 20; y++) data.fill(0, y * width + x0, y * width + x1);
  return { img: { width, height, data }, rules: ys.map((y) => ({ x1: 50, y1: y, x2: 950, y2: y })) };
}

/** The inferred boundaries inside the table (not its two ends), as "x:top-bottom". */
const inner = (rules: Rule[]): string[] =>
  rules
    .filter((r) => r.inferred && r.x1 !== 50 && r.x1 !== 950)
    .map((r) => `${r.x1}:${r.y1}-${r.y2}`)
    .sort();

/** Rows of three cells (x 60–200, 260–560, 600–900) at the given tops. */
const threeCells = (...tops: number[]): Block[] => tops.flatMap((y): Block[] => [[60, 200, y], [260, 560, y], [600, 900, y]]);

/**
 * 年度总体目标 | 预期目标 | 实际完成情况 centred in a header row (top 120), over two texts of two
 * lines (tops 170, 205): 400–412 between the cells; 700–715 after a ，in the first line of the
 * second text, whose second line is short.
 */
const GOAL_ROWS: Block[] = [
  [60, 150, 120],
  [240, 320, 120],
  [760, 880, 120],
  [180, 400, 170],
  [180, 400, 205],
  [412, 700, 170],
  [715, 940, 170],
  [412, 650, 205],
];

describe('columns of a table ruled between rows', () => {
  it('draws a boundary where every row of a section leaves white, not in the white of one line of text', () => {
    const { img, rules } = page(
      [100, 160, 220, 280, 340],
      [
        // Header row: labels centred over their columns.
        [60, 140, 120],
        [300, 380, 120],
        [640, 720, 120],
        // Two rows of cells; the middle cell of the first has a narrow white (a ，) at 400–408.
        [60, 200, 180],
        [260, 400, 180],
        [408, 560, 180],
        [600, 900, 180],
        [60, 150, 240],
        [260, 520, 240],
        [600, 850, 240],
        // A row spanning the columns (总分), centred.
        [300, 700, 300],
      ],
    );
    const out = inferredColumns(img, rules, PX);
    // Between 200 and 260, and between 560 and 600, from the header to the last row of cells; the
    // spanning row is a section of its own, with no boundary.
    expect(inner(out)).toEqual(['230:100-280', '580:100-280']);
    // The table's ends are its rules' ends.
    expect(out.filter((r) => r.x1 === 50 || r.x1 === 950).map((r) => [r.y1, r.y2])).toEqual([
      [100, 340],
      [100, 340],
    ]);
  });

  it("sees through a photocopy's speckle in the white between cells", () => {
    const { img, rules } = page(
      [100, 160, 220, 280],
      [
        [60, 200, 120],
        [260, 560, 120],
        [600, 900, 120],
        [60, 150, 180],
        [260, 520, 180],
        [600, 850, 180],
        [60, 180, 240],
        [260, 540, 240],
        [600, 880, 240],
      ],
    );
    // Specks of one to four pixels every 7 pixels across the table, the gaps between cells included.
    for (let y = 104; y < 276; y += 7) for (let x = 52; x < 948; x += 7) img.data.fill(0, y * img.width + x, y * img.width + x + 1 + ((x + y) % 2));
    // A speck touching a cell's text widens it by a pixel: the boundaries stay in the gaps between cells.
    const found = inferredColumns(img, rules, PX).filter((r) => r.inferred && r.x1 !== 50 && r.x1 !== 950);
    expect(found.map((r) => [r.y1, r.y2])).toEqual([
      [100, 280],
      [100, 280],
    ]);
    const [a, b] = found.map((r) => r.x1).sort((p, q) => p - q);
    expect(a).toBeGreaterThan(200);
    expect(a).toBeLessThan(260);
    expect(b).toBeGreaterThan(560);
    expect(b).toBeLessThan(600);
  });

  it('puts a header row with the rows under it, not with the section above it', () => {
    const { img, rules } = page(
      [100, 160, 220, 280, 340],
      [
        // A section of two rows with three columns.
        ...threeCells(120, 180),
        // A header whose white fits that section too (预期目标 | 实际完成情况) ...
        [60, 150, 240],
        [400, 480, 240],
        // ... over a row of two texts, which does not fit it.
        [60, 350, 300],
        [380, 900, 300],
      ],
    );
    expect(inner(inferredColumns(img, rules, PX))).toEqual(['230:100-220', '365:220-340', '580:100-220']);
  });

  it('keeps a narrow gap between two texts filling their cells, not the white after a ，in one line', () => {
    const { img, rules } = page([100, 160, 260], GOAL_ROWS);
    // The label's cell spans both rows: the rule between them starts at its side.
    const merged = rules.map((r) => (r.y1 === 160 ? { ...r, x1: 165 } : r));
    expect(inner(inferredColumns(img, merged, PX))).toEqual(['165:100-260', '406:100-260']);
  });

  it('measures the text height under each cell apart: a figure centred beside a two-line label leaves the columns alone', () => {
    const ys = [100, 170, 240, 310, 380];
    const blocks = ys.slice(0, -1).flatMap((y): Block[] => [
      [60, 250, y + 10],
      [60, 200, y + 38],
      [300, 500, y + 24],
      [550, 900, y + 24],
    ]);
    const { img, rules } = page(ys, blocks);
    expect(inner(inferredColumns(img, rules, PX))).toEqual(['275:100-380', '525:100-380']);
  });

  it('gives a row whose gaps between cells cut the text of the rows above a section of its own', () => {
    const { img, rules } = page(
      [100, 160, 220, 280],
      [
        ...threeCells(120, 180),
        // 270–380 | 410–550: a gap of 1.5 text heights where the rows above have text.
        [60, 180, 240],
        [270, 380, 240],
        [410, 550, 240],
        [610, 900, 240],
      ],
    );
    expect(inner(inferredColumns(img, rules, PX)).filter((r) => r.endsWith(':100-220'))).toEqual(['230:100-220', '580:100-220']);
  });

  it('draws no boundary through white that no row has text on both sides of', () => {
    // Three rows of one cell each: short text at the left, a figure at the right, text at the left.
    const { img, rules } = page([100, 160, 220, 280], [[60, 300, 120], [800, 940, 180], [60, 400, 240]]);
    expect(inner(inferredColumns(img, rules, PX))).toEqual([]);
  });

  it('does not take a row spanning the columns for the rows a header heads', () => {
    // The goal rows, then 总分 across the columns.
    const { img, rules } = page([100, 160, 260, 320], [...GOAL_ROWS, [60, 700, 280]]);
    expect(inner(inferredColumns(img, rules, PX))).toEqual(['406:100-260']);
  });

  it('returns nothing, without failing, for rules that make no table on the image', () => {
    const img: GrayImage = { width: 1000, height: 700, data: new Uint8Array(1000 * 700).fill(255) };
    const rule = (y: number, x1 = 50, x2 = 950): Rule => ({ x1, y1: y, x2, y2: y });
    expect(inferredColumns(img, [], PX)).toEqual([]);
    expect(inferredColumns(img, [rule(100)], PX)).toEqual([]);
    expect(inferredColumns(img, [rule(800), rule(860), rule(920)], PX)).toEqual([]);
    expect(inferredColumns(img, [rule(100, 1200, 1900), rule(160, 1200, 1900), rule(220, 1200, 1900)], PX)).toEqual([]);
    expect(inferredColumns({ width: 0, height: 0, data: new Uint8Array(0) }, [rule(100), rule(160), rule(220)], PX)).toEqual([]);
  });

  it('removes specks by their connected blots, diagonal neighbours included', () => {
    const img: GrayImage = { width: 40, height: 20, data: new Uint8Array(800).fill(255) };
    // A diagonal stroke of 10 pixels (one blot, kept) and a diagonal pair (a speck, removed).
    for (let i = 0; i < 10; i++) img.data[(5 + i) * 40 + 5 + i] = 0;
    img.data[2 * 40 + 30] = 0;
    img.data[3 * 40 + 31] = 0;
    const map = inkMap(img, 0, 0, 40, 20, 8);
    expect(map.ink.reduce((n, v) => n + v, 0)).toBe(10);
    expect(map.ink[14 * 40 + 14]).toBe(1);
  });

  it('takes the end of a rule stopping short of the table (under a merged cell) for the boundary there', () => {
    const { img, rules } = page(
      [100, 160, 220, 280],
      [
        [60, 200, 120],
        [260, 560, 120],
        [60, 200, 180],
        [260, 560, 180],
        [260, 560, 240],
      ],
    );
    // The rule between the last two rows starts at 240: the first column's cell spans both.
    const partial = rules.map((r) => (r.y1 === 220 ? { ...r, x1: 240 } : r));
    expect(inner(inferredColumns(img, partial, PX))).toEqual(['240:100-280']);
  });

  it('reads a frame around rows ruled between them (no inner column rule) as such a table', () => {
    const { img } = page([], threeCells(120, 180, 240));
    const { width, data } = img;
    // The rules drawn this time, two pixels thick: rows at 100…280, the frame's sides at x 50 and 950.
    for (const y of [100, 160, 220, 280]) for (const t of [0, 1]) data.fill(0, (y + t) * width + 50, (y + t) * width + 952);
    for (let y = 100; y <= 281; y++) for (const x of [50, 51, 950, 951]) data[y * width + x] = 0;
    const columns = tableRules(img, PX)
      .rules.filter((r) => r.inferred && r.x1 > 100 && r.x1 < 900)
      .map((r) => r.x1);
    expect(columns.sort((p, q) => p - q)).toEqual([230, 580]);
  });

  it('stacks three or more long rules into a table, but not two, nor rules that are part of a ruled table', () => {
    const rule = (y: number, x1 = 50, x2 = 950): Rule => ({ x1, y1: y, x2, y2: y });
    expect(rowRuledStacks([rule(100), rule(160), rule(220)], 1000, 1400, 2)).toHaveLength(1);
    expect(rowRuledStacks([rule(100), rule(160)], 1000, 1400, 2)).toHaveLength(0);
    // Short strokes (an underline) are not row rules; rules far apart are separate tables.
    expect(rowRuledStacks([rule(100, 50, 150), rule(160, 50, 150), rule(220, 50, 150)], 1000, 1400, 2)).toHaveLength(0);
    expect(rowRuledStacks([rule(100), rule(160), rule(220), rule(1000), rule(1060), rule(1120)], 1000, 1400, 2)).toHaveLength(2);
    expect(rowRuledStacks([rule(100), rule(160), rule(220)], 1000, 1400, 2, (r) => r.y1 === 160)).toHaveLength(0);
    // A shorter rule inside the table (under a merged cell) divides its rows too; one outside it does not join.
    const [table] = rowRuledStacks([rule(100), rule(160), rule(220), rule(130, 600, 950), rule(300, 600, 950)], 1000, 1400, 2);
    expect(table!.map((r) => r.y1)).toEqual([100, 130, 160, 220]);
  });
});

describe('a column rule a photocopy lost in a ruled table', () => {
  // A lattice (rules at x 50, 300, 950; rows 50 apart from y 50) whose rule between two columns at
  // x 600 was lost: each row's cell 300–950 holds a value at its left and another at its right, as
  // 执行率(%) | 得分 and 100.00 | 10.00 on the binarised copy of the sample's 征地养老人员费用.
  const lattice = (rows: number): Rule[] => [
    ...Array.from({ length: rows + 1 }, (_, i) => ({ x1: 50, y1: 50 + 50 * i, x2: 950, y2: 50 + 50 * i })),
    ...[50, 300, 950].map((x) => ({ x1: x, y1: 50, x2: x, y2: 50 + 50 * rows })),
  ];
  const rowTops = (rows: number): number[] => Array.from({ length: rows }, (_, i) => 65 + 50 * i);
  const found = (rules: Rule[]): string[] => rules.map((r) => `${r.x1}:${r.y1}-${r.y2}`);
  const grids = (rows: number) => pageTables(lattice(rows), 2 * PX).tables.map((t) => t.grid);
  it('finds it where a stack of cells leaves white between two texts in every row', () => {
    const { img } = page([], rowTops(5).flatMap((y): Block[] => [[60, 200, y], [380, 520, y], [700, 760, y]]));
    // White 520–700 in every cell of the column 300–950: a rule at its middle, through the five rows.
    expect(found(lostColumnRules(img, grids(5), PX))).toEqual(['610:50-300']);
    // A row whose right cell is empty (its 得分 blank) does not undo it.
    const { img: blank } = page([], rowTops(5).flatMap((y, i): Block[] => [[60, 200, y], [380, 520, y], ...(i === 2 ? [] : [[700, 760, y] as Block])]));
    expect(found(lostColumnRules(blank, grids(5), PX))).toEqual(['610:50-300']);
  });
  it('(guard) finds none where the texts of two rows or more stand on one side, the white is narrow, or the stack is short', () => {
    const oneSided = page([], rowTops(5).flatMap((y, i): Block[] => [[60, 200, y], [380, 520, y], ...(i < 2 ? [] : [[700, 760, y] as Block])]));
    expect(lostColumnRules(oneSided.img, grids(5), PX)).toEqual([]);
    // 30 pixels (11 points) of white: words of one cell.
    const narrow = page([], rowTops(5).flatMap((y): Block[] => [[60, 200, y], [380, 520, y], [550, 760, y]]));
    expect(lostColumnRules(narrow.img, grids(5), PX)).toEqual([]);
    const short = page([], rowTops(2).flatMap((y): Block[] => [[60, 200, y], [380, 520, y], [700, 760, y]]));
    expect(lostColumnRules(short.img, grids(2), PX)).toEqual([]);
  });
  it('(guard) finds none in letter-spaced labels, or beside a glyph alone on one side', () => {
    // 项 目 名 称 / 主 管 部 门 …: four glyphs 60 pixels apart in every cell, white between each two.
    const spaced = page([], rowTops(5).flatMap((y): Block[] => [[60, 200, y], ...[380, 520, 660, 800].map((x): Block => [x, x + 20, y])]));
    expect(lostColumnRules(spaced.img, grids(5), PX)).toEqual([]);
    // A text and, far right, a mark a glyph wide (a checkbox) in every row.
    const glyph = page([], rowTops(5).flatMap((y): Block[] => [[60, 200, y], [380, 520, y], [880, 900, y]]));
    expect(lostColumnRules(glyph.img, grids(5), PX)).toEqual([]);
  });
});

describe('a real table ruled between rows only, rendered by pdfjs', () => {
  // The same PDF twice: with its text layer, and with its fonts' ToUnicode maps renamed (so the
  // pages are rendered for OCR). The rendered pages give the rules; the text layer gives the cells' text.
  const textFile = 'samples/holdout/sh-sbk-2021-self-eval.hrules-wqy.pdf';
  const imageFile = 'samples/holdout/sh-sbk-2021-self-eval.no-tounicode.pdf';

  it('gives the lattice reader columns under which every form reads as the gold has it', async () => {
    const inferred = new Map<number, Rule[]>();
    await ingestPdf(imageFile, readFileSync(imageFile), {
      ocr: async (img, n, dpi) => {
        const scale = dpi / 72;
        inferred.set(n, tableRules(img, scale).rules.map((r) => ({ ...r, x1: r.x1 / scale, y1: r.y1 / scale, x2: r.x2 / scale, y2: r.y2 / scale })));
        return { number: n, lines: [] };
      },
    });
    const text = await ingestPdf(textFile, readFileSync(textFile));
    expect(inferred.size).toBe(text.pages.length);
    // The text layer's pages with the rules found on the rendered pages: ruled tables, not stream ones.
    const pages: Page[] = text.pages.map((p) => ({ ...p, rules: inferred.get(p.number)! }));
    for (const p of pages) expect(pageTables(p.rules!, 2).tables.length).toBeGreaterThan(0);
    const forms = segmentForms({ ...text, pages: gridDocument(pages) });
    const records = forms.map((f) => {
      const r = parseForm(f);
      return r.status === 'parsed' ? (r.record as SelfEvaluation) : null;
    });
    const gold = (JSON.parse(readFileSync('samples/sh-sbk-2021-self-eval.gold.json', 'utf8')) as { records: FormRecord[] }).records as SelfEvaluation[];
    const norm = (s: string | null): string | null => (s === null ? null : s.normalize('NFKC').replace(/\s+/g, ''));
    const fields = (r: SelfEvaluation | null) =>
      r && {
        name: norm(r.projectName),
        funding: r.funding,
        goals: [norm(r.goals.expected), norm(r.goals.actual)],
        indicators: r.indicators.map((i) => [i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score, i.deviationReason].map((v) => (typeof v === 'string' ? norm(v) : v))),
      };
    expect(records.map(fields)).toEqual(gold.map(fields));
  }, 60_000);
});
