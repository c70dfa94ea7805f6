import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngestError, ingestText } from '../src/ingest/text.js';
import { isFurniture, segmentForms } from '../src/segment/forms.js';
import { titleDocType } from '../src/layout/titles.js';
import type { IngestedDocument, Line, Page } from '../src/ingest/types.js';

const load = (name: string) => ingestText(name, readFileSync(`samples/${name}`));

describe('segmentation', () => {
  it('splits the 2024 self-evaluation file into its 9 forms', () => {
    const forms = segmentForms(load('sh-sibao-2024-self-eval.txt'));
    expect(forms).toHaveLength(9);
    expect(forms.every((f) => f.docType === 'self_evaluation' && f.year === 2024)).toBe(true);
  });
  it('splits the 2021 tab-separated file into its 10 forms', () => {
    const doc = load('sh-sbk-2021-self-eval.txt');
    expect(doc.format).toBe('tsv');
    const forms = segmentForms(doc);
    expect(forms).toHaveLength(10);
    expect(forms.map((f) => f.year)).toEqual(Array(10).fill(2021));
  });
  it('finds 3 target declarations in the markdown export', () => {
    const forms = segmentForms(load('sh-sibao-2022-target-declaration.md'));
    expect(forms.map((f) => [f.docType, f.year])).toEqual(Array(3).fill(['target_declaration', 2022]));
  });
  it('types the evaluation report as one evaluation_report, its table of contents included', () => {
    const forms = segmentForms(load('sh-sibao-2018-evaluation-report.md'));
    expect(forms).toHaveLength(1);
    expect(forms[0]!.docType).toBe('evaluation_report');
  });
  it('recognises titles only as whole short lines', () => {
    expect(titleDocType('财政项目支出绩效自评表')).toBe('self_evaluation');
    expect(titleDocType('本报告参考了财政项目支出绩效自评表，')).toBeNull();
    expect(titleDocType('绩效评价报告')).toBeNull();
  });
  it('recognises titles as OCR gives them: a speck after them, one glyph of the ending misread', () => {
    expect(titleDocType('财政项目支出绩效自评表，民')).toBe('self_evaluation');
    expect(titleDocType('财政项目支出绩效自标申报表')).toBe('target_declaration');
    // One glyph read as two (目 as 上且).
    expect(titleDocType('财政项目支出绩效上且标申报表')).toBe('target_declaration');
    // Two glyphs off, or the misread reaching 绩效, is not a title.
    expect(titleDocType('财政项目支出绩效自标申报单')).toBeNull();
    expect(titleDocType('财政项目支出绩效上且标申报单')).toBeNull();
    // A glyph dropped or added makes another heading.
    for (const heading of ['项目支出绩效自评报告', '四、项目绩效自评结果', '项目绩效自评说明', '专项资金绩效自评', '项目绩效目标申报']) {
      expect(titleDocType(heading)).toBeNull();
    }
    expect(titleDocType('财政项目支出续效目标申报表')).toBeNull();
    // A sentence ending in a title is still prose.
    expect(titleDocType('本项目为项目支出绩效评价报告。')).toBeNull();
  });
  it('reads the year under an OCR-read title through specks and a misread bracket', () => {
    const doc = ingestText('s.txt', Buffer.from('财政项目支出绩效目标申报表\n【2022年度)\n项目名称\t社会保险服务费\n'));
    expect(segmentForms(doc)[0]?.year).toBe(2022);
    const doc2 = ingestText('s.txt', Buffer.from('财政项目支出绩效自评表\n:(2021!年度)\n项目名称\t交换平台运行费\n'));
    expect(segmentForms(doc2)[0]?.year).toBe(2021);
    // A comma speck after the bracket; the opening bracket read as a 1 (12024 is no year) or as 〈.
    // …or the closing bracket read twice, as )》; or a bracket speck before the opening one, or a
    // glyph; a speck after it; the closing bracket read as } or ].
    for (const [line, year] of [['(2022年度)，', 2022], ['12024年度)', 2024], ['l2023年度）', 2023], ['〈2022年度 )', 2022], ['(2021年度)》', 2021], ['](2022年度)', 2022], ['(（2022年度)', 2022], ['〈（2023年度）', 2023], ['42024年度)', 2024], ['t2024年度)', 2024], ['(2021]年度)', 2021], ['1(2024年度)', 2024], ['(. 2022年度)', 2022], ['42024年度}', 2024], ['(2023年度]', 2023], ['1(2024年度}', 2024]] as const) {
      const d = ingestText('s.txt', Buffer.from(`财政项目支出绩效自评表\n${line}\n项目名称\t社会保险服务费\n`));
      expect(segmentForms(d)[0]?.year).toBe(year);
    }
    // Without a closing bracket a leading 1 is not taken for one.
    expect(segmentForms(ingestText('s.txt', Buffer.from('财政项目支出绩效自评表\n12024年度\n项目名称\t社会保险服务费\n')))[0]?.year).toBeNull();
  });
  it('reads a scanned year line whose brackets were read as other marks or as a digit before the year', () => {
    const yearOf = (line: string, ocr = true) => {
      const doc = ingestText('s.txt', Buffer.from(`财政项目支出绩效自评表\n${line}\n项目名称\t社会保险服务费\n`));
      if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
      return segmentForms(doc)[0]?.year;
    };
    for (const [line, year] of [['(42022年度)', 2022], ["12024年度'", 2024], ['(32024年度)', 2024], ['12024年度', 2024], ['《2021年度》', 2021]] as const) {
      expect(yearOf(line)).toBe(year);
    }
    // Not without OCR (a text says what it says), nor with a digit too many after the year, nor a glyph.
    expect(yearOf('(42022年度)', false)).toBeNull();
    expect(yearOf('(20214年度)')).toBeNull();
    expect(yearOf('1t20234年度)')).toBeNull();
    expect(yearOf('经办2024年度')).toBeNull();
    expect(yearOf('(2024年度绩效')).toBeNull();
  });
  it('takes a year line OCR misread in one digit from the one year of the other forms that fits it', () => {
    const form = (year: string, name: string) => `财政项目支出绩效目标申报表\n(${year}年度)\n项目名称\t${name}\n`;
    const yearsOf = (text: string, ocr = true) => {
      const doc = ingestText('s.txt', Buffer.from(text));
      // As the scan route delivers them: every token with its OCR confidence.
      if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
      return segmentForms(doc).map((f) => f.year);
    };
    expect(yearsOf(form('2022', '维修专项') + form('2022', '经办服务') + form('202?', '宣传服务'))).toEqual([2022, 2022, 2022]);
    expect(yearsOf(form('2022', '维修专项') + form('20Z2', '经办服务'))).toEqual([2022, 2022]);
    // A 1 read as ]: a hole, not a speck after the year.
    expect(yearsOf(form('2021', '维修专项') + form('202]', '经办服务'))).toEqual([2021, 2021]);
    // Two years fit the digits read, or none does, or the text was printed so: unknown.
    expect(yearsOf(form('2021', '维修专项') + form('2022', '经办服务') + form('202?', '宣传服务'))).toEqual([2021, 2022, null]);
    expect(yearsOf(form('2019', '维修专项') + form('202?', '宣传服务'))).toEqual([2019, null]);
    expect(yearsOf(form('2022', '维修专项') + form('202?', '宣传服务'), false)).toEqual([2022, null]);
    // A self-evaluation's year is no declaration's: declarations are for the year after.
    const selfEval = `财政项目支出绩效自评表\n(2021年度)\n项目名称\t维修专项\n`;
    expect(yearsOf(selfEval + form('202?', '宣传服务'))).toEqual([2021, null]);
  });
  it('finds no form in prose', () => {
    const doc = ingestText('note.txt', Buffer.from('这是一份会议纪要。\n与绩效无关。\n'));
    expect(segmentForms(doc)).toEqual([]);
  });
  it('rejects binary and empty input with the file name', () => {
    expect(() => ingestText('x.txt', new Uint8Array([0x50, 0, 1, 2]))).toThrow(IngestError);
    expect(() => ingestText('empty.txt', new Uint8Array())).toThrow(/empty\.txt: empty file/);
  });
});

