/**
 * A scripted OpenAI-compatible endpoint on 127.0.0.1 for the LLM tests (node:http, no network).
 * Records every chat request; `reply(body, n)` decides the answer to the n-th (0-based) one.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FormRecord } from '../src/schema/records.js';

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  max_tokens?: number;
  temperature?: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; default a chat completion with `content`. */
  body?: unknown;
  content?: string;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

export function completion(content: string, promptTokens = 1000, completionTokens = 500): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

export class MockLlm {
  readonly requests: { body: ChatBody; headers: IncomingHttpHeaders; at: number }[] = [];
  reply: (body: ChatBody, n: number) => Reply = () => ({ content: '{}' });
  private server: Server | null = null;
  private hanging: ServerResponse[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!req.url?.endsWith('/chat/completions')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
        const n = this.requests.length;
        this.requests.push({ body, headers: req.headers, at: Date.now() });
        const r = this.reply(body, n);
        if (r.hang) {
          this.hanging.push(res);
          return;
        }
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
        res.end(JSON.stringify(r.body ?? completion(r.content ?? '')));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** One form of a sample as the tests' scripted model knows it: its record and its serialised text. */
export interface FormFixture {
  record: FormRecord;
  /** The form's text as sent to the model (serialiseForm). */
  text: string;
}

const squeeze = (s: string): string => s.replace(/\s+/g, '');
/** Lines of the self-evaluation / declaration table headers of the samples, and the `(续)` line: repeated, not the part's own rows. */
const REPEATED = (line: string): boolean => /^(一级|二级|指标|偏差原因分析|及改进措施)$|三级指标/.test(squeeze(line)) || line.startsWith('(续)');

function blank(v: unknown): unknown {
  if (Array.isArray(v)) return [];
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]));
  return null;
}

/**
 * What a faithful model answers to one request, from hand-checked records (the deterministic parser's or
 * a fixture), never from the code under test: the whole record for an unsplit form; for part k of n of a
 * form with an indicator table, the indicators whose names the part's own text prints (each name located
 * in printed order in the form's text), the head only in part 1 and the 总分 row only in part n.
 */
export function faithfulAnswer(fixtures: FormFixture[], user: string): FormRecord {
  const m = /<document(?: part="(\d+)\/(\d+)")?>\n([\s\S]*)\n<\/document>$/.exec(user);
  if (!m) throw new Error('no <document> in the request');
  const body = m[3]!;
  if (m[1] === undefined) return (fixtures.find((f) => squeeze(body).includes(squeeze(f.record.projectName))) ?? fixtures[0]!).record;
  const k = Number(m[1]);
  const n = Number(m[2]);
  const lines = body.split('\n');
  if (k > 1) while (lines.length > 0 && REPEATED(lines[0]!)) lines.shift();
  const probe = squeeze(lines.join(''));
  const fx = fixtures.find((f) => squeeze(f.text).includes(probe));
  if (!fx) throw new Error(`part ${k}/${n} is not a slice of any form`);
  const record = structuredClone(fx.record);
  if (record.docType === 'evaluation_report') return record; // merged by code
  const full = squeeze(fx.text);
  const start = full.indexOf(probe);
  const end = start + probe.length;
  let at = full.indexOf('三级指标');
  const mine = record.indicators.filter((ind) => {
    const name = squeeze(ind.name);
    const pos = full.indexOf(name, at);
    if (pos < 0) throw new Error(`indicator ${ind.name} not found in order`);
    at = pos + name.length;
    return pos >= start && pos < end;
  });
  const out: Record<string, unknown> = k === 1 ? { ...record } : { ...(blank(record) as Record<string, unknown>), docType: record.docType, projectName: '' };
  out['indicators'] = mine;
  if (record.docType === 'self_evaluation') {
    for (const key of ['totalWeight', 'totalScore', 'grade'] as const) out[key] = k === n ? record[key] : null;
  }
  return out as FormRecord;
}
