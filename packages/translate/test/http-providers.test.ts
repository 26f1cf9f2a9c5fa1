import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ApertiumApyEngine,
  EngineRegistry,
  LibreTranslateEngine,
  OpenAiChatEngine,
  isTranslateError,
  translateDocument,
  type TranslateError,
} from '../src/index.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One server speaking LibreTranslate, Apertium APy and OpenAI chat, translating by upper-casing. */
let server: Server;
let base: string;
let received: Received[] = [];
let failNext: { status: number; body: string } | null = null;

const upper = (text: string): string => text.replace(/[^\u27E6\u27E7\d]+/g, (s) => s.toUpperCase());

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      received.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      const reply = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      if (failNext) {
        const failure = failNext;
        failNext = null;
        return reply(failure.status, failure.body);
      }
      if (url.pathname === '/lt/languages') {
        return reply(200, [
          { code: 'en', name: 'English', targets: ['es', 'fr'] },
          { code: 'es', name: 'Spanish', targets: ['en'] },
        ]);
      }
      if (url.pathname === '/lt/translate' && req.method === 'POST') {
        const payload = JSON.parse(body) as {
          q: string | string[];
          source: string;
          target: string;
          format: string;
        };
        if (payload.source === 'xx') return reply(400, { error: 'xx is not supported' });
        return reply(200, {
          translatedText: Array.isArray(payload.q) ? payload.q.map(upper) : upper(payload.q),
        });
      }
      if (url.pathname === '/apy/listPairs') {
        return reply(200, {
          responseData: [
            { sourceLanguage: 'eng', targetLanguage: 'spa' },
            { sourceLanguage: 'spa', targetLanguage: 'cat' },
          ],
          responseDetails: null,
          responseStatus: 200,
        });
      }
      if (url.pathname === '/apy/translate') {
        const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
        return reply(200, {
          responseData: { translatedText: upper(params.get('q') ?? '') },
          responseDetails: null,
          responseStatus: 200,
        });
      }
      if (url.pathname === '/llm/v1/chat/completions') {
        const payload = JSON.parse(body) as { messages: Array<{ role: string; content: string }> };
        const user = payload.messages.find((m) => m.role === 'user')?.content ?? '';
        return reply(200, {
          id: 'x',
          object: 'chat.completion',
          choices: [
            { index: 0, message: { role: 'assistant', content: `"${upper(user)}"` }, finish_reason: 'stop' },
          ],
        });
      }
      reply(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  failNext = null;
});

describe('LibreTranslate', () => {
  it('sends POST /translate {q, source, target, format} with ISO 639-1 codes and the key', async () => {
    const engine = new LibreTranslateEngine({ url: `${base}/lt`, apiKey: 'k1' });
    const result = await engine.translate(['Good morning.', '', 'Click ⟦1⟧here⟦2⟧.'], 'eng', 'spa');
    expect(result.texts).toEqual(['GOOD MORNING.', '', 'CLICK ⟦1⟧HERE⟦2⟧.']);
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('POST');
    expect(JSON.parse(received[0].body)).toEqual({
      q: ['Good morning.', 'Click ⟦1⟧here⟦2⟧.'],
      source: 'en',
      target: 'es',
      format: 'text',
      api_key: 'k1',
    });
  });

  it('lists pairs from GET /languages', async () => {
    const engine = new LibreTranslateEngine({ url: `${base}/lt` });
    expect(await engine.pairs()).toEqual([
      { from: 'eng', to: 'spa', via: [] },
      { from: 'eng', to: 'fra', via: [] },
      { from: 'spa', to: 'eng', via: [] },
    ]);
  });

  it('reports the server error message, retryable only for 5xx and 429', async () => {
    const engine = new LibreTranslateEngine({ url: `${base}/lt` });
    failNext = { status: 400, body: JSON.stringify({ error: 'Invalid request: missing q' }) };
    const client = (await engine.translate(['x'], 'en', 'es').catch((e: unknown) => e)) as TranslateError;
    expect(client).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'libretranslate answered 400: Invalid request: missing q',
    });
    expect(client.retryable).toBe(false);
    // A 503 is retried by the shared HTTP client: the next attempt translates.
    failNext = { status: 503, body: 'busy' };
    received = [];
    expect((await engine.translate(['x'], 'en', 'es')).texts).toEqual(['X']);
    expect(received.filter((r) => r.path === '/lt/translate')).toHaveLength(2);
    // One that stays down is reported as retryable once the client's retries are spent.
    const down = new LibreTranslateEngine({ url: `${base}/lt`, maxRetries: 0 });
    failNext = { status: 503, body: 'busy' };
    const server = (await down.translate(['x'], 'en', 'es').catch((e: unknown) => e)) as TranslateError;
    expect(server.retryable).toBe(true);
  });

  it('reports an unreachable server as ENGINE_UNAVAILABLE', async () => {
    const engine = new LibreTranslateEngine({ url: 'http://127.0.0.1:9' });
    const error = await engine.translate(['x'], 'en', 'es').catch((e: unknown) => e);
    expect(isTranslateError(error, 'ENGINE_UNAVAILABLE')).toBe(true);
  });
});

