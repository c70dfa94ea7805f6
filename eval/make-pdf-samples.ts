/**
 * Renders the gold records of the text samples into realistic PDFs (bordered tables with merged
 * level cells, a CJK font, tables that cross pages) with headless Chromium, so the PDF route is
 * measured on the same truth. Run: `node --import tsx eval/make-pdf-samples.ts` (needs Debian
 * chromium and fonts-noto-cjk). The generated PDFs are committed under samples/pdf/.
 *
 * `--office` renders the same pages with LibreOffice Writer instead (Debian libreoffice-writer-nogui),
 * into the held-out set: the way an office suite prints a form, not a browser. Writer keeps none of
 * the page's CSS for tables: the columns are its own, narrow ones wrap labels a glyph or two a line,
 * forms flow on with no page break between them, and a row too tall for the page's foot is cut in
 * two. `<name>.lo-ruled.pdf` has every cell ruled (the table's border attribute), `<name>.lo-html.pdf`
 * has no rules at all (Writer drops the CSS borders).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FormRecord, SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';

const esc = (s: unknown): string =>
  s === null || s === undefined ? '' : String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number | null, d = 2): string => (v === null ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

/** Row spans for consecutive equal values (the merged level cells). */
function spans<T>(rows: T[], key: (r: T) => string): number[] {
  const out = rows.map(() => 0);
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && key(rows[j]!) === key(rows[i]!)) j++;
    out[i] = j - i;
    i = j;
  }
  return out;
}

/** Indicator rows with merged level1/level2 cells, then the name and the given value cells. */
function indicatorRows<T extends { level1: string | null; level2: string | null; name: string }>(rows: T[], cells: (i: T) => string): string {
  const l1 = spans(rows, (i) => i.level1 ?? '');
  const l2 = spans(rows, (i) => `${i.level1}|${i.level2}`);
  return rows
    .map((i, k) => {
      const c1 = l1[k] ? `<td rowspan="${l1[k]}">${esc(i.level1)}</td>` : '';
      const c2 = l2[k] ? `<td rowspan="${l2[k]}">${esc(i.level2)}</td>` : '';
      return `<tr>${c1}${c2}<td class="name">${esc(i.name)}</td>${cells(i)}</tr>`;
    })
    .join('\n');
}

function selfEvalHtml(r: SelfEvaluation): string {
  const f = r.funding;
  const unit = r.moneyUnit ?? '元';
  const fund = (label: string, row: SelfEvaluation['funding']['total']): string =>
    `<tr><td colspan="2">${label}</td><td>${num(row.initialBudget)}</td><td>${num(row.annualBudget)}</td><td>${num(row.executed)}</td><td>${num(row.weight)}</td><td>${num(row.executionRate)}</td><td colspan="2">${num(row.score)}</td></tr>`;
  const rows = indicatorRows(
    r.indicators,
    (i) => `<td>${esc(i.target)}</td><td>${esc(i.actual)}</td><td>${num(i.weight)}</td><td>${num(i.score)}</td><td class="reason">${esc(i.deviationReason)}</td>`,
  );
  return `<section>
<h1>财政项目支出绩效自评表</h1><p class="year">（${r.year}年度）</p>
<table>
<colgroup><col style="width:8%"><col style="width:9%"><col style="width:22%"><col style="width:12%"><col style="width:12%"><col style="width:8%"><col style="width:8%"><col style="width:21%"></colgroup>
<tr><td colspan="2">项目名称</td><td colspan="6">${esc(r.projectName)}</td></tr>
<tr><td colspan="2">主管部门</td><td colspan="2">${esc(r.department)}</td><td>实施单位</td><td colspan="3">${esc(r.implementingUnit)}</td></tr>
</table>
<table>
<colgroup><col style="width:10%"><col style="width:14%"><col style="width:13%"><col style="width:13%"><col style="width:13%"><col style="width:9%"><col style="width:12%"><col style="width:16%"></colgroup>
<tr><td colspan="2">项目资金（${unit}）</td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率(%)</td><td colspan="2">得分</td></tr>
${fund('年度资金总额', f.total)}${fund('其中：当年财政拨款', f.currentYearFiscal)}${fund('上年结转资金', f.carryover)}${fund('其他资金', f.other)}
</table>
<table>
<tr><td rowspan="2" style="width:8%">年度总体目标</td><td>预期目标</td><td>实际完成情况</td></tr>
<tr><td class="goal">${esc(r.goals.expected)}</td><td class="goal">${esc(r.goals.actual)}</td></tr>
</table>
<table>
<colgroup><col style="width:7%"><col style="width:9%"><col style="width:22%"><col style="width:12%"><col style="width:12%"><col style="width:7%"><col style="width:7%"><col style="width:24%"></colgroup>
<thead><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td><td>分值</td><td>得分</td><td>偏差原因分析及改进措施</td></tr></thead>
${rows}
<tr><td colspan="5">总分</td><td>${num(r.totalWeight)}</td><td>${num(r.totalScore)}</td><td></td></tr>
${r.grade ? `<tr><td colspan="5">评分等级</td><td colspan="3">${esc(r.grade)}</td></tr>` : ''}
</table></section>`;
}

