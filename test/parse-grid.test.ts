import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms } from '../src/segment/forms.js';
import { processFile } from '../src/pipeline.js';
import { parseForm } from '../src/parse/index.js';
import { readGoals, withOneDigitMore, underHeader, joinSplitAmount, restoreBudgetPoints, restoreLostFundingGlyph, restoreCents, printsCents, restoreDecimalPoints, restoreHalfPoints, restoreLetterDigits, restoreLostWeightGlyph, unlabelledTotalRow } from '../src/parse/rules/self-eval-grid.js';
import { classifyLine, labelAroundName, levelUnder, readGridRows, unwrapLabelCells, restoreFigurePunctuation, restoreLostPercents, restorePercentSigns, restoreUnits, rowsReadByOcr, type GridRow } from '../src/parse/rules/grid-table.js';
import { percentRead, percentTailRead, percentUnitRead } from '../src/ingest/ocr-percent.js';
import { emptyFundingRow, findIndicatorHeader, moneyUnitIn, periodText, readIdentity } from '../src/parse/rules/header.js';
import { fillColumnsByOrder, fuzzy } from '../src/parse/rules/grid.js';
import { splitLabels } from '../src/parse/rules/labels.js';
import { restoreGrouping, readGoals as readDeclarationGoals } from '../src/parse/rules/target-declaration.js';
import type { Box, Line, Token } from '../src/ingest/types.js';
import type { SelfEvaluation, TargetDeclaration } from '../src/schema/records.js';

function parseAll(name: string) {
  return segmentForms(ingestText(name, readFileSync(`samples/${name}`))).map(parseForm);
}

describe('gridded self-evaluation (2021, 元)', () => {
  const results = parseAll('sh-sbk-2021-self-eval.txt');
  const records = results.map((r) => (r.status === 'parsed' ? (r.record as SelfEvaluation) : null));

  it('parses every form', () => {
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('parsed'));
  });
  it('reads the head and the funding block (values hand-read from the text)', () => {
    const r = records[0]!;
    expect(r.projectName).toBe('2021年(社保卡中心)交换平台运行费');
    expect(r.department).toBe('上海市公安局');
    expect(r.moneyUnit).toBe('元');
    expect(r.funding.total).toEqual({ initialBudget: 446048, annualBudget: 446048, executed: 446048, weight: 10, executionRate: 100, score: 10 });
    expect(r.funding.carryover).toEqual({ initialBudget: 0, annualBudget: 0, executed: null, weight: null, executionRate: null, score: null });
    expect([r.totalWeight, r.totalScore, r.grade]).toEqual([100, 97.5, null]);
  });
  it('attaches a name printed on the line after its row', () => {
    const r = records[3]!;
    const row = r.indicators.find((i) => i.name === '车辆闲置率')!;
    expect(row).toMatchObject({ level1: '效益指标', level2: '经济效益指标', target: '=0%', actual: '=0%', weight: 4, score: 4 });
  });
  it('joins a deviation reason split across a page break onto its row', () => {
    const row = records[4]!.indicators.find((i) => i.name === '长效管理机制健全性')!;
    expect(row.deviationReason).toBe('运维方考评机制尚需完善。今后将根据项目需求完善运维方考评机制。');
  });
  it('gives rows the level1 printed after them across a page break', () => {
    const row = records[6]!.indicators.find((i) => i.name === '等级保护达标情况')!;
    expect([row.level1, row.level2]).toEqual(['效益指标', '社会效益指标']);
  });
  it('puts a satisfaction row printed above its labels into 满意度指标', () => {
    const row = records[8]!.indicators.find((i) => i.name === '市民满意度')!;
    expect([row.level1, row.level2]).toEqual(['满意度指标', '服务对象满意度指标']);
  });
  it('cleans LaTeX targets', () => {
    expect(records[9]!.indicators.find((i) => i.name === '市民满意度')!.target).toBe('≥90%');
  });
});

describe('labels OCR ran together with what is beside them', () => {
  it('splits two labels joined by a stroke read for the white between them', () => {
    expect(splitLabels('效益指标一经济效益指标')).toEqual(['效益指标', '经济效益指标']);
    expect(splitLabels('效益指标:社会效益指标')).toEqual(['效益指标', '社会效益指标']);
    // Only before a framework label: another province's label keeps what was read.
    expect(splitLabels('效益指标一其他指标')).toEqual(['效益指标', '一其他指标']);
  });
  it('takes a name out of a label cell: after the label, or inside a label wrapped round it', () => {
    expect(labelAroundName('效益指标档案丢失率')).toEqual({ label: '效益指标', name: '档案丢失率', after: '' });
    expect(labelAroundName('可持续影响数字化外包质保期`指标')).toEqual({ label: '可持续影响指标', name: '数字化外包质保期', after: '' });
    // Its last part one glyph misread (意 as 总); a second name after it, the next row's.
    expect(labelAroundName('服务对象满档案查询用户满意度总度指标')).toEqual({ label: '服务对象满意度指标', name: '档案查询用户满意度', after: '' });
    expect(labelAroundName('服务对象满参保对象满意度意度指标驻点单位满意度')).toEqual({ label: '服务对象满意度指标', name: '参保对象满意度', after: '驻点单位满意度' });
  });
  it('takes no name that is one glyph, or a second label misread', () => {
    expect(labelAroundName('效益指标率')).toBeNull();
    expect(labelAroundName('效益指标社会效益指木')).toBeNull();
    expect(labelAroundName('档案丢失率')).toBeNull();
  });
});

