import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms } from '../src/segment/forms.js';
import { parseForm } from '../src/parse/index.js';
import { documentName, misreadName, withDocumentNames } from '../src/parse/document-names.js';
import type { SelfEvaluation } from '../src/schema/records.js';

describe('names a document repeats, misread on one form', () => {
  it('a reading a few glyphs off a name, or cut short where its cell wraps, is a misreading of it', () => {
    expect(misreadName('上海市公9', '上海市公安局')).toBe(true);
    expect(misreadName('上海市人为资源和社会保障局', '上海市人力资源和社会保障局')).toBe(true);
    expect(misreadName('上海市社会保障-', '上海市社会保障卡服务中心')).toBe(true);
    // Another body, a cut without its mark, a cut keeping less than half, a name too short to tell.
    expect(misreadName('上海市公安局', '上海市人力资源和社会保障局')).toBe(false);
    expect(misreadName('上海市社会保障', '上海市社会保障卡服务中心')).toBe(false);
    expect(misreadName('上海-', '上海市社会保障卡服务中心')).toBe(false);
    expect(misreadName('市局', '市委')).toBe(false);
    // Sibling bodies a glyph or two apart, Han glyphs all, not alike in print: no misreadings.
    expect(misreadName('上海市公安局黄浦分局', '上海市公安局浦东分局')).toBe(false);
    expect(misreadName('上海市第六人民医院', '上海市第一人民医院')).toBe(false);
    expect(misreadName('上海市民政局', '上海市公安局')).toBe(false);
    // A speck after a whole name is no cut of a longer one.
    expect(misreadName('上海市公安局.', '上海市公安局出入境管理局')).toBe(false);
  });
  it('takes the one near name two or more other forms read alike, and far more often than the reading', () => {
    const unit = '上海市社会保障卡服务中心';
    expect(documentName('上海市社会保障-', [unit, unit, '上海市社会保障-', unit, unit])).toBe(unit);
    // One other form is no consensus; a reading as common as the name stands; two near names tie.
    expect(documentName('上海市公9', ['上海市公安局'])).toBeNull();
    expect(documentName('上海市公9', ['上海市公安局', '上海市公安局', '上海市公9', '上海市公9'])).toBeNull();
    expect(documentName('上海市公安-', ['上海市公安局', '上海市公安局', '上海市公安厅', '上海市公安厅'])).toBeNull();
    // A sibling body on one form keeps its name however many forms name the other.
    expect(documentName('上海市公安局黄浦分局', Array(3).fill('上海市公安局浦东分局'))).toBeNull();
  });
  it('mends a form read by OCR from the document\'s other forms, with a QA note; a text layer stays as printed', () => {
    const departments = (ocr: boolean) => {
      // The sample's second form's 主管部门 misread.
      const text = readFileSync('samples/sh-sbk-2021-self-eval.txt', 'utf8');
      const at = text.indexOf('上海市公安局', text.indexOf('上海市公安局') + 1);
      const doc = ingestText('s.txt', Buffer.from(text.slice(0, at) + '上海市公9' + text.slice(at + '上海市公安局'.length)));
      if (ocr) for (const p of doc.pages) for (const l of p.lines) for (const t of l.tokens) t.confidence = 0.9;
      const forms = segmentForms(doc);
      const results = withDocumentNames(forms, forms.map(parseForm));
      return results.map((r) => (r.status === 'parsed' ? [(r.record as SelfEvaluation).department, r.qa.some((q) => q.check === 'qa.department_from_document')] : null));
    };
    expect(departments(true)[1]).toEqual(['上海市公安局', true]);
    expect(departments(false)[1]).toEqual(['上海市公9', false]);
  });
});
