import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmError, llmConfigFromEnv, OpenAiCompatibleProvider, Semaphore } from '../src/index.js';
import { completion, FakeLlmServer, json, sleep, streamTokens } from './helpers/fake-llm-server.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await new FakeLlmServer().start();
});
afterAll(async () => {
  await server.stop();
});

const messages = [
  { role: 'system' as const, content: 'You are an editor.' },
  { role: 'user' as const, content: 'Summarise: the council met.' },
];

function provider(extra: Partial<ConstructorParameters<typeof OpenAiCompatibleProvider>[0]> = {}) {
  return new OpenAiCompatibleProvider({
    baseURL: server.baseURL,
    apiKey: 'sk-test',
    model: 'test-model',
    retryBaseMs: 10,
    pricing: { promptPer1k: 0.5, completionPer1k: 1.5 },
    ...extra,
  });
}

describe('OpenAI-compatible provider', () => {
  it('non-streaming: sends model, messages and bearer key; returns text, usage and cost', async () => {
    server.reset((_req, res) =>
      json(res, 200, completion('The council met.', { prompt_tokens: 12, completion_tokens: 5 })),
    );
    const p = provider();
    const r = await p.chat({ messages, temperature: 0.2, maxTokens: 100 });
    expect(r.text).toBe('The council met.');
    expect(r.model).toBe('test-model-2024');
    expect(r.usage).toEqual({ promptTokens: 12, completionTokens: 5, totalTokens: 17, estimated: false });
    expect(r.cost).toBeCloseTo((12 / 1000) * 0.5 + (5 / 1000) * 1.5, 12);
    expect(r.attempts).toBe(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({
      model: 'test-model',
      stream: false,
      messages,
      temperature: 0.2,
      max_tokens: 100,
    });
    expect(p.totals()).toMatchObject({ calls: 1, promptTokens: 12, completionTokens: 5 });
  });

  it('streaming: SSE deltas reach onToken in order; usage from the last chunk', async () => {
    server.reset((_req, res) =>
      streamTokens(res, ['The', ' council', ' met', '.'], {
        usage: { prompt_tokens: 20, completion_tokens: 4 },
      }),
    );
    const tokens: string[] = [];
    const r = await provider().chat({ messages, onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(['The', ' council', ' met', '.']);
    expect(r.text).toBe('The council met.');
    expect(r.finishReason).toBe('stop');
    expect(r.usage).toEqual({ promptTokens: 20, completionTokens: 4, totalTokens: 24, estimated: false });
    expect(server.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(server.requests[0].headers.accept).toBe('text/event-stream');
  });

  it('streaming without usage: tokens are estimated and marked so', async () => {
    server.reset((_req, res) => streamTokens(res, ['Hello', ' world']));
    const r = await provider().chat({ messages, stream: true });
    expect(r.text).toBe('Hello world');
    expect(r.usage.estimated).toBe(true);
    expect(r.usage.completionTokens).toBe(Math.ceil('Hello world'.length / 4));
  });

  it('retries a 500 and succeeds; honours Retry-After on 429', async () => {
    server.reset((_req, res, n) =>
      n === 1
        ? json(res, 500, { error: { message: 'overloaded' } })
        : json(res, 200, completion('second time')),
    );
    const r = await provider().chat({ messages });
    expect(r.text).toBe('second time');
    expect(r.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);

    server.reset((_req, res, n) =>
      n === 1
        ? json(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '0' })
        : json(res, 200, completion('ok')),
    );
    expect((await provider().chat({ messages })).attempts).toBe(2);
  });

  it('gives up after maxRetries, and does not retry a 400', async () => {
    server.reset((_req, res) => json(res, 503, { error: { message: 'down' } }));
    const p = provider({ maxRetries: 2 });
    const err = await p.chat({ messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: 'http', status: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(p.totals().failures).toBe(1);

    server.reset((_req, res) => json(res, 400, { error: { message: 'bad model' } }));
    const bad = await provider()
      .chat({ messages })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'http', status: 400, attempts: 1 });
    expect((bad as Error).message).toContain('bad model');
  });

  it('times out a server that never answers (AbortController), retrying first', async () => {
    server.reset(() => {
      /* never answer */
    });
    const t0 = Date.now();
    const err = await provider({ timeoutMs: 150, maxRetries: 1 })
      .chat({ messages })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a stream that already produced tokens', async () => {
    server.reset(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Partial' } }] })}\n\n`);
      await sleep(20);
      res.destroy();
    });
    const tokens: string[] = [];
    const err = await provider({ maxRetries: 3 })
      .chat({ messages, onToken: (t) => tokens.push(t) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(tokens).toEqual(['Partial']);
    expect(server.requests).toHaveLength(1);
  });

  it('limits concurrency with a semaphore', async () => {
    server.reset(async (_req, res) => {
      await sleep(40);
      json(res, 200, completion('x'));
    });
    const p = provider({ maxConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => p.chat({ messages })));
    expect(results).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
    expect(p.totals().calls).toBe(6);
  });

  it('aborts on the caller signal without retrying', async () => {
    server.reset(() => {
      /* never answer */
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await provider({ maxRetries: 3, timeoutMs: 5000 })
      .chat({ messages, signal: ac.signal })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aborted' });
    expect(server.requests).toHaveLength(1);
  });

  it('reads its configuration from the environment', () => {
    expect(llmConfigFromEnv({})).toBeUndefined();
    expect(
      llmConfigFromEnv({
        LLM_BASE_URL: 'http://h/v1',
        LLM_MODEL: 'm',
        LLM_API_KEY: 'k',
        LLM_PRICE_PROMPT_PER_1K: '0.1',
        LLM_MAX_CONCURRENCY: '3',
      }),
    ).toEqual({
      baseURL: 'http://h/v1',
      model: 'm',
      apiKey: 'k',
      maxConcurrency: 3,
      pricing: { promptPer1k: 0.1, completionPer1k: 0 },
    });
  });
});

describe('Semaphore', () => {
  it('admits at most N holders, first come first served', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    let active = 0;
    let max = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        s.run(async () => {
          order.push(i);
          active++;
          max = Math.max(max, active);
          await sleep(10);
          active--;
        }),
      ),
    );
    expect(max).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(s.inUse).toBe(0);
  });
});