describe('a level2 label OCR garbled in two glyphs', () => {
  it('is the label its level1 holds where it is as near several', () => {
    expect(levelUnder('社会双生指标', '效益指标')).toBe('社会效益指标');
    expect(levelUnder('社会双生指标', '成本指标')).toBe('社会成本指标');
    // No level1 to decide by, a level1 holding none of them, or a known label: as read.
    expect(levelUnder('社会双生指标', null)).toBe('社会双生指标');
    expect(levelUnder('社会双生指标', '满意度指标')).toBe('社会双生指标');
    expect(levelUnder('社会成本指标', '效益指标')).toBe('社会成本指标');
  });
  it('is so on forms read by OCR only, under the level1 printed in its row', () => {
    // The first form's 效益指标 | 社会效益指标 | 系统运行正常率 row, its label garbled.
    const level2 = (ocr: boolean) => {
      const doc = ingestText('s.txt', Buffer.from(readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8').replaceAll('社会效益指标', '社会双生指标')));
      if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
      const [first] = segmentForms(doc).map(parseForm);
      return first?.status === 'parsed' ? (first.record as SelfEvaluation).indicators.find((i) => i.name === '系统运行正常率')?.level2 : undefined;
    };
    expect(level2(true)).toBe('社会效益指标');
    // Printed so, it is another province's label: kept.
    expect(level2(false)).toBe('社会双生指标');
  });
  it('takes the level1 printed alone below it where the group runs on past a page break', () => {
    // The seventh form: 社会效益指标 stands above its 效益指标 cell, after the 产出指标 group.
    const doc = ingestText('s.txt', Buffer.from(readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8').replaceAll('社会效益指标', '社会双生指标')));
    for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
    const r = segmentForms(doc).map(parseForm)[6]!;
    const row = r.status === 'parsed' ? (r.record as SelfEvaluation).indicators.find((i) => i.name === '等级保护达标情况') : undefined;
    expect([row?.level1, row?.level2]).toEqual(['效益指标', '社会效益指标']);
  });
});

describe('provenance of funding figures', () => {
  it('each funding figure keeps the cell it was read from', () => {
    const [first] = parseAll('sh-sbk-2021-self-eval.txt');
    const p = first?.status === 'parsed' ? first.provenance : {};
    // 年度资金总额's 全年执行数 (446,048) and 执行率 are on the row under the funding header.
    expect(p['funding.total.executed']).toMatchObject({ page: 1 });
    expect(p['funding.total.executed']!.fromLine).toBe(p['funding.total.executionRate']!.fromLine);
    expect(p['funding.currentYearFiscal.annualBudget']!.fromLine).toBe(p['funding.total.executed']!.fromLine + 1);
    // An empty cell has none.
    expect(p['funding.currentYearFiscal.executed']).toBeUndefined();
  });
  it('a cell keeps its OCR confidence where it holds a figure (a — read unsure is nothing to doubt)', () => {
    const doc = ingestText('s.txt', readFileSync('samples/sh-sbk-2021-self-eval.txt'));
    for (const pg of doc.pages) for (const l of pg.lines) for (const t of l.tokens) t.confidence = 0.3;
    const [first] = segmentForms(doc).map(parseForm);
    const p = first?.status === 'parsed' ? first.provenance : {};
    expect(p['funding.total.executed']?.confidence).toBe(0.3);
    // 其中：当年财政拨款's 分值 is printed —.
    expect(p['funding.currentYearFiscal.weight']).toBeDefined();
    expect(p['funding.currentYearFiscal.weight']?.confidence).toBeUndefined();
  });
});

describe('provenance of indicator cells', () => {
  const read = new Map<string, ReturnType<typeof processFile>>();
  const cellsOf = async (file: string) => {
    if (!read.has(file)) read.set(file, processFile(file));
    const r = await read.get(file)!;
    return r.forms.flatMap((f) => (f.status === 'parsed' && f.provenance ? [{ p: f.provenance, record: r.records[f.record!]! }] : []));
  };
  const inside = (a: Box, b: Box): boolean => a.x >= b.x - 0.01 && a.y >= b.y - 0.01 && a.x + a.w <= b.x + b.w + 0.01 && a.y + a.h <= b.y + b.h + 0.01;
  it("each figure cell of a row on a text-layer PDF keeps its own box, inside its row's, in the row's order", async () => {
    const forms = await cellsOf('samples/pdf/sh-sbk-2021-self-eval.pdf');
    expect(forms).toHaveLength(10);
    for (const { p, record } of forms) {
      const rows = (record as SelfEvaluation).indicators;
      rows.forEach((_, i) => {
        const row = p[`indicators.${i}`]!.box!;
        const boxes = (['target', 'actual', 'weight', 'score'] as const).map((k) => p[`indicators.${i}.${k}`]?.box);
        expect(boxes.every((b) => b !== undefined)).toBe(true);
        for (const b of boxes) expect(inside(b!, row) && b!.w < row.w).toBe(true);
        // Left to right: a 分值 and a 得分 printed alike (10, 10) are two cells, not one read twice.
        expect(boxes.every((b, k) => k === 0 || b!.x > boxes[k - 1]!.x + boxes[k - 1]!.w - 0.01)).toBe(true);
      });
    }
  });
  it("a declaration's amounts, category and dates keep their cells: each amount in its column, the project's left of the year's", async () => {
    const forms = await cellsOf('samples/pdf/sh-sibao-2022-target-declaration.pdf');
    expect(forms).toHaveLength(3);
    for (const { p, record } of forms) {
      const funding = (record as TargetDeclaration).funding;
      const printed = Object.entries(funding).filter(([, v]) => v !== null).map(([k]) => `funding.${k}`);
      expect(printed.length).toBeGreaterThanOrEqual(4);
      for (const key of [...printed, 'projectCategory', 'plannedStart', 'plannedEnd']) expect(p[key]?.box, key).toBeDefined();
      // The project column's amounts stand left of the year's, each pair on one row.
      for (const [project, year] of [['projectTotal', 'annualTotal'], ['projectFiscal', 'annualFiscal']] as const) {
        const [a, b] = [p[`funding.${project}`]!.box!, p[`funding.${year}`]!.box!];
        expect(a.x + a.w).toBeLessThan(b.x);
        expect(Math.abs(a.y - b.y)).toBeLessThan(a.h);
      }
      expect(p.plannedStart!.box!.x + p.plannedStart!.box!.w).toBeLessThan(p.plannedEnd!.box!.x);
    }
  });
  it('a cell pieced together has no cell span, and its pieces stand for no cell right of it', () => {
    // A scan's row whose target was read as ≥ and 95% apart and whose 分值 was lost: read by the
    // header's columns, target ≥95% (two tokens), actual 95% (at 700, not the target's 95% at 540).
    const tokens = [['培训覆盖率', 300], ['≥', 500], ['95%', 540], ['95%', 700], ['5', 1000]] as const;
    const line: Line = {
      page: 1, lineNo: 1, cells: true, gapBefore: 0, text: tokens.map((t) => t[0]).join(' '),
      tokens: tokens.map(([text, col]) => ({ text, col, x: col, width: 4, box: { x: col, y: 0, w: 30, h: 10 }, confidence: 0.9 })),
    };
    const [r] = readGridRows([line], 'scored', { name: 300, third: 300, target: 500, actual: 700, weight: 900, score: 1000, reason: Infinity });
    expect([r?.target, r?.actual, r?.score]).toEqual(['≥95%', '95%', '5']);
    expect(r?.cells?.target).toBeUndefined();
    expect([r?.cells?.actual?.box?.x, r?.cells?.score?.box?.x]).toEqual([700, 1000]);
  });
  it('a figure in the reason after the 得分 stands for no cell (详见附件 | 2)', () => {
    const tokens = [['培训覆盖率', 300], ['≥95%', 500], ['96%', 700], ['2', 900], ['2', 1000], ['详见附件', 1100], ['2', 1200]] as const;
    const line: Line = {
      page: 1, lineNo: 1, cells: true, gapBefore: 0, text: tokens.map((t) => t[0]).join(' '),
      tokens: tokens.map(([text, col]) => ({ text, col, x: col, width: 4, box: { x: col, y: 0, w: 30, h: 10 }, confidence: 0.9 })),
    };
    const [r] = readGridRows([line], 'scored', { name: 300, third: 300, target: 500, actual: 700, weight: 900, score: 1000, reason: 1100 });
    expect([r?.weight, r?.score, r?.reason]).toEqual(['2', '2', '详见附件2']);
    expect((['target', 'actual', 'weight', 'score'] as const).map((k) => r?.cells?.[k]?.box?.x)).toEqual([500, 700, 900, 1000]);
  });
  it("a declaration's target cell keeps its box, and a scan's cell its OCR confidence", async () => {
    const [decl] = await cellsOf('samples/pdf/sh-sibao-2022-target-declaration.pdf');
    const target = decl!.p['indicators.0.target']!;
    expect(target.box!.w).toBeLessThan(decl!.p['indicators.0']!.box!.w / 4);
    const scanned = await cellsOf('samples/scan/sh-sibao-2022-target-declaration.pdf');
    const figures = scanned.flatMap(({ p, record }) =>
      (record as TargetDeclaration).indicators.flatMap((r, i) => (/^[=<>≤≥]*[\d.,]+%?$/.test(r.target ?? '') ? [{ cell: p[`indicators.${i}.target`], row: p[`indicators.${i}`] }] : [])),
    );
    expect(figures.length).toBeGreaterThan(10);
    for (const { cell, row } of figures) {
      // A figure cell's confidence is its own (=100%, >=95%); the row's is its least sure figure's.
      expect(cell?.confidence).toBeDefined();
      expect(cell!.confidence!).toBeGreaterThanOrEqual(row!.confidence!);
      expect(inside(cell!.box!, row!.box!)).toBe(true);
    }
  }, 120_000);
  it('the identity fields and the goals keep their cells: the head above the table, the two goals side by side', async () => {
    const forms = [...(await cellsOf('samples/pdf/sh-sbk-2021-self-eval.pdf')), ...(await cellsOf('samples/scan/sh-sibao-2022-target-declaration.pdf'))];
    expect(forms).toHaveLength(13);
    for (const { p, record } of forms) {
      const [left, right] = record.docType === 'self_evaluation' ? ['goals.expected', 'goals.actual'] : ['goals.overall', 'goals.annual'];
      for (const key of ['projectName', 'department', 'implementingUnit', left, right]) expect(p[key]?.box, key).toBeDefined();
      if (p.projectName!.page === p['indicators.0']!.page) expect(p.projectName!.box!.y + p.projectName!.box!.h).toBeLessThanOrEqual(p['indicators.0']!.box!.y);
      expect(p.department!.box!.x + p.department!.box!.w).toBeLessThanOrEqual(p.implementingUnit!.box!.x);
      expect(p[left]!.box!.x + p[left]!.box!.w).toBeLessThanOrEqual(p[right]!.box!.x);
    }
  }, 120_000);
});

describe('a satisfaction group whose labels were not read', () => {
  // The sample with its 满意度指标 / 服务对象满意度指标 cells blank: its rows fall into the group before.
  const first = (ocr: boolean) => {
    const text = readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8').replaceAll('服务对象满意度指标', '').replaceAll('满意度指标', '');
    const doc = ingestText('s.txt', Buffer.from(text));
    if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
    const [r] = segmentForms(doc).map(parseForm);
    return r?.status === 'parsed' ? (r.record as SelfEvaluation).indicators : [];
  };
  it('read by OCR, the rows at the table\'s end that name satisfaction take that group', () => {
    const rows = first(true);
    const levels = (name: string) => rows.filter((i) => i.name === name).map((i) => [i.level1, i.level2]);
    expect(levels('工作人员满意度')).toEqual([['满意度指标', '服务对象满意度指标']]);
    // The rows before it keep their groups.
    expect(levels('长效管理制度健全性')).toEqual([['效益指标', '可持续影响指标']]);
  });
  /** The levels of 工作人员满意度 in the first form, its level2 label printed as `level2` and read by OCR. */
  const satisfactionLevels = (level2: string): (string | null | undefined)[] => {
    const text = readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8').replaceAll('服务对象满意度指标', level2);
    const doc = ingestText('s.txt', Buffer.from(text));
    for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
    const [r] = segmentForms(doc).map(parseForm);
    const row = r?.status === 'parsed' ? (r.record as SelfEvaluation).indicators.find((i) => i.name === '工作人员满意度') : undefined;
    return [row?.level1, row?.level2];
  };
  it('rows whose level1 满意度指标 was read without its level2 take 服务对象满意度指标', () => {
    expect(satisfactionLevels('')).toEqual(['满意度指标', '服务对象满意度指标']);
  });
  it('a satisfaction group read under another level2 keeps it', () => {
    expect(satisfactionLevels('社会满意度指标')).toEqual(['满意度指标', '社会满意度指标']);
  });
  it('printed so, the rows stay where the table puts them', () => {
    expect(first(false).find((i) => i.name === '工作人员满意度')?.level2).toBe('可持续影响指标');
  });
});

describe('target declaration (markdown export)', () => {
  const results = parseAll('sh-sibao-2022-target-declaration.md');
  const records = results.map((r) => (r.status === 'parsed' ? (r.record as TargetDeclaration) : null));

  it('reads head, dates and funding', () => {
    const r = records[0]!;
    expect([r.projectName, r.projectCategory, r.plannedStart, r.plannedEnd, r.moneyUnit]).toEqual([
      '办公房及附属设施维修专项', '一次性项目', '2022-01-01', '2022-12-31', '元',
    ]);
    expect(r.funding).toEqual({ projectTotal: 14979100, projectFiscal: 14979100, projectOther: null, annualTotal: 14979100, annualFiscal: 14979100, annualCarryover: null, annualOther: null });
    expect(r.goals.overallPeriod).toBe('2022年-2022年');
  });
  it('reads a goal period through the brackets OCR doubles or misreads', () => {
    for (const read of ['（2022年-2022年）', '（（2022年-2022年', '〈《2022年-2022年》', '2022年-2022年}', '( 2022 年 - 2022年 )']) {
      expect(periodText(read)).toBe('2022年-2022年');
    }
    expect(periodText('（年度目标）')).toBeNull();
  });
  it('joins a name split by a page break', () => {
    expect(records[1]!.indicators.map((i) => i.name)).toContain('日常安全巡逻和技防监控到位率');
    const row = records[2]!.indicators.find((i) => i.name === '告知单印制等各项宣传的及时性')!;
    expect([row.level2, row.target]).toEqual(['时效指标', '及时']);
  });
  it('finds the goals by 年度总目标 when OCR garbled the 项目总目标 head beside it, on OCR-read forms only', () => {
    const goalsOf = (text: string, ocr: boolean) => {
      const doc = ingestText('t.md', Buffer.from(text));
      // As the scan route delivers them: every token with its OCR confidence.
      if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
      return segmentForms(doc).map(parseForm).map((r) => (r.status === 'parsed' ? (r.record as TargetDeclaration).goals : null));
    };
    const text = readFileSync('samples/sh-sibao-2022-target-declaration.md', 'utf8');
    const garbled = text.replaceAll('项目总目标', '项吓总呈标');
    expect(goalsOf(garbled, true)).toEqual(goalsOf(text, true));
    expect(goalsOf(garbled, true)[0]!.annual).toMatch(/^年内完成对办公用房/);
    // Printed text is taken as printed: without the 项目总目标 head there are no goals.
    expect(goalsOf(garbled, false)[0]!.annual).toBeNull();
    // A 年度总目标 head with nothing but 项目绩效目标 before it is not the goals row.
    expect(goalsOf(text.replaceAll('项目总目标', ''), true)[0]!.annual).toBeNull();
  });
  it('puts a goal continued on the next page in its column, the cells there a little left of the heads', () => {
    // The columns as the scan route gives them (cell x in page pixels): a turned scan's page 2 came
    // out 11 pixels left of page 1, whose row holds the heads.
    const row = (page: number, cells: [string, number][]): Line => ({ page, lineNo: 1, cells: true, gapBefore: 0, text: cells.map(([c]) => c).join('\t'), tokens: cells.map(([text, col]) => ({ text, col, x: col, width: text.length })) });
    const lines = [
      row(1, [['项目绩效目标', 172], ['项目总目标', 338], ['年度总目标', 949]]),
      row(1, [['(2022年-2022年)', 338]]),
      row(2, [['项目绩效目标', 162], ['通过项目开展，确保养老金按时足额发放。', 328], ['年度内确保养老金按时发放。', 938]]),
    ];
    expect(readDeclarationGoals(lines, 0, lines.length)).toEqual({ overallPeriod: '2022年-2022年', overall: '通过项目开展，确保养老金按时足额发放。', annual: '年度内确保养老金按时发放。' });
  });
  it('strips <p> from goals', () => {
    expect(records[1]!.goals.overall!.startsWith('通过项目开展')).toBe(true);
    expect(records[1]!.goals.overall).not.toMatch(/<\/?p>/);
  });
});

describe('refusals', () => {
  const form = (body: string) => segmentForms(ingestText('t.txt', Buffer.from(body)))[0]!;
  it('refuses a 权重-weighted table as an unknown layout', () => {
    const text = [
      '财政项目支出绩效自评表', '(2021年度)', '项目名称\tX项目', '主管部门\tA\t实施单位\tB',
      '项目资金（元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分',
      '\t年度资金总额\t100\t100\t90\t10\t90%\t9',
      '一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t权重\t得分',
      '产出指标\t数量指标\t完成率\t=100%\t100%\t20\t20',
    ].join('\n');
    const r = parseForm(form(text));
    expect(r.status).toBe('unparsed');
    expect(r.status === 'unparsed' && r.reason).toMatch(/权重/);
  });
  it('refuses an unscored self-evaluation table', () => {
    const text = [
      '财政项目支出绩效自评表', '项目名称\tX项目',
      '项目资金（元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分',
      '\t年度资金总额\t100\t100\t90\t10\t90%\t9',
      '一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值',
      '产出指标\t数量指标\t完成率\t=100%\t100%',
    ].join('\n');
    const r = parseForm(form(text));
    expect(r.status === 'unparsed' && r.reason).toMatch(/unscored/);
  });
  // A scored self-evaluation of one row, with the funding head, the budget row and the 总分 line given.
  const scored = (fundingHead: string, budget: string, row: string, total: string): string =>
    [
      '财政项目支出绩效自评表', '(2024年度)', '项目名称\tX项目', '主管部门\tA\t实施单位\tB',
      `项目资金（万元）\t\t${fundingHead}\t分值\t执行率\t得分`, `\t年度资金总额\t${budget}`,
      '一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分', `产出指标\t数量指标\t${row}`, total,
    ].join('\n');
  it('finds the funding header with one of its three amount heads garbled (全年预算数 read 全和华预算数)', () => {
    const text = scored('年初预算数\t全和华预算数\t全年执行数', '100\t120\t90\t10\t75\t7.5', '完成率\t=100%\t100%\t90\t90', '总分\t100\t97.5');
    const r = parseForm(form(text));
    expect(r.status).toBe('parsed');
    const funding = r.status === 'parsed' ? (r.record as SelfEvaluation).funding.total : null;
    expect(funding).toMatchObject({ initialBudget: 100, annualBudget: 120, executed: 90, weight: 10, executionRate: 75, score: 7.5 });
  });
  it('finds the 总分 line after a speck read as a glyph before its label (将总分)', () => {
    const text = scored('年初预算数\t全年预算数\t全年执行数', '100\t100\t100\t10\t100\t10', '完成率\t=100%\t100%\t90\t87.5\t原因', '将总分\t100\t97.5');
    const r = parseForm(form(text));
    const record = r.status === 'parsed' ? (r.record as SelfEvaluation) : null;
    expect([record?.totalWeight, record?.totalScore, record?.indicators.length]).toEqual([100, 97.5, 1]);
    // A name that only has 总分 inside it is a name.
    const named = parseForm(form(text.replace('将总分\t100\t97.5', '某总分析报告完成率\t=1\t1\t5\t5\n总分\t100\t97.5')));
    expect(named.status === 'parsed' && (named.record as SelfEvaluation).indicators.map((i) => i.name)).toEqual(['完成率', '某总分析报告完成率']);
  });
  it('still refuses a form whose funding header has one amount head alone', () => {
    const text = scored('年初预算数\t全和华预算数\t全和华执行数', '100\t120\t90\t10\t75\t7.5', '完成率\t=100%\t100%\t90\t90', '总分\t100\t97.5');
    const r = parseForm(form(text));
    expect(r.status === 'unparsed' && r.reason).toMatch(/funding header/);
  });
  it('parses evaluation reports (no longer refused)', () => {
    const f = segmentForms(ingestText('r.md', readFileSync('samples/sh-sibao-2018-evaluation-report.md')))[0]!;
    expect(parseForm(f)).toMatchObject({ status: 'parsed', record: { docType: 'evaluation_report' } });
  });
});

describe('OCR: a 总分 row whose label was lost', () => {
  const row = (name: string | null, weight: string, score: string, target: string | null = '=100%'): GridRow => ({
    labels: [], level1: null, level2: null, name, target, actual: target && '100%', weight, score, reason: null,
    span: { page: 1, fromLine: 1, toLine: 1 }, repaired: false,
  });
  const rows = (last: GridRow): GridRow[] => [row('a', '50.00', '50.00'), row('b', '40.00', '34.94'), last];
  it('is the last row without a target or an actual whose 分值 is the budget 分值 plus all the others', () => {
    expect(unlabelledTotalRow(rows(row('优', '100.00', '94.94', null)), 10)).toBe(2);
    expect(unlabelledTotalRow(rows(row(null, '100.00', '94.94', null)), 10)).toBe(2);
    // 总分 itself misread into a short cell that ends as no indicator name does.
    expect(unlabelledTotalRow(rows(row('已好计有有', '100', '98.99', null)), 10)).toBe(2);
  });
  it('is not a row with a target, a name that is no grade, a 分值 that does not add up, or no budget 分值', () => {
    expect(unlabelledTotalRow(rows(row('满意度', '100.00', '94.94', null)), 10)).toBe(-1);
    expect(unlabelledTotalRow(rows(row('车辆使用有责投诉', '100.00', '94.94', null)), 10)).toBe(-1);
    expect(unlabelledTotalRow(rows(row('优', '100.00', '94.94')), 10)).toBe(-1);
    expect(unlabelledTotalRow(rows(row('优', '90.00', '84.94', null)), 10)).toBe(-1);
    expect(unlabelledTotalRow(rows(row('优', '100.00', '94.94', null)), null)).toBe(-1);
  });
});

describe('OCR: decimal points lost in 分值 / 得分 columns', () => {
  const row = (weight: string, score: string): GridRow => ({
    labels: [], level1: null, level2: null, name: 'x', target: null, actual: null, weight, score, reason: null,
    span: { page: 1, fromLine: 1, toLine: 1 }, repaired: false,
  });
  /** A row's target and actual value, as read. */
  const pair = (target: string, actual: string): GridRow => ({ ...row('10.00', '10.00'), target, actual });
  it('puts the point back into 150 in a column printed with two decimals', () => {
    const rows = [row('1.50', '150'), row('2.00', '2.00'), row('1.50', '1.00'), row('3.00', '3.00')];
    expect(restoreDecimalPoints(rows)).toBe(1);
    expect(rows[0]!.score).toBe('1.50');
    expect(rows[0]!.repaired).toBe(true);
  });
  it('leaves columns printed as integers alone', () => {
    const rows = [row('5', '5'), row('10', '8'), row('100', '100'), row('20', '20')];
    expect(restoreDecimalPoints(rows)).toBe(0);
    expect(rows[2]!.weight).toBe('100');
  });
  it('puts back the point of a score above its weight that fits below it (25 of 5 is 2.5) when the weights add up', () => {
    const rows = [row('5', '25'), row('4', '44'), row('20', '20'), row('61', '61')];
    expect(restoreHalfPoints(rows, 10, 100)).toBe(1);
    expect(rows.map((r) => r.score)).toEqual(['2.5', '44', '20', '61']);
  });
  it('with only the weights to go by, takes no score but a half for one that lost its point (19 of 10 may be 10 misread)', () => {
    const rows = [row('10', '19'), row('5', '25'), row('20', '20'), row('55', '55')];
    expect(restoreHalfPoints(rows, 10, 100)).toBe(1);
    expect(rows.map((r) => r.score)).toEqual(['19', '2.5', '20', '55']);
    // The scores adding up with the point put back say it was lost: 1.9 stands.
    const adding = [row('10', '19'), row('20', '20'), row('70', '70')];
    expect(restoreHalfPoints(adding, 10, 100, 10, 101.9)).toBe(1);
    expect(adding[0]!.score).toBe('1.9');
  });
  it('a % read as digits (=100% as =10094, 0% as 094) is put back where the row shows a rate', () => {
    const rate = (target: string, actual: string): GridRow => ({ ...row('10.00', '10.00'), target, actual });
    const rows = [rate('=100%', '10094'), rate('=10004', '100%'), rate('>=90%', '99.5894'), rate('=0%', '0946'), rate('=10094', '10094'), rate('=0%', '=09')];
    expect(restorePercentSigns(rows)).toBe(7);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['=100%', '100%'], ['=100%', '100%'], ['>=90%', '99.58%'], ['=0%', '0%'], ['=100%', '100%'], ['=0%', '=0%'],
    ]);
    expect(rows.every((r) => r.repaired)).toBe(true);
  });
  it('a target read so, without an actual to compare (a target declaration), is put back where the name names a rate', () => {
    const declared = (name: string, target: string): GridRow => ({ ...row('10.00', '10.00'), name, target, actual: null });
    const rows = [declared('档案数字化计划完成率', '=10094'), declared('参保人数', '=10094'), declared('差错率', '=094'), declared('完成率', '=96')];
    expect(restorePercentSigns(rows)).toBe(2);
    expect(rows.map((r) => r.target)).toEqual(['=100%', '=10094', '=0%', '=96']);
  });
  it('a share (满意度, 知晓度) names a rate as 率 does: its % read as digits is put back', () => {
    const declared = (name: string, target: string): GridRow => ({ ...row('10.00', '10.00'), name, target, actual: null });
    const rows = [declared('参保人员满意度', '>9094'), declared('各项政策知晓度', '>=9596'), declared('办公用房使用安全性', '=10094')];
    expect(restorePercentSigns(rows)).toBe(2);
    expect(rows.map((r) => r.target)).toEqual(['>90%', '>=95%', '=10094']);
  });
  it('a rate read without its % gets it back where the table prints its rates with one', () => {
    const declared = (name: string, target: string): GridRow => ({ ...row('10.00', '10.00'), name, target, actual: null });
    const table = (lost: string): GridRow[] => [
      declared('维修计划完成率', '=100%'), declared('验收合格率', '>=95%'), declared('参保人员满意度', '>90%'),
      declared('服务对象微信公众号知晓度', lost), declared('志愿服务覆盖数', '=16个'), declared('培训人数', '>=50'),
    ];
    const rows = table('>50');
    expect(restoreLostPercents(rows)).toBe(1);
    expect(rows.map((r) => r.target)).toEqual(['=100%', '>=95%', '>90%', '>50%', '=16个', '>=50']);
    expect(rows[3]!.repaired).toBe(true);
    // A figure over 100, or with a unit, is no rate alone; a count's row is not a rate's.
    for (const kept of ['>500', '>50人', '及时']) expect(restoreLostPercents(table(kept))).toBe(0);
    // A rate that is no share (频率), or a figure under 10 (a score of 5: 满意度 ≥4.5), gets no %.
    for (const [name, kept] of [['系统巡检频率', '=12'], ['参保人员满意度', '>=4.5']] as const) {
      const rows = [...table('>50%'), declared(name, kept)];
      expect(restoreLostPercents(rows)).toBe(0);
      expect(rows.at(-1)!.target).toBe(kept);
    }
    // A table that prints its rates without % (two of four here) keeps them so.
    const plain = [declared('完成率', '=100'), declared('合格率', '>=95'), declared('满意度', '>90%'), declared('知晓率', '>50%')];
    expect(restoreLostPercents(plain)).toBe(0);
    expect(plain.map((r) => r.target)).toEqual(['=100', '>=95', '>90%', '>50%']);
  });
  it('leaves figures that can be what they read alone: rates printed without %, counts beside counts, unlike readings', () => {
    const rate = (target: string, actual: string): GridRow => ({ ...row('10.00', '10.00'), target, actual });
    // 96, 100, 106 and 109 are rates as read (over 100 % printed without its %); 10094 beside a count is a
    // count; 10094 and 1009 read the % differently; counts alike on both sides stay counts.
    const rows = [rate('=100%', '96'), rate('=100%', '100'), rate('≥100%', '106'), rate('≥100%', '109'), rate('=10000件', '10094'), rate('=10094', '1009'), rate('=100%', '1005'), rate('=1594', '1594'), rate('=126', '126')];
    expect(restorePercentSigns(rows)).toBe(0);
    expect(rows.map((r) => r.actual)).toEqual(['96', '100', '106', '109', '10094', '1009', '1005', '1594', '126']);
    expect(percentRead('100954')).toEqual({ value: '100%', read: '954' });
    expect(percentRead('1006')).toEqual({ value: '100%', read: '6' });
    expect(percentRead('2500')).toBeNull();
  });
  it('a unit misread by one glyph takes the unit the other value of its row was read with', () => {
    const rows = [pair('>5000000.00(人次)', '6991000.00(人尖)'), pair('>=3.00(次)', '3.00(汶)'), pair('≥25.00(人，次/日)', '25.00(人次/日)'), pair('≥25.00(人次/日)', '25.00(人次/吕)'), pair('>=1（人汐）', '2（人次）')];
    expect(restoreUnits(rows)).toBe(5);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['>5000000.00(人次)', '6991000.00(人次)'], ['>=3.00(次)', '3.00(次)'], ['≥25.00(人次/日)', '25.00(人次/日)'], ['≥25.00(人次/日)', '25.00(人次/日)'], ['>=1（人次）', '2（人次）'],
    ]);
    expect(rows.every((r) => r.repaired)).toBe(true);
  });
  it('a % read as one or two other glyphs or as nothing, or a closing bracket lost, is put back from the other value of the row', () => {
    const rows = [pair('<5(%)', '0.00(吕'), pair('≥95(%)', '99.00(o人'), pair('≥95(%)', '97.00()'), pair('=100(%)', '100.00(o人)'), pair('≥25.00(人次', '25.00(人次)')];
    expect(restoreUnits(rows)).toBe(5);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['<5(%)', '0.00(%)'], ['≥95(%)', '99.00(%)'], ['≥95(%)', '97.00(%)'], ['=100(%)', '100.00(%)'], ['≥25.00(人次)', '25.00(人次)'],
    ]);
    // A unit of three glyphs beside a % is no misread % (left for the checks); nor is a known unit.
    const kept = [pair('≥95(%)', '96.00(人次日)'), pair('≥95(%)', '96.00(人)'), pair('=3(次)', '3(o人)')];
    expect(restoreUnits(kept)).toBe(0);
    expect(kept.map((r) => r.actual)).toEqual(['96.00(人次日)', '96.00(人)', '3(o人)']);
  });
  it('a % read as 人 in the row of a rate, beside a %, is the %; in a row that is no rate the 人 stays', () => {
    const rows = [{ ...pair('=100.00(%)', '100.00(人)'), name: '视频监控系统运维覆盖率' }, { ...pair('=100(人', '100.00(%)'), name: '“钉钉”移动平台流程无纸化率' }];
    expect(restoreUnits(rows)).toBe(2);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([['=100.00(%)', '100.00(%)'], ['=100(%)', '100.00(%)']]);
    const kept = [{ ...pair('≥95(%)', '96.00(人)'), name: '培训人数' }];
    expect(restoreUnits(kept)).toBe(0);
  });
  it('puts back the point read as a colon and the opening bracket read as strokes in a table of figures with two decimals', () => {
    // Readings of a thin-faced photocopy (UMing, 200 dpi): ( as 14, 1 or 4; the point as a colon.
    const rows = [
      pair('>5000000.00(人次)', '6991000.0014大次)'), pair('=100000.001份)', '100000.001份)'), pair('≥25:00(人次/日)', '25.00(人次/日)'), pair('≤0.01(%)', '0.0149)'), pair('=7.00（项）', '7.004项）'),
      // Both misread: the bracket first, then the point beside the figure it gives back.
      pair('25000000:00(人次)', '6991000.0014人次)'),
      pair('＞3.00(次)', '＞3.001次)'),
      // The closing bracket lost too (100:00(呈): the point still comes back beside a figure with two decimals.
      pair('=100.00(%)', '100:00(呈'),
    ];
    expect(restoreFigurePunctuation(rows)).toBe(10);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['>5000000.00(人次)', '6991000.00(大次)'], ['=100000.00(份)', '100000.00(份)'], ['≥25.00(人次/日)', '25.00(人次/日)'], ['≤0.01(%)', '0.01(9)'], ['=7.00（项）', '7.00（项）'],
      ['25000000.00(人次)', '6991000.00(人次)'], ['＞3.00(次)', '＞3.00(次)'], ['=100.00(%)', '100.00(呈'],
    ]);
    // The unit misread inside is then restoreUnits' to mend.
    expect(restoreUnits(rows)).toBe(3);
    expect([rows[0]!.actual, rows[3]!.actual, rows[7]!.actual]).toEqual(['6991000.00(人次)', '0.01(%)', '100.00(%)']);
  });
  it('leaves figures without two decimals or a closing bracket, times, and tables not printed with two decimals', () => {
    const rows = [
      pair('=3.00(次)', '3.00(次)'), pair('=1.00(个)', '1.00(个)'), pair('=2.5(次)', '2.51次)'), pair('17:30前', '6991000.0014人次'), pair('=0.125(%)', '1:5(%)'),
      // A time or a ratio, bracketed, beside no figure with two decimals.
      pair('17:00(前)', '完成'), pair('1:10(人)', '1:10(人)'),
    ];
    expect(restoreFigurePunctuation(rows)).toBe(0);
    expect(rows.some((r) => r.repaired)).toBe(false);
    // Fewer than three values printed with two decimals: no convention to go by.
    const few = [pair('=1(份)', '211.001条)'), pair('=2(次)', '25:00(次)')];
    expect(restoreFigurePunctuation(few)).toBe(0);
    expect(few.map((r) => r.actual)).toEqual(['211.001条)', '25:00(次)']);
  });
  it('leaves units as printed, units two glyphs apart, and values without a bracketed unit', () => {
    // (人) beside (次) are two units as printed (for the checks to report); 人和人次/日 is two glyphs
    // from 人次/日; a value with no bracketed unit has none to compare.
    const rows = [pair('>=3(人)', '3(次)'), pair('≥25.00(人和人次/日)', '25.00(人次/日)'), pair('=100%', '100.00(o人)'), pair('完善', '完善(汶)'), pair('>=3.00(汶)', '3.00(汐)')];
    expect(restoreUnits(rows)).toBe(0);
    expect(rows.map((r) => r.actual)).toEqual(['3(次)', '25.00(人次/日)', '100.00(o人)', '完善(汶)', '3.00(汐)']);
    expect(rows.some((r) => r.repaired)).toBe(false);
  });
  it('where the row says the cell holds a percentage, any reading of the % as digits is put back', () => {
    // Readings of binarised photocopies: the % as 00, 0, 24, 80, 940, 590, 50 or 04.
    const rate = (target: string, actual: string | null, name = 'x'): GridRow => ({ ...row('10.00', '10.00'), name, target, actual });
    const rows = [rate('=10000', '100%'), rate('>=90940', '99%'), rate('=10024', '100%'), rate('>=90%', '98.4450'), rate('>95%', '9590'), rate('=0%', '056'), rate('=1000', null, '覆盖率')];
    expect(restorePercentSigns(rows)).toBe(7);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['=100%', '100%'], ['>=90%', '99%'], ['=100%', '100%'], ['>=90%', '98.44%'], ['>95%', '95%'], ['=0%', '0%'], ['=100%', null],
    ]);
    // No such word: the figures stay (a count of 10000 beside a count; 1005 is no 10 with its % read as 05).
    // Nor counts beside a % or in a 率 row with no rate of 60–100 before their last digits (2400, 2024, 3000).
    const plain = [rate('=10000', '9800'), rate('=100%', '1005'), rate('=10000', '10024', '参保人数'), rate('≥2000', '2400', '车辆出勤率'), rate('≥95%', '2024'), rate('≥95%', '3000'), rate('>1090', '12%')];
    expect(restorePercentSigns(plain)).toBe(0);
    expect(plain.map((r) => [r.target, r.actual])).toEqual([
      ['=10000', '9800'], ['=100%', '1005'], ['=10000', '10024'], ['≥2000', '2400'], ['≥95%', '2024'], ['≥95%', '3000'], ['>1090', '12%'],
    ]);
    expect(percentRead('=10024')).toBeNull();
    expect(percentRead('=10024', true)).toEqual({ value: '=100%', read: '24' });
  });
  it('in a form running from a text-layer page onto a scanned one, only the scanned page\'s rows are repaired', () => {
    const onPage = (page: number, target: string, actual: string): GridRow => ({ ...row('10.00', '10.00'), target, actual, span: { page, fromLine: 1, toLine: 1 } });
    const pageLine = (page: number, confidence?: number): Line => ({
      page, lineNo: 1, text: 'x', cells: true, gapBefore: 0,
      tokens: [{ text: 'x', x: 0, width: 1, ...(confidence === undefined ? {} : { confidence }) }],
    });
    const rows = [onPage(1, '=100%', '10024'), onPage(2, '=100%', '10024')];
    expect(restorePercentSigns(rowsReadByOcr(rows, [pageLine(1), pageLine(2, 0.9)]))).toBe(1);
    expect(rows.map((r) => r.actual)).toEqual(['10024', '100%']);
  });
  it('a bracketed (%) garbled by OCR is put back where the row says the cell holds a percentage', () => {
    const rate = (target: string, actual: string | null, name = 'x'): GridRow => ({ ...row('10.00', '10.00'), name, target, actual });
    const rows = [
      rate('=100.00(%)', '100.00G0)'), rate('=100.00[20)', '100.00(%)'), rate('=100.0004)', '99.00(%)'), rate('=100(%9', '100(%)'),
      rate('≥99(%)', '99.00(4)'), rate('=100(o', '100(%)'), rate('=100.00(%)', '100.00(0人'), rate('=100.00(e6)', null, '知晓率'),
    ];
    expect(restorePercentSigns(rows)).toBe(8);
    expect(rows.map((r) => [r.target, r.actual])).toEqual([
      ['=100.00(%)', '100.00(%)'], ['=100.00(%)', '100.00(%)'], ['=100.00(%)', '99.00(%)'], ['=100(%)', '100(%)'],
      ['≥99(%)', '99.00(%)'], ['=100(%)', '100(%)'], ['=100.00(%)', '100.00(%)'], ['=100.00(%)', null],
    ]);
    // A unit read as a unit stays, for the checks to report; so do compound and Latin units, a unit after
    // brackets, a well-formed (%) after a third decimal, and a garble with no word of a %.
    const kept = [
      rate('=100.00(%)', '100.00(人)'), rate('=12(%)', '12(0)台'), rate('=5(次)', '3(e6)'), rate('≥2(次/年)', '3(次/年)', '资金周转率'),
      rate('≥8(小时/日)', '8(小时/日)', '设备利用率'), rate('=10(%)', '12(km)'), rate('≥99(%)', '98.455(%)'), rate('≥95%', '96%（抽样）'), rate('=100(%)', '99.00(人'),
    ];
    expect(restorePercentSigns(kept)).toBe(0);
    expect(kept.map((r) => r.actual)).toEqual(['100.00(人)', '12(0)台', '3(e6)', '3(次/年)', '8(小时/日)', '12(km)', '98.455(%)', '96%（抽样）', '99.00(人']);
    expect(kept.map((r) => r.target)).toEqual(['=100.00(%)', '=12(%)', '=5(次)', '≥2(次/年)', '≥8(小时/日)', '=10(%)', '≥99(%)', '≥95%', '=100(%)']);
    // Garbled past that (a Ming face's photocopy: letters, 人 beside a digit, the point read as a colon), with the row's word only.
    const loose = [rate('=100.00(%)', '100.00人9'), rate('=100(%)', '98.00f9)'), rate('=100fS5)', '100.00(%)'), rate('=100(%)', '100:00199'), rate('=100.00(%)', '100.001(%)'), rate('=100:00(人4', null, '完成率')];
    expect(restorePercentSigns(loose)).toBe(6);
    expect(loose.map((r) => [r.target, r.actual])).toEqual([
      ['=100.00(%)', '100.00(%)'], ['=100(%)', '98.00(%)'], ['=100(%)', '100.00(%)'], ['=100(%)', '100.00(%)'], ['=100.00(%)', '100.00(%)'], ['=100.00(%)', null],
    ]);
    const alone = [rate('=100(件)', '100.00人9'), rate('=5(次)', '100:00199'), rate('=100(件)', '98.00f9)')];
    expect(restorePercentSigns(alone)).toBe(0);
    // Not a rate (over 200), a unit in letters, a third decimal under 100, 人 as a unit: as read.
    const asPrinted = ['300.00f9)', '100Mbps', '10(GB)', '0.001(%)', '99.00(人', '≥99.0Dt9)', '99.875', '12(m2)', '1.00(m3)', '7x24'];
    expect(asPrinted.map(percentTailRead)).toEqual(asPrinted.map(() => null));
    expect(percentUnitRead('100.00(%)')).toBeNull();
    // Its loops read as letters in brackets are a garbled %, not a unit in letters.
    expect(percentUnitRead('100.00(ob)')).toBe('100.00(%)');
    expect(percentUnitRead('25.00(人次/日)')).toBeNull();
  });
  it('leaves scores alone when the weights do not add up (15 of a weight misread as 5)', () => {
    const rows = [row('5', '15'), row('20', '20'), row('61', '61')];
    expect(restoreHalfPoints(rows, 10, 100)).toBe(0);
    expect(rows[0]!.score).toBe('15');
  });
  it('puts back the point of a half score when the scores add up with it, though a weight is unread', () => {
    const nullWeight = (score: string): GridRow => ({ ...row('0', score), weight: null });
    const rows = [row('5', '25'), nullWeight('10'), row('80', '80')];
    expect(restoreHalfPoints(rows, 10, 100, 5, 97.5)).toBe(1);
    expect(rows.map((r) => r.score)).toEqual(['2.5', '10', '80']);
    expect(rows[0]!.repaired).toBe(true);
    // The scores as read add up to the printed total: the 25 is what the document says.
    const asPrinted = [row('5', '25'), nullWeight('10'), row('80', '80')];
    expect(restoreHalfPoints(asPrinted, 10, 100, 5, 120)).toBe(0);
    expect(asPrinted[0]!.score).toBe('25');
  });
  it('a glyph lost from a weight (15 read as 5, 10 as 1 or 0) is put back where the column total and a score above it agree', () => {
    const rows = [row('5', '15'), row('20', '18'), row('55', '50')];
    expect(restoreLostWeightGlyph(rows, 10, 100)).toBe(1);
    expect(rows.map((r) => r.weight)).toEqual(['15', '20', '55']);
    expect(rows[0]!.repaired).toBe(true);
    for (const [read, score] of [['1', '10'], ['0', '10']] as const) {
      const more = [row(read, score), row('30', '30'), row('50', '45')];
      expect(restoreLostWeightGlyph(more, 10, 100)).toBe(1);
      expect(more[0]!.weight).toBe('10');
    }
    expect(withOneDigitMore('1.5')).toContain('11.5');
  });
  it('leaves weights alone without a score above one, with two rows that could take the glyph, or when the glyph does not fit', () => {
    const noEvidence = [row('5', '5'), row('20', '20'), row('55', '50')];
    expect(restoreLostWeightGlyph(noEvidence, 10, 100)).toBe(0);
    const twoRows = [row('5', '15'), row('5', '12'), row('20', '20'), row('50', '50')];
    expect(restoreLostWeightGlyph(twoRows, 10, 100)).toBe(0);
    expect(twoRows.map((r) => r.weight)).toEqual(['5', '5', '20', '50']);
    // 4 short: 9 is not 5 with a glyph more; a score of 25 is above what 15 holds.
    expect(restoreLostWeightGlyph([row('5', '15'), row('20', '20'), row('61', '61')], 10, 100)).toBe(0);
    expect(restoreLostWeightGlyph([row('5', '25'), row('20', '20'), row('55', '55')], 10, 100)).toBe(0);
    expect(restoreLostWeightGlyph([row('15', '15'), row('20', '20'), row('55', '55')], 10, 100)).toBe(0);
  });
  it('never mends a weight to half the table or more: the total is what was misread (190 for 100, a score 19 for 10)', () => {
    const rows = [row('10', '19'), row('30', '30'), row('50', '50')];
    expect(restoreLostWeightGlyph(rows, 10, 190)).toBe(0);
    expect(rows[0]!.weight).toBe('10');
  });
  it('reads a Latin letter in a 分值 or 得分 figure as the digit tesseract takes it for (S 5, 2.S, 1O), not a lone O', () => {
    const rows = [row('S', '5'), row('10', '2.S'), row('1O', 'O'), row('5', '优')];
    expect(restoreLetterDigits(rows)).toBe(3);
    expect(rows.map((r) => [r.weight, r.score])).toEqual([['5', '5'], ['10', '2.5'], ['10', 'O'], ['5', '优']]);
    expect(rows.map((r) => r.repaired)).toEqual([true, true, true, false]);
  });
});

