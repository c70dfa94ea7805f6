/**
 * Tables without rules cut by page breaks: LibreOffice's rule-less prints with a preface that moves
 * every break (samples/officeflow/, eval/make-pdf-samples.ts --office-flow), real pdfjs on the
 * committed files, checked against the hand-made gold named by the part of the file name before
 * the first dot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestPdf } from '../src/ingest/pdf.js';
import { gridDocument } from '../src/layout/grid.js';
import { segmentForms } from '../src/segment/forms.js';
import { parseForm } from '../src/parse/index.js';
import { processFile } from '../src/pipeline.js';
import type { FormRecord, SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';
import type { Finding } from '../src/schema/findings.js';

async function records(file: string): Promise<{ records: (SelfEvaluation | null)[]; gold: SelfEvaluation[] }> {
  const path = `samples/officeflow/${file}`;
  const raw = await ingestPdf(path, readFileSync(path));
  const forms = segmentForms({ ...raw, pages: gridDocument(raw.pages) });
  const read = forms.map((f) => {
    const r = parseForm(f);
    return r.status === 'parsed' ? (r.record as SelfEvaluation) : null;
  });
  const gold = (JSON.parse(readFileSync(`samples/${file.slice(0, file.indexOf('.'))}.gold.json`, 'utf8')) as { records: FormRecord[] }).records as SelfEvaluation[];
  return { records: read, gold };
}

const labels = (r: SelfEvaluation | null | undefined): string[] => (r?.indicators ?? []).map((i) => `${i.level1}|${i.level2}|${i.name}`);

describe('rule-less tables cut by page breaks (officeflow)', () => {
  it("joins a funding row's label cut by a page break (年度资金 | 总额 at the top of the next page) and reads its figures", async () => {
    const { records: read, gold } = await records('sh-sbk-2021-self-eval.lo-html-p15.pdf');
    expect(read[9]?.funding.total).toEqual(gold[9]!.funding.total);
  });

  it("carries an indicator name's tail at the top of a page on into its row, and reports no finding the gold lacks", async () => {
    const { records: read, gold } = await records('sh-sibao-2024-self-eval.lo-html-p9.pdf');
    const names = (r: SelfEvaluation | null | undefined): string[] => (r?.indicators ?? []).map((i) => i.name);
    expect(names(read[7])).toEqual(names(gold[7]));
    // Findings as the pipeline reports them, against the gold's (errors and warnings of the record).
    const path = 'samples/officeflow/sh-sibao-2024-self-eval.lo-html-p9.pdf';
    const goldFindings = (JSON.parse(readFileSync('samples/sh-sibao-2024-self-eval.gold.json', 'utf8')) as { findings: Finding[] }).findings;
    const of7 = (fs: readonly Pick<Finding, 'record' | 'rule' | 'where' | 'severity'>[]): string[] =>
      fs.filter((f) => f.record === 7 && f.severity !== 'info').map((f) => `${f.rule}@${f.where}`).sort();
    expect(of7((await processFile(path)).findings)).toEqual(of7(goldFindings));
  });

  it.each([
    // 年度总 | 体目标: the goals' label cut by a page break.
    ['sh-sbk-2021-self-eval.lo-html-p15.pdf'],
    // 年度总体目标 centred beside the expected goal's paragraph; the actual goal's column starts left
    // of the middle between the two heads (the expected column is the narrower).
    ['sh-sibao-2024-self-eval.lo-html-p9.pdf'],
  ])('reads the expected and the actual goal of every form of %s', async (file) => {
    const { records: read, gold } = await records(file);
    const goals = (rs: (SelfEvaluation | null)[]): SelfEvaluation['goals'][] => rs.map((r) => ({ expected: r?.goals.expected?.replace(/\s+/g, '') ?? null, actual: r?.goals.actual?.replace(/\s+/g, '') ?? null }) as SelfEvaluation['goals']);
    expect(goals(read)).toEqual(goals(gold));
  });

  it('joins the 主管部门 and 实施单位 values a page break cut (上海市人 | 力资源和社会保障局 on the next page)', async () => {
    const { records: read, gold } = await records('sh-sibao-2024-self-eval.lo-html-p9.pdf');
    const units = (r: SelfEvaluation | null | undefined): (string | null)[] => [r?.department ?? null, r?.implementingUnit ?? null];
    expect([units(read[4]), units(read[5])]).toEqual([units(gold[4]), units(gold[5])]);
  });

  it('gives each row the level1 and level2 labels centred beside it, where a level2 sits level with its middle row', async () => {
    const { records: read, gold } = await records('sh-sibao-2024-self-eval.lo-html-p9.pdf');
    // 数量指标 (three rows), 质量指标 (five), 时效指标 (two), each level2 level with its middle row;
    // 社会效益指标 (six glyphs, wider than the floating 产出指标 wrapped three a line) between its two.
    expect(labels(read[0])).toEqual(labels(gold[0]));
  });

  it("reads a declaration's rows at the top of a page, under its repeated header, with their group from the page before", async () => {
    // 志愿服务完成时间 | 年底前完成 (no figure) runs on 时效指标 of page 2; 效益指标 below it is
    // centred on its four rows as on five with it; the page's columns are numbered anew.
    const path = 'samples/officeflow/sh-sibao-2022-target-declaration.lo-html-p9.pdf';
    const raw = await ingestPdf(path, readFileSync(path));
    const forms = segmentForms({ ...raw, pages: gridDocument(raw.pages) });
    const r = parseForm(forms[1]!);
    const gold = (JSON.parse(readFileSync('samples/sh-sibao-2022-target-declaration.gold.json', 'utf8')) as { records: TargetDeclaration[] }).records[1]!;
    const rows = (d: TargetDeclaration): string[] => d.indicators.map((i) => `${i.level1}|${i.level2}|${i.name}|${i.target}`);
    expect(r.status === 'parsed' ? rows(r.record as TargetDeclaration) : r.reason).toEqual(rows(gold));
  });

  it('reads a page with no label between two rows as centred where other pages of the document show it (gridDocument)', async () => {
    // Record 7 runs over three pages; on its second every label sits level with a row, 质量指标 (rows
    // 19–26) on its middle row, which taken as printed at the top gave its first rows 数量指标.
    const { records: read, gold } = await records('sh-sibao-2024-self-eval.lo-html-p4.pdf');
    expect(labels(read[7]).slice(1, 41)).toEqual(labels(gold[7]).slice(1, 41));
  });

  it('gives each row its labels where a level2 floats between two rows and its level1 sits on the row below', async () => {
    const { records: read, gold } = await records('sh-sbk-2021-self-eval.lo-html-p9.pdf');
    expect(labels(read[1])).toEqual(labels(gold[1]));
  });
});
