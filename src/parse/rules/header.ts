/**
 * Shared pieces of form heads: the project's identity fields and the indicator-table header,
 * including the recognition of layouts this parser does not know.
 */
import type { Box, Line, SourceSpan, Token } from '../../ingest/types.js';
import type { FundingRow } from '../../schema/records.js';
import { YEAR_LINE } from '../../layout/titles.js';
import { cleanText, isNumberCell } from '../values.js';
import { cellText, colOf, fuzzy, lookupCell, type LineCell, type Matcher } from './grid.js';
import { cellSpan } from './grid-table.js';

export interface Identity {
  projectName: string | null;
  department: string | null;
  implementingUnit: string | null;
}

/** The label printed before each identity field. */
const IDENTITY_LABELS: Readonly<Record<keyof Identity, string>> = { projectName: '项目名称', department: '主管部门', implementingUnit: '实施单位' };

/** The form head's identity labels, each found even with one character read as two (项上月名称). */
export function readIdentity(lines: Line[]): Identity & { cells: IdentityCells } {
  const head = lines.map(splitJoinedLabel);
  const identity: Identity = { projectName: null, department: null, implementingUnit: null };
  const cells: IdentityCells = {};
  for (const key of IDENTITY_FIELDS) {
    const label = fuzzy([IDENTITY_LABELS[key]], { split: true });
    const found = lookupCell(head, label);
    if (found) {
      identity[key] = cellText(found.token) + cutTail(head, found.line, found.token);
      cells[key] = cellSpan(found.line, found.token);
      continue;
    }
    const centred = centredValue(head, label);
    if (!centred) continue;
    identity[key] = centred.map((c) => cellText(c.token)).join('');
    cells[key] = cellSpan(centred[0]!.line, centred[0]!.token);
  }
  return { ...identity, cells };
}

const IDENTITY_LABEL = fuzzy(Object.values(IDENTITY_LABELS), { split: true });
const overlapX = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w;

/**
 * What a page break cut from a head row's value cells in a table without rules: the first line of
 * the next page, each of its cells under a value cell of the row (none under a label, no figure)
 * and the one under `value` its tail (上海市 | 公安局, 上海市人 | 力资源和社会保障局).
 */
function cutTail(lines: Line[], line: Line, value: Token): string {
  const next = lines[lines.indexOf(line) + 1];
  if (!next || next.page <= line.page || line.ruled || next.ruled || next.tokens.some((t) => isNumberCell(cellText(t)))) return '';
  const over = next.tokens.map((t) => line.tokens.filter((u) => t.box && u.box && overlapX(t.box, u.box)));
  if (!over.every((o) => o.length === 1 && !IDENTITY_LABEL.test(cellText(o[0]!)))) return '';
  return next.tokens.filter((_, i) => over[i]![0] === value).map(cellText).join('');
}

/**
 * A value printed in the middle of its row beside a label alone on its line (a table without rules:
 * 上海市社会保障卡服务中心 | 项目名称 | 信息系统(运维), the label level with the middle of the
 * value's two lines): the lines right above and below the label, of tokens all right of it, in order.
 */
function centredValue(lines: Line[], label: Matcher): LineCell[] | null {
  const at = lines.findIndex((l) => l.tokens.length === 1 && label.test(cellText(l.tokens[0]!)));
  const box = lines[at]?.tokens[0]!.box;
  if (at < 0 || !box) return null;
  const beside = (l: Line): boolean =>
    !l.cells && l.tokens.length > 0 && l.tokens.every((t) => t.box !== undefined && t.box.x >= box.x + box.w) && !YEAR_LINE.test(l.text.replace(/\s+/g, '')) && !l.tokens.some((t) => IDENTITY_LABEL.test(cellText(t)));
  let from = at;
  while (from > 0 && beside(lines[from - 1]!)) from--;
  let to = at + 1;
  while (to < lines.length && beside(lines[to]!)) to++;
  const value = [...lines.slice(from, at), ...lines.slice(at + 1, to)].flatMap((line) => line.tokens.map((token) => ({ line, token })));
  return value.length ? value : null;
}

/** The value printed after a head label (`项目名称⇥X`, `项目类别⇥X`): its text and where its cell was read; null where there is none. */
export function readHeadField(lines: Line[], label: Matcher): { text: string; span: SourceSpan } | null {
  const found = lookupCell(lines, label);
  return found ? { text: cellText(found.token), span: cellSpan(found.line, found.token) } : null;
}

const IDENTITY_FIELDS = ['projectName', 'department', 'implementingUnit'] as const satisfies readonly (keyof Identity)[];
/** Where each identity field's value was read: its cell (a value split from its label, its share of the cell's box). */
export type IdentityCells = Partial<Record<keyof Identity, SourceSpan>>;

