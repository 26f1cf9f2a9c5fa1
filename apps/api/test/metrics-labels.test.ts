import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsroom, startTestApi, type TestNewsroom } from './helpers/platform.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
beforeAll(async () => {
  api = await startTestApi();
  n = await createNewsroom(api.db, 'Metrics Desk');
});
afterAll(() => api?.close());

describe('Prometheus request metrics', () => {
  it('label requests with route patterns, not raw paths', async () => {
    const auth = { authorization: `Bearer ${n.keys.admin}` };
    for (let i = 0; i < 3; i++) {
      await fetch(`${api.url}/v1/assets/${randomUUID()}/content`, { headers: auth });
      await fetch(`${api.url}/wp-login-${i}.php`);
    }
    await api.gql('{ me { name } }', {}, n.keys.app);
    const text = await (await fetch(`${api.url}/metrics`, { headers: auth })).text();
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    expect(routes).toContain('/v1/assets/:id/content');
    expect(routes).toContain('/graphql');
    expect(routes).toContain('unmatched');
    for (const r of routes) {
      expect(r).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}|wp-login/);
    }
  });
});
