/**
 * Merged labels centred in the rows they span, in tables with no rules (src/layout/centred-labels.ts):
 * rows drawn by hand in page units, as the stream reader hands them over.
 */
import { describe, expect, it } from 'vitest';
import { floatingRows, liftCentredLabels, type LabelCell } from '../src/layout/centred-labels.js';

interface Cell extends LabelCell {
  text: string;
}

const H = 9;
/** A cell of `text` at column x0 (width by its characters), its lines' top at y. */
function cell(text: string, x0: number, y: number, lines = 1): Cell {
  return { text, x0, x1: x0 + H * text.length, y0: y, y1: y + H * (lines * 1.25 - 0.25), lastH: H };
}
const row = (...cells: Cell[]): { cells: Cell[] } => ({ cells });
const texts = (rows: { cells: Cell[] }[]): string[][] => rows.map((r) => [...r.cells].sort((a, b) => a.x0 - b.x0).map((c) => c.text));

/** Indicator rows at a 20-unit pitch from y = 100: a name at x 140 and a figure at x 260. */
function body(names: string[]): { cells: Cell[] }[] {
  return names.map((n, i) => row(cell(n, 140, 100 + 20 * i), cell('10', 260, 100 + 20 * i)));
}
const mid = (first: number, last: number): number => (100 + 20 * first + (100 + 20 * last + H)) / 2 - H / 2;