describe('level labels read by OCR', () => {
  const line = (cells: [string, number][], confidence?: number): Line => {
    const tokens = cells.map(([text, col]) => ({ text, col, x: col, width: 4, box: { x: col, y: 0, w: 40, h: 10 }, ...(confidence === undefined ? {} : { confidence }) }));
    return { page: 1, lineNo: 1, tokens, text: cells.map((c) => c[0]).join(' '), cells: true, gapBefore: 0 };
  };
  const cols = { name: 500, reason: Infinity };
  it('a label one glyph off a known one is that one when OCR read it (数最指标 → 数量指标)', () => {
    const c = classifyLine(line([['产出指标', 100], ['数最指标', 300], ['户外招牌更新维修数', 500], ['=9块', 1100]], 0.8), 'target', cols);
    expect(c.kind).toBe('row');
    expect(c.kind === 'row' && c.labels).toEqual(['产出指标', '数量指标']);
  });
  it('two known labels read as one cell (效益指标社会效益指标) are two labels', () => {
    const labels = (cell: string, confidence?: number) => {
      const c = classifyLine(line([[cell, 100], ['系统运行正常率', 500], ['=100%', 1100]], confidence), 'target', cols);
      return c.kind === 'row' && c.labels;
    };
    expect(labels('效益指标社会效益指标', 0.8)).toEqual(['效益指标', '社会效益指标']);
    expect(labels('效益指标社会效益指标')).toEqual(['效益指标', '社会效益指标']);
    // A label-shaped cell that is no run of known labels stays one (another province's).
    expect(labels('社会公众效益指标')).toEqual(['社会公众效益指标']);
  });
  it('a name run into a label cell is the row name where the name column holds none', () => {
    const scored = { ...cols, weight: 950, score: 1030 };
    const rows = readGridRows([line([['可持续影响数字化外包质保期`指标', 300], ['永久', 640], ['达成指标', 800], ['5', 950], ['5', 1030]], 0.8)], 'scored', scored);
    expect(rows.map((r) => [r.level2, r.name, r.target, r.weight])).toEqual([['可持续影响指标', '数字化外包质保期', '永久', '5']]);
    // With a name of its own in the name column, the text in the label cell is not taken for it.
    const own = unwrapLabelCells([line([['效益指标档案', 100], ['档案丢失率', 500], ['=0(%)', 640], ['0.00(%)', 800], ['10', 950], ['10', 1030]], 0.8)], scored);
    expect(own[0]!.tokens.map((t) => t.text)).toEqual(['效益指标档案', '档案丢失率', '=0(%)', '0.00(%)', '10', '10']);
  });
  it('leaves a label cell alone where its line has a name right of the name column, or no value (a line of labels)', () => {
    const scored = { ...cols, weight: 950, score: 1030, target: 640, slack: 20 };
    const centred = unwrapLabelCells([line([['效益指标档案', 100], ['档案丢失率', 530], ['=0(%)', 640], ['0.00(%)', 800], ['10', 950], ['10', 1030]], 0.8)], scored);
    expect(centred[0]!.tokens.map((t) => t.text)).toEqual(['效益指标档案', '档案丢失率', '=0(%)', '0.00(%)', '10', '10']);
    const labelsOnly = readGridRows([line([['满意度指标服务对象满意度', 100]], 0.8), line([['指标', 300], ['参保对象满意度', 500], ['≥95%', 640], ['99%', 800], ['5', 950], ['5', 1030]], 0.8)], 'scored', scored);
    expect(labelsOnly.map((r) => r.name)).toEqual(['参保对象满意度']);
    expect(labelAroundName('产出指标质量')).toBeNull();
  });
  it('a label wrapped round two rows\' names gives the second to the next row, where that has none', () => {
    const scored = { ...cols, weight: 950, score: 1030 };
    const lines = [
      line([['满意度指标', 100], ['服务对象满分中心和部门满意度意度指标系统用户满意度', 300], ['≥95.00(%)', 640], ['99.00(%)', 800], ['4', 950], ['4', 1030]], 0.8),
      line([['≥99(%)', 640], ['99.00(%)', 800], ['4', 950], ['4', 1030]], 0.8),
    ];
    const rows = readGridRows(lines, 'scored', scored);
    expect(rows.map((r) => [r.level1, r.level2, r.name, r.target])).toEqual([
      ['满意度指标', '服务对象满意度指标', '分中心和部门满意度', '≥95.00(%)'],
      ['满意度指标', '服务对象满意度指标', '系统用户满意度', '≥99(%)'],
    ]);
  });
  it('a label of six glyphs or more two glyphs off the only label that near is that one; two labels as near leave it as read', () => {
    const labels = (label: string) => {
      const c = classifyLine(line([['效益指标', 100], [label, 300], ['长效管理机制健全性', 500], ['健全', 1100]], 0.8), 'target', cols);
      return c.kind === 'row' && c.labels;
    };
    expect(labels('可持续及哟指标')).toEqual(['效益指标', '可持续影响指标']);
    // 社会效益指标 or 社会成本指标: as read.
    expect(labels('社会双生指标')).toEqual(['效益指标', '社会双生指标']);
    // Four glyphs: one off only (质最双标 is no label).
    expect(labels('质最双标')).toEqual(['效益指标']);
  });
  it('a repeated header on a continuation page gives no labels (一级指标 and 二级指标 are headings, not a row\'s labels)', () => {
    const c = classifyLine(line([['一级指标', 100], ['二级指标', 300], ['三级指标', 500], ['年度指标值', 700], ['实际完成值', 850], ['分值', 965], ['得分', 1045]], 0.8), 'scored', cols);
    expect(c.kind === 'labels' || (c.kind === 'row' && c.labels.length > 0)).toBe(false);
    // Read by OCR, a heading one glyph off (一 of 一级指标 lost, 偏差 read as 坊莽) still makes the header.
    const lost = classifyLine(line([['级指标', 100], ['二级指标', 300], ['三级指标', 500], ['年度指标值', 700], ['实际完成什', 850], ['分值', 965], ['得分', 1045], ['坊莽原因分析及改进措施', 1200]], 0.8), 'scored', { ...cols, reason: 1200 });
    expect(lost.kind).toBe('other');
    // A label one glyph off a heading at a row's start is read as the label it is, not dropped.
    const garbled = classifyLine(line([['效级指标', 100], ['数量指标', 300], ['培训及时率', 500], ['=100(%)', 700], ['100.00(%)', 850], ['3', 965], ['3', 1045]], 0.8), 'scored', { ...cols, reason: 1200 });
    expect(garbled.kind === 'row' && garbled.labels).toEqual(['效益指标', '数量指标']);
    // A row's framework labels are no headings, however near one.
    const row = classifyLine(line([['产出指标', 100], ['数量指标', 300], ['培训及时率', 500], ['=100(%)', 700], ['100.00(%)', 850], ['3', 965], ['3', 1045]], 0.8), 'scored', { ...cols, reason: 1200 });
    expect(row.kind === 'row' && [row.labels, row.name]).toEqual([['产出指标', '数量指标'], '培训及时率']);
    // Its last cell misread is no reason either.
    const misread = classifyLine(line([['一级指标', 100], ['二级指标', 300], ['三级指标', 500], ['年度指标值', 700], ['实际完成值', 850], ['分值', 965], ['得分', 1045], ['仿差原因分析及改进措施', 1200]], 0.8), 'scored', { ...cols, reason: 1200 });
    expect(misread.kind).toBe('other');
  });
  it('a repeated header read by OCR with a speck read as a mark between its headings is still the header', () => {
    // A copy200 flowscan's page 4: 一 of 一级指标 lost, and a speck beside 三级指标 read as -.
    const heads: [string, number][] = [['级指标', 100], ['二级指标', 300], ['-', 480], ['三级指标', 500], ['年度指标值', 700], ['实际完成值', 850], ['分值', 965], ['得分', 1045], ['偏差原因分析及改进措施', 1200]];
    expect(classifyLine(line(heads, 0.8), 'scored', { ...cols, reason: 1200 }).kind).toBe('other');
    // (Guard: as before.) A row's - (an empty cell) after a label is no speck between headings: the row stays.
    const row = classifyLine(line([['产出指标', 100], ['-', 300], ['培训及时率', 500], ['=100(%)', 700], ['100.00(%)', 850], ['3', 965], ['3', 1045]], 0.8), 'scored', { ...cols, reason: 1200 });
    expect(row.kind === 'row' && row.name).toBe('培训及时率');
  });
  it('a row whose 分值/得分 OCR could not read (了, 巧 for 15) keeps its place', () => {
    const c = classifyLine(line([['系统运行正常率', 500], ['=100%', 700], ['=100%', 850], ['了', 965], ['巧', 1045]], 0.8), 'scored', cols);
    expect(c.kind).toBe('row');
    expect(c.kind === 'row' && [c.name, c.weight, c.score]).toEqual(['系统运行正常率', '了', '巧']);
    // A thin 1 read as a bracket or a bar in both columns (a Ming face's photocopy).
    const one = classifyLine(line([['服务功能拓展产生的租用费用标准', 500], ['不高于同类市场价', 700], ['达成指标', 850], [']', 965], ['|', 1045]], 0.8), 'scored', cols);
    expect(one.kind === 'row' && [one.name, one.weight, one.score]).toEqual(['服务功能拓展产生的租用费用标准', ']', '|']);
  });
  it('a row with a name, a target and an actual whose only figure is a garbled glyph (之 for 2, its 得分 lost) keeps its place; without them it is no row', () => {
    const full = { name: 100, third: 500, target: 700, actual: 850, weight: 965, score: 1045, reason: 1200 };
    const c = classifyLine(line([['银行发放量', 500], ['=100.00(%)', 700], ['100.00(%)', 850], ['之', 965]], 0.8), 'scored', full);
    expect(c.kind === 'row' && [c.name, c.target, c.actual, c.weight, c.score]).toEqual(['银行发放量', '=100.00(%)', '100.00(%)', '之', null]);
    const bare = classifyLine(line([['银行发放量', 500], ['之', 965]], 0.8), 'scored', full);
    expect(bare.kind === 'row' && bare.weight !== null).toBe(false);
  });
  it('a row whose 分值 and 得分 were both lost keeps its place where its target is a figure with an operator or its actual a verdict', () => {
    const full = { name: 100, third: 500, target: 700, actual: 850, weight: 965, score: 1045, reason: 1200 };
    const c = classifyLine(line([['宣传工作计划完成率', 500], ['=100(%)', 700], ['100.00(%)', 850]], 0.8), 'scored', full);
    expect(c.kind === 'row' && [c.name, c.target, c.actual, c.weight, c.score]).toEqual(['宣传工作计划完成率', '=100(%)', '100.00(%)', null, null]);
    const verdict = classifyLine(line([['银行发放时点', 500], ['按时间节点执行', 700], ['达成指标', 850]], 0.8), 'scored', full);
    expect(verdict.kind === 'row' && [verdict.name, verdict.target, verdict.actual, verdict.weight, verdict.score]).toEqual(['银行发放时点', '按时间节点执行', '达成指标', null, null]);
    // Text in the three columns without an operator or a verdict (a wrapped name beside wrapped cells) is no row of its own.
    const wrapped = classifyLine(line([['完成率', 500], ['完成', 700], ['情况良好', 850]], 0.8), 'scored', full);
    expect(wrapped.kind).not.toBe('row');
    // Nor is a printed line: the rule is for cells OCR lost.
    expect(classifyLine(line([['银行发放时点', 500], ['按时间节点执行', 700], ['达成指标', 850]]), 'scored', full).kind).not.toBe('row');
  });
  describe('a row OCR lost a cell of is read by the header columns', () => {
    // nameCol (500) can be a label column (一级指标 is one glyph off 三级指标); a name read by columns starts at `third`.
    const full = { name: 100, third: 500, target: 700, actual: 850, weight: 965, score: 1045, reason: 1200 };
    const fields = (c: ReturnType<typeof classifyLine>) => (c.kind === 'row' ? [c.name, c.target, c.actual, c.weight, c.score, c.reason] : c.kind);
    it('a lost 实际完成值 does not shift the name into the values', () => {
      const cells: [string, number][] = [['管理人员责任制度', 500], ['完善', 700], ['4.00', 965], ['2.00', 1045], ['还需进一步完善', 1200]];
      expect(fields(classifyLine(line(cells, 0.8), 'scored', full))).toEqual(['管理人员责任制度', '完善', null, '4.00', '2.00', '还需进一步完善']);
      // Printed text is read by position as before (its cells are not lost), and so is a table whose header does not place the columns.
      expect(fields(classifyLine(line(cells), 'scored', full))).toEqual([null, '管理人员责任制度', '完善', '4.00', '2.00', '还需进一步完善']);
      expect(fields(classifyLine(line(cells, 0.8), 'scored', { ...full, target: Infinity }))).toEqual([null, '管理人员责任制度', '完善', '4.00', '2.00', '还需进一步完善']);
    });
    it('lost target and actual value, a garbled 分值', () => {
      expect(fields(classifyLine(line([['车辆使用管理制度', 500], ['00', 965], ['4.00', 1045]], 0.8), 'scored', full))).toEqual(['车辆使用管理制度', null, null, '00', '4.00', null]);
    });
    it('a lost 分值: the row keeps its place with the 得分 it has', () => {
      expect(fields(classifyLine(line([['市民满意度', 500], ['>=90%', 700], ['99%', 850], ['10.00', 1045]], 0.8), 'scored', full))).toEqual(['市民满意度', '>=90%', '99%', null, '10.00', null]);
    });
    it('without a 偏差原因 column, the 得分 is the first figure from its column on and the rest the reason', () => {
      const noReason = { ...full, reason: Infinity };
      expect(fields(classifyLine(line([['管理人员责任制度', 500], ['完善', 700], ['4.00', 965], ['2.00', 1045], ['还需进一步完善', 1200]], 0.8), 'scored', noReason))).toEqual(['管理人员责任制度', '完善', null, '4.00', '2.00', '还需进一步完善']);
      // A lost 得分: the text after the 分值 is a reason, not a score.
      const lostScore = classifyLine(line([['市民满意度', 500], ['>=90%', 700], ['80%', 850], ['5.00', 965], ['调查样本偏少', 1045]], 0.8), 'scored', noReason);
      expect(fields(lostScore)).toEqual(['市民满意度', '>=90%', '80%', '5.00', null, '调查样本偏少']);
    });
    it('a total row whose 总分 OCR garbled (总公, in a label column) is no indicator', () => {
      const total = classifyLine(line([['总公', 100], ['100.00', 965], ['97.50', 1045]], 0.8), 'scored', full);
      expect(total.kind === 'row' && [total.name, total.target]).toEqual([null, null]);
    });
    it('a repeated header row is no row', () => {
      const header: [string, number][] = [['三级指标', 500], ['年度指标值', 700], ['实际完成值', 850], ['分值', 965], ['得分', 1045]];
      expect(classifyLine(line(header, 0.8), 'scored', full).kind).not.toBe('row');
    });
  });
  it('a 分值 misread as a glyph (4 read as 不) beside a 得分 keeps the row, its weight unread, only in the 分值 column of an OCR-read table', () => {
    const withScore = { name: 500, reason: Infinity, score: 1045, weight: 965 };
    const c = classifyLine(line([['车辆运维成本', 500], ['下降', 700], ['下降', 850], ['不', 965], ['4', 1045]], 0.8), 'scored', withScore);
    expect(c.kind === 'row' && [c.name, c.target, c.actual, c.weight, c.score]).toEqual(['车辆运维成本', '下降', '下降', '不', '4']);
    // Not beside the 得分 column, without a target and an actual value before it, not read by OCR, or no 得分 column known: not a figure.
    expect(classifyLine(line([['车辆运维成本', 500], ['下降', 700], ['下降', 850], ['不', 965], ['4', 1045]], 0.8), 'scored', { ...withScore, score: 965 }).kind).not.toBe('row');
    // A 分值 cell OCR did not read at all: the glyph before the 得分 is the actual value (是), not a weight.
    expect(classifyLine(line([['车辆运维成本', 500], ['名称续', 600], ['是', 700], ['是', 850], ['4', 1045]], 0.8), 'scored', withScore).kind).not.toBe('row');
    expect(classifyLine(line([['车辆运维成本', 500], ['不', 965], ['4', 1045]], 0.8), 'scored', withScore).kind).not.toBe('row');
    expect(classifyLine(line([['车辆运维成本', 500], ['下降', 700], ['下降', 850], ['不', 965], ['4', 1045]]), 'scored', withScore).kind).not.toBe('row');
    expect(classifyLine(line([['车辆运维成本', 500], ['下降', 700], ['下降', 850], ['不', 965], ['4', 1045]], 0.8), 'scored', cols).kind).not.toBe('row');
  });
  it('the 三级指标 column is not 一级指标 or 二级指标, one glyph from it', () => {
    const header = (third: string) =>
      findIndicatorHeader([line([['一级指标', 100], ['二级指标', 300], [third, 500], ['年度指标值', 700], ['实际完成值', 850], ['分值', 965], ['得分', 1045]])]);
    expect(header('三级指标')?.nameCol).toBe(500);
    expect(header('三级指杯')?.nameCol).toBe(500);
    // Misread as another level's head (二级指标 twice): the header column just left of 年度指标值.
    expect(header('二级指标')?.nameCol).toBe(500);
    // … also when the value columns' heads are misread too: they are the two header cells left of 分值.
    const garbled = findIndicatorHeader([line([['一级指标', 100], ['二级指标', 300], ['二级指标', 500], ['年度指杯值x', 700], ['实际完戍值x', 850], ['分值', 965], ['得分', 1045]])]);
    expect([garbled?.nameCol, garbled?.targetCol, garbled?.actualCol]).toEqual([500, 700, 850]);
  });
  it('a table continued on another scanned page keeps its columns though its rules stand a few pixels off', () => {
    const header = findIndicatorHeader([line([['一级指标', 155], ['二级指标', 317], ['三级指标', 532], ['指标目标值', 1097]])])!;
    const cols = { name: header.nameCol, reason: Infinity, slack: header.slack };
    // The next page's name column stands at 529, left of the header's 532: still the name, not a label cell.
    const c = classifyLine(line([['质量指标', 312], ['养老金发放实际到位率', 529], ['=100%', 1100]], 0.9), 'target', cols);
    expect(c.kind === 'row' && [c.labels, c.name, c.target]).toEqual([['质量指标'], '养老金发放实际到位率', '=100%']);
    // Without the slack it would be taken for a label column's cell, and the name lost.
    const strict = classifyLine(line([['质量指标', 312], ['养老金发放实际到位率', 529], ['=100%', 1100]], 0.9), 'target', { ...cols, slack: 0 });
    // A header of two columns far apart: the slack stays within a text line's height (10 here), so a
    // garbled label cell at 420 is not pulled into the name column at 532.
    const wide = findIndicatorHeader([line([['三级指标', 532], ['指标值', 1097]])])!;
    const w = classifyLine(line([['质景措杯', 420], ['服务质量到位率', 532], ['=100%', 1097]], 0.9), 'target', { name: wide.nameCol, reason: Infinity, slack: wide.slack });
    expect(w.kind === 'row' && w.name).toBe('服务质量到位率');
    expect(strict.kind).toBe('row');
    expect(strict.kind === 'row' && strict.name).not.toBe('养老金发放实际到位率');
  });
  it('the 分值 column is the header cell just left of 得分 when OCR misread its label (分什)', () => {
    const header = (weightLabel: string) =>
      findIndicatorHeader([line([['一级指标', 100], ['三级指标', 500], ['年度指标值', 700], ['实际完成值', 850], [weightLabel, 965], ['得分', 1045], ['偏差原因分析及改进措施', 1125]])]);
    expect(header('分值')?.weightCol).toBe(965);
    expect(header('分什')?.weightCol).toBe(965);
    expect(findIndicatorHeader([line([['三级指标', 500], ['年度指标值', 700]])])?.weightCol).toBe(Infinity);
  });
  it('the 年度指标值 / 实际完成值 columns, by their labels (one glyph misread) or as the two header cells just left of 分值', () => {
    const header = (target: string, actual: string) =>
      findIndicatorHeader([line([['一级指标', 100], ['三级指标', 500], [target, 700], [actual, 850], ['分值', 965], ['得分', 1045]])]);
    const cols = (h: ReturnType<typeof header>) => [h?.targetCol, h?.actualCol];
    expect(cols(header('年度指标值', '实际完成值'))).toEqual([700, 850]);
    expect(cols(header('年度指标什', '实际完成什'))).toEqual([700, 850]);
    expect(cols(header('年度扣', '实示'))).toEqual([700, 850]);
    // Only 年度指标值 recognised: 实际完成值 is the next header column (not one of the two left of 分值).
    expect(cols(findIndicatorHeader([line([['三级指标', 500], ['年度指标值', 700], ['实示', 850], ['备注', 900], ['分值', 965], ['得分', 1045]])]))).toEqual([700, 850]);
    expect(header('年度指标值', '实际完成值')?.thirdCol).toBe(500);
    // No 分值 column known, or a single cell left of it: the columns are not guessed.
    expect(cols(findIndicatorHeader([line([['三级指标', 500], ['甲', 700], ['乙', 850], ['得', 965]])]))).toEqual([Infinity, Infinity]);
    expect(cols(findIndicatorHeader([line([['三级指标', 500], ['甲', 850], ['分值', 965], ['得分', 1045]])]))).toEqual([Infinity, Infinity]);
  });
  it('a lone sentence in the 得分 column is a reason, not the start of the next name (a tall centred reason cell)', () => {
    // A table without rules: the reason cell's first line stands above its row, and no column edge
    // of that line tells it from 得分 (col 374); the header put 得分 at 374 and the reason at 405.
    const withScore = { name: 131, reason: 405, score: 374 };
    const c = classifyLine(line([['运维方考评机制尚需完善。今后将根据项目需求完善运维方考评机制。', 374]]), 'scored', withScore);
    expect(c).toEqual({ kind: 'reason', text: '运维方考评机制尚需完善。今后将根据项目需求完善运维方考评机制。' });
    // A lone figure there is still a figure, and a lone text in the name column a name.
    expect(classifyLine(line([['长效管理机制健全性', 131]]), 'scored', withScore).kind).toBe('name');
    expect(classifyLine(line([['2.5', 374]]), 'scored', withScore).kind).not.toBe('reason');
  });
  it('a printed label is kept as printed (another province may use it)', () => {
    const c = classifyLine(line([['产出指标', 100], ['数最指标', 300], ['户外招牌更新维修数', 500], ['=9块', 1100]]), 'target', cols);
    expect(c.kind === 'row' && c.labels).toEqual(['产出指标', '数最指标']);
  });
});

