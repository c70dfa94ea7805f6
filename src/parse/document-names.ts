/**
 * What a document's forms show together of the bodies they name: a department's batch of forms
 * names its 主管部门 and 实施单位 again and again (上海市社会保障卡服务中心 on every form), and OCR
 * misreads one form's now and then (上海市公9 for 上海市公安局, 上海市人为资源和社会保障局, or a
 * name cut where its cell wraps: 上海市社会保障-). Such a form, read by OCR, takes the name at least
 * two of the other forms read alike, where its reading is a misreading of that name (misreadName:
 * another body's name a glyph or two apart is not), it is the one such name, and the other forms
 * read it far more often than its own reading.
 */
import type { Form } from '../segment/forms.js';
import type { FormRecord } from '../schema/records.js';
import type { FormResult } from './types.js';
import { readByOcr } from './rules/grid.js';
import { editDistance, glyphsApart } from '../ingest/ocr-lexicon.js';
import { vocabulary } from '../ingest/ocr-vocabulary.js';

/** How many other forms must read a name alike for it to stand for a form's misreading. */
const MIN_VOTES = 2;
/** At most this many glyphs apart (replaced, lost or added) is a misreading of a name read with a glyph no name has. */
const MAX_APART = 2;
/** A name cut short keeps at least this share of the name's glyphs. */
const MIN_KEPT = 0.5;
/** What OCR leaves where a wrapped name was cut: a dash or a stroke (a point may be a speck after a whole name). */
const CUT_MARKS = /[-—_~|]+$/u;
/** Two glyphs alike in print (ocr-vocabulary's likeness) at least this much: one is read for the other. */
const ALIKE = 0.6;
const HAN_ONLY = /^\p{Script=Han}+$/u;

const FIELDS = ['department', 'implementingUnit'] as const;
type NameField = (typeof FIELDS)[number];

const alike = (a: string, b: string): boolean =>
  vocabulary().alike(a).some((x) => x.glyph === b && x.likeness >= ALIKE) || vocabulary().alike(b).some((x) => x.glyph === a && x.likeness >= ALIKE);

/**
 * Whether `read` is a misreading of `name`: its beginning, cut at a dash or stroke; or, read with a
 * glyph that is no Han glyph (上海市公9), a few glyphs apart; or, all Han glyphs, one glyph apart
 * and that glyph alike in print (人为资源 for 人力资源). Two bodies' names one or two Han glyphs
 * apart (黄浦分局 / 浦东分局, 第六 / 第一) are not misreadings of each other.
 */
export function misreadName(read: string, name: string): boolean {
  if (read === name || Array.from(name).length < 4) return false;
  const kept = read.replace(CUT_MARKS, '');
  if (kept !== read) return kept.length >= MIN_KEPT * name.length && name.startsWith(kept);
  if (!HAN_ONLY.test(read)) return editDistance(read, name, MAX_APART) <= MAX_APART;
  if (glyphsApart(read, name) !== 1) return false;
  const [a, b] = [Array.from(read), Array.from(name)];
  const at = a.findIndex((c, i) => c !== b[i]);
  return alike(a[at]!, b[at]!);
}

/**
 * The name at least MIN_VOTES of `others` read alike that `read` is a misreading of, where there is
 * exactly one, and more than twice as many of them read it as read `read` (two forms can be
 * misread alike where their cells wrap alike; a name as many forms print is no misreading).
 */
export function documentName(read: string, others: readonly string[]): string | null {
  const votes = new Map<string, number>();
  for (const o of others) votes.set(o, (votes.get(o) ?? 0) + 1);
  const readAlike = votes.get(read) ?? 0;
  const near = [...votes].filter(([name, n]) => n >= MIN_VOTES && n > 2 * readAlike && misreadName(read, name));
  return near.length === 1 ? near[0]![0] : null;
}

const nameOf = (r: FormRecord, field: NameField): string | null => (r as Partial<Record<NameField, string | null>>)[field] ?? null;

/**
 * The results with each OCR'd form's department and implementing unit mended from the document's
 * other forms (documentName); a QA note says what was read and where the name came from.
 */
export function withDocumentNames(forms: readonly Form[], results: readonly FormResult[]): FormResult[] {
  return results.map((r, i) => {
    if (r.status !== 'parsed' || !readByOcr(forms[i]!.lines)) return r;
    let out = r;
    for (const field of FIELDS) {
      const read = nameOf(r.record, field);
      if (read === null) continue;
      const others = results.flatMap((o, j) => (j !== i && o.status === 'parsed' ? [nameOf(o.record, field)].filter((n): n is string => n !== null) : []));
      const name = documentName(read, others);
      if (name === null) continue;
      const note = { check: `qa.${field}_from_document`, ok: true, detail: `${field} read as ${read}; ${name}, as ${others.filter((o) => o === name).length} other forms of the document read it` };
      out = { ...out, record: { ...out.record, [field]: name } as FormRecord, qa: [...out.qa, note] };
    }
    return out;
  });
}
