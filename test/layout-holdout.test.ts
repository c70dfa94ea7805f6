/**
 * The layout stage on PDFs made by another renderer than our Chromium generator (samples/holdout/,
 * eval/make-holdout-samples.py): real pdfjs on the committed files, checked against the hand-made gold
 * named by the part of the file name before the first dot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestPdf } from '../src/ingest/pdf.js';
import { gridDocument } from '../src/layout/grid.js';
import { segmentForms, type Form } from '../src/segment/forms.js';
import { titleDocType } from '../src/layout/titles.js';
import { parseForm } from '../src/parse/index.js';
import type { IngestedDocument } from '../src/ingest/types.js';
import type { FormRecord, SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';

const norm = (s: string | null | undefined): string | null => (s == null ? null : s.normalize('NFKC').replace(/\s+/g, ''));

async function load(file: string): Promise<{ doc: IngestedDocument; forms: Form[]; records: (FormRecord | null)[]; gold: FormRecord[] }> {
  const path = `samples/holdout/${file}`;
  const raw = await ingestPdf(path, readFileSync(path));
  const doc = { ...raw, pages: gridDocument(raw.pages) };
  const forms = segmentForms(doc);
  const records = forms.map((f) => {
    const r = parseForm(f);
    return r.status === 'parsed' ? r.record : null;
  });
  const goldName = file.slice(0, file.indexOf('.'));
  const gold = (JSON.parse(readFileSync(`samples/${goldName}.gold.json`, 'utf8')) as { records: FormRecord[] }).records;
  return { doc, forms, records, gold };
}

/** Every indicator row's labels, name and target as the gold has them. */
function expectIndicatorsLikeGold(records: (FormRecord | null)[], gold: FormRecord[]): void {
  records.forEach((rec, k) => {
    const g = gold[k] as SelfEvaluation | TargetDeclaration;
    const r = rec as SelfEvaluation | TargetDeclaration;
    const rows = (x: SelfEvaluation | TargetDeclaration) =>
      x.indicators.map((i) => [norm(i.level1), norm(i.level2), norm(i.name), norm(i.target)].join('|'));
    expect(rows(r)).toEqual(rows(g));
  });
}

const FILES = [
  'sh-sbk-2021-self-eval.reportlab-stsong.pdf',
  'sh-sibao-2022-target-declaration.reportlab-stsong.pdf',
  'sh-sibao-2024-self-eval.reportlab-landscape.pdf',
  'sh-sibao-2022-target-declaration.rotate90.pdf',
  'sh-sbk-2021-self-eval.hrules-wqy.pdf',
  'sh-sibao-2024-self-eval.hrules-uming.pdf',
  'sh-sibao-2024-self-eval.stream-uming.pdf',
  'sh-sibao-2022-target-declaration.stream-wqy.pdf',
  // No rules, every cell centred in its rows: merged labels between rows or on their middle row.
  'sh-sbk-2021-self-eval.stream-middle.pdf',
  // LibreOffice Writer's print (eval/make-pdf-samples.ts --office): its own column widths, forms
  // flowing on, rows and merged cells cut by page breaks.
  'sh-sbk-2021-self-eval.lo-ruled.pdf',
  'sh-sibao-2022-target-declaration.lo-ruled.pdf',
  'sh-sibao-2024-self-eval.lo-ruled.pdf',
];

describe.each(FILES)('holdout %s', (file) => {
  const loaded = load(file);

  it('finds and parses every form of the gold', async () => {
    const { records, gold } = await loaded;
    expect(records.length).toBe(gold.length);
    expect(records.every((r) => r !== null)).toBe(true);
    expect(records.map((r) => norm((r as SelfEvaluation).projectName))).toEqual(gold.map((g) => norm((g as SelfEvaluation).projectName)));
  });

  it('reads every indicator row with its level labels, name and target', async () => {
    const { records, gold } = await loaded;
    expectIndicatorsLikeGold(records, gold);
  });

  it('reads the funding block, also where a page break cuts it or its goals from their header', async () => {
    const { records, gold } = await loaded;
    expect(records.map((r) => (r as SelfEvaluation | TargetDeclaration).funding)).toEqual(gold.map((g) => (g as SelfEvaluation | TargetDeclaration).funding));
    const goals = (r: FormRecord): unknown => (r.docType === 'evaluation_report' ? null : Object.values(r.goals).map((v) => norm(v)));
    expect(records.map((r) => goals(r!))).toEqual(gold.map(goals));
  });

  it('keeps form titles, running headers and page numbers out of tables and forms', async () => {
    const { doc, forms } = await loaded;
    const lines = doc.pages.flatMap((p) => p.lines);
    // A title is never a table cell (it starts a form).
    expect(lines.filter((l) => l.cells && l.tokens.some((t) => titleDocType(t.text))).length).toBe(0);
    const formLines = forms.flatMap((f) => f.lines.map((l) => l.text.replace(/\s+/g, '')));
    expect(formLines.filter((t) => /^第\d+页$/.test(t) || /预算绩效信息公开/.test(t))).toEqual([]);
    // A table header repeated on the next page is dropped: one indicator header per form.
    for (const f of forms) expect(f.lines.filter((l) => l.cells && l.tokens.some((t) => /^三级指标$/.test(t.text.replace(/\s+/g, '')))).length).toBe(1);
  });
});