describe('page furniture', () => {
  const line = (page: number, text: string, y: number, confidence?: number): Line => ({
    page,
    lineNo: 1,
    cells: false,
    gapBefore: 0,
    text,
    tokens: [{ text, x: 0, width: text.length, box: { x: 100, y, w: 600, h: 30 }, ...(confidence === undefined ? {} : { confidence }) }],
  });
  const page = (n: number, lines: Line[]): Page => ({ number: n, lines, width: 1654, height: 2339 });
  const last = ['社会保险服务费', '办公用房维修', '居住证制作费'];
  const body = (n: number): Line[] => [line(n, `项目名称第${n}项`, 400), line(n, last[n - 1]!, 800)];
  it('a running header read differently page by page on a scan (信息人, 信息公开2) and shifted is furniture', () => {
    const heads = [line(1, '上海市财政局预算绩效信息人', 120, 0.8), line(2, '上海市财政局预算绩效信息公开2', 31, 0.9), line(3, '上海市财政局预算绩效信息公开', 33, 0.9)];
    const pages = heads.map((h, i) => page(i + 1, [h, ...body(i + 1)]));
    const furniture = isFurniture(pages);
    expect(heads.map(furniture)).toEqual([true, true, true]);
    expect(pages.flatMap((p) => p.lines.slice(1)).some(furniture)).toBe(false);
  });
  it('in a text layer the header must match exactly, at one height; a different first line on each page is content', () => {
    const heads = [line(1, '上海市财政局预算绩效信息人', 120), line(2, '上海市财政局预算绩效信息公开', 31), line(3, '上海市财政局预算绩效信息公开', 33)];
    const furniture = isFurniture(heads.map((h, i) => page(i + 1, [h, ...body(i + 1)])));
    expect(heads.map(furniture)).toEqual([false, true, true]);
    const ocrFirstLines = [line(1, '项目实施贯穿整个年度', 120, 0.9), line(2, '通过项目开展确保养老金', 120, 0.9), line(3, '年内完成对办公用房', 120, 0.9)];
    const none = isFurniture(ocrFirstLines.map((h, i) => page(i + 1, [h, ...body(i + 1)])));
    expect(ocrFirstLines.some(none)).toBe(false);
  });
});

