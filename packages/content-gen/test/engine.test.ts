import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContentEngine,
  CONTENT_GEN_VERSION,
  OpenAiCompatibleProvider,
  trainSentenceScorer,
  type Glossary,
} from '../src/index.js';
import { completion, FakeLlmServer, json, streamTokens } from './helpers/fake-llm-server.js';

const ARTICLE = {
  title: 'Council approves budget',
  text: `The city council in Kiev approved a budget of $4.2 billion on Tuesday after a six-hour debate. The budget raises spending on schools by 8% and cuts police overtime by $30 million. Mayor Ana Ruiz said the plan keeps the promises made to families. Opposition members said the cuts would leave neighbourhoods less safe. The vote was 9 to 4.`,
};
const glossary: Glossary = { entries: [{ preferred: 'Kyiv', variants: ['Kiev'] }] };

let server: FakeLlmServer;
beforeAll(async () => {
  server = await new FakeLlmServer().start();
});
afterAll(async () => {
  await server.stop();
});

describe('content engine without an LLM', () => {
  it('answers every operation locally and says which engine made each output', async () => {
    const engine = createContentEngine({ glossary });
    expect(engine.info).toEqual({ kind: 'local', name: 'local', version: CONTENT_GEN_VERSION });
    const s = await engine.summarize(ARTICLE, { maxSentences: 2 });
    expect(s.engine).toEqual({ kind: 'local', name: 'local/lead', version: CONTENT_GEN_VERSION });
    expect(s.value.method).toBe('lead');
    expect(s.value.text).toContain('Kyiv'); // preferred spelling applied by the guardrails
    expect(s.value.guardrails.passed).toBe(true);
    expect(s.fallback).toBeUndefined();

    const h = await engine.headlines(ARTICLE, { maxChars: 80 });
    expect(h.engine.name).toBe('local/headlines');
    expect(h.value.length).toBeGreaterThan(0);
    for (const x of h.value) expect(x.text.length).toBeLessThanOrEqual(80);
    const p = await engine.social(ARTICLE, { url: 'https://example.com/a' });
    expect(p.value[0].text.endsWith('https://example.com/a')).toBe(true);
    expect((await engine.keywords(ARTICLE)).value.length).toBeGreaterThan(2);
    expect((await engine.tags(ARTICLE)).engine.kind).toBe('local');
  });

  it('uses a trained scorer and records its identity', async () => {
    const scorer = await trainSentenceScorer(
      [{ text: ARTICLE.text, summary: 'Budget of $4.2 billion approved.' }],
      { epochs: 3, version: 'v7' },
    );
    const s = await createContentEngine({ scorer }).summarize(ARTICLE);
    expect(s.engine).toMatchObject({ kind: 'local', name: 'local/scorer', model: 'sentence-scorer@v7' });
  });
});

describe('content engine with an LLM', () => {
  const config = () => ({
    baseURL: server.baseURL,
    model: 'test-model',
    apiKey: 'k',
    retryBaseMs: 5,
    pricing: { promptPer1k: 1, completionPer1k: 2 },
  });

  it('summarises through the LLM (streamed), with glossary in the prompt, usage, cost and model recorded', async () => {
    server.reset((_req, res) =>
      streamTokens(res, ['The council in Kiev', ' approved a $4.2 billion budget.'], {
        usage: { prompt_tokens: 100, completion_tokens: 10 },
      }),
    );
    const engine = createContentEngine({ llm: config(), glossary });
    const tokens: string[] = [];
    const s = await engine.summarize(ARTICLE, { maxSentences: 1, onToken: (t) => tokens.push(t) });
    expect(tokens.join('')).toBe('The council in Kiev approved a $4.2 billion budget.');
    expect(s.engine).toEqual({
      kind: 'llm',
      name: 'openai-compatible',
      version: CONTENT_GEN_VERSION,
      model: 'test-model-2024',
    });
    expect(s.value).toMatchObject({
      method: 'llm',
      text: 'The council in Kyiv approved a $4.2 billion budget.',
    });
    expect(s.usage).toMatchObject({ promptTokens: 100, completionTokens: 10 });
    expect(s.cost).toBeCloseTo(0.1 + 0.02, 10);
    const system = server.requests[0].body.messages?.[0].content ?? '';
    expect(system).toContain('"Kyiv" (not "Kiev")');
    expect(server.requests[0].body.messages?.[1].content).toContain(ARTICLE.text);
  });

  it('headlines, keywords and tags from the LLM; a headline with an invented number is flagged', async () => {
    server.reset((req, res) => {
      const sys = req.body.messages?.[0].content ?? '';
      if (sys.includes('headlines'))
        return json(
          res,
          200,
          completion('```json\n["Council approves $4.2bn budget", "Council approves $9bn budget"]\n```'),
        );
      if (sys.includes('keywords'))
        return json(res, 200, completion('["budget", "city council", "police overtime"]'));
      return json(
        res,
        200,
        completion('[{"tag": "politics", "confidence": 0.9}, {"tag": "sport", "confidence": 0.2}]'),
      );
    });
    const engine = createContentEngine({ llm: config() });
    const h = await engine.headlines(ARTICLE, { count: 2 });
    expect(h.engine.kind).toBe('llm');
    expect(h.value.map((x) => x.guardrails.passed)).toEqual([true, false]);
    expect(h.value[1].guardrails.unsupportedNumbers).toEqual(['$9bn']);
    const k = await engine.keywords(ARTICLE);
    expect(k.value.map((x) => x.term)).toEqual(['budget', 'city council', 'police overtime']);
    const t = await engine.tags(ARTICLE, { allowed: ['politics', 'business'] });
    expect(t.value).toEqual([{ tag: 'politics', kind: 'topic', confidence: 0.9, source: 'llm' }]);
  });

  it('falls back to the local engine when the LLM fails, and says so', async () => {
    server.reset((_req, res) => json(res, 500, { error: { message: 'GPU on fire' } }));
    const engine = createContentEngine({ llm: { ...config(), maxRetries: 1 } });
    const s = await engine.summarize(ARTICLE);
    expect(s.engine.kind).toBe('local');
    expect(s.fallback?.from).toMatchObject({ kind: 'llm', model: 'test-model' });
    expect(s.fallback?.reason).toContain('500');
    expect(server.requests).toHaveLength(2);
    expect(s.value.text.length).toBeGreaterThan(0);
  });

  it("falls back when guardrails reject the LLM's output under the 'reject' policy", async () => {
    server.reset((_req, res) => json(res, 200, completion('Mayor John Smith approved a $9 billion budget.')));
    const provider = new OpenAiCompatibleProvider(config());
    const engine = createContentEngine({ llm: provider, guardrails: { policy: 'reject' } });
    const s = await engine.summarize(ARTICLE);
    expect(s.engine.kind).toBe('local');
    expect(s.fallback?.reason).toMatch(/rejected by guardrails/);
    expect(s.fallback?.reason).toContain('John Smith');
    // With 'flag' the LLM text is kept and the problems are reported.
    const flagged = await createContentEngine({ llm: provider }).summarize(ARTICLE);
    expect(flagged.engine.kind).toBe('llm');
    expect(flagged.value.guardrails).toMatchObject({
      passed: false,
      action: 'flag',
      unsupportedNumbers: ['$9 billion'],
      unsupportedEntities: ['John Smith'],
    });
    // Without fallback the error surfaces.
    server.reset((_req, res) => json(res, 500, {}));
    await expect(
      createContentEngine({ llm: { ...config(), maxRetries: 0 }, fallback: false }).summarize(ARTICLE),
    ).rejects.toMatchObject({ code: 'http' });
  });
});