describe('funding amounts read by OCR', () => {
  const empty = () => ({ initialBudget: null, annualBudget: null, executed: null, weight: null, executionRate: null, score: null });
  it('puts back separators and the point where most amounts are printed with cents', () => {
    const funding = { total: empty(), currentYearFiscal: empty(), carryover: empty(), other: empty() };
    const printed: Record<string, string> = {
      'funding.total.initialBudget': '148000000', 'funding.total.annualBudget': '1,480,000.00', 'funding.total.executed': '5882.05000',
      'funding.currentYearFiscal.initialBudget': '1480000.00', 'funding.carryover.initialBudget': '000', 'funding.total.executionRate': '9827',
    };
    restoreCents(funding, printed, printsCents([printed], 2, 0.5));
    expect([funding.total.initialBudget, funding.total.executed, funding.carryover.initialBudget]).toEqual([1480000, 5882050, 0]);
    expect(funding.total.executionRate).toBeNull(); // not an amount: left to the rate checks
    expect(printed['funding.total.annualBudget']).toBe('1,480,000.00');
  });
  it('leaves amounts printed as integers alone', () => {
    const funding = { total: empty(), currentYearFiscal: empty(), carryover: empty(), other: empty() };
    const printed = { 'funding.total.initialBudget': '1480000', 'funding.total.annualBudget': '1480000', 'funding.total.executed': '1454341.54' };
    expect(printsCents([printed], 2, 0.5)).toBe(false);
    restoreCents(funding, printed, printsCents([printed], 2, 0.5));
    expect(funding.total.initialBudget).toBeNull();
  });
  it('takes the document’s word where a form’s own amounts all lost their points', () => {
    const own = { 'funding.total.initialBudget': '410432600', 'funding.total.annualBudget': '410432600', 'funding.total.executed': '5882.80000' };
    const others = [{ 'funding.total.initialBudget': '446,048.00', 'funding.total.annualBudget': '446,048.00', 'funding.total.executed': '446,048.00' }];
    expect(printsCents([own], 2, 0.5)).toBe(false);
    expect(printsCents([own, ...others], 3, 2 / 3)).toBe(false); // 3 of 6: not two thirds
    const more = [...others, { 'funding.total.initialBudget': '1,296,714.00', 'funding.total.annualBudget': '1,296,714.00', 'funding.total.executed': '1,240,000.00' }];
    expect(printsCents([own, ...more], 3, 2 / 3)).toBe(true);
    const funding = { total: empty(), currentYearFiscal: empty(), carryover: empty(), other: empty() };
    restoreCents(funding, own, true);
    expect([funding.total.initialBudget, funding.total.executed]).toEqual([4104326, 5882800]);
  });
});

