/**
 * Rechecks of a 财政项目支出绩效目标申报表 (docType `target_declaration`), per samples/SCHEMA.md.
 */
import type { Finding } from '../schema/findings.js';
import type { TargetDeclaration } from '../schema/records.js';
import { finding, indicatorWheres } from './finding.js';
import { fmt, fmtInterval } from './format.js';
import { meets, sum } from './interval.js';
import { unmeasurableReason } from './measurability.js';
import { type PrintedMap, type PrintedValue, printedValue } from './precision.js';
import { suspiciousUnit } from './units.js';

type FundingKey = keyof TargetDeclaration['funding'];

const LABEL: Readonly<Record<FundingKey, string>> = {
  projectTotal: '项目资金总额',
  projectFiscal: '财政资金',
  projectOther: '其他资金',
  annualTotal: '年度资金申请总额',
  annualFiscal: '当年财政拨款',
  annualCarryover: '上年结转资金',
  annualOther: '其他资金',
};

/** Each column's total and the parts it is the sum of. */
export const BREAKDOWNS: readonly { total: FundingKey; parts: readonly FundingKey[] }[] = [
  { total: 'projectTotal', parts: ['projectFiscal', 'projectOther'] },
  { total: 'annualTotal', parts: ['annualFiscal', 'annualCarryover', 'annualOther'] },
];

/** The provenance keys of the cells a funding breakdown finding compares: its total and its parts (funding.annualTotal …), as comparedCells gives a self-evaluation's. */
export function breakdownCells(f: Pick<Finding, 'rule' | 'where'>): string[] {
  const b = f.rule === 'target.funding_breakdown' ? BREAKDOWNS.find((x) => f.where === `funding.${x.total}`) : undefined;
  return b ? [b.total, ...b.parts].map((k) => `funding.${k}`) : [];
}

/**
 * 资金总额 = 财政资金 + 其他资金 (and the annual column), in interval arithmetic. A blank part cannot
 * be checked; with one blank, only printed parts that already exceed the total are reported.
 */
function checkBreakdown(
  record: TargetDeclaration,
  recordIndex: number,
  printed: PrintedMap | undefined,
  { total: totalKey, parts: partKeys }: (typeof BREAKDOWNS)[number],
): Finding | null {
  const value = (key: FundingKey): PrintedValue | null => printedValue(record.funding[key], `funding.${key}`, printed);
  const total = value(totalKey);
  if (!total) return null;
  const parts = partKeys.map((key) => ({ key, value: value(key) }));
  const present = parts.flatMap((p) => (p.value ? [p.value] : []));
  if (present.length === 0) return null;
  const partial = present.length < parts.length;
  const partsSum = sum(present.map((p) => p.interval));
  if (meets(partsSum, partial ? { lo: -Infinity, hi: total.interval.hi } : total.interval)) return null;
  const terms = parts.map((p) => `${LABEL[p.key]} ${p.value?.text ?? '(blank)'}`).join(' + ');
  return finding(
    recordIndex,
    'target.funding_breakdown',
    `funding.${totalKey}`,
    `${LABEL[totalKey]} ${total.text} ≠ ${terms} = ${fmt(present.reduce((s, p) => s + p.value, 0), 4)} (interval ${fmtInterval(partsSum)}${partial ? ', printed parts alone' : ''})`,
  );
}

function checkIndicators(record: TargetDeclaration, recordIndex: number): Finding[] {
  const wheres = indicatorWheres(record.indicators.map((i) => i.name));
  return record.indicators.flatMap((indicator, i) => {
    const where = wheres[i] ?? indicator.name;
    const unit = suspiciousUnit(indicator.name, indicator.target, null);
    const unmeasurable = unmeasurableReason(indicator.target);
    return [
      ...(unit ? [finding(recordIndex, 'unit.suspicious', where, unit)] : []),
      ...(unmeasurable ? [finding(recordIndex, 'target.unmeasurable', where, unmeasurable)] : []),
    ];
  });
}

export function checkTargetDeclaration(record: TargetDeclaration, recordIndex: number, printed?: PrintedMap): Finding[] {
  const breakdowns = BREAKDOWNS.map((b) => checkBreakdown(record, recordIndex, printed, b)).filter((f): f is Finding => f !== null);
  return [...breakdowns, ...checkIndicators(record, recordIndex)];
}