describe('a rule-less table cell cut by a page break', () => {
  // Positioned cells (a text layer's, no confidence): [text, x, width] on one line at y.
  const cellsLine = (page: number, y: number, cells: [string, number, number][], gridded = true, ruled = false): Line => ({
    page, lineNo: 1, cells: gridded, gapBefore: 0, text: cells.map((c) => c[0]).join(' '), ...(ruled ? { ruled: true as const } : {}),
    tokens: cells.map(([text, x, w], col) => ({ text, x, width: text.length, ...(gridded ? { col } : {}), box: { x, y, w, h: 10 } })),
  });
  const doc = (last: Line, top: Line): IngestedDocument => ({
    file: 'x.pdf', source: 'pdf', format: 'plain',
    pages: [
      { number: 1, width: 595, height: 842, lines: [cellsLine(1, 40, [['财政项目支出绩效自评表', 200, 200]], false), cellsLine(1, 60, [['项目资金', 40, 40], ['年初预算数', 100, 50]]), last] },
      { number: 2, width: 595, height: 842, lines: [top, cellsLine(2, 80, [['其中：当年财政拨款', 40, 40], ['1,000.00', 100, 50]])] },
    ],
  });
  const row = cellsLine(1, 800, [['年度资金', 40, 40], ['1,000.00', 100, 50]]);
  const texts = (d: IngestedDocument): string[] => segmentForms(d)[0]!.lines.map((l) => l.text);

  it("joins the tail standing alone at the top of the next page to the cell it lies under (年度资金 | 总额)", () => {
    expect(texts(doc(row, cellsLine(2, 50, [['总额', 41, 20]], false)))).toEqual(['项目资金 年初预算数', '年度资金总额 1,000.00', '其中：当年财政拨款 1,000.00']);
  });

  it('(guard) leaves a line above the next form (附件2 over its title) as it is, and joins no line after one it left', () => {
    const d = doc(row, cellsLine(2, 50, [['附件2', 41, 20]], false));
    d.pages[1]!.lines = [d.pages[1]!.lines[0]!, cellsLine(2, 60, [['单位：万元', 41, 20]], false), cellsLine(2, 80, [['财政项目支出绩效自评表', 200, 200]], false)];
    const lines = segmentForms(d).flatMap((f) => f.lines.map((l) => l.text));
    expect(lines).toContain('年度资金 1,000.00');
    expect(lines).toContain('附件2');
  });

  it('(guard) leaves a line under two cells, or under a ruled row, as it is', () => {
    const wide = cellsLine(2, 50, [['说明文字跨越两列', 40, 100]], false);
    expect(texts(doc(row, wide))).toContain('说明文字跨越两列');
    const ruled = cellsLine(1, 800, [['年度资金', 40, 40], ['1,000.00', 100, 50]], true, true);
    expect(texts(doc(ruled, cellsLine(2, 50, [['总额', 41, 20]], false)))).toContain('总额');
  });
});
