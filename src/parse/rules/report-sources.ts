/**
 * An evaluation report prints most figures more than once: the main scoring table, the 附件1
 * table, each indicator's working paper (评价底稿) and the paragraph under its 具体绩效分析 heading.
 * The record keeps the main table's figures; the other copies travel to the checks in the parser's
 * `printed` map under `sources.<source>.<code>.<field>` (e.g. `sources.workpaper.C31.score` → `2.5`),
 * so that the checks can cross-check them without the record growing fields outside SCHEMA.md.
 */

export const REPORT_SOURCES = ['annex1', 'workpaper', 'paragraph'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const SOURCE_LABEL: Readonly<Record<ReportSource, string>> = {
  annex1: '附件1 table',
  workpaper: '附件1 working paper',
  paragraph: '具体绩效分析 paragraph',
};

/** `weight` / `score` of an indicator or group; `statedRate` is a working paper's stated 完成率. */
export type SourceField = 'weight' | 'score' | 'statedRate';

export function sourceKey(source: ReportSource, code: string, field: SourceField): string {
  return `sources.${source}.${code}.${field}`;
}
