import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, forNewsroom, migrateDatabase, modelRegistry, type Db } from '../src/index.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
let db: Db;

beforeAll(async () => {
  await migrateDatabase(url);
  db = createPrisma(url, { poolSize: 8 });
}, 120_000);
afterAll(async () => db?.$disconnect());

async function newsroom() {
  const row = await db.newsroom.create({
    data: { slug: `registry-${randomBytes(4).toString('hex')}`, name: 'registry' },
  });
  const tenant = forNewsroom(db, row.id);
  return { id: row.id, tenant, registry: modelRegistry(tenant, row.id) };
}

const lm = { area: 'speech', name: 'speech-lm' };
const artifact = () => new Uint8Array(Buffer.from(randomBytes(16)));

describe('model registry', () => {
  it('numbers versions 1..n per model without gaps or repeats when many register at once', async () => {
    const { registry, tenant } = await newsroom();
    const other = { area: 'content', name: 'topic-classifier' };
    const made = await Promise.all([
      ...Array.from({ length: 12 }, () =>
        registry.register(lm, { algorithm: 'ngram3', artifact: artifact() }),
      ),
      ...Array.from({ length: 8 }, (_, i) =>
        registry.startTraining(other, randomUUID(), { algorithm: `mlp${i}` }),
      ),
    ]);
    const versions = (name: string) =>
      made
        .filter((r) => r.name === name)
        .map((r) => r.version)
        .sort((a, b) => a - b);
    expect(versions('speech-lm')).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(versions('topic-classifier')).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
    expect(await tenant.modelVersion.count({ where: { name: 'speech-lm' } })).toBe(12);
  });

  it('activates the first registered version only when none is active, later ones are candidates', async () => {
    const { registry } = await newsroom();
    const first = await registry.register(
      lm,
      { algorithm: 'a', artifact: artifact() },
      { activateIfNoneActive: true },
    );
    const second = await registry.register(
      lm,
      { algorithm: 'b', artifact: artifact() },
      { activateIfNoneActive: true },
    );
    expect(first).toMatchObject({ version: 1, status: 'ACTIVE' });
    expect(first.activatedAt).toBeInstanceOf(Date);
    expect(second).toMatchObject({ version: 2, status: 'CANDIDATE', activatedAt: null });
    expect('artifact' in second).toBe(false);
    expect(second.artifactBytes).toBe(16);
  });

  it('leaves exactly one ACTIVE version when many activations race', async () => {
    const { registry, tenant } = await newsroom();
    const rows = [];
    for (let i = 0; i < 6; i++)
      rows.push(await registry.register(lm, { algorithm: 'a', artifact: artifact() }));
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([...rows, ...rows].map((r) => registry.activate('speech', r.id)));
      expect(results.every((r) => r.status === 'ACTIVE')).toBe(true);
      const active = await tenant.modelVersion.findMany({ where: { name: 'speech-lm', status: 'ACTIVE' } });
      expect(active).toHaveLength(1);
      // Back to one older version, so the next round switches again.
      await registry.activate('speech', rows[round]!.id);
    }
    expect(await tenant.modelVersion.count({ where: { name: 'speech-lm', status: 'RETIRED' } })).toBe(5);
  });

  it('rolls back to the version active before, or to a given one, and refuses when there is none', async () => {
    const { registry } = await newsroom();
    await expect(registry.rollback(lm)).rejects.toMatchObject({ code: 'CONFLICT' });
    const v1 = await registry.register(
      lm,
      { algorithm: 'a', artifact: artifact() },
      { activateIfNoneActive: true },
    );
    const v2 = await registry.register(lm, { algorithm: 'b', artifact: artifact() });
    const v3 = await registry.register(lm, { algorithm: 'c', artifact: artifact() });
    await expect(registry.rollback(lm)).rejects.toThrow(/no earlier active speech-lm version/);
    await registry.activate('speech', v2.id);
    await registry.activate('speech', v3.id);
    expect((await registry.rollback(lm)).id).toBe(v2.id);
    expect((await registry.active(lm))?.id).toBe(v2.id);
    expect((await registry.rollback(lm, v1.id)).id).toBe(v1.id);
    expect((await registry.active(lm))?.version).toBe(1);
    await expect(registry.rollback(lm, randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to activate what cannot serve: training, failed, without artifact, another area, a failed check', async () => {
    const { registry, tenant } = await newsroom();
    const training = await registry.startTraining(lm, randomUUID(), { algorithm: 'a' });
    await expect(registry.activate('speech', training.id)).rejects.toThrow(/is training/);
    await tenant.modelVersion.update({ where: { id: training.id }, data: { status: 'CANDIDATE' } });
    await expect(registry.activate('speech', training.id)).rejects.toThrow(/no artifact/);
    const ok = await registry.register(lm, { algorithm: 'b', artifact: artifact() });
    await expect(registry.activate('content', ok.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      registry.activate('speech', ok.id, {
        check: () => {
          throw new Error('files missing');
        },
      }),
    ).rejects.toThrow('files missing');
    expect((await registry.get('speech', ok.id)).status).toBe('CANDIDATE');
  });

  it('gives a retried training job its earlier row back, reset to TRAINING', async () => {
    const { registry, tenant } = await newsroom();
    const job = randomUUID();
    const first = await registry.startTraining(lm, job, { algorithm: 'a', params: { epochs: 1 } });
    await tenant.modelVersion.update({ where: { id: first.id }, data: { status: 'FAILED', notes: 'boom' } });
    const again = await registry.startTraining(lm, job, { algorithm: 'a', params: { epochs: 2 } });
    expect(again).toMatchObject({
      id: first.id,
      version: 1,
      status: 'TRAINING',
      notes: null,
      params: { epochs: 2 },
    });
    expect((await registry.startTraining(lm, randomUUID(), { algorithm: 'a' })).version).toBe(2);
  });

  it('retires a version and keeps each newsroom to its own versions', async () => {
    const a = await newsroom();
    const b = await newsroom();
    const v = await a.registry.register(
      lm,
      { algorithm: 'a', artifact: artifact() },
      { activateIfNoneActive: true },
    );
    expect((await a.registry.retire('speech', v.id)).status).toBe('RETIRED');
    expect(await a.registry.active(lm)).toBeNull();
    await expect(b.registry.activate('speech', v.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await b.registry.register(lm, { algorithm: 'a' })).version).toBe(1);
  });
});
