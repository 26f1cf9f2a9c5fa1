import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { createApiClient } from '../src/auth/api-keys.js';
import { resolvers } from '../src/schema.js';
import { createNewsroom, startTestApi, type TestNewsroom } from './helpers/platform.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;

beforeAll(async () => {
  api = await startTestApi();
  n = await createNewsroom(api.db, 'Auth Desk');
});
afterAll(async () => api?.close());

describe('every operation is guarded', () => {
  it('has an @Authorized rule on every query, mutation, subscription and field resolver', () => {
    void resolvers;
    const storage = getMetadataStorage();
    const guarded = new Set(storage.authorizedFields.map((f) => `${f.target.name}.${f.fieldName}`));
    const roots = [
      ...storage.queries,
      ...storage.mutations,
      ...storage.subscriptions,
      ...storage.fieldResolvers,
    ];
    expect(roots.length).toBeGreaterThan(20);
    const unguarded = roots
      .filter((r) => !guarded.has(`${r.target.name}.${r.methodName}`))
      .map((r) => r.methodName);
    expect(unguarded).toEqual([]);
  });

  it('answers every root field without a key with UNAUTHENTICATED', async () => {
    const INTRO = `{ __schema { queryType { fields { name args { name type { kind ofType { kind } } } } } } }`;
    // Introspection itself needs a key (MEDIAAI_INTROSPECTION=authenticated, the default).
    const anonymous = await api.gql(INTRO);
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const intro = await api.gql(INTRO, {}, n.keys.app);
    const fields = intro.data!.__schema.queryType.fields as {
      name: string;
      args: { type: { kind: string } }[];
    }[];
    for (const f of fields.filter((x) => x.args.every((a) => a.type.kind !== 'NON_NULL'))) {
      const r = await api.gql(`{ ${f.name} { __typename } }`);
      expect(r.errors?.[0].extensions?.code, f.name).toBe('UNAUTHENTICATED');
    }
  });
});

describe('API keys and roles', () => {
  it('rejects missing, malformed, unknown and revoked keys', async () => {
    expect((await api.gql(`{ me { name } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await api.gql(`{ me { name } }`, {}, 'mai_nope_nope');
    expect(unknown.status).toBe(401);
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token abc' },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(((await res.json()) as any).errors[0].message).toMatch(/Bearer/);
    const created = await api.ok(
      `mutation { createApiKey(input: { name: "temp", role: APP }) { key client { id keyPrefix } } }`,
      {},
      n.keys.admin,
    );
    const key = created.createApiKey.key as string;
    expect(key).toContain(created.createApiKey.client.keyPrefix);
    expect((await api.ok(`{ me { role } }`, {}, key)).me.role).toBe('APP');
    const stored = await api.db.apiClient.findUnique({ where: { id: created.createApiKey.client.id } });
    // The secret is everything after "mai_<prefix>_" (base64url, so it may itself contain "_").
    const secret = key.split('_').slice(2).join('_');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(stored?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.keyHash).not.toContain(secret);
    await api.ok(
      `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
      { id: created.createApiKey.client.id },
      n.keys.admin,
    );
    const after = await api.gql(`{ me { role } }`, {}, key);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('enforces roles', async () => {
    const app = await api.gql(`mutation { createContent(input: { title: "x" }) { id } }`, {}, n.keys.app);
    expect(app.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(app.errors?.[0].message).toMatch(/EDITOR/);
    const editor = await api.gql(
      `mutation { createApiKey(input: { name: "x", role: ADMIN }) { key } }`,
      {},
      n.keys.editor,
    );
    expect(editor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ok = await api.gql(`{ me { newsroom { name } } }`, {}, n.keys.app);
    expect(ok.data?.me.newsroom.name).toBe('Auth Desk');
  });

  it('rate-limits each key', async () => {
    const { key } = await createApiClient(api.db, {
      newsroomId: n.id,
      name: 'slow',
      role: 'APP',
      rateLimitPerMinute: 5,
    });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await api.gql(`{ me { role } }`, {}, key)).errors?.[0]?.extensions?.code);
    expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(codes[6]).toBe('RATE_LIMITED');
  });
});

describe('query limits and malformed requests', () => {
  it('refuses too deep, too many aliases and malformed queries', async () => {
    const nest = (d: number): string => (d === 0 ? 'id' : `original { ${nest(d - 1)} }`);
    const deep = await api.gql(`{ contentItems { edges { node { ${nest(14)} } } } }`, {}, n.keys.app);
    expect(deep.errors?.[0].message).toMatch(/depth/i);
    const aliases = Array.from({ length: 30 }, (_, i) => `m${i}: me { role }`).join(' ');
    const al = await api.gql(`{ ${aliases} }`, {}, n.keys.app);
    expect(al.errors?.[0].message).toMatch(/alias/i);
    const bad = await api.gql(`{ me { role `, {}, n.keys.app);
    expect(bad.errors?.[0].message).toMatch(/Syntax Error/);
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(bad.errors?.[0].extensions?.code);
    const wrongVar = await api.gql(
      `query($n: Int) { contentItems(first: $n) { totalCount } }`,
      { n: 'ten' },
      n.keys.app,
    );
    expect(wrongVar.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooBig = await api.gql(`{ contentItems(first: 5000) { totalCount } }`, {}, n.keys.app);
    expect(tooBig.errors?.[0].message).toMatch(/at most 100/);
  });

  it('refuses a request body over the limit with 413', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${n.keys.editor}` },
      body: JSON.stringify({ query: '{ me { role } }', variables: { pad: 'x'.repeat(17 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(await ready.json()).toMatchObject({ database: true, redis: true });
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const metricsEditor = await fetch(`${api.url}/metrics`, {
      headers: { authorization: `Bearer ${n.keys.editor}` },
    });
    expect(metricsEditor.status).toBe(403);
    const metrics = await (
      await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${n.keys.admin}` } })
    ).text();
    expect(metrics).toContain('mediaai_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/mediaai_queue_jobs\{queue="platform",state="waiting"\}/);
    const board = await fetch(`${api.url}/admin/queues`);
    expect(board.status).toBe(401);
    const boardOk = await fetch(`${api.url}/admin/queues`, {
      headers: { authorization: `Bearer ${n.keys.admin}` },
    });
    expect(boardOk.status).toBe(200);
    const boardEditor = await fetch(`${api.url}/admin/queues`, {
      headers: { authorization: `Bearer ${n.keys.editor}` },
    });
    expect(boardEditor.status).toBe(403);
  });
});