describe('Apertium APy', () => {
  it('sends langpair=eng|spa and q, one text per request, and reads responseData.translatedText', async () => {
    const engine = new ApertiumApyEngine({ url: `${base}/apy` });
    const result = await engine.translate(['The house.', 'The dog.'], 'en', 'es');
    expect(result.texts).toEqual(['THE HOUSE.', 'THE DOG.']);
    const params = received.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(params).toContainEqual({ langpair: 'eng|spa', q: 'The house.', markUnknown: 'no' });
    expect(received[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('lists pairs from GET /listPairs', async () => {
    expect(await new ApertiumApyEngine({ url: `${base}/apy` }).pairs()).toEqual([
      { from: 'eng', to: 'spa', via: [] },
      { from: 'spa', to: 'cat', via: [] },
    ]);
  });
});

describe('OpenAI-compatible chat', () => {
  it('posts model and messages to /v1/chat/completions with the bearer key and strips wrapping quotes', async () => {
    const engine = new OpenAiChatEngine({
      baseUrl: `${base}/llm`,
      model: 'qwen2.5-7b',
      apiKey: 'secret',
      languages: ['en', 'es'],
    });
    const result = await engine.translate(['Click ⟦1⟧here⟦2⟧.'], 'en', 'es');
    expect(result.texts).toEqual(['CLICK ⟦1⟧HERE⟦2⟧.']);
    expect(result.engine).toBe('openai:qwen2.5-7b');
    expect(received[0].path).toBe('/llm/v1/chat/completions');
    expect(received[0].headers.authorization).toBe('Bearer secret');
    const body = JSON.parse(received[0].body) as {
      model: string;
      temperature: number;
      messages: Array<{ role: string; content: string }>;
    };
    expect(body.model).toBe('qwen2.5-7b');
    expect(body.temperature).toBe(0);
    expect(body.messages[0].content).toMatch(/from English to Spanish.*⟦number⟧/);
    expect(body.messages[1]).toEqual({ role: 'user', content: 'Click ⟦1⟧here⟦2⟧.' });
    expect(await engine.pairs()).toEqual([
      { from: 'eng', to: 'spa', via: [] },
      { from: 'spa', to: 'eng', via: [] },
    ]);
  });

  it('accepts a base URL that already ends in /v1', async () => {
    await new OpenAiChatEngine({ baseUrl: `${base}/llm/v1`, model: 'm' }).translate(['Hi'], 'en', 'es');
    expect(received[0].path).toBe('/llm/v1/chat/completions');
  });
});

describe('provider registry', () => {
  const config = {
    providers: {
      offline: { type: 'apertium-apy' as const, url: `http://placeholder` },
      libre: { type: 'libretranslate' as const, url: 'http://placeholder' },
      llm: {
        type: 'openai' as const,
        baseUrl: 'http://placeholder',
        model: 'm',
        languages: ['en', 'es', 'de'],
      },
    },
  };
  const withBase = () => ({
    providers: {
      offline: { ...config.providers.offline, url: `${base}/apy` },
      libre: { ...config.providers.libre, url: `${base}/lt` },
      llm: { ...config.providers.llm, baseUrl: `${base}/llm` },
    },
    routes: [
      { from: 'en', to: 'es', provider: 'libre' },
      { from: '*', to: 'de', provider: 'llm' },
    ],
    defaultProvider: 'offline',
  });

  it('chooses the engine per pair from configuration', async () => {
    const registry = new EngineRegistry(withBase());
    expect((await registry.engineFor('en', 'es')).id).toBe('libretranslate:libre');
    expect((await registry.engineFor('es', 'de')).id).toBe('openai:m');
    expect((await registry.engineFor('spa', 'cat')).id).toBe('apertium-apy:offline');
    await expect(registry.engineFor('en', 'fi')).rejects.toMatchObject({ code: 'UNSUPPORTED_PAIR' });
  });

  it('falls back to the next provider when the preferred one is down', async () => {
    const settings = withBase();
    const registry = new EngineRegistry({
      ...settings,
      providers: { ...settings.providers, libre: { type: 'libretranslate', url: 'http://127.0.0.1:9' } },
    });
    expect((await registry.engineFor('en', 'es')).id).toBe('apertium-apy:offline');
  });

  it('translates a document end to end through the chosen provider', async () => {
    const registry = new EngineRegistry(withBase());
    const engine = await registry.engineFor('en', 'es');
    const result = await translateDocument({
      text: '<p>Read <a href="/a">this</a> today.</p>',
      format: 'html',
      from: 'en',
      to: 'es',
      engine,
    });
    expect(result.text).toBe('<p>READ <a href="/a">THIS</a> TODAY.</p>');
    expect(result.stats.engine).toBe('libretranslate:libre');
  });

  it('refuses configuration that names a missing provider or lacks settings', () => {
    expect(
      () => new EngineRegistry({ providers: { a: { type: 'apertium' } }, routes: [{ provider: 'b' }] }),
    ).toThrow(/provider "b", which is not configured/);
    expect(
      () => new EngineRegistry({ providers: { a: { type: 'openai', baseUrl: 'http://x', model: '' } } }),
    ).toThrow(/needs model/);
    expect(() => new EngineRegistry({ providers: {} })).toThrow(/no provider/);
  });
});
