import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    stream?: boolean;
    messages?: { role: string; content: string }[];
    stream_options?: unknown;
    [k: string]: unknown;
  };
}

export type Handler = (req: RecordedRequest, res: ServerResponse, n: number) => void | Promise<void>;

/** A small OpenAI-compatible server speaking the real wire format, scripted per test. */
export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  handler: Handler = (_req, res) => json(res, 200, completion('ok'));
  inFlight = 0;
  maxInFlight = 0;
  private server: Server;
  baseURL = '';

  constructor() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const rec: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: raw ? (JSON.parse(raw) as RecordedRequest['body']) : {},
        };
        this.requests.push(rec);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        res.on('close', () => this.inFlight--);
        void this.handler(rec, res, this.requests.length);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  reset(handler: Handler): void {
    this.requests.length = 0;
    this.maxInFlight = 0;
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export function completion(
  content: string,
  usage = { prompt_tokens: 12, completion_tokens: 5 },
  model = 'test-model-2024',
) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stream tokens as SSE chunks; writes are split mid-event to exercise buffering. */
export async function streamTokens(
  res: ServerResponse,
  tokens: string[],
  opts: { usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number } = {},
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keep-alive comment\n\n');
  for (const t of tokens) {
    const event = `data: ${JSON.stringify({ model: 'test-model-2024', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`;
    const cut = Math.floor(event.length / 2);
    res.write(event.slice(0, cut));
    await sleep(opts.delayMs ?? 2);
    res.write(event.slice(cut));
  }
  res.write(
    `data: ${JSON.stringify({ model: 'test-model-2024', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\r\n\r\n`,
  );
  if (opts.usage)
    res.write(`data: ${JSON.stringify({ model: 'test-model-2024', choices: [], usage: opts.usage })}\n\n`);
  res.write('data: [DONE]\n\n');
  res.end();
}
