import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook } from '@media-ai/worker';
import { createApiClient } from '../src/auth/api-keys.js';
import { RateLimiter } from '../src/auth/rate-limit.js';
import { redisConnection } from '@media-ai/jobs';
import {
  createNewsroom,
  startTestApi,
  testConfig,
  TEST_DATABASE_URL,
  type TestNewsroom,
} from './helpers/platform.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
let other: TestNewsroom;

beforeAll(async () => {
  // A generous anonymous allowance here: the per-IP limit has its own API below.
  api = await startTestApi(testConfig({ MEDIAAI_ANON_RATE_LIMIT_PER_MINUTE: '100000' }));
  n = await createNewsroom(api.db, 'Security Desk');
  other = await createNewsroom(api.db, 'Other Desk');
  await api.db.apiClient.updateMany({ where: { newsroomId: n.id }, data: { rateLimitPerMinute: 100000 } });
});
afterAll(async () => {
  await api?.close();
});

interface Probe {
  family: string;
  body: string | Buffer;
  contentType?: string;
  method?: string;
  key?: string;
}

const STACK = /stacktrace|\n\s+at |node_modules|\/src\/[\w/.-]+\.ts|file:\/\//;

/** Sends one raw request and returns the status and the text of the answer. */
async function send(p: Probe, base: string) {
  const headers: Record<string, string> = {};
  if (p.contentType !== undefined) headers['content-type'] = p.contentType;
  if (p.key) headers.authorization = p.key;
  const res = await fetch(`${base}/graphql`, {
    method: p.method ?? 'POST',
    headers,
    body: p.method === 'GET' ? undefined : p.body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function hostileDocuments(keys: TestNewsroom['keys']): Probe[] {
  const bearer = `Bearer ${keys.admin}`;
  const json = (query: unknown, variables?: unknown, key: string | undefined = bearer): Probe => ({
    family: '',
    body: JSON.stringify({ query, variables }),
    contentType: 'application/json',
    key,
  });
  const probes: Probe[] = [];
  const add = (family: string, ps: Probe[]) => probes.push(...ps.map((p) => ({ ...p, family })));
  const syntax = [
    '{',
    '{ me { name }',
    '}}}',
    'query {',
    'mutation',
    '{ me { name } } }',
    '{ me(',
    '"unterminated',
    '{ me { ...on } }',
    '\u0000\u0001',
    '{ me { name @ } }',
    'query q($: Int) { me { name } }',
    '{ a: b: c }',
    '#only a comment',
    '',
  ];
  add('syntax errors', [...syntax.map((q) => json(q)), ...syntax.map((q) => json(q, undefined, undefined))]);
  add('huge token counts', [
    json(`{ me { ${'name '.repeat(6000)} } }`),
    json(`{ ${'__typename '.repeat(20000)} }`, undefined, undefined),
    json(`query(${Array.from({ length: 3000 }, (_, i) => `$v${i}: Int`).join(', ')}) { me { name } }`),
    json(`{ me { name } } ${'fragment f on Me { name } '.repeat(2000)}`),
  ]);
  const nest = (d: number): string => (d === 0 ? 'id' : `original { ${nest(d - 1)} }`);
  const introNest = (d: number): string => (d === 0 ? 'name' : `ofType { ${introNest(d - 1)} }`);
  add('deep nesting', [
    json(`{ contentItems { edges { node { ${nest(20)} } } } }`),
    json(`{ contentItems { edges { node { ${nest(200)} } } } }`),
    json(`{ __schema { types { fields { type { ${introNest(40)} } } } } }`),
    json(`{ __schema { types { fields { type { ${introNest(40)} } } } } }`, undefined, undefined),
    json(`${'{ me '.repeat(300)}${'}'.repeat(300)}`),
  ]);
  add('alias bombs', [
    json(`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: me { name }`).join(' ')} }`),
    json(
      `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: contentItems { totalCount }`).join(' ')} }`,
      undefined,
      undefined,
    ),
    json(
      `{ contentItems(first: 100) { edges { node { ${Array.from({ length: 50 }, (_, i) => `t${i}: title`).join(' ')} } } } }`,
    ),
  ]);
  add('field duplication', [
    json(`{ me { ${'name '.repeat(1000)} } }`),
    json(`{ contentItems(first: 100) { edges { node { ${'body '.repeat(1500)} } } } }`),
    json(`{ ${'me { name } '.repeat(500)} }`),
    // __typename costs nothing to answer; graphql-armor does not count it as an alias.
    json(
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      undefined,
      undefined,
    ),
  ]);
  add('directive abuse', [json(`{ me { name ${'@include(if: true) '.repeat(200)} } }`)]);
  add('bad variables', [
    json('query($n: Int) { contentItems(first: $n) { totalCount } }', { n: 'ten' }),
    json('query($n: Int!) { contentItems(first: $n) { totalCount } }', {}),
    json('query($n: Int) { contentItems(first: $n) { totalCount } }', { n: 1e40 }),
    json('query($f: ContentFilter) { contentItems(filter: $f) { totalCount } }', { f: { nope: 1 } }),
    json('query($f: ContentFilter) { contentItems(filter: $f) { totalCount } }', { f: 'x' }),
    json('{ me { name } }', 'not an object'),
    json('{ me { name } }', [1, 2]),
    json('query($id: ID!) { contentItem(id: $id) { id } }', { id: 'not-a-uuid' }),
    json('query($id: ID!) { contentItem(id: $id) { id } }', { id: { $gt: '' } }),
    json('{ contentItems(first: -1) { totalCount } }'),
    json('{ contentItems(first: 100000) { totalCount } }'),
    json('{ contentItems(after: "!!!") { totalCount } }'),
    json(42),
    json(null),
    json({ query: '{ me { name } }' }),
    {
      family: '',
      body: JSON.stringify({ query: '{ me { name } }', operationName: 'Nope' }),
      contentType: 'application/json',
      key: bearer,
    },
    {
      family: '',
      body: JSON.stringify({ query: 'query A { me { name } } query B { me { role } }' }),
      contentType: 'application/json',
      key: bearer,
    },
    {
      family: '',
      body: JSON.stringify({
        query: '{ me { name } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } },
      }),
      contentType: 'application/json',
      key: bearer,
    },
  ]);
  add('wrong content types', [
    { family: '', body: '{ me { name } }', contentType: 'text/plain', key: bearer },
    {
      family: '',
      body: 'query={ me { name } }',
      contentType: 'application/x-www-form-urlencoded',
      key: bearer,
    },
    { family: '', body: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x', key: bearer },
    { family: '', body: '<query/>', contentType: 'application/xml', key: bearer },
    {
      family: '',
      body: JSON.stringify({ query: '{ me { name } }' }),
      contentType: 'application/json; charset=utf-16',
      key: bearer,
    },
    { family: '', body: JSON.stringify({ query: '{ me { name } }' }), contentType: '', key: bearer },
    { family: '', body: '{"query": "{ me { name } }"', contentType: 'application/json', key: bearer },
    { family: '', body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), contentType: 'application/json', key: bearer },
    { family: '', body: '', contentType: 'application/json', key: bearer },
    { family: '', body: '', method: 'GET', key: bearer },
    { family: '', body: '', method: 'PUT', contentType: 'application/json', key: bearer },
    { family: '', body: '', method: 'DELETE', key: bearer },
  ]);
  add('oversized bodies', [
    {
      family: '',
      body: JSON.stringify({ query: '{ me { name } }', variables: { pad: 'x'.repeat(17 * 1024 * 1024) } }),
      contentType: 'application/json',
      key: bearer,
    },
    {
      family: '',
      body: JSON.stringify({ query: `{ me { name } } #${'x'.repeat(17 * 1024 * 1024)}` }),
      contentType: 'application/json',
    },
  ]);
  add('batched arrays', [
    {
      family: '',
      body: JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { role } }' }]),
      contentType: 'application/json',
      key: bearer,
    },
    {
      family: '',
      body: JSON.stringify(Array.from({ length: 1000 }, () => ({ query: '{ __typename }' }))),
      contentType: 'application/json',
    },
    { family: '', body: '[]', contentType: 'application/json', key: bearer },
  ]);
  add('bad credentials', [
    json('{ me { name } }', undefined, 'Bearer'),
    json('{ me { name } }', undefined, 'Bearer mai_00000000_nope'),
    json('{ me { name } }', undefined, 'Basic !!!'),
    json('{ me { name } }', undefined, `Bearer ${'x'.repeat(8000)}`),
    json('{ me { name } }', undefined, 'Token abc'),
  ]);
  add('cross-tenant references', [
    json(`{ contentItem(id: "00000000-0000-4000-8000-000000000000") { id } }`),
    json(`mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }`),
  ]);
  return probes;
}

