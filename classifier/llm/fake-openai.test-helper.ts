/**
 * An OpenAI-compatible HTTP server on loopback (port 0) for the LLM stage's tests. It serves
 * POST /v1/chat/completions with bodies in the shape OpenAI publishes (API reference, "The chat completion
 * object" and "Error codes"), records every request, and answers each one with the reply the test chose.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: { model: string; messages: Array<{ role: string; content: string }>; [key: string]: unknown };
}

/** `content`: a 200 chat completion whose message content is this text; `status`: an error; `hang`: never answer. */
export type Reply =
  | { content: string; totalTokens?: number; delayMs?: number }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true };

export interface FakeOpenAI {
  /** Base URL including `/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The JSON answer of a well-behaved model. */
export function answer(fields: { category: string; risk: string; confidence?: number; rationale?: string; evidence?: string[] }): string {
  return JSON.stringify({ confidence: 0.8, rationale: `It is ${fields.category}.`, evidence: [], ...fields });
}

export function completion(model: string, content: string, totalTokens = 150): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: totalTokens - 50, completion_tokens: 50, total_tokens: totalTokens },
  };
}

/** Starts the server; `reply` is called with each request and its 0-based index. */
export async function startFakeOpenAI(reply: (request: RecordedRequest, index: number) => Reply): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
      requests.push(recorded);
      if (recorded.method !== 'POST' || recorded.path !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      const r = reply(recorded, requests.length - 1);
      if ('hang' in r) return;
      if ('status' in r) {
        res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
        res.end(JSON.stringify(r.body ?? { error: { message: `status ${r.status}`, type: 'requests', param: null, code: r.status === 429 ? 'rate_limit_exceeded' : null } }));
        return;
      }
      const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(recorded.body.model, r.content, r.totalTokens)));
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