describe('申报表 amounts read by OCR', () => {
  it('takes a separator read as a point (14.979100, 16,647.680) for what it is: amounts in 元 have no third decimal', () => {
    const file = 'samples/sh-sibao-2022-target-declaration.md';
    const gold = (JSON.parse(readFileSync('samples/sh-sibao-2022-target-declaration.gold.json', 'utf8')) as { records: TargetDeclaration[] }).records;
    const misread = (v: string): string => v.replace(/^(\d{1,3}),(\d{3}),(\d{3})$/, '$1.$2$3');
    const forms = segmentForms(ingestText(file, readFileSync(file))).map((f) => ({
      ...f,
      lines: f.lines.map((l) => ({ ...l, tokens: l.tokens.map((t) => ({ ...t, text: misread(t.text), confidence: 0.95 })) })),
    }));
    expect(forms.some((f) => f.lines.some((l) => l.tokens.some((t) => /^\d+\.\d{6}$/.test(t.text))))).toBe(true);
    const records = forms.map((f) => parseForm(f)).map((r) => (r.status === 'parsed' ? (r.record as TargetDeclaration) : null));
    expect(records.map((r) => r?.funding)).toEqual(gold.map((g) => g.funding));
  });
  it('keeps the digits of a reading whose decimals come in groups of three, not of one with cents (1497.91) or cents mangled (5882.05000)', () => {
    const funding = { projectTotal: null, projectFiscal: null, projectOther: null, annualTotal: null, annualFiscal: null, annualCarryover: null, annualOther: null };
    const printed = { 'funding.projectTotal': '14.979100', 'funding.projectFiscal': '16,647.680', 'funding.annualTotal': '1497.91', 'funding.annualFiscal': '5882.05000', 'funding.annualOther': '1480.00000' };
    restoreGrouping(funding, printed);
    expect([funding.projectTotal, funding.projectFiscal, funding.annualTotal, funding.annualFiscal, funding.annualOther]).toEqual([14979100, 16647680, null, null, null]);
  });
});

