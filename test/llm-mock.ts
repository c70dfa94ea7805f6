/**
 * A scripted OpenAI-compatible endpoint on 127.0.0.1 for the LLM tests (node:http, no network).
 * Records every chat request; `reply(body, n)` decides the answer to the n-th (0-based) one.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