describe('holdout geometry', () => {
  it('reads a /Rotate 90 page in its displayed (landscape) orientation', async () => {
    const { doc } = await load('sh-sibao-2022-target-declaration.rotate90.pdf');
    const p = doc.pages[0]!;
    expect(p.width!).toBeGreaterThan(p.height!);
    const boxes = p.lines.flatMap((l) => l.tokens.map((t) => t.box!));
    expect(boxes.every((b) => b.x >= 0 && b.x + b.w <= p.width! + 1 && b.y >= 0 && b.y + b.h <= p.height! + 1)).toBe(true);
  });

  it('builds gridded rows on pages without any rules (stream tables)', async () => {
    const { doc, records, gold } = await load('sh-sibao-2024-self-eval.stream-uming.pdf');
    expect(doc.pages.every((p) => (p.rules ?? []).filter((r) => r.x1 === r.x2).length === 0)).toBe(true);
    expect(doc.pages[0]!.lines.filter((l) => l.cells).length).toBeGreaterThan(10);
    // Goals are two columns of wrapped text: each goes to its own field.
    records.forEach((r, k) => {
      const g = (gold[k] as SelfEvaluation).goals;
      expect([norm((r as SelfEvaluation).goals.expected), norm((r as SelfEvaluation).goals.actual)]).toEqual([norm(g.expected), norm(g.actual)]);
    });
    // 总分 and 评分等级 come from their columns.
    expect(records.map((r) => [(r as SelfEvaluation).totalWeight, (r as SelfEvaluation).totalScore, (r as SelfEvaluation).grade])).toEqual(
      gold.map((g) => [(g as SelfEvaluation).totalWeight, (g as SelfEvaluation).totalScore, (g as SelfEvaluation).grade]),
    );
  });
});

describe('holdout sh-sbk-2021-self-eval.stream-middle.pdf (no rules, cells centred in their rows)', () => {
  const loaded = load('sh-sbk-2021-self-eval.stream-middle.pdf');
  it('reads a deviation reason whose lines have the row centred between them as one cell of that row', async () => {
    const { records, gold } = await loaded;
    const pick = (r: FormRecord | null | undefined) =>
      (r as SelfEvaluation).indicators.filter((i) => i.deviationReason).map((i) => [norm(i.name), norm(i.deviationReason), i.score]);
    for (const k of [0, 1]) expect(pick(records[k])).toEqual(pick(gold[k]));
  });
});

describe('holdout sh-sibao-2024-self-eval.lo-ruled.pdf (LibreOffice Writer, every cell ruled)', () => {
  const loaded = load('sh-sibao-2024-self-eval.lo-ruled.pdf');
  it("reads the 总分 row's 分值 and 得分 that pdfjs gives as one item across the rule between them (100.00 94.94)", async () => {
    const { records, gold } = await loaded;
    const totals = (r: FormRecord | null) => [(r as SelfEvaluation).totalWeight, (r as SelfEvaluation).totalScore];
    expect(records.map(totals)).toEqual(gold.map(totals));
  });
  it('reads a row cut by a page break as one row: the 实际完成值 ends at the top of the next page, the next row keeps its name', async () => {
    const { doc, records } = await loaded;
    // The cut is in the file: 果, the actual value's last glyph, alone at the top of page 2's table.
    expect(doc.pages[1]!.lines.some((l) => l.ruled && l.tokens.length === 1 && l.tokens[0]!.text === '果')).toBe(true);
    const rows = (records[0] as SelfEvaluation).indicators;
    expect(rows.find((i) => i.name === '数字化外包工作完成时点')?.actual).toBe('部分达成指标并具有一定效果');
    expect(rows.some((i) => i.name === '过期档案处置率')).toBe(true);
  });
});