describe('fuzzy labels (what OCR does to a label cell)', () => {
  it('takes a label with one character wrong, missing or extra per four, or one character read as two', () => {
    const name = fuzzy(['项目名称'], { split: true });
    expect(['项目名称', '项目名秒', '项目称', '项目名称：', '项上月名称'].map((s) => name.test(s))).toEqual([true, true, true, true, true]);
    // Two characters wrong, two extra, or a split that changes the rest: no label.
    expect(['项日名秋', '项上月名称称', '项上月称名', '名称'].map((s) => name.test(s))).toEqual([false, false, false, false]);
    const funds = fuzzy(['项目资金'], { prefix: true, split: true });
    expect(['项目资金(元)', '项上月资金（万元）', '项目'].map((s) => funds.test(s))).toEqual([true, true, false]);
    // Only where asked: 项目绩效目标 is a label of its own, one split from 项目总目标.
    expect(fuzzy(['项目总目标']).test('项目绩效目标')).toBe(false);
    expect(fuzzy(['项目名称']).test('项上月名称')).toBe(false);
  });
});

describe('fillColumnsByOrder (a funding header cell OCR misread)', () => {
  const order = ['initialBudget', 'annualBudget', 'executed', 'weight', 'executionRate', 'score'] as const;
  type F = (typeof order)[number];
  it('gives an unread cell between two recognised neighbours the one field their order leaves', () => {
    // 项目资金 | 年初预算数 | 全年预算 | 全年执行数 | 分值 | 执行六(9 | 得分
    const cols = new Map<number, F>([[1, 'initialBudget'], [2, 'annualBudget'], [3, 'executed'], [4, 'weight'], [6, 'score']]);
    fillColumnsByOrder(cols, [0, 1, 2, 3, 4, 5, 6], order);
    expect(cols.get(5)).toBe('executionRate');
    expect(cols.has(0)).toBe(false);
  });
  it('counts a misread header cell split into two tokens as one column', () => {
    const cols = new Map<number, F>([[1, 'initialBudget'], [2, 'annualBudget'], [3, 'executed'], [4, 'weight'], [6, 'score']]);
    fillColumnsByOrder(cols, [0, 1, 2, 3, 4, 5, 5, 6], order);
    expect(cols.get(5)).toBe('executionRate');
  });
  it('fills the last field after the last recognised column', () => {
    const cols = new Map<number, F>([[1, 'initialBudget'], [2, 'annualBudget'], [3, 'executed'], [4, 'weight'], [5, 'executionRate']]);
    fillColumnsByOrder(cols, [0, 1, 2, 3, 4, 5, 6], order);
    expect(cols.get(6)).toBe('score');
  });
  it('guesses nothing where two cells are unread in one gap or the gap leaves two fields', () => {
    const twoCells = new Map<number, F>([[1, 'initialBudget'], [2, 'annualBudget'], [3, 'executed'], [6, 'score']]);
    fillColumnsByOrder(twoCells, [0, 1, 2, 3, 4, 5, 6], order);
    expect([...twoCells.keys()].sort()).toEqual([1, 2, 3, 6]);
    // Between 年初预算数 and 分值 the order leaves 全年预算数 and 全年执行数: one cell cannot be told.
    const twoFields = new Map<number, F>([[1, 'initialBudget'], [3, 'weight'], [4, 'executionRate'], [5, 'score']]);
    fillColumnsByOrder(twoFields, [1, 2, 3, 4, 5], order);
    expect(twoFields.has(2)).toBe(false);
  });
});

