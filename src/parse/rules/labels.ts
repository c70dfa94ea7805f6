/**
 * Indicator level labels (一级/二级指标) of the national framework for project performance
 * indicators, and a tracker that assigns them to rows the way the table's merged cells do.
 */

/** level2 → its level1 in the framework. 成本指标 is a level2 of 产出指标 in older forms, a level1 in newer. */
export const LEVEL2_PARENT: Record<string, string> = {
  数量指标: '产出指标',
  质量指标: '产出指标',
  时效指标: '产出指标',
  成本指标: '产出指标',
  经济效益指标: '效益指标',
  社会效益指标: '效益指标',
  生态效益指标: '效益指标',
  环境效益指标: '效益指标',
  可持续影响指标: '效益指标',
  服务对象满意度指标: '满意度指标',
  经济成本指标: '成本指标',
  社会成本指标: '成本指标',
  生态环境成本指标: '成本指标',
};

export const LEVEL1 = ['产出指标', '效益指标', '满意度指标', '成本指标'] as const;

/** Every label of the framework, longest first (so a longer label wins a fuzzy match). */
export const KNOWN_LABELS: string[] = [...new Set([...LEVEL1, ...Object.keys(LEVEL2_PARENT)])].sort((a, b) => b.length - a.length);

const LEVEL1_SET = new Set<string>(LEVEL1);

export function isLevel1(label: string): boolean {
  return LEVEL1_SET.has(label);
}

export function isKnownLabel(label: string): boolean {
  return LEVEL1_SET.has(label) || label in LEVEL2_PARENT;
}

/** Any label-shaped cell: a known label, or a short phrase ending in 指标 (另一省份的二级指标). */
export function isLabelCell(s: string): boolean {
  return isKnownLabel(s) || (/^[\u4e00-\u9fff]{1,10}指标$/.test(s) && !/^(绩效|[一二三]级|年度)/.test(s));
}

/** Header cells of the indicator table, never labels of a row. */
export const HEADER_WORDS = new Set([
  '绩效指标', '绩效', '指标', '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '指标目标值',
  '分值', '得分', '权重', '偏差原因分析及改进措施',
]);

/**
 * Splits a run of concatenated label text (`产出指标数量指标`, `满意度指标服务对象满意度指标`)
 * into labels; null when the text is not wholly made of labels.
 */
export function splitLabels(s: string): string[] | null {
  const out: string[] = [];
  let rest = s;
  while (rest) {
    const m = /^(.+?指标)/.exec(rest);
    if (!m) return null;
    // Prefer the longest known label at this point (服务对象满意度指标 over 服务对象满意度指标's prefix).
    let label = m[1]!;
    for (const known of [...LEVEL1, ...Object.keys(LEVEL2_PARENT)]) {
      if (rest.startsWith(known) && known.length > label.length) label = known;
    }
    if (!isLabelCell(label)) return null;
    out.push(label);
    rest = rest.slice(label.length);
    // A stroke or a mark OCR read for the white between two labels (效益指标一经济效益指标, 效益指标:社会效益指标) joins no label.
    const joined = /^[-—–一_~·、，,:：;；]+/u.exec(rest);
    if (joined && KNOWN_LABELS.some((k) => rest.startsWith(k, joined[0].length))) rest = rest.slice(joined[0].length);
  }
  return out;
}

/** Current (level1, level2) while walking the rows of a table. */
export class LabelTracker {
  level1: string | null = null;
  level2: string | null = null;

  /**
   * Applies labels seen before a row (in printed order). Two labels: level1 then level2.
   * One label: a level1 opens a new group; a level2 switches its level1 to the framework parent
   * when the current one cannot hold it (a level1 cell printed after its rows across a page break).
   */
  apply(labels: string[]): void {
    const ls = labels.filter((l, i) => i === 0 || l !== labels[i - 1]);
    if (ls.length === 0) return;
    if (ls.length >= 2) {
      const [a, b] = [ls[ls.length - 2]!, ls[ls.length - 1]!];
      if (isLevel1(a) && !isLevel1(b)) {
        this.level1 = a;
        this.level2 = b;
        return;
      }
      if (isLevel1(a) && b === '成本指标' && a !== '成本指标') {
        this.level1 = a;
        this.level2 = b;
        return;
      }
      if (isLevel1(a) && isLevel1(b)) {
        // e.g. 成本指标 as level1 followed by nothing else; take the later as level1.
        this.level1 = b;
        this.level2 = null;
        return;
      }
      this.applyOne(b);
      return;
    }
    this.applyOne(ls[0]!);
  }

  private applyOne(label: string): void {
    if (isLevel1(label) && label !== '成本指标') {
      if (label !== this.level1) {
        this.level1 = label;
        this.level2 = null;
      }
      return;
    }
    if (label === '成本指标' && this.level1 && this.level1 !== '成本指标') {
      // 成本指标 alone under an existing level1 is the older level2 use.
      this.level2 = label;
      return;
    }
    if (isLevel1(label)) {
      this.level1 = label;
      this.level2 = null;
      return;
    }
    const parent = LEVEL2_PARENT[label];
    if (parent && parent !== this.level1 && !(label === '成本指标')) this.level1 = parent;
    this.level2 = label;
  }
}
