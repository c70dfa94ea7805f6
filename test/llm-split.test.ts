import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processBytes } from '../src/pipeline.js';
import { ingestText } from '../src/ingest/text.js';
import { segmentForms } from '../src/segment/forms.js';
import { parseForm } from '../src/parse/index.js';
import type { SelfEvaluation } from '../src/schema/records.js';
import { LlmBackend, estimateTokens, llmConfig, mergeParts, partOverhead, requestTokens, serialiseForm, splitForm, type LlmConfig } from '../src/parse/llm/index.js';
import { MockLlm, faithfulAnswer, type FormFixture } from './llm-mock.js';

/** A small self-evaluation form in the flow layout of samples/sh-sibao-2024-self-eval.txt (labels split over lines). */
const SMALL = `财政项目支出绩效自评表
（2024年度）
项目名称 测试项目
主管部门 某局 实施单位 某中心
年度资金总额： 100.00 100.00 90.00 10.00 90.00 9.00
一级
指标
二级
指标
三级指标 年度指标值 实际完成值 分值 得分
偏差原因分析
及改进措施
产出
指标
数量
指标
甲指标完成率 =100(%) 100.00(%) 10.00 10.00
乙指标完成率 =100(%) 100.00(%) 10.00 10.00
丙指标完成率 =100(%) 100.00(%) 10.00 10.00
质量
指标
丁指标准确率 =100(%) 100.00(%) 10.00 10.00
戊指标准确率 =100(%) 100.00(%) 10.00 10.00
效益
指标
社会
效益
指标
己指标知晓率 ≥99(%) 99.00(%) 20.00 20.00
庚指标知晓率 ≥99(%) 99.00(%) 10.00 10.00
满意度
指标
服务对象
满意度
指标
辛满意度 >95(%) 96.00(%) 10.00 9.00
总分 100.00 99.00
评分等级 优`;
const SMALL_HEADER = '一级\n指标\n二级\n指标\n三级指标 年度指标值 实际完成值 分值 得分\n偏差原因分析\n及改进措施';

describe('splitter on a hand-made form', () => {
  const system = 1100;
  const kinds = ['first', 'head', 'rows', 'last'] as const;
  // 80 tokens of form text per part (header and (续) line included).
  const limit = system + partOverhead(kinds) + 80;
  const parts = splitForm('self_evaluation', SMALL, { limit, systemTokens: system });

  it('fits every request within the limit, head first, the table header repeated, cuts at groups', () => {
    expect(estimateTokens(`<document>\n${SMALL}\n</document>`) + system).toBeGreaterThan(limit); // one request would be over
    for (const p of parts) expect(requestTokens(p, system)).toBeLessThanOrEqual(limit);
    expect(parts.map((p) => p.kind)).toEqual(['first', 'rows', 'rows', 'rows', 'rows', 'rows', 'last']);
    expect(parts[0]!.text).toBe(SMALL.split('\n').slice(0, 5).join('\n')); // the head alone: the cut before the table
    const bodies = parts.slice(1).map((p) => {
      expect(p.text.startsWith(`${SMALL_HEADER}\n`)).toBe(true);
      return p.text.slice(SMALL_HEADER.length + 1);
    });
    // A part starting inside a group names the group; one starting at a group does not.
    expect(bodies.map((b) => b.split('\n')[0])).toEqual([
      '产出',
      '(续) 一级指标: 产出指标 | 二级指标: 数量指标',
      '(续) 一级指标: 产出指标',
      '(续) 一级指标: 产出指标 | 二级指标: 质量指标',
      '效益',
      '满意度',
    ]);
    expect(parts.at(-1)!.text).toMatch(/总分 100\.00 99\.00\n评分等级 优$/);
    // Nothing lost, nothing doubled: the parts' own lines are the form's lines in order (part 2 starts at the
    // table, so its header is its own; later parts repeat it and may add a (续) line).
    const own = [parts[0]!.text, parts[1]!.text, ...bodies.slice(1).map((b) => b.split('\n').filter((l) => !l.startsWith('(续)')).join('\n'))].join('\n');
    expect(own).toBe(SMALL);
  });

  it('sends a form that fits in one request unchanged', () => {
    const one = splitForm('self_evaluation', SMALL, { limit: 2500, systemTokens: system });
    expect(one).toEqual([{ k: 1, n: 1, kind: 'any', text: SMALL }]);
  });

  it('merges parts in printed order: same-name indicators kept apart, a row repeated at a seam dropped once', () => {
    const row = (name: string, level2: string, score: number): SelfEvaluation['indicators'][number] => ({ level1: '产出指标', level2, name, target: '=100%', actual: '100%', weight: score, score, deviationReason: null });
    const a = { docType: 'self_evaluation', projectName: 'P', goals: { expected: '甲', actual: null }, indicators: [row('邮寄率', '数量指标', 1), row('印制率', '数量指标', 2)], totalScore: null };
    const b = { docType: 'self_evaluation', projectName: '', goals: { expected: null, actual: null }, indicators: [row('印制率', '数量指标', 2), row('邮寄率', '质量指标', 1)], totalScore: 3 };
    const merged = mergeParts('self_evaluation', [{ record: a, kind: 'first' }, { record: b, kind: 'last' }]) as typeof a;
    expect(merged.indicators.map((i) => `${i.level2}/${i.name}`)).toEqual(['数量指标/邮寄率', '数量指标/印制率', '质量指标/邮寄率']);
    expect(merged.projectName).toBe('P');
    expect(merged.totalScore).toBe(3);
    // A head part continues a goal text.
    const c = { ...b, indicators: [], goals: { expected: '乙', actual: null } };
    expect((mergeParts('self_evaluation', [{ record: a, kind: 'first' }, { record: c, kind: 'head' }]) as typeof a).goals.expected).toBe('甲乙');
  });
});