describe('restoreBudgetPoints (the budget row read without its points)', () => {
  const total = (o: Partial<Record<'annualBudget' | 'executed' | 'weight' | 'executionRate' | 'score', number | null>>) => ({
    initialBudget: null, annualBudget: 1454161, executed: 1410000, weight: 10, executionRate: null, score: null, ...o,
  });
  it('puts back a glyph lost from a budget figure where exactly one such reading makes 执行数 / 预算数 the 执行率 (9.74 for 99.74, 129714 for 1296714)', () => {
    const funding = (total: Partial<ReturnType<typeof emptyFundingRow>>, fiscal: Partial<ReturnType<typeof emptyFundingRow>> = {}) => ({
      total: { ...emptyFundingRow(), ...total }, currentYearFiscal: { ...emptyFundingRow(), ...fiscal }, carryover: emptyFundingRow(), other: emptyFundingRow(),
    });
    const rate = funding({ annualBudget: 2564000, executed: 2557145, executionRate: 9.74 });
    const ratePrinted: Record<string, string> = { 'funding.total.annualBudget': '2,564,000.00', 'funding.total.executed': '2557145', 'funding.total.executionRate': '9.74' };
    restoreLostFundingGlyph(rate, ratePrinted);
    // 99.74, not the computed 99.733: the figure as printed, for the checks to weigh.
    expect(rate.total.executionRate).toBe(99.74);
    expect(ratePrinted['funding.total.executionRate']).toBe('99.74');
    const budget = funding({ annualBudget: 129714, executed: 1240000, executionRate: 95.63 }, { annualBudget: 129714, executed: 1240000 });
    const budgetPrinted: Record<string, string> = { 'funding.total.annualBudget': '129714.00', 'funding.total.executed': '1,240,000.00', 'funding.total.executionRate': '95.63' };
    restoreLostFundingGlyph(budget, budgetPrinted);
    expect([budget.total.annualBudget, budget.currentYearFiscal.annualBudget]).toEqual([1296714, 1296714]);
    expect(budgetPrinted['funding.total.annualBudget']).toBe('1296714.00');
    // No reading with a glyph more brings 78.0 % and 9.74 within 0.01: left as read; so are figures that agree.
    const far = funding({ annualBudget: 2564000, executed: 2000000, executionRate: 9.74 });
    restoreLostFundingGlyph(far, { 'funding.total.annualBudget': '2564000', 'funding.total.executed': '2000000', 'funding.total.executionRate': '9.74' });
    expect([far.total.annualBudget, far.total.executed, far.total.executionRate]).toEqual([2564000, 2000000, 9.74]);
    const near = funding({ annualBudget: 2564000, executed: 2557145, executionRate: 99.5 });
    restoreLostFundingGlyph(near, { 'funding.total.executionRate': '99.5' });
    expect(near.total.executionRate).toBe(99.5);
  });
  it('withOneDigitMore: each well-formed figure with one digit more, once (never a point)', () => {
    expect(withOneDigitMore('5').sort()).toEqual(['15', '25', '35', '45', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '65', '75', '85', '95']);
    expect(withOneDigitMore('9.74')).toContain('99.74');
    expect(withOneDigitMore('9.74').some((t) => t.split('.').length > 2)).toBe(false);
    expect(withOneDigitMore('4104326')).not.toContain('41043.26');
  });
  it('puts back the point of 执行率 and 得分 where the row computes them (8537 → 85.37, 97 → 9.7)', () => {
    const t = total({ executionRate: 9697, score: 97 });
    const printed = { 'funding.total.executionRate': '9697', 'funding.total.score': '97' };
    restoreBudgetPoints(t, printed);
    expect([t.executionRate, t.score]).toEqual([96.97, 9.7]);
    expect(printed).toEqual({ 'funding.total.executionRate': '96.97', 'funding.total.score': '9.7' });
  });
  it('leaves figures the row does not compute (a 得分 of 97 where 分值 × 执行率 is 5)', () => {
    const t = total({ executed: 727080, executionRate: 50, score: 97 });
    const printed = { 'funding.total.executionRate': '50', 'funding.total.score': '97' };
    restoreBudgetPoints(t, printed);
    expect([t.executionRate, t.score]).toEqual([50, 97]);
  });
});

describe('OCR: a goals head whose 预期目标 is garbled past matching', () => {
  const first = (text: string) => segmentForms(ingestText('form.txt', new TextEncoder().encode(text))).map(parseForm)[0]!;
  it('finds the goals row by its 实际完成情况 head alone', () => {
    const text = readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8');
    const garbled = text.replace('预算目标', '需期日杯'); // as tesseract read 预期目标 on a photocopy
    expect(garbled).not.toBe(text);
    const [clean, read] = [first(text), first(garbled)];
    if (clean.status !== 'parsed' || read.status !== 'parsed') throw new Error('not parsed');
    const goals = (clean.record as SelfEvaluation).goals;
    expect(goals.actual).toMatch(/^项目实施，保障了2021年度/);
    expect((read.record as SelfEvaluation).goals).toEqual(goals);
  });
});

describe('the goals of a table without rules, read by their place', () => {
  const cell = (text: string, col: number, x: number, w: number): Token => ({ text, col, x: x / 24, width: w / 24, box: { x, y: 0, w, h: 24 } });
  const row = (...tokens: Token[]): Line => ({ page: 1, lineNo: 1, cells: true, gapBefore: 0, text: tokens.map((t) => t.text).join(' '), tokens });
  it('takes a goal starting right of the 预期目标 head for the actual one, whatever columns the stream reader named', () => {
    // The heads named by the funding table's gaps above (实际完成情况 in 998), the goals by their own gutter (890).
    const lines = [
      row(cell('年度总体目标', 0, 127, 118), cell('预期目标', 342, 531, 98), cell('实际完成情况', 998, 1148, 148)),
      row(cell('委托第三方专业机构开展核查，出具审计报告。', 0, 267, 623), cell('已按计划全部出具审计报告。', 890, 909, 623)),
    ];
    expect(readGoals(lines, 0, lines.length)).toEqual({ expected: '委托第三方专业机构开展核查，出具审计报告。', actual: '已按计划全部出具审计报告。' });
    // A short expected goal centred in its column starts left of the head's end: still expected.
    const centred = [lines[0]!, row(cell('按时完成', 0, 560, 96), cell('已完成', 890, 909, 72))];
    expect(readGoals(centred, 0, centred.length)).toEqual({ expected: '按时完成', actual: '已完成' });
    // A piece of an expected goal's line cut off short of the gutter (past the 预期目标 head's end, not past the middle between the heads): expected.
    const piece = [lines[0]!, row(cell('保障本市敬老卡申领、制作、', 0, 267, 480), cell('发放工', 0, 780, 72), cell('已完成', 890, 909, 72))];
    expect(readGoals(piece, 0, piece.length)).toEqual({ expected: '保障本市敬老卡申领、制作、发放工', actual: '已完成' });
    // Without geometry (tab-separated text), by the columns.
    const text = lines.map((l, k) => ({ ...l, tokens: l.tokens.map(({ box: _box, ...t }, i) => ({ ...t, col: k === 0 ? i : i + 1 })) }));
    expect(readGoals(text, 0, text.length)).toEqual({ expected: '委托第三方专业机构开展核查，出具审计报告。', actual: '已按计划全部出具审计报告。' });
  });
  it("leaves out a piece of the goals' label in its column (总体目标 at the top of the page after 年度), not a goal's line that reads so", () => {
    // LibreOffice: 年度 beside the heads at the foot of one page, 总体目标 beside the goals at the top of the next.
    const lines = [
      row(cell('年度', 40, 43, 19), cell('预期目标', 70, 150, 38), cell('实际完成情况', 315, 400, 57)),
      row(cell('总体目标', 40, 43, 38), cell('年内完成维修工作。', 70, 75, 200), cell('已完成。', 315, 320, 40)),
    ];
    expect(readGoals(lines, 0, lines.length)).toEqual({ expected: '年内完成维修工作。', actual: '已完成。' });
    // A goal's last lines 总体目标 and 目标, in the goals' columns: the goals' own.
    const wrapped = [lines[0]!, row(cell('实现年度', 70, 75, 80), cell('达到预期', 315, 320, 80)), row(cell('总体目标', 70, 75, 80), cell('目标', 315, 320, 40))];
    expect(readGoals(wrapped, 0, wrapped.length)).toEqual({ expected: '实现年度总体目标', actual: '达到预期目标' });
  });
});

describe('form heads read by OCR', () => {
  it.each([
    ['项目资金（元）', '元'],
    ['项目资金(万元)', '万元'],
    // a bracket lost: the label still says which
    ['项目资金元)年初预算数', '元'],
    ['项目资金（万元年初预算数', '万元'],
    // a bracket read as a mark
    ['项县资金:万元，年初预算数', '万元'],
    ['项目资金；元)年初预算数', '元'],
    ['项目资金年初预算数', null],
    ['共使用资金元，其中', null],
    ['共使用资金元', null],
  ])('the money unit of %s is %s', (text, unit) => expect(moneyUnitIn(text)).toBe(unit));

  const line = (...cells: string[]): Line => ({
    page: 1, lineNo: 1, cells: true, gapBefore: 0, text: cells.join(' '),
    tokens: cells.map((text, col) => ({ text, col, x: 10 * col, width: text.length, box: { x: 100 * col, y: 0, w: 90, h: 20 }, confidence: 0.9 })),
  });

  it('splits a value and the next label read as one cell (the rule between them lost)', () => {
    const head = [line('项目名称', '居住证制作费'), line('主管部门', '上海市公安局。实施单位', '上海市社会保障卡服务中心')];
    const identity = readIdentity(head);
    expect(identity).toMatchObject({ projectName: '居住证制作费', department: '上海市公安局', implementingUnit: '上海市社会保障卡服务中心' });
    // The value keeps its share of the cell's box (7 of its 11 glyphs, the mark with it), the next value its own cell.
    expect(identity.cells.department!.box).toEqual({ x: 100, y: 0, w: 90 - (90 * 4) / 11, h: 20 });
    expect(identity.cells.implementingUnit!.box).toEqual({ x: 200, y: 0, w: 90, h: 20 });
    expect(readIdentity([line('主管部门', '上海市公安局实施单位', '上海市社会保障卡服务中心')]).department).toBe('上海市公安局');
  });
});

describe('funding cells in columns of their own (a table without rules)', () => {
  // The header's columns as the stream reader set them, and the row below 其中：当年财政拨款 in columns of its own.
  const tok = (text: string, col: number, x: number, w: number) => ({ text, col, x, width: text.length, box: { x, y: 0, w, h: 20 }, confidence: 0.9 });
  const header: Line = {
    page: 1, lineNo: 6, cells: true, gapBefore: 0, text: '',
    tokens: [tok('年初预算数', 360, 463, 100), tok('全年预算数', 580, 669, 100), tok('全年执行数', 785, 874, 100), tok('分值', 991, 1075, 44), tok('执行率(%)', 1122, 1195, 90)],
  };
  const cols = new Map([[360, 'initialBudget'], [580, 'annualBudget'], [785, 'executed'], [991, 'weight'], [1122, 'executionRate']] as const);
  it('takes the field of the header cell its box lies under most', () => {
    expect(underHeader(tok('962.33', 888, 897, 63), header, new Map(cols), new Set())).toBe('executed');
    expect(underHeader(tok('99.35', 1102, 1218, 55), header, new Map(cols), new Set())).toBe('executionRate');
    expect(underHeader(tok('968.59', 556, 691, 63), header, new Map(cols), new Set())).toBe('annualBudget');
  });
  it('joins an amount split at the white of its lost point or separator (151 | 72, 1 | 786.73), nothing else', () => {
    expect(joinSplitAmount('151', '72')).toBe('151.72');
    expect(joinSplitAmount('1,321', '18')).toBe('1,321.18');
    expect(joinSplitAmount('1', '786.73')).toBe('1,786.73');
    expect(joinSplitAmount('12', '345,678')).toBe('12,345,678');
    expect(joinSplitAmount('151.7', '72')).toBeNull();
    expect(joinSplitAmount('151', '7')).toBeNull();
    expect(joinSplitAmount('1515', '786.73')).toBeNull();
    expect(joinSplitAmount('-', '72')).toBeNull();
    // A speck read as 0 before an amount is no thousands group; 0 | 72 is 0.72.
    expect(joinSplitAmount('0', '786.73')).toBeNull();
    expect(joinSplitAmount('000', '72')).toBeNull();
    expect(joinSplitAmount('0', '72')).toBe('0.72');
  });
  it('never a field its line has a cell in already, nor one no header cell lies over', () => {
    expect(underHeader(tok('962.33', 888, 897, 63), header, new Map(cols), new Set(['executed'] as const))).toBeUndefined();
    expect(underHeader(tok('其中', 0, 174, 40), header, new Map(cols), new Set())).toBeUndefined();
  });
});

