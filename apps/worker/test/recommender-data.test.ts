import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, migrateDatabase, type Db } from '@media-ai/db';
import {
  BprRecommender,
  buildTrainingSet,
  decodeArtifactReference,
  deserializeModel,
  ExactVectorIndex,
  TrainingSetBuilder,
  type Interaction,
} from '@media-ai/recommender';

/*
 * The recommender jobs' data paths against the real PostgreSQL: interactions streamed by a cursor
 * into the training-set builder, and large artifacts and vector indexes kept as files in storage.
 */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mediaai-worker-test-'));
process.env.DATABASE_URL = TEST_DATABASE_URL;
process.env.MEDIAAI_DATA_DIR = dataDir;

const { streamInteractions } = await import('../src/recommender/interaction-stream.js');
const { artifactForRow, buildAndStoreIndex, loadStoredIndex, modelBytes } =
  await import('../src/recommender/model-files.js');

let db: Db;
let newsroomId: string;
const events: Interaction[] = [];

beforeAll(async () => {
  const url = new URL(TEST_DATABASE_URL);
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [url.pathname.slice(1)]);
  if (!exists.rowCount) await client.query(`CREATE DATABASE "${url.pathname.slice(1)}"`);
  await client.end();
  await migrateDatabase(TEST_DATABASE_URL);
  db = createPrisma(TEST_DATABASE_URL, { poolSize: 2 });
  const slug = `worker-data-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  newsroomId = (await db.newsroom.create({ data: { slug, name: slug } })).id;
  const readers = await db.reader.createManyAndReturn({
    data: Array.from({ length: 30 }, (_, n) => ({ newsroomId, externalId: `r${n}` })),
    select: { id: true },
  });
  const items = await db.contentItem.createManyAndReturn({
    data: Array.from({ length: 60 }, (_, n) => ({
      newsroomId,
      title: `Item ${n}`,
      status: 'PUBLISHED' as const,
    })),
    select: { id: true },
  });
  const types = ['impression', 'view', 'read', 'share', 'hide'];
  const t0 = Date.UTC(2026, 0, 1);
  for (let n = 0; n < 900; n++) {
    const r = readers[(n * 7) % readers.length]!.id;
    // Readers favour items of their own third of the catalogue, so the model has something to learn.
    const i = items[(((n * 7) % 30) * 2 + ((n * 13) % 3) + (n % 11 === 0 ? 17 : 0)) % items.length]!.id;
    events.push({
      readerId: r,
      itemId: i,
      eventType: types[n % types.length]!,
      ...(n % 4 === 0 ? { weight: 1.5 } : {}),
      timestamp: t0 + ((n * 3_600_000 * 5) % (30 * 86_400_000)),
    });
  }
  await db.interaction.createMany({
    data: events.map((e, n) => ({
      newsroomId,
      eventId: `e${n}`,
      readerId: e.readerId,
      contentId: e.itemId,
      eventType: e.eventType,
      weight: e.weight ?? null,
      occurredAt: new Date(e.timestamp),
    })),
  });
});

afterAll(async () => {
  if (newsroomId) await db.newsroom.delete({ where: { id: newsroomId } });
  await db?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('interactions streamed from PostgreSQL', () => {
  it('build the same training set as the events in memory, page by page, with progress', async () => {
    const options = { halfLifeDays: 10, now: Date.UTC(2026, 1, 1) };
    const builder = new TrainingSetBuilder(options);
    const progress: number[] = [];
    const read = await streamInteractions(newsroomId, builder, {
      pageSize: 100,
      onProgress: (p) => progress.push(p.read),
    });
    // Impressions weigh nothing: they are left out in SQL.
    expect(read).toBe(events.filter((e) => e.eventType !== 'impression').length);
    expect(progress.length).toBeGreaterThanOrEqual(7);
    const streamed = builder.build();
    const direct = buildTrainingSet(events, options);
    expect(new Set(streamed.userIds)).toEqual(new Set(direct.userIds));
    expect(new Set(streamed.itemIds)).toEqual(new Set(direct.itemIds));
    const pairs = (d: typeof direct, m: 'positives' | 'negatives') => {
      const out = new Map<string, number>();
      const c = d[m];
      for (let u = 0; u < c.rows; u++)
        for (let p = c.indptr[u]!; p < c.indptr[u + 1]!; p++)
          out.set(`${d.userIds[u]}|${d.itemIds[c.indices[p]!]}`, Math.round(c.values[p]! * 1e4));
      return out;
    };
    expect(pairs(streamed, 'positives')).toEqual(pairs(direct, 'positives'));
    expect(pairs(streamed, 'negatives')).toEqual(pairs(direct, 'negatives'));
    expect(pairs(streamed, 'negatives').size).toBeGreaterThan(0);
  });
});

describe('model files in storage', () => {
  let model: BprRecommender;
  beforeAll(async () => {
    model = new BprRecommender({ factors: 8, epochs: 10 });
    await model.fit(buildTrainingSet(events));
  });

  it('keeps a large artifact as a content-addressed file and resolves the row’s reference', async () => {
    const artifact = model.serialize();
    const small = await artifactForRow(newsroomId, artifact);
    expect(decodeArtifactReference(small)).toBeNull();
    const row = await artifactForRow(newsroomId, artifact, 1024);
    const ref = decodeArtifactReference(row)!;
    expect(ref.storageKey).toMatch(
      new RegExp(`^${newsroomId}/recommender/models/[0-9a-f]{2}/[0-9a-f]{64}\\.mrec$`),
    );
    expect(row.length).toBeLessThan(400);
    const restored = deserializeModel(await modelBytes(row));
    expect(restored.itemIds).toEqual(model.itemIds);
    // A changed file is refused rather than served.
    writeFileSync(path.join(dataDir, 'storage', 'objects', ref.storageKey), artifact.subarray(0, 100));
    await expect(modelBytes(row)).rejects.toThrow(/does not match its checksum/);
  });

  it('stores an HNSW index for a catalogue above the threshold and loads it with the same answers', async () => {
    expect(await buildAndStoreIndex(newsroomId, model)).toBeNull(); // 60 items: exact scoring
    const stored = (await buildAndStoreIndex(newsroomId, model, { exactBelow: 10, expansionSearch: 200 }))!;
    expect(stored).toMatchObject({ kind: 'hnsw', items: model.itemIds.length, dim: 8 });
    const index = (await loadStoredIndex({ vectorIndex: stored }))!;
    const exact = new ExactVectorIndex(model.itemFactors, model.dim, model.itemBias);
    for (let u = 0; u < 10; u++) {
      const q = model.userFactors.subarray(u * 8, (u + 1) * 8);
      expect([...index.search(q, 10).indices]).toEqual([...exact.search(q, 10).indices]);
    }
    expect(await loadStoredIndex({})).toBeNull();
  });
});