/** A value, what a lost rule leaves of itself (a point, a bar), and an identity label, read as one cell. */
const JOINED_LABEL = new RegExp(`^(.+?)[。.,，、:：;；|]*(${Object.values(IDENTITY_LABELS).join('|')})$`);

/**
 * The line with a cell that holds a value and the identity label after it (上海市公安局。实施单位:
 * the scan lost the rule between them) split in two, its box shared by their lengths.
 */
function splitJoinedLabel(line: Line): Line {
  const tokens = line.tokens.flatMap((t) => {
    const m = JOINED_LABEL.exec(cellText(t));
    if (!m) return [t];
    const [value, label] = [m[1]!, m[2]!];
    const { glyphConfidence: _, ...rest } = t;
    if (!t.box) return [{ ...rest, text: value }, { ...rest, text: label }];
    const w = (t.box.w * Array.from(label).length) / Array.from(cellText(t)).length;
    return [
      { ...rest, text: value, box: { ...t.box, w: t.box.w - w } },
      { ...rest, text: label, box: { ...t.box, x: t.box.x + t.box.w - w, w } },
    ];
  });
  return tokens.length === line.tokens.length ? line : { ...line, tokens };
}

/**
 * `项目资金 (元)` / `（万元）` → the unit; null where none is printed. A scan can lose one bracket
 * of it (项目资金元), 项目资金(元), or read a bracket as a mark (项目资金:万元，): after 资金 or 金额
 * the other bracket, or a mark in its place, is enough.
 */
export function moneyUnitIn(text: string): '万元' | '元' | null {
  const s = text.replace(/\s+/g, '');
  if (/[（(]万元[)）]/.test(s)) return '万元';
  if (/[（(]元[)）]/.test(s)) return '元';
  const m = /(?:资金|金额)(?:[（(:：;；|](万?元)|(万?元)[)）:：;；|])/.exec(s);
  return m ? ((m[1] ?? m[2]) as '万元' | '元') : null;
}

/** Layout features of other provinces' forms that our scored-table reader does not know. */
const FOREIGN_HEADER: [RegExp, string][] = [
  [/权重/, 'the indicator table is weighted with 权重 instead of 分值'],
  [/指标性质|度量单位|计量单位/, 'the target is split into 指标性质 | 指标值 | 度量单位 columns'],
  [/指标解释|评分标准|评分规则/, 'the indicator table carries scoring-standard columns'],
];

export function foreignLayout(headerText: string): string | null {
  for (const [re, why] of FOREIGN_HEADER) if (re.test(headerText)) return why;
  return null;
}

export interface IndicatorHeader {
  at: number;
  nameCol: number;
  reasonCol: number;
  /** Column of 得分, or Infinity. */
  scoreCol: number;
  /** Column of 分值 (misread, the header column just left of 得分), or Infinity. */
  weightCol: number;
  /** Columns of 年度指标值 and 实际完成值 (see valueColumns for misread labels), or Infinity. */
  targetCol: number;
  actualCol: number;
  /** The header column just left of 年度指标值 (三级指标 by its place, whatever OCR read there), or -1. */
  thirdCol: number;
  /**
   * How far left of a header column a cell's column may stand and still be in it: a quarter of
   * the narrowest header column, at most one text line's height. A table continued on another
   * scanned page has its rules a few pixels off the first page's (529 for the header's 532).
   */
  slack: number;
  text: string;
}

const THIRD_LEVEL = fuzzy(['三级指标']);
/** 一级指标 and 二级指标 are one glyph from 三级指标: heads of the label columns, never of the name's. */
const OTHER_LEVEL_HEAD = /^[一二]级指标$/;

/** The column of 三级指标: read as printed, else one glyph off (三级指杯) but not another level's head. */
function thirdLevelCol(line: Line): number {
  const exact = colOf(line, /^三级指标$/);
  return exact >= 0 ? exact : colOf(line, { test: (s) => THIRD_LEVEL.test(s) && !OTHER_LEVEL_HEAD.test(s) });
}
const TARGET_HEAD = fuzzy(['年度指标值', '年度目标值']);
const ACTUAL_HEAD = fuzzy(['实际完成值']);

/**
 * The 年度指标值 and 实际完成值 columns: by their labels; 实际完成值 misread, the header column after
 * 年度指标值; else the two header columns just left of 分值.
 */
