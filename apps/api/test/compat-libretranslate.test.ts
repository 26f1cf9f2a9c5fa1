import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Translate } from 'translate';
import { createApiClient } from '../src/auth/api-keys.js';
import { closeTranslationEngines } from '../src/translate/engines.js';
import { createNewsroom, startTestApi, testConfig, type TestNewsroom } from './helpers/platform.js';

/*
 * The LibreTranslate-compatible endpoints against Apertium, driven by an npm LibreTranslate client
 * (`translate`, engine "libre", pointed at this server) and by requests written as LibreTranslate's
 * documentation shows them (JSON, form-encoded, multipart), errors included.
 */

for (const name of [
  'MEDIAAI_TRANSLATE_CONFIG',
  'LIBRETRANSLATE_URL',
  'LIBRETRANSLATE_API_KEY',
  'APERTIUM_APY_URL',
  'MEDIAAI_TRANSLATE_ROUTES',
]) {
  delete process.env[name];
}

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
let other: TestNewsroom;

beforeAll(async () => {
  api = await startTestApi(testConfig());
  n = await createNewsroom(api.db, 'Libre Desk');
  other = await createNewsroom(api.db, 'Other Libre Desk');
  await api.ok(
    `mutation($input: GlossaryTermInput!) { upsertGlossaryTerm(input: $input) { id } }`,
    {
      input: {
        term: 'Home Office',
        language: 'en',
        translations: { es: 'Ministerio del Interior británico' },
      },
    },
    n.keys.editor,
  );
});
afterAll(async () => {
  await api?.close();
  await closeTranslationEngines();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('LibreTranslate-compatible API', () => {
  it('translates through an npm LibreTranslate client, with the newsroom glossary, as GraphQL does', async () => {
    const client = Translate({
      engine: 'libre',
      url: `${api.url}/translate`,
      key: n.keys.app,
      from: 'en',
    } as never) as unknown as (text: string, opts: { to: string; from?: string }) => Promise<string>;
    const text = 'The volunteers of the Home Office rescued forty people at sea.';
    const viaClient = await client(text, { to: 'es' });
    const viaGraphQL = (
      await api.ok(
        `query($t: String!) { translate(text: $t, from: "en", to: "es") { text } }`,
        { t: text },
        n.keys.app,
      )
    ).translate.text;
    expect(viaClient).toBe(viaGraphQL);
    expect(viaClient).toContain('Ministerio del Interior británico'); // this newsroom's glossary
    expect(viaClient).toMatch(/voluntarios/i);
    // The same request with another newsroom's key does not see this glossary (the client caches by
    // text, not by key, hence a plain request).
    const theirs = await post('/translate', { q: text, source: 'en', target: 'es', api_key: other.keys.app });
    expect(((await theirs.json()) as { translatedText: string }).translatedText).not.toContain(
      'Ministerio del Interior británico',
    );
  });

  it('takes JSON, form-encoded and multipart bodies, q as a list, source auto, html and alternatives', async () => {
    const json = await post('/translate', {
      q: [
        'El Gobierno aprueba la reforma de las pensiones.',
        '',
        'La tormenta cortó las carreteras del valle.',
      ],
      source: 'auto',
      target: 'en',
      api_key: n.keys.app,
      alternatives: 2,
    });
    expect(json.status).toBe(200);
    const body = (await json.json()) as {
      translatedText: string[];
      detectedLanguage: { confidence: number; language: string }[];
      alternatives: string[][];
    };
    expect(body.translatedText).toHaveLength(3);
    expect(body.translatedText[0]).toMatch(/Government/i);
    expect(body.translatedText[1]).toBe('');
    expect(body.translatedText[2]).toMatch(/storm/i);
    expect(body.detectedLanguage[0].language).toBe('es');
    expect(body.detectedLanguage[0].confidence).toBeGreaterThan(50);
    expect(body.detectedLanguage[0].confidence).toBeLessThanOrEqual(100);
    expect(body.alternatives).toEqual([[], [], []]);

    const form = await fetch(`${api.url}/translate`, {
      method: 'POST',
      body: new URLSearchParams({ q: 'Good morning', source: 'en', target: 'es', api_key: n.keys.app }),
    });
    expect(form.status).toBe(200);
    expect(await form.json()).toEqual({ translatedText: expect.stringMatching(/buenos días/i) });

    const fd = new FormData();
    fd.append('q', '<p>The <b>mayor</b> spoke on Monday.</p>');
    fd.append('source', 'en');
    fd.append('target', 'es');
    fd.append('format', 'html');
    fd.append('api_key', n.keys.app);
    const multipart = await fetch(`${api.url}/translate`, { method: 'POST', body: fd });
    expect(multipart.status).toBe(200);
    const html = ((await multipart.json()) as { translatedText: string }).translatedText;
    expect(html).toMatch(/^<p>.*<b>alcalde<\/b>.*lunes.*<\/p>$/);

    // The key may also come as a Bearer header, as OpenAI-style clients send it.
    const bearer = await post(
      '/translate',
      { q: 'Hello', source: 'en', target: 'ca' },
      { authorization: `Bearer ${n.keys.app}` },
    );
    expect(bearer.status).toBe(200);
  });

  it('detects languages and lists the languages with their targets', async () => {
    const res = await post('/detect', {
      q: 'Governo anuncia novas medidas para conter a inflação',
      api_key: n.keys.app,
    });
    expect(res.status).toBe(200);
    const detections = (await res.json()) as { confidence: number; language: string }[];
    expect(detections[0].language).toBe('pt');
    expect(detections[0].confidence).toBeGreaterThan(50);
    for (let i = 1; i < detections.length; i++)
      expect(detections[i].confidence).toBeLessThanOrEqual(detections[i - 1].confidence);

    const languages = await fetch(`${api.url}/languages`); // open, as in LibreTranslate
    expect(languages.status).toBe(200);
    const list = (await languages.json()) as { code: string; name: string; targets: string[] }[];
    const en = list.find((l) => l.code === 'en');
    expect(en).toMatchObject({ name: 'English' });
    expect(en!.targets).toEqual(expect.arrayContaining(['es', 'ca']));
    expect(list.find((l) => l.code === 'es')!.targets).toContain('en');
  });

  it('translates a file and serves it at the returned URL', async () => {
    const fd = new FormData();
    fd.append('file', new Blob(['The storm closed the roads.\n\nThe mayor spoke on Monday.\n']), 'notes.txt');
    fd.append('source', 'en');
    fd.append('target', 'es');
    fd.append('api_key', n.keys.editor);
    const res = await fetch(`${api.url}/translate_file`, { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    const { translatedFileUrl } = (await res.json()) as { translatedFileUrl: string };
    expect(translatedFileUrl).toMatch(/\/download_file\/[0-9a-f-]{36}\.notes\.txt$/);
    const file = await fetch(translatedFileUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(file.headers.get('content-disposition')).toContain('notes.txt');
    const text = await file.text();
    expect(text).toMatch(/alcalde/);
    expect(text.split('\n\n')).toHaveLength(2);

    const bad = new FormData();
    bad.append('file', new Blob(['x']), 'slides.pptx');
    bad.append('source', 'en');
    bad.append('target', 'es');
    bad.append('api_key', n.keys.editor);
    const refused = await fetch(`${api.url}/translate_file`, { method: 'POST', body: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/file format not supported/);
    expect(
      (await fetch(`${api.url}/download_file/00000000-0000-0000-0000-000000000000.notes.txt`)).status,
    ).toBe(404);
  });

  it("answers errors in LibreTranslate's shape and status codes", async () => {
    const cases: [unknown, Record<string, string>, number, RegExp][] = [
      [{ q: 'Hello', source: 'en', target: 'es' }, {}, 400, /API key/],
      [{ q: 'Hello', source: 'en', target: 'es', api_key: 'mk_not_a_key' }, {}, 403, /Invalid API key/],
      [{ source: 'en', target: 'es', api_key: n.keys.app }, {}, 400, /missing q parameter/],
      [{ q: 'Hello', source: 'en', api_key: n.keys.app }, {}, 400, /missing target parameter/],
      [{ q: 'Hello', source: 'en', target: 'ja', api_key: n.keys.app }, {}, 400, /ja|Japanese/],
      [
        { q: 'Hello', source: 'en', target: 'es', format: 'pdf', api_key: n.keys.app },
        {},
        400,
        /pdf format is not supported/,
      ],
      [{ q: 'x'.repeat(5001), source: 'en', target: 'es', api_key: n.keys.app }, {}, 400, /5,000/],
    ];
    for (const [body, headers, status, message] of cases) {
      const res = await post('/translate', body, headers);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      const answer = (await res.json()) as { error: string };
      expect(Object.keys(answer)).toEqual(['error']);
      expect(answer.error).toMatch(message);
    }
    const broken = await fetch(`${api.url}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q": "Hello",',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: expect.any(String) });

    // The key's own rate limit, answered as LibreTranslate's "Slowdown" with Retry-After.
    const { key } = await createApiClient(api.db, {
      newsroomId: n.id,
      name: 'slow',
      role: 'APP',
      rateLimitPerMinute: 2,
    });
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 3; i++) {
      last = await post('/detect', { q: 'Bonjour tout le monde', api_key: key });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await last!.json()) as { error: string }).error).toMatch(/^Slowdown: /);
  });

  it('accounts characters per key and operation, visible in GraphQL', async () => {
    await api.server.services.usage.flush();
    const before = await usage();
    await post('/translate', {
      q: ['Good night', 'Good morning'],
      source: 'en',
      target: 'es',
      api_key: n.keys.app,
    });
    await api.server.services.usage.flush();
    const after = await usage();
    const row = after.find((r) => r.operation === 'libretranslate.translate' && r.clientId === appClientId);
    const was = before.find((r) => r.operation === 'libretranslate.translate' && r.clientId === appClientId);
    expect(row!.unit).toBe('characters');
    expect(row!.requests - (was?.requests ?? 0)).toBe(1);
    expect(row!.quantity - (was?.quantity ?? 0)).toBe('Good night'.length + 'Good morning'.length);
    // Another newsroom sees none of it.
    const theirs = (await api.ok(`{ apiUsage { clientId requests } }`, {}, other.keys.editor)).apiUsage as {
      clientId: string;
    }[];
    expect(theirs.length).toBeGreaterThan(0); // its own request in the first test
    expect(theirs.map((r) => r.clientId)).not.toContain(appClientId);
  });
});

let appClientId = '';
async function usage() {
  if (!appClientId) appClientId = (await api.ok(`{ me { clientId } }`, {}, n.keys.app)).me.clientId;
  return (await api.ok(`{ apiUsage { day clientId operation unit requests quantity } }`, {}, n.keys.editor))
    .apiUsage as {
    day: string;
    clientId: string;
    operation: string;
    unit: string;
    requests: number;
    quantity: number;
  }[];
}