describe('hostile documents', () => {
  it('answers every family with 4xx (or a clean 200), never 5xx, never a stack trace', async () => {
    const probes = hostileDocuments(n.keys);
    const table = new Map<
      string,
      { sent: number; s4xx: number; s5xx: number; stack: number; other: number }
    >();
    const failures: string[] = [];
    for (const p of probes) {
      const r = await send(p, api.url);
      const row = table.get(p.family) ?? { sent: 0, s4xx: 0, s5xx: 0, stack: 0, other: 0 };
      row.sent++;
      if (r.status >= 500) row.s5xx++;
      else if (r.status >= 400) row.s4xx++;
      else row.other++;
      if (STACK.test(r.text)) row.stack++;
      table.set(p.family, row);
      if (
        r.status < 400 &&
        [
          'syntax errors',
          'huge token counts',
          'deep nesting',
          'alias bombs',
          'bad variables',
          'oversized bodies',
          'batched arrays',
          'bad credentials',
        ].includes(p.family)
      )
        failures.push(
          `${p.family} answered ${r.status}: ${String(p.body).slice(0, 80)} -> ${r.text.slice(0, 160)}`,
        );
      if (r.status >= 500 || STACK.test(r.text))
        failures.push(`${p.family}: ${r.status} ${String(p.body).slice(0, 60)} -> ${r.text.slice(0, 200)}`);
      // Every error answer says what was wrong, with a code.
      if (r.status >= 400 && r.status !== 405)
        expect(r.text, `${p.family}: ${String(p.body).slice(0, 80)}`).toMatch(/"code"|"message"/);
    }
    console.log(
      ['| family | sent | 4xx | 200 | 5xx | stack traces |', '|---|---|---|---|---|---|']
        .concat(
          [...table].map(
            ([f, r]) => `| ${f} | ${r.sent} | ${r.s4xx} | ${r.other} | ${r.s5xx} | ${r.stack} |`,
          ),
        )
        .join('\n'),
    );
    expect(failures).toEqual([]);
    // The families that must be refused outright are refused.
    for (const f of [
      'syntax errors',
      'huge token counts',
      'deep nesting',
      'alias bombs',
      'bad variables',
      'oversized bodies',
      'batched arrays',
      'bad credentials',
    ])
      expect(table.get(f)!.other, f).toBe(0);
  }, 120_000);

  it('answers syntax and limit violations with 400 and their code', async () => {
    const syntax = await api.gql('{ me { name ', {}, n.keys.app);
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const tokens = await api.gql(`{ me { ${'name '.repeat(6000)} } }`, {}, n.keys.app);
    expect(tokens.status).toBe(400);
    expect(tokens.errors?.[0].message).toMatch(/token/i);
    const aliases = await api.gql(
      `{ ${Array.from({ length: 30 }, (_, i) => `m${i}: me { role }`).join(' ')} }`,
      {},
      n.keys.app,
    );
    expect(aliases.status).toBe(400);
    expect(aliases.errors?.[0].message).toMatch(/alias/i);
  });
});

