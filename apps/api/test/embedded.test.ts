import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '@media-ai/db';
import { startApi, type ApiServer } from '../src/app.js';
import { createApiClient } from '../src/auth/api-keys.js';
import { silentLog, testConfig } from './helpers/platform.js';

let embedded: EmbeddedPostgres | undefined;
let api: ApiServer | undefined;
const dir = path.join(os.tmpdir(), `mediaai-pglite-${randomBytes(4).toString('hex')}`);

afterAll(async () => {
  await api?.close();
  await embedded?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('embedded database mode (no DATABASE_URL)', () => {
  it('migrates a PGlite folder and serves GraphQL from it', async () => {
    const config = testConfig();
    expect(testConfig({ DATABASE_URL: '' }).embeddedDatabase).toBe(true);
    embedded = await startEmbeddedPostgres(dir);
    await migrateDatabase(embedded.url);
    const db = createPrisma(embedded.url, { poolSize: 2 });
    const n = await db.newsroom.create({ data: { slug: 'embedded', name: 'Embedded Desk' } });
    const { key } = await createApiClient(db, { newsroomId: n.id, name: 'admin', role: 'ADMIN' });
    api = await startApi({ ...config, DATABASE_URL: embedded.url }, silentLog(), { db });
    const call = async (query: string) =>
      (await (
        await fetch(`${api!.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query }),
        })
      ).json()) as any;
    const created = await call(
      `mutation { createContent(input: { title: "Stored in PGlite", tags: ["local"] }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    const listed = await call(
      `{ me { newsroom { name } } contentItems(filter: { tag: "local" }) { totalCount edges { node { title } } } }`,
    );
    expect(listed.data).toEqual({
      me: { newsroom: { name: 'Embedded Desk' } },
      contentItems: { totalCount: 1, edges: [{ node: { title: 'Stored in PGlite' } }] },
    });
    // The data is in the folder: it survives a restart of the embedded server.
    await api.close();
    api = undefined;
    await db.$disconnect();
    await embedded.stop();
    embedded = await startEmbeddedPostgres(dir);
    const db2 = createPrisma(embedded.url, { poolSize: 1 });
    expect(await db2.contentItem.count({ where: { newsroomId: n.id } })).toBe(1);
    await db2.$disconnect();
  }, 120_000);
});