function targetHtml(r: TargetDeclaration): string {
  const f = r.funding;
  const n = (v: number | null): string => (v === null ? '' : v.toLocaleString('en-US'));
  const rows = indicatorRows(r.indicators, (i) => `<td>${esc(i.target)}</td>`);
  return `<section>
<h1>财政项目支出绩效目标申报表</h1><p class="year">（ ${r.year}年度 ）</p>
<table>
<tr><td>项目名称</td><td>${esc(r.projectName)}</td><td>项目类别</td><td>${esc(r.projectCategory)}</td></tr>
<tr><td>主管部门</td><td>${esc(r.department)}</td><td>实施单位</td><td>${esc(r.implementingUnit)}</td></tr>
<tr><td>计划开始日期</td><td>${esc(r.plannedStart)}</td><td>计划完成日期</td><td>${esc(r.plannedEnd)}</td></tr>
<tr><td rowspan="4">项目资金</td><td>项目资金总额</td><td>${n(f.projectTotal)}</td><td>年度资金申请总额</td><td>${n(f.annualTotal)}</td></tr>
<tr><td>其中：财政资金</td><td>${n(f.projectFiscal)}</td><td>其中：当年财政拨款</td><td>${n(f.annualFiscal)}</td></tr>
<tr><td></td><td></td><td>上年结转资金</td><td>${n(f.annualCarryover)}</td></tr>
<tr><td>其他资金</td><td>${n(f.projectOther)}</td><td>其他资金</td><td>${n(f.annualOther)}</td></tr>
</table>
<table>
<tr><td rowspan="3" style="width:10%">项目绩效目标</td><td>项目总目标</td><td>年度总目标</td></tr>
<tr><td>（ ${esc(r.goals.overallPeriod)} ）</td><td></td></tr>
<tr><td class="goal">${esc(r.goals.overall)}</td><td class="goal">${esc(r.goals.annual)}</td></tr>
</table>
<table>
<colgroup><col style="width:12%"><col style="width:16%"><col style="width:42%"><col style="width:30%"></colgroup>
<thead><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标目标值</td></tr></thead>
${rows}
</table></section>`;
}

const CSS = `
@page { size: A4; margin: 16mm 14mm; }
body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 9.5pt; }
h1 { text-align: center; font-size: 15pt; margin: 0 0 2pt; }
p.year { text-align: center; margin: 0 0 6pt; }
section { break-before: page; }
section:first-child { break-before: auto; }
table { width: 100%; border-collapse: collapse; margin-top: -1px; table-layout: fixed; }
td { border: 0.8pt solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle; word-break: break-all; }
td.name, td.reason, td.goal { text-align: left; }
tr { break-inside: avoid; }
thead { display: table-row-group; }
`;

export function render(records: FormRecord[]): string {
  const body = records
    .map((r) => (r.docType === 'self_evaluation' ? selfEvalHtml(r) : r.docType === 'target_declaration' ? targetHtml(r) : ''))
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${CSS}</style></head><body>${body}</body></html>`;
}

export function printPdf(html: string, out: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-pdf-'));
  const page = join(dir, 'page.html');
  writeFileSync(page, html);
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`, `file://${page}`,
  ], { stdio: 'ignore' });
}

/** Preface lengths of the officeflow set (see withPreface). */
const OFFICE_FLOW_PREFACES = [4, 9, 15];

/** The page printed by LibreOffice Writer (see the head of this file), ruled or not. */
export function officePdf(html: string, out: string, ruled: boolean): void {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-office-'));
  const page = join(dir, 'page.html');
  let doc = html.replace('section { break-before: page; }', 'section { page-break-before: always; }');
  if (ruled) doc = doc.replaceAll('<table>', '<table border="1" cellspacing="0" cellpadding="3" width="100%">');
  writeFileSync(page, doc);
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--infilter=HTML (StarWriter)', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', dir, page], { stdio: 'ignore' });
  writeFileSync(out, readFileSync(join(dir, 'page.pdf')));
}

/**
 * A preface of `lines` short paragraphs (a cover note, as a department's bundle of forms has one)
 * before the forms: every page break of the flowing forms falls somewhere else.
 */
export function withPreface(html: string, lines: number): string {
  const notes = Array.from({ length: lines }, (_, i) => `<p>${i + 1}. 本附件所列项目的自评结果已经单位内部审核，数据来源于财务决算及项目执行台账。</p>`);
  return html.replace('<body>', `<body><h2>附件：项目支出绩效自评情况</h2>${notes.join('')}`);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--office-flow')) {
  // The officeflow development set: LibreOffice's rule-less print with the page breaks moved.
  mkdirSync('samples/officeflow', { recursive: true });
  for (const name of readdirSync('samples').filter((f) => f.endsWith('.gold.json'))) {
    const gold = JSON.parse(readFileSync(join('samples', name), 'utf8')) as { records: FormRecord[] };
    const records = gold.records.filter((r) => r.docType !== 'evaluation_report');
    if (!records.length) continue;
    for (const lines of OFFICE_FLOW_PREFACES) {
      const out = join('samples/officeflow', name.replace('.gold.json', `.lo-html-p${lines}.pdf`));
      officePdf(withPreface(render(records), lines), out, false);
      console.log(`wrote ${out}`);
    }
  }
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const office = process.argv.includes('--office');
  const outDir = office ? 'samples/holdout' : 'samples/pdf';
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync('samples').filter((f) => f.endsWith('.gold.json'))) {
    const gold = JSON.parse(readFileSync(join('samples', name), 'utf8')) as { records: FormRecord[] };
    const records = gold.records.filter((r) => r.docType !== 'evaluation_report');
    if (!records.length) continue;
    const outs = office ? [['lo-ruled', true], ['lo-html', false]] as const : [['', false]] as const;
    for (const [variant, ruled] of outs) {
      const out = join(outDir, name.replace('.gold.json', variant ? `.${variant}.pdf` : '.pdf'));
      if (office) officePdf(render(records), out, ruled);
      else printPdf(render(records), out);
      console.log(`wrote ${out}`);
    }
  }
}