// ── The real long form: samples/sh-sibao-2024-self-eval.txt form #7 (0-based) ─────────────────────
const FILE = 'samples/sh-sibao-2024-self-eval.txt';
const bytes = readFileSync(FILE);
const form7 = segmentForms(ingestText(FILE, bytes))[7]!;
const rules7 = parseForm(form7);
if (rules7.status !== 'parsed') throw new Error('fixture: form #7 not parsed by the rules');
const RECORD7 = rules7.record as SelfEvaluation;
const TEXT7 = readFileSync(FILE, 'utf8');
/** Form #7 alone, as a document (its title is the 8th one in the file). */
const DOC7 = (() => {
  const title = '财政项目支出绩效自评表';
  let at = -1;
  for (let i = 0; i < 8; i++) at = TEXT7.indexOf(title, at + 1);
  const next = TEXT7.indexOf(title, at + 1);
  return TEXT7.slice(at, next < 0 ? undefined : next);
})();
const FIXTURES: FormFixture[] = [{ record: RECORD7, text: serialiseForm(form7).text }];
const HEADER7 = SMALL_HEADER; // the same layout: 一级 / 指标 / 二级 / 指标 / 三级指标 … / 偏差原因分析 / 及改进措施

let mock: MockLlm;
let baseURL: string;
beforeEach(async () => {
  mock = new MockLlm();
  baseURL = await mock.start();
});
afterEach(async () => {
  await mock.close();
});

function backend(overrides: Partial<LlmConfig> = {}): LlmBackend {
  const config = llmConfig({ llm: true, baseURL, model: 'test-model' }, {}, { timeoutMs: 2_000, backoffMs: 5, maxRetries: 1, cacheDir: null, ...overrides });
  return new LlmBackend(config!);
}

const docOf = (user: string): string => /<document part="\d+\/\d+">\n([^]*)\n<\/document>$/.exec(user)![1]!;

