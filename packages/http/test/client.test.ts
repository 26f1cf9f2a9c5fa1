import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpError, openAiBase } from '../src/index.js';

/** A small OpenAI-compatible server whose answers each test scripts per path. */
type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const handler = routes.get(path);
      if (!handler) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"message":"no such route"}}');
        return;
      }
      handler(req, Buffer.concat(chunks), res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({ baseUrl: base, apiKey: 'sk-test', retryBaseMs: 10, what: 'test server', ...extra });

describe('HttpClient', () => {
  it('posts JSON with the key and parses the answer', async () => {
    routes.set('/v1/chat/completions', (req, body, res) => {
      const sent = JSON.parse(body.toString()) as { model: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model: sent.model,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
        }),
      );
    });
    const out = await client().json<{ model: string; auth: string; type: string }>('chat/completions', {
      json: { model: 'm1' },
    });
    expect(out).toEqual({ model: 'm1', auth: 'Bearer sk-test', type: 'application/json' });
  });

  it('waits as long as Retry-After says on 429, and retries 5xx', async () => {
    const times: number[] = [];
    routes.set('/v1/limited', (_req, _body, res) => {
      times.push(Date.now());
      if (times.length === 1) res.writeHead(429, { 'retry-after': '1' }).end('{"error":"slow down"}');
      else if (times.length === 2) res.writeHead(503).end('busy');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const c = client({ maxRetries: 3 });
    expect(await c.json('limited')).toEqual({ ok: true });
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after its retries with the status and the provider message, and never retries a 400', async () => {
    routes.set('/v1/down', (_req, _body, res) =>
      res.writeHead(500).end('{"error":{"message":"model crashed"}}'),
    );
    const err = (await client({ maxRetries: 1 })
      .json('down')
      .catch((e: unknown) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({
      kind: 'http',
      status: 500,
      retryable: true,
      attempts: 2,
      detail: 'model crashed',
    });
    routes.set('/v1/bad', (_req, _body, res) => res.writeHead(400).end('{"detail":"unknown voice"}'));
    hits.delete('/v1/bad');
    await expect(client().json('bad')).rejects.toMatchObject({
      status: 400,
      retryable: false,
      detail: 'unknown voice',
    });
    expect(hits.get('/v1/bad')).toBe(1);
  });

  it('times out a silent server and stops at once when the caller aborts', async () => {
    routes.set('/v1/silent', () => undefined);
    await expect(client({ timeoutMs: 200, maxRetries: 0 }).json('silent')).rejects.toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = Date.now();
    await expect(client({ timeoutMs: 5000 }).json('silent', { signal: abort.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads server-sent events as they arrive', async () => {
    routes.set('/v1/stream', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"t":"Hel"}\r\n\r\n: keep-alive\n\n');
      setTimeout(() => res.end('data: {"t":"lo"}\n\ndata: [DONE]\n\n'), 50);
    });
    const events: string[] = [];
    const c = client({ baseUrl: base.replace('127.0.0.1', 'localhost'), maxConcurrency: 1 });
    for await (const e of c.events('stream', { json: { stream: true } })) events.push(e);
    expect(events).toEqual(['{"t":"Hel"}', '{"t":"lo"}', '[DONE]']);
    // The one slot of that endpoint was held while the stream was read, and is free again.
    const again: string[] = [];
    for await (const e of c.events('stream', { json: { stream: true } })) again.push(e);
    expect(again).toHaveLength(3);
  });

  it('sends multipart form data', async () => {
    routes.set('/v1/audio/transcriptions', (req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: req.headers['content-type'], body: body.toString('latin1') }));
    });
    const form = new FormData();
    form.set('model', 'whisper-1');
    form.set('file', new Blob([Buffer.from('RIFFxxxxWAVE')], { type: 'audio/wav' }), 'clip.wav');
    const out = await client().json<{ type: string; body: string }>('audio/transcriptions', { form });
    expect(out.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(out.body).toContain('name="file"; filename="clip.wav"');
    expect(out.body).toContain('RIFFxxxxWAVE');
  });

  it('shares one limiter per endpoint between clients', async () => {
    routes.set('/v1/slow', (_req, _body, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 30);
    });
    // One limiter for the endpoint: the smallest size any client asked for holds for all of them.
    const a = client({ maxConcurrency: 50 });
    const b = client({ maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).json('slow')));
    expect(maxInFlight).toBe(3);
  });

  it('asks checkUrl before every attempt, and refuses redirects', async () => {
    const checked: string[] = [];
    const guarded = client({
      checkUrl: (url) => {
        checked.push(url.pathname);
        if (url.pathname.endsWith('/forbidden')) throw new HttpError('refused', 'not allowed');
      },
    });
    await expect(guarded.json('forbidden')).rejects.toMatchObject({ kind: 'refused' });
    expect(hits.get('/v1/forbidden')).toBeUndefined();
    routes.set('/v1/moved', (_req, _body, res) =>
      res.writeHead(307, { location: 'http://127.0.0.1:6379/' }).end(),
    );
    await expect(guarded.json('moved')).rejects.toMatchObject({ status: 307, retryable: false });
    expect(checked).toEqual(['/v1/forbidden', '/v1/moved']);
  });

  it('finds the /v1 root of an OpenAI-compatible server', () => {
    expect(openAiBase('http://gpu:8000')).toBe('http://gpu:8000/v1');
    expect(openAiBase('http://gpu:8000/v1/')).toBe('http://gpu:8000/v1');
    expect(() => openAiBase('not a url')).toThrow(/not a URL/);
  });
});