describe('end specks on names read by OCR', () => {
  // The first target declaration of the sample, its department and one indicator name given a
  // speck at the end (as a scan reads them: 上海市人力资源和社会保障局“, 相关职能部门满意度，).
  const speckled = readFileSync('samples/sh-sibao-2022-target-declaration.md', 'utf8')
    .replace('上海市人力资源和社会保障局\t', '上海市人力资源和社会保障局“\t')
    .replace('相关职能部门满意度\t', '相关职能部门满意度，\t');
  const firstRecord = (ocr: boolean): TargetDeclaration => {
    const doc = ingestText('t.md', Buffer.from(speckled));
    // Read by OCR: every token carries a confidence.
    if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
    const r = parseForm(segmentForms(doc)[0]!);
    if (r.status !== 'parsed') throw new Error(r.reason);
    return r.record as TargetDeclaration;
  };
  it('drops them from a record read by OCR', () => {
    const r = firstRecord(true);
    expect(r.department).toBe('上海市人力资源和社会保障局');
    expect(r.indicators.map((i) => i.name)).toContain('相关职能部门满意度');
  });
  it('keeps what a text layer prints', () => {
    const r = firstRecord(false);
    expect(r.department).toBe('上海市人力资源和社会保障局“');
    expect(r.indicators.map((i) => i.name)).toContain('相关职能部门满意度，');
  });
});

describe('a ruled table row cut by a page break', () => {
  // Text-layer cells (no confidence), one line per grid row, columns named by their left rules.
  const row = (page: number, cells: [string, number][], ruled = true): Line => ({
    page, lineNo: 1, cells: true, gapBefore: 0, text: cells.map((c) => c[0]).join(' '), ...(ruled ? { ruled: true as const } : {}),
    tokens: cells.map(([text, col]) => ({ text, col, x: col, width: 4, box: { x: col, y: 0, w: 30, h: 10 } })),
  });
  const scored = { name: 135, third: 135, target: 215, actual: 260, weight: 326, score: 360, reason: 389, slack: 8 };
  const header = (page: number): Line => row(page, [['一级指标', 40], ['二级指标', 75], ['三级指标', 135], ['年度指标值', 215], ['实际完成值', 260], ['分值', 326], ['得分', 360], ['偏差原因分析及改进措施', 389]]);
  const cut = (top: Line): GridRow[] =>
    readGridRows(
      [
        row(1, [['数字化外包工作完成时点', 135], ['移交后30天', 215], ['部分达成指标并具有一定效', 260], ['5.00', 326], ['4.00', 360], ['可以进一步提高时效。', 389]]),
        header(2),
        top,
        row(2, [['效益指标', 40], ['经济效益指标', 75], ['过期档案处置率', 135], ['=100(%)', 215], ['100.00(%)', 260], ['5.00', 326], ['5.00', 360]]),
      ],
      'scored',
      scored,
    );
  it("carries the cut cells' text on into the row above, under its repeated header (LibreOffice: 果 at the top of page 2)", () => {
    const rows = cut(row(2, [['果', 260]]));
    expect(rows.map((r) => [r.name, r.actual])).toEqual([
      ['数字化外包工作完成时点', '部分达成指标并具有一定效果'],
      ['过期档案处置率', '100.00(%)'],
    ]);
    // A name and a reason cut alike, at once.
    const both = cut(row(2, [['点', 135], ['措施：提高效率。', 389]]));
    expect(both.map((r) => [r.name, r.reason])).toEqual([
      ['数字化外包工作完成时点点', '可以进一步提高时效。措施：提高效率。'],
      ['过期档案处置率', null],
    ]);
  });
  it("carries a stream table's line on where the next line has a cell of its own in its column (LibreOffice's rule-less print: 率 of 印发率)", () => {
    const rows = cut(row(2, [['果', 260]], false));
    expect(rows.map((r) => [r.name, r.actual])).toEqual([
      ['数字化外包工作完成时点', '部分达成指标并具有一定效果'],
      ['过期档案处置率', '100.00(%)'],
    ]);
  });
  it("carries a stream table's name and reason tails on where the next row has a name but no reason, the tail of the row's label (可持续影响指 | 标) among them", () => {
    const rows = readGridRows(
      [
        row(1, [['可持续影响指', 75], ['长效管理机制', 135], ['健全', 215], ['基本健全', 260], ['5.00', 326], ['2.50', 360], ['影响项目长效管', 389]], false),
        row(2, [['标', 75], ['健全性', 135], ['理。', 389]], false),
        row(2, [['满意度指标', 40], ['市民满意度', 135], ['>=90%', 215], ['99.58%', 260], ['10.00', 326], ['10.00', 360]], false),
      ],
      'scored',
      scored,
    );
    expect(rows.map((r) => [r.name, r.reason])).toEqual([['长效管理机制健全性', '影响项目长效管理。'], ['市民满意度', null]]);
  });
  it("(guard) takes a known label at the top of a page for the next rows' label, not a cut label's tail", () => {
    const rows = readGridRows(
      [
        row(1, [['质量指标', 75], ['验收合格率', 135], ['=100%', 215], ['100%', 260], ['5.00', 326], ['5.00', 360], ['无', 389]], false),
        row(2, [['时效指标', 75], ['完成时间', 135], ['年内', 389]], false),
        row(2, [['工作人员满意度', 135], ['>95%', 215], ['96%', 260], ['5.00', 326], ['5.00', 360]], false),
      ],
      'scored',
      scored,
    );
    expect(rows[0]!.name).toBe('验收合格率');
    expect(rows.flatMap((r) => r.labels)).toContain('时效指标');
  });
  it("(guard) leaves a stream table's line above a row with no name, or one that fills a column empty above, to be read as before", () => {
    // A stream table's line (no rules): a name's first line may stand above its figures.
    const nameAbove = readGridRows(
      [row(1, [['完成时点', 135], ['30天', 215], ['达成', 260], ['5.00', 326], ['5.00', 360]]), row(2, [['档案处置率', 135]], false), row(2, [['=100%', 215], ['100%', 260], ['5.00', 326], ['5.00', 360]], false)],
      'scored',
      scored,
    );
    expect(nameAbove.map((r) => [r.name, r.target])).toEqual([['完成时点', '30天'], ['档案处置率', '=100%']]);
    const noReason = readGridRows([row(1, [['完成时点', 135], ['30天', 215], ['达成', 260], ['5.00', 326], ['5.00', 360]]), row(2, [['另见附件', 389]]), row(2, [['处置率', 135], ['=100%', 215], ['100%', 260], ['5.00', 326], ['5.00', 360]])], 'scored', scored);
    expect(noReason.map((r) => r.reason)).toEqual([null, '另见附件']);
  });
  it('(guard) carries on once a page: a second such line at the top of page 2 is no part of the cut row', () => {
    const rows = readGridRows(
      [row(1, [['完成时点', 135], ['30天', 215], ['部分达成', 260], ['5.00', 326], ['4.00', 360]]), row(2, [['果', 260]]), row(2, [['档案', 135]]), row(2, [['处置率', 135], ['=100%', 215], ['100%', 260], ['5.00', 326], ['5.00', 360]])],
      'scored',
      scored,
    );
    expect(rows.map((r) => [r.name, r.actual])).toEqual([['完成时点', '部分达成果'], ['档案处置率', '100%']]);
  });
  it('takes a row whose figures a scan lost at the top of a page for a row: a figure is never cut under a figure', () => {
    // OCR'd (a confidence), its 分值 and 得分 lost: =100% | 100% under =100% | 100% is a row of its own.
    const ocr = (line: Line): Line => ({ ...line, tokens: line.tokens.map((t) => ({ ...t, confidence: 0.6 })) });
    const rows = readGridRows(
      [ocr(row(1, [['档案数字化完成率', 135], ['=100%', 215], ['100%', 260], ['10', 326], ['10', 360]])), ocr(row(2, [['档案查询完成率', 135], ['=100%', 215], ['100%', 260]]))],
      'scored',
      scored,
    );
    expect(rows.map((r) => [r.name, r.target, r.actual])).toEqual([
      ['档案数字化完成率', '=100%', '100%'],
      ['档案查询完成率', '=100%', '100%'],
    ]);
  });
  it("carries nothing into the row above past a row still waiting for its target (a declaration's name at the foot of page 1)", () => {
    const cols = { name: 185, target: 379, reason: Infinity, slack: 8 };
    const rows = readGridRows(
      [row(1, [['工作人员满意度', 185], ['>95%', 379]]), row(1, [['驻点单位满意度', 185]]), row(2, [['>90%', 379]]), row(2, [['投诉处理率', 185], ['=100%', 379]])],
      'target',
      cols,
    );
    expect(rows.map((r) => [r.name, r.target])).toEqual([
      ['工作人员满意度', '>95%'],
      ['驻点单位满意度', '>90%'],
      ['投诉处理率', '=100%'],
    ]);
  });
  it("carries a declaration's one cut column on, but takes a name and a target at the top of the page for a row", () => {
    const cols = { name: 185, target: 379, reason: Infinity, slack: 8 };
    const decl = (top: Line): GridRow[] => readGridRows([row(1, [['工作人员满意度', 185], ['>95%', 379]]), top], 'target', cols);
    expect(decl(row(2, [['驻点单位满意度', 185], ['>90%', 379]])).map((r) => [r.name, r.target])).toEqual([
      ['工作人员满意度', '>95%'],
      ['驻点单位满意度', '>90%'],
    ]);
    expect(decl(row(2, [['以上', 379]])).map((r) => [r.name, r.target])).toEqual([['工作人员满意度', '>95%以上']]);
  });
});

describe('a head value printed in the middle of its row, beside a label alone on its line (no rules)', () => {
  // A text layer's flow lines: [text, x] at y, glyphs 10 wide.
  const flow = (page: number, y: number, ...tokens: [string, number][]): Line => ({
    page, lineNo: y, cells: false, gapBefore: 0, text: tokens.map((t) => t[0]).join(' '),
    tokens: tokens.map(([text, x]) => ({ text, x, width: text.length, box: { x, y, w: 10 * text.length, h: 10 } })),
  });
  it('reads the lines right above and below the label, right of it, in order (上海市社会保障卡服务中心 | 项目名称 | 信息系统(运维))', () => {
    const lines = [flow(4, 700, ['（2021 年度）', 268]), flow(4, 742, ['上海市社会保障卡服务中心', 90]), flow(4, 749, ['项目名称', 43]), flow(4, 756, ['信息系统(运维)', 105])];
    expect(readIdentity(lines).projectName).toBe('上海市社会保障卡服务中心信息系统(运维)');
  });
  it('(guard) takes no line with a token left of the label, nor the year line, for the value', () => {
    const lines = [flow(4, 700, ['（2021 年度）', 268]), flow(4, 742, ['说明', 20], ['附注', 90]), flow(4, 749, ['项目名称', 43]), flow(4, 756, ['信息系统(运维)', 105])];
    expect(readIdentity(lines).projectName).toBe('信息系统(运维)');
    const underYear = [flow(4, 700, ['（2021 年度）', 268]), flow(4, 749, ['项目名称', 43]), flow(4, 756, ['信息系统(运维)', 105])];
    expect(readIdentity(underYear).projectName).toBe('信息系统(运维)');
  });
});

describe('the goals of a table without rules, told apart by the heads above them', () => {
  const line = (lineNo: number, cells: [string, number, number, number][]): Line => ({
    page: 1, lineNo, cells: true, gapBefore: 0, text: cells.map((c) => c[0]).join(' '),
    tokens: cells.map(([text, col, x0, x1]) => ({ text, col, x: x0, width: text.length, box: { x: x0, y: 10 * lineNo, w: x1 - x0, h: 9 } })),
  });
  it('takes a cell centred under 实际完成情况 for the actual goal though it starts left of the middle between the heads (the expected column the narrower)', () => {
    const lines = [line(1, [['年度总体目标', 0, 40, 100], ['预期目标', 63, 155, 193], ['实际完成情况', 303, 390, 447]]), line(2, [['通过项目开展确保养老金按时足额发放', 63, 70, 280], ['全力做好全市离退休人员养老金社会化发放', 63, 284, 550]])];
    expect(readGoals(lines, 0, lines.length)).toEqual({ expected: '通过项目开展确保养老金按时足额发放', actual: '全力做好全市离退休人员养老金社会化发放' });
  });
  it('(guard) keeps a piece of an expected goal ending short of the 实际完成情况 head\'s middle with the expected goal (the expected column the wider)', () => {
    const lines = [line(1, [['年度总体目标', 0, 40, 100], ['预期目标', 100, 230, 270], ['实际完成情况', 400, 420, 480]]), line(2, [['通过项目的实施', 100, 105, 325], ['提升服务水平', 100, 330, 398], ['项目实施完成', 400, 405, 560]])];
    expect(readGoals(lines, 0, lines.length)).toEqual({ expected: '通过项目的实施提升服务水平', actual: '项目实施完成' });
  });
});