describe('liftCentredLabels', () => {
  it('moves a label printed between the two middle rows of its four to the first, and tells the other three it spans them', () => {
    const rows = body(['甲', '乙', '丙', '丁']);
    // 产出指标 centred on rows 0–3 (between rows 1 and 2); 数量指标 on rows 0–1.
    const level1 = row(cell('产出指标', 40, mid(0, 3)));
    const level2 = row(cell('数量指标', 90, mid(0, 1)));
    const input = [rows[0]!, level2, rows[1]!, level1, rows[2]!, rows[3]!];
    expect(floatingRows(input)).toEqual([false, true, false, true, false, false]);
    const out = liftCentredLabels(input);
    expect(texts(out.rows)).toEqual([['产出指标', '数量指标', '甲', '10'], ['乙', '10'], ['丙', '10'], ['丁', '10']]);
    expect(out.spanned.map((s) => s.map((c) => c.text).sort())).toEqual([[], ['产出指标', '数量指标'], ['产出指标'], ['产出指标']]);
  });

  it('moves a label on the middle of its three rows to the first when the table shows it is centred', () => {
    const rows = body(['甲', '乙', '丙', '丁', '戊']);
    // 产出指标 on rows 0–2 sits on row 1; 效益指标 on rows 3–4 floats between them.
    rows[1]!.cells.push(cell('产出指标', 40, mid(0, 2)));
    const b = row(cell('效益指标', 40, mid(3, 4)));
    const out = liftCentredLabels([rows[0]!, rows[1]!, rows[2]!, rows[3]!, b, rows[4]!]);
    expect(texts(out.rows)).toEqual([['产出指标', '甲', '10'], ['乙', '10'], ['丙', '10'], ['效益指标', '丁', '10'], ['戊', '10']]);
  });

  it('leaves a table whose labels are printed on their first rows as it is (no label between rows)', () => {
    const rows = body(['甲', '乙', '丙']);
    rows[0]!.cells.push(cell('产出指标', 40, 100));
    const out = liftCentredLabels(rows);
    expect(out.rows).toBe(rows);
    expect(out.spanned).toEqual([[], [], []]);
  });

  it('leaves a column as read when a label is centred on no run of rows', () => {
    const rows = body(['甲', '乙', '丙', '丁']);
    // Between rows 0 and 1, yet 6 units above their middle (more than 0.6 of a glyph height), and
    // farther from the middles of rows 0–2 and 0–3: centred on no run.
    const a = row(cell('产出指标', 40, mid(0, 1) - 6));
    const input = [rows[0]!, a, rows[1]!, rows[2]!, rows[3]!];
    expect(floatingRows(input)[1]).toBe(true);
    expect(texts(liftCentredLabels(input).rows)).toEqual(texts(input));
  });

  it('keeps a label printed at the top of its rows on its row, and still lifts the centred labels after it', () => {
    // LibreOffice prints a merged cell a page break cuts at its top: 社会效益指标 on the first line
    // of row 0 (a name of three lines) of its rows 0–2, centred on none, then 可持续影响 centred on
    // rows 3–4, between them.
    const rows = body(['甲', '乙', '丙', '丁', '戊']).map((r, i) => (i === 0 ? r : row(...r.cells.map((c) => ({ ...c, y0: c.y0 + 20, y1: c.y1 + 20 })))));
    rows[0] = row(cell('甲', 140, 100, 3), cell('10', 260, 111), cell('社会效益指标', 40, 100));
    const b = row(cell('可持续影响', 40, mid(3, 4) + 20));
    const out = liftCentredLabels([rows[0]!, rows[1]!, rows[2]!, rows[3]!, b, rows[4]!]);
    expect(texts(out.rows)).toEqual([['社会效益指标', '甲', '10'], ['乙', '10'], ['丙', '10'], ['可持续影响', '丁', '10'], ['戊', '10']]);
  });

  it('ends a run at a row with another cell over the label column (a goal spanning the columns)', () => {
    const rows = body(['甲', '乙', '丙']);
    // Row 0 is a text reaching over the label column; the label is centred on rows 1–2.
    rows[0] = row(cell('保障系统的正常运行并完成年度目标任务', 30, 100));
    const a = row(cell('产出指标', 40, mid(1, 2)));
    const out = liftCentredLabels([rows[0]!, rows[1]!, a, rows[2]!]);
    expect(texts(out.rows)).toEqual([['保障系统的正常运行并完成年度目标任务'], ['产出指标', '乙', '10'], ['丙', '10']]);
  });

  it('gives a wide label reaching into the next column to one column only: it is moved once, never copied', () => {
    const rows = body(['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬']);
    rows[1]!.cells.push(cell('产出指标', 40, mid(0, 2)));
    rows[2]!.cells.push(cell('质量指标', 90, mid(2, 2)));
    // 数量指标 floats (a second column at 90); 社会效益指 (56–110) reaches into it but lies mostly in the first.
    const floating = row(cell('数量指标', 90, mid(3, 4)));
    const wide = cell('社会效益指', 56, mid(5, 7));
    wide.x1 = 110;
    rows[6]!.cells.push(wide);
    const out = liftCentredLabels([rows[0]!, rows[1]!, rows[2]!, rows[3]!, floating, ...rows.slice(4)]);
    expect(out.rows.flatMap((r) => r.cells).filter((c) => c === wide)).toHaveLength(1);
    expect(Math.max(...out.spanned.map((s) => s.filter((c) => c === wide).length))).toBeLessThanOrEqual(1);
  });

  it('takes a level2 label between two rows for a floating row though the level1 label sits on the row below', () => {
    // 效益指标 on rows 1–3 sits on row 2; 社会效益指标 on rows 1–2 floats between them (sbk-2021 in LibreOffice).
    const rows = body(['甲', '乙', '丙', '丁']);
    rows[0]!.cells.push(cell('时效指标', 90, mid(0, 0)));
    rows[2]!.cells.push(cell('效益指标', 40, mid(1, 3)));
    const level2 = row(cell('社会效益指标', 80, mid(1, 2)));
    const input = [rows[0]!, rows[1]!, level2, rows[2]!, rows[3]!];
    expect(floatingRows(input)).toEqual([false, false, true, false, false]);
    expect(texts(liftCentredLabels(input).rows)).toEqual([['时效指标', '甲', '10'], ['效益指标', '社会效益指标', '乙', '10'], ['丙', '10'], ['丁', '10']]);
  });

  it('lifts the level2 labels each on the middle of its rows, right of a level1 label between rows', () => {
    // 产出指标 over rows 0–5 floats between rows 2 and 3; 数量指标 (rows 0–2) sits on row 1 and
    // 质量指标 (rows 3–5) on row 4, both level with a row: the level1 float shows they are centred.
    const rows = body(['甲', '乙', '丙', '丁', '戊', '己']);
    rows[1]!.cells.push(cell('数量指标', 90, mid(0, 2)));
    rows[4]!.cells.push(cell('质量指标', 90, mid(3, 5)));
    const level1 = row(cell('产出指标', 40, mid(0, 5)));
    const out = liftCentredLabels([rows[0]!, rows[1]!, rows[2]!, level1, rows[3]!, rows[4]!, rows[5]!]);
    expect(texts(out.rows)).toEqual([['产出指标', '数量指标', '甲', '10'], ['乙', '10'], ['丙', '10'], ['质量指标', '丁', '10'], ['戊', '10'], ['己', '10']]);
  });

  it("takes, of two runs a level1 is centred on, the one that cuts no run of the level2 column right of it", () => {
    // Row 0 runs on a group from the page before (no label of its own). 效益指标 floats between rows
    // 2 and 3: centred on rows 1–4 and on rows 0–5 alike (rows evenly spaced); 社会 (rows 1–2),
    // 可持续 (3–4) and 满意 (5–6) float beside them. Rows 0–5 would cut 满意's run.
    const rows = body(['甲', '乙', '丙', '丁', '戊', '己', '庚']);
    const float = (text: string, x: number, first: number, last: number): { cells: Cell[] } => row(cell(text, x, mid(first, last)));
    const input = [rows[0]!, rows[1]!, float('社会', 90, 1, 2), rows[2]!, float('效益指标', 40, 1, 4), rows[3]!, float('可持续', 90, 3, 4), rows[4]!, rows[5]!, float('满意', 90, 5, 6), rows[6]!];
    const out = liftCentredLabels(input);
    expect(texts(out.rows)).toEqual([['甲', '10'], ['效益指标', '社会', '乙', '10'], ['丙', '10'], ['可持续', '丁', '10'], ['戊', '10'], ['满意', '己', '10'], ['庚', '10']]);
  });

  it('is no floating row: a heading above the table, a fragment right of the row below', () => {
    const rows = body(['甲', '乙']);
    const heading = row(cell('一级指标', 40, 80));
    const fragment = row(cell('原因', 300, 110));
    expect(floatingRows([heading, rows[0]!, rows[1]!])).toEqual([false, false, false]);
    expect(floatingRows([rows[0]!, fragment, rows[1]!])).toEqual([false, false, false]);
  });
});
