/**
 * How a document prints its amounts, taken from all its forms (src/parse/document-figures.ts): the
 * committed tab-separated sample read as if OCR'd (its tokens given a confidence), with one form's
 * amounts as a scan that lost their points would read them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms, type Form } from '../src/segment/forms.js';
import { parseForm, type FormResult } from '../src/parse/index.js';
import { fundingAgreement, rereadWithDocumentFigures, withDocumentUnits } from '../src/parse/document-figures.js';
import type { SelfEvaluation } from '../src/schema/records.js';

const FILE = 'samples/sh-sbk-2021-self-eval.txt';

/** The sample's forms, every token OCR'd; in the forms `ks` each amount printed with cents read through `misread`. */
function forms(ks: number | number[], misread: (amount: string) => string): Form[] {
  const doc = ingestText(FILE, readFileSync(FILE));
  const misreadIn = new Set([ks].flat());
  return segmentForms(doc).map((f) => ({
    ...f,
    lines: f.lines.map((l) => ({
      ...l,
      tokens: l.tokens.map((t) => ({ ...t, text: misreadIn.has(f.index) && /^[1-9]\d*\.00$/.test(t.text) ? misread(t.text) : t.text, confidence: 0.95 })),
    })),
  }));
}

/** 4,104,326.00 as a blurred scan reads it: the first separator as a point, the point lost (4104.32600). */
const mangled = (a: string): string => {
  const d = a.replace('.', '');
  return `${d.slice(0, -5)}.${d.slice(-5)}`;
};
const funding = (r: FormResult): SelfEvaluation['funding'] => (r.status === 'parsed' ? (r.record as SelfEvaluation).funding : (null as never));
const parseAll = (fs: Form[]): FormResult[] => fs.map(parseForm);

describe('amounts a form’s OCR lost the points of, read as the document prints them', () => {
  const gold = (JSON.parse(readFileSync('samples/sh-sbk-2021-self-eval.gold.json', 'utf8')) as { records: SelfEvaluation[] }).records;

  it('puts the points back in a form whose amounts all had them mangled (4104326.00 read as 4104.32600), as the other forms show cents', () => {
    const fs = forms(4, mangled);
    const first = parseAll(fs);
    // The form alone cannot tell: none of its amounts is read with cents.
    expect(funding(first[4]!).total.annualBudget).toBe(4104.326);
    const again = rereadWithDocumentFigures(fs, first, fs.map(() => true));
    expect(funding(again[4]!).total).toMatchObject({ initialBudget: 4104326, annualBudget: 4104326 });
    expect(funding(again[4]!).currentYearFiscal).toMatchObject({ initialBudget: 4104326, annualBudget: 4104326 });
    expect(funding(again[4]!)).toEqual(gold[4]!.funding);
    // Its relations hold better; the other forms are as first read.
    expect(fundingAgreement(again[4]!.status === 'parsed' ? again[4]!.record : (null as never))).toBeGreaterThan(fundingAgreement(first[4]!.status === 'parsed' ? first[4]!.record : (null as never)));
    again.forEach((r, i) => i !== 4 && expect(r).toBe(first[i]));
  });

  it('takes the document to print cents where a third of its amounts are read so (a binarised scan loses half the points)', () => {
    const fs = forms([4, 5, 6, 7, 8, 9], mangled);
    const first = parseAll(fs);
    const again = rereadWithDocumentFigures(fs, first, fs.map(() => true));
    expect(funding(first[4]!).total.annualBudget).toBe(4104.326);
    expect(funding(again[4]!)).toEqual(gold[4]!.funding);
  });

  it('leaves a form printed in whole 元 whose one amount OCR read with a point (35037.95 for 3503795): no point was lost', () => {
    const fs = forms(4, (a) => a.replace('.00', '')).map((f) =>
      f.index !== 4 ? f : { ...f, lines: f.lines.map((l) => ({ ...l, tokens: l.tokens.map((t) => (t.text === '3,503,794.7' ? { ...t, text: '35037.95' } : t)) })) },
    );
    const first = parseAll(fs);
    const again = rereadWithDocumentFigures(fs, first, fs.map(() => true));
    expect(again[4]).toBe(first[4]);
    expect(funding(again[4]!).total.annualBudget).toBe(4104326);
  });

  it('leaves a form whose amounts are printed as integers (4104326) as read: taking them for lost points breaks nothing more', () => {
    const fs = forms(4, (a) => a.replace('.00', ''));
    const first = parseAll(fs);
    const again = rereadWithDocumentFigures(fs, first, fs.map(() => true));
    expect(again[4]).toBe(first[4]);
    expect(funding(again[4]!).total.annualBudget).toBe(4104326);
  });

  it('reads nothing again for forms the LLM read, or a document whose amounts are not printed with cents', () => {
    const fs = forms(4, mangled);
    const first = parseAll(fs);
    expect(rereadWithDocumentFigures(fs, first, fs.map(() => false))[4]).toBe(first[4]);
    const integers = segmentForms(ingestText(FILE, readFileSync(FILE))).map((f) => ({
      ...f,
      lines: f.lines.map((l) => ({ ...l, tokens: l.tokens.map((t) => ({ ...t, text: t.text.replace(/^([1-9]\d*)\.00$/, '$1'), confidence: 0.95 })) })),
    }));
    const plain = parseAll(integers);
    expect(rereadWithDocumentFigures(integers, plain, integers.map(() => true))).toEqual(plain);
  });
});