function valueColumns(line: Line, nameCol: number, weightCol: number): [number, number] {
  const target = colOf(line, TARGET_HEAD);
  const actual = colOf(line, ACTUAL_HEAD);
  if (target >= 0 && actual > target) return [target, actual];
  // Only 年度指标值 recognised: 实际完成值 is the header column after it.
  const next = line.tokens.flatMap((t) => (t.col !== undefined && t.col > target ? [t.col] : []));
  if (target >= 0 && actual < 0 && next.length && Math.min(...next) < weightCol) return [target, Math.min(...next)];
  const left = [...new Set(line.tokens.flatMap((t) => (t.col !== undefined && t.col > nameCol && t.col < weightCol ? [t.col] : [])))].sort((a, b) => a - b);
  return nameCol >= 0 && left.length >= 2 && Number.isFinite(weightCol) ? [left.at(-2)!, left.at(-1)!] : [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
}

/** A quarter of the narrowest gap between the line's columns, at most its median text height (0 for fewer than two columns). */
function columnSlack(line: Line): number {
  const cols = [...new Set(line.tokens.flatMap((t) => (t.col === undefined ? [] : [t.col])))].sort((a, b) => a - b);
  const gaps = cols.slice(1).map((c, i) => c - cols[i]!);
  // A header of two columns far apart (三级指标 | 指标值) must not pull a label column's cell into the name.
  const heights = line.tokens.flatMap((t) => (t.box ? [t.box.h] : [])).sort((a, b) => a - b);
  const lineHeight = heights.length ? heights[heights.length >> 1]! : Number.POSITIVE_INFINITY;
  return gaps.length ? Math.min(Math.min(...gaps) / 4, lineHeight) : 0;
}

/** The indicator table's header line (the one naming 三级指标), gridded forms. */
export function findIndicatorHeader(lines: Line[], from = 0): IndicatorHeader | null {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    const text = line.tokens.map(cellText).join('');
    if (!/三级指标/.test(text) && !line.tokens.some((t) => THIRD_LEVEL.test(cellText(t)))) continue;
    const reasonCol = colOf(line, fuzzy(['偏差原因分析'], { prefix: true }));
    const scoreCol = colOf(line, /^得分/);
    // 分值 stands just left of 得分: a header cell there that OCR misread (分什) is still its column.
    const namedWeight = colOf(line, /^分值/);
    const leftOfScore = scoreCol < 0 ? [] : line.tokens.flatMap((t) => (t.col !== undefined && t.col < scoreCol ? [t.col] : []));
    const weightCol = namedWeight >= 0 ? namedWeight : leftOfScore.length ? Math.max(...leftOfScore) : -1;
    const named = thirdLevelCol(line);
    // 三级指标 misread as another level's head (二级指标 twice): the rightmost level head places the
    // value columns after it.
    const anchor = named >= 0 ? named : Math.max(-1, ...line.tokens.flatMap((t) => (t.col !== undefined && THIRD_LEVEL.test(cellText(t)) ? [t.col] : [])));
    const [targetCol, actualCol] = valueColumns(line, anchor, weightCol < 0 ? Number.POSITIVE_INFINITY : weightCol);
    const thirdCol = Number.isFinite(targetCol) ? Math.max(-1, ...line.tokens.flatMap((t) => (t.col !== undefined && t.col < targetCol ? [t.col] : []))) : -1;
    return {
      at: i,
      // 三级指标 misread as another level's head (二级指标 twice): the header column just left of 年度指标值.
      nameCol: named >= 0 ? named : thirdCol >= 0 ? thirdCol : anchor,
      reasonCol: reasonCol < 0 ? Number.POSITIVE_INFINITY : reasonCol,
      scoreCol: scoreCol < 0 ? Number.POSITIVE_INFINITY : scoreCol,
      weightCol: weightCol < 0 ? Number.POSITIVE_INFINITY : weightCol,
      targetCol,
      actualCol,
      thirdCol,
      slack: columnSlack(line),
      text,
    };
  }
  return null;
}

/**
 * `( 2022 年 - 2022年 )` → `2022年-2022年`. Its brackets as OCR reads them go too: doubled or read as
 * other brackets (（（2022年-2022年, 〈《2022年-2022年》, 2022年-2022年}).
 */
export function periodText(s: string): string | null {
  const t = cleanText(s)?.replace(/^[（(〈《【〔［\[{]+/, '').replace(/[)）〉》】〕］\]}]+$/, '');
  return t && /\d{4}年?[-—~至到]\d{4}年?/.test(t) ? t : null;
}

/** A self-evaluation funding row with nothing printed. */
export const emptyFundingRow = (): FundingRow => ({
  initialBudget: null,
  annualBudget: null,
  executed: null,
  weight: null,
  executionRate: null,
  score: null,
});