describe('a long self-evaluation form (2024 #7) read in parts', () => {
  it('is the form the brief names: 3,151 tokens of text, over the limit in one request', () => {
    expect(DOC7).toContain('社会保险经办业务费');
    expect(estimateTokens(serialiseForm(form7).text)).toBeGreaterThan(3000);
    expect(RECORD7.indicators.length).toBeGreaterThan(60);
    // Two distinct indicators share a name: the merge must not fold them.
    expect(RECORD7.indicators.filter((i) => i.name === '社保精准扩面宣传材料邮寄率').map((i) => i.level2)).toEqual(['数量指标', '质量指标']);
  });

  it('sends every request within 2,500 tokens, repeats the table header, carries labels, and merges in source order', async () => {
    mock.reply = (b) => ({ content: JSON.stringify(faithfulAnswer(FIXTURES, b.messages[1]!.content)) });
    const d = await processBytes('form7.txt', Buffer.from(DOC7), { llm: backend(), backend: 'llm' });
    expect(d.errors).toEqual([]);
    const n = mock.requests.length;
    expect(n).toBeGreaterThanOrEqual(3);
    const users = mock.requests.map((r) => r.body.messages[1]!.content);
    for (const r of mock.requests) {
      expect(r.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      const tokens = r.body.messages.reduce((s, m) => s + estimateTokens(m.content), 0);
      expect(tokens).toBeLessThanOrEqual(2500);
    }
    // Each part is named in the user message; parts 2.. of the table open with the header repeated.
    const byPart = new Map(users.map((u) => [Number(/<document part="(\d+)\//.exec(u)![1]), u]));
    expect([...byPart.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    for (const [k, u] of byPart) expect(u).toContain(`this request carries part ${k} of ${n}`);
    const tableParts = [...byPart.values()].filter((u) => /indicator table's header/.test(u));
    expect(tableParts.length).toBeGreaterThanOrEqual(1);
    for (const u of tableParts) expect(docOf(u).startsWith(`${HEADER7}\n`)).toBe(true);
    expect(docOf(byPart.get(n)!)).toMatch(/总分 100\.00 96\.62\n评分等级 优$/);
    expect(users.some((u) => /\n\(续\) 一级指标: 产出指标\n/.test(docOf(u)))).toBe(true);
    expect(byPart.get(1)!).toContain('项目名称 社会保险经办业务费');
    // The merged record: every indicator once, in source order, the head from part 1, the total from the last.
    expect(d.records).toHaveLength(1);
    const r = d.records[0] as SelfEvaluation;
    expect(r.indicators).toEqual(RECORD7.indicators);
    expect(r).toEqual(RECORD7);
    expect(d.forms[0]!.qa!.find((q) => q.check === 'llm.parts')).toMatchObject({ ok: true, detail: `read in ${n} parts, merged` });
  });

  it('a json_schema-only endpoint (schema not in the prompt) is planned for its smaller system prompt, each request within the limit', async () => {
    mock.reply = (b) => ({ content: JSON.stringify(faithfulAnswer(FIXTURES, b.messages[1]!.content)) });
    const strict = backend({ profile: { name: 'openai', modes: ['json_schema'], schemaInPrompt: false, strict: true } });
    expect(strict.systemTokens('self_evaluation')).toBeLessThan(backend().systemTokens('self_evaluation'));
    expect(strict.plan(form7).length).toBeLessThanOrEqual(backend().plan(form7).length);
    const d = await processBytes('form7.txt', Buffer.from(DOC7), { llm: strict, backend: 'llm' });
    expect(mock.requests).toHaveLength(strict.plan(form7).length);
    expect(d.records[0]).toEqual(RECORD7);
    for (const r of mock.requests) expect(r.body.messages.reduce((s, m) => s + estimateTokens(m.content), 0)).toBeLessThanOrEqual(2500);
    expect(mock.requests.every((q) => !q.body.messages[0]!.content.includes('JSON Schema of the reply'))).toBe(true);
  });

  it('a part that never validates gives an llm.parts note; the other parts survive', async () => {
    mock.reply = (b) => {
      const user = b.messages.find((m) => m.role === 'user')!.content;
      return { content: user.includes('<document part="2/') ? '{"docType": "self_evaluation", "indicators": [' : JSON.stringify(faithfulAnswer(FIXTURES, user)) };
    };
    const d = await processBytes('form7.txt', Buffer.from(DOC7), { llm: backend(), backend: 'llm' });
    const firstAsks = mock.requests.filter((r) => r.body.messages.length === 2).map((r) => r.body.messages[1]!.content);
    const n = firstAsks.length;
    expect(mock.requests.length).toBe(n + 2); // part 2 re-asked twice (validationRetries), then given up
    const expected = firstAsks
      .filter((u) => !u.includes('<document part="2/'))
      .sort((a, b) => Number(/part="(\d+)/.exec(a)![1]) - Number(/part="(\d+)/.exec(b)![1]))
      .flatMap((u) => (faithfulAnswer(FIXTURES, u) as SelfEvaluation).indicators);
    const r = d.records[0] as SelfEvaluation;
    expect(r.indicators).toEqual(expected);
    expect(r.indicators.length).toBeLessThan(RECORD7.indicators.length);
    expect(r.indicators.length).toBeGreaterThan(0);
    const note = d.forms[0]!.qa!.find((q) => q.check === 'llm.parts');
    expect(note).toMatchObject({ ok: false, likelyCause: 'extraction' });
    expect(note!.detail).toMatch(new RegExp(`^read in ${n} parts; part\\(s\\) 2 gave no valid answer \\(not JSON`));
  });
});
