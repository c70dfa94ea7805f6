/**
 * One form → compact text for the prompt, from its positioned lines: gridded lines become rows of
 * cells joined by ' | ', other lines are kept with whitespace collapsed; empty lines and noise
 * (page numbers, separators) are dropped. Lines that read as instructions to a model are held back
 * (and reported), since the document is data, never instructions.
 */
import type { Form } from '../../segment/forms.js';
import type { Line } from '../../ingest/types.js';

const NOISE = [
  /^[-—–_=*·.\s]*$/, // separators / empty
  /^[-—–\s]*\d{1,4}[-—–\s]*$/, // bare page numbers "- 3 -"
  /^第\s*\d+\s*页(\s*[,，/共]\s*共?\s*\d+\s*页)?$/,
  /^\d+\s*\/\s*\d+$/,
  /^<\/?p>$/i,
];

/** Text that addresses a model rather than describing a project. */
const INJECTION = [
  /ignore\s+(all\s+|any\s+)?(the\s+)?(above|previous|prior|preceding)/i,
  /disregard\s+(all\s+|the\s+)?(above|previous|prior|instructions)/i,
  /(system|developer)\s+prompt/i,
  /you\s+are\s+now\b/i,
  /忽略(以上|上述|之前|前面|上面)/,
  /(无视|不要理会)(以上|上述|之前)/,
  /(提示词|指令).{0,6}(忽略|覆盖|改为)/,
];

export function isInjectionLine(text: string): boolean {
  return INJECTION.some((re) => re.test(text));
}

export function lineText(line: Line): string {
  if (line.cells) {
    const cells = line.tokens.map((t) => t.text.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
    return cells.join(' | ');
  }
  return line.text.replace(/[ \t\u3000]+/g, ' ').trim();
}

export interface SerialisedForm {
  /** The lines sent to the model, one per row. */
  text: string;
  /** Source lines held back as instructions addressed to a model. */
  suspicious: { lineNo: number; page: number; text: string }[];
}

export function serialiseForm(form: Form): SerialisedForm {
  const out: string[] = [form.title];
  const suspicious: SerialisedForm['suspicious'] = [];
  for (const line of form.lines) {
    const t = lineText(line);
    if (NOISE.some((re) => re.test(t))) continue;
    if (isInjectionLine(t)) {
      suspicious.push({ lineNo: line.lineNo, page: line.page, text: t });
      continue;
    }
    out.push(t);
  }
  return { text: out.join('\n'), suspicious };
}

/**
 * Token estimate, stated: a CJK character (Han, CJK punctuation, full-width forms) counts 1 token,
 * every other character ¼ token (rounded up over the whole text). Real tokenisers give CJK 0.6–1.5
 * tokens per character depending on the vocabulary, so treat this as ±40 %.
 */
export function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u.test(ch)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}
