import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalStorage } from '@media-ai/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, forNewsroom, migrateDatabase, storeMediaAsset, type Db } from '../src/index.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
let db: Db;
let root: string;

beforeAll(async () => {
  await migrateDatabase(url);
  db = createPrisma(url, { poolSize: 4 });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'assets-'));
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await fs.rm(root, { recursive: true, force: true });
});

describe('content-addressed media assets', () => {
  it('stores the same bytes once per newsroom, also when written at the same time', async () => {
    const newsroom = await db.newsroom.create({
      data: { slug: `assets-${randomBytes(4).toString('hex')}`, name: 'assets' },
    });
    const tenant = forNewsroom(db, newsroom.id);
    const storage = new LocalStorage(root);
    const audio = randomBytes(2048);
    const write = () =>
      storeMediaAsset(tenant, storage, {
        source: audio,
        prefix: `${newsroom.id}/derived/speech/audio`,
        ext: 'mp3',
        filename: 'read-aloud.mp3',
        mimeType: 'audio/mpeg',
        kind: 'audio',
        metadata: { voice: 'test' },
      });
    const results = await Promise.all([write(), write(), write(), write()]);
    const ids = new Set(results.map((r) => r.asset.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.duplicate).length).toBe(1);
    const [asset] = await tenant.mediaAsset.findMany();
    expect(asset).toMatchObject({ newsroomId: newsroom.id, sizeBytes: 2048n, kind: 'audio' });
    expect((await storage.readBuffer(asset!.storageKey)).equals(audio)).toBe(true);
    expect(asset!.storageKey).toMatch(new RegExp(`/${asset!.checksum}\\.mp3$`));
    expect((await write()).duplicate).toBe(true);
  });
});