describe('rate limits', () => {
  it('sends RateLimit-* headers, then 429 with Retry-After, on GraphQL and REST alike', async () => {
    const { key, client } = await createApiClient(api.db, {
      newsroomId: n.id,
      name: 'slow',
      role: 'APP',
      rateLimitPerMinute: 4,
    });
    const q = async () =>
      fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
    const first = await q();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('4');
    expect(first.headers.get('ratelimit-remaining')).toBe('3');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(first.headers.get('ratelimit-policy')).toBe('4;w=60');
    await q();
    await q();
    const rest = await fetch(`${api.url}/v1/assets/00000000-0000-4000-8000-000000000000/content`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(rest.status).toBe(404);
    expect(rest.headers.get('ratelimit-remaining')).toBe('0');
    const refused = await q();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    const restRefused = await fetch(`${api.url}/v1/assets/00000000-0000-4000-8000-000000000000/content`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(restRefused.status).toBe(429);
    expect(Number(restRefused.headers.get('retry-after'))).toBeGreaterThan(0);

    // An admin raises the limit: every process applies it at once (the key cache hears of the change).
    const editorTry = await api.gql(
      `mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimitPerMinute: 5000) { id } }`,
      { id: client.id },
      n.keys.editor,
    );
    expect(editorTry.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const otherAdmin = await api.gql(
      `mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimitPerMinute: 5000) { id } }`,
      { id: client.id },
      other.keys.admin,
    );
    expect(otherAdmin.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const set = await api.ok(
      `mutation($id: ID!) { setApiKeyRateLimit(id: $id, rateLimitPerMinute: 5000) { rateLimitPerMinute } }`,
      { id: client.id },
      n.keys.admin,
    );
    expect(set.setApiKeyRateLimit.rateLimitPerMinute).toBe(5000);
    const after = await q();
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-limit')).toBe('5000');
  });

  it('counts a sliding window: no double burst across the minute boundary, atomically across processes', async () => {
    const redis = redisConnection(api.config.REDIS_URL);
    const a = new RateLimiter(redis, api.config.MEDIAAI_QUEUE_PREFIX);
    const b = new RateLimiter(redisConnection(api.config.REDIS_URL), api.config.MEDIAAI_QUEUE_PREFIX);
    const windowStart = Math.floor(Date.now() / 60_000) * 60_000 + 120_000;
    // 50 requests in the last second of a window, from two "processes" at once.
    const late = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).hit('key:boundary', 50, windowStart - 1000 + i)),
    );
    expect(late.filter((d) => d.allowed)).toHaveLength(50);
    // Half a second into the next window the previous one still counts almost fully.
    const early = await Promise.all(
      Array.from({ length: 20 }, () => a.hit('key:boundary', 50, windowStart + 500)),
    );
    expect(early.filter((d) => d.allowed).length).toBeLessThanOrEqual(1);
    const refused = early.find((d) => !d.allowed)!;
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    redis.disconnect();
  });

  it('gives product-app keys thousands of requests a minute by default', async () => {
    const { client } = await createApiClient(api.db, { newsroomId: n.id, name: 'app', role: 'APP' });
    expect(client.rateLimitPerMinute).toBeGreaterThanOrEqual(5000);
  });
});

describe('outbound URLs (SSRF)', () => {
  it('refuses internal webhook URLs at input time and never connects to them at send time', async () => {
    let connections = 0;
    const inside = http.createServer((_req, res) => res.end('ok'));
    inside.on('connection', () => connections++);
    await new Promise<void>((r) => inside.listen(0, '127.0.0.1', r));
    const port = (inside.address() as net.AddressInfo).port;
    const urls = [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/',
      `https://127.0.0.1:6379/`,
      'ftp://example.com/',
    ];
    for (const webhookUrl of urls) {
      const job = await api.gql(
        `mutation($i: EnqueueJobInput!) { enqueueJob(input: $i) { id } }`,
        { i: { type: 'platform.noop', payload: {}, webhookUrl } },
        n.keys.editor,
      );
      expect(job.errors?.[0].extensions?.code, webhookUrl).toBe('BAD_USER_INPUT');
      expect(job.errors?.[0].message).toMatch(/webhookUrl/);
      const key = await api.gql(
        `mutation($i: ApiKeyInput!) { createApiKey(input: $i) { key } }`,
        { i: { name: 'hooked', role: 'APP', webhookUrl } },
        n.keys.admin,
      );
      expect(key.errors?.[0].extensions?.code, webhookUrl).toBe('BAD_USER_INPUT');
      // Stored before the guard existed: the worker's send path refuses it too.
      expect(
        await deliverWebhook(
          webhookUrl,
          's',
          {
            event: 'job.completed',
            job: {
              id: 'x',
              type: 'platform.noop',
              status: 'COMPLETED',
              result: null,
              error: null,
              finishedAt: new Date().toISOString(),
            },
          },
          { attempts: 1 },
        ),
      ).toBe(false);
    }
    expect(connections).toBe(0);
    expect(await api.db.job.count({ where: { newsroomId: n.id, webhookUrl: { not: null } } })).toBe(0);
    inside.close();
  });
});

describe('downloads', () => {
  it('downloads an asset with a non-Latin file name (RFC 6266 / 5987)', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([jpeg]), 'новости-日本.jpg');
    const up = await fetch(`${api.url}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.keys.editor}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const { id, filename } = (await up.json()) as { id: string; filename: string };
    expect(filename).toBe('новости-日本.jpg');
    const down = await fetch(`${api.url}/v1/assets/${id}/content`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(down.status).toBe(200);
    const cd = down.headers.get('content-disposition')!;
    expect(cd).toMatch(/^inline; filename="?[\x20-\x7e]+"?; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("filename*=UTF-8''")[1])).toBe('новости-日本.jpg');
    expect(Buffer.from(await down.arrayBuffer()).equals(jpeg)).toBe(true);
  });
});

/** A Redis of this test's own, so it can be stopped. */
async function privateRedis() {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        r(true);
      });
      c.on('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGKILL');
      }),
  };
}

describe('limits for everyone, and temporary failures', () => {
  it('limits anonymous requests per address, then answers 503 UNAVAILABLE with Retry-After when Redis is gone', async () => {
    const redis = await privateRedis();
    const small = await startTestApi(
      testConfig({ REDIS_URL: redis.url, MEDIAAI_ANON_RATE_LIMIT_PER_MINUTE: '3' }),
    );
    try {
      const anon = () => small.gql('{ __typename }');
      expect((await anon()).status).toBe(200);
      await anon();
      await anon();
      const limited = await anon();
      expect(limited.status).toBe(429);
      expect(limited.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      const wrongKeys = await small.gql('{ me { name } }', {}, 'mai_00000000_guess');
      expect(wrongKeys.status).toBe(429);

      const m = await createNewsroom(small.db, 'Outage Desk');
      expect((await small.gql('{ me { name } }', {}, m.keys.app)).status).toBe(200);
      await redis.stop();
      const down = await fetch(`${small.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${m.keys.app}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await down.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAVAILABLE');
      expect(JSON.stringify(body)).not.toMatch(STACK);
    } finally {
      // Closing waits on Redis connections that cannot reach it any more: bounded.
      await Promise.race([small.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
    }
  }, 60_000);

  it('answers 503 UNAVAILABLE with Retry-After when PostgreSQL is unreachable', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(closed);
    const broken = await startTestApi(testConfig({ DATABASE_URL: url.toString() }));
    try {
      const r = await fetch(`${broken.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer mai_00000000_anykey' },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await r.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAVAILABLE');
      expect(body.errors[0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await broken.close().catch(() => undefined);
    }
  }, 60_000);
});