describe('a money unit OCR garbled, taken from the document', () => {
  /** The sample's forms read by OCR (or not), the unit label of the forms `ks` garbled as a scan read one (项目资金(让). */
  const garbled = (ks: number[], ocr = true): Form[] =>
    segmentForms(ingestText(FILE, readFileSync(FILE))).map((f) => ({
      ...f,
      lines: f.lines.map((l) => {
        const tokens = l.tokens.map((t) => ({ ...t, text: ks.includes(f.index) ? t.text.replace(/^项目资金\s*\(元\)$/, '项目资金(让') : t.text, ...(ocr ? { confidence: 0.95 } : {}) }));
        return { ...l, tokens, text: tokens.map((t) => t.text).join(' ') };
      }),
    }));
  const unit = (r: FormResult | undefined): string | null => (r?.status === 'parsed' ? r.record.moneyUnit : 'unparsed');

  it('gives the form the unit all the other forms print, and says so', () => {
    const fs = garbled([5]);
    const first = parseAll(fs);
    expect(unit(first[5])).toBeNull();
    const after = withDocumentUnits(fs, first);
    expect(unit(after[5])).toBe('元');
    expect(after[5]!.status === 'parsed' && after[5]!.qa.some((q) => q.check === 'qa.money_unit_from_document')).toBe(true);
    expect(after.filter((_, i) => i !== 5)).toEqual(first.filter((_, i) => i !== 5));
  });
  it('leaves it unread where the other forms disagree, or the document came from a text layer', () => {
    const fs = garbled([5]);
    const first = parseAll(fs);
    const disagreeing = first.map((r, i) => (i === 2 && r.status === 'parsed' ? { ...r, record: { ...r.record, moneyUnit: '万元' as const } } : r));
    expect(unit(withDocumentUnits(fs, disagreeing)[5])).toBeNull();
    const text = garbled([5], false);
    expect(unit(withDocumentUnits(text, parseAll(text))[5])).toBeNull();
  });
  it('needs two forms that read a unit', () => {
    // Only form 9 reads its unit: one vote is not enough.
    const fs = garbled([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const first = parseAll(fs);
    expect(first.filter((r) => unit(r) === '元')).toHaveLength(1);
    expect(unit(withDocumentUnits(fs, first)[5])).toBeNull();
    // Forms 8 and 9 read it: two are.
    const two = garbled([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(unit(withDocumentUnits(two, parseAll(two))[5])).toBe('元');
  });
});
