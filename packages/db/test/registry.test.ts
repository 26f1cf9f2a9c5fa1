import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrisma,
  forNewsroom,
  gateDecision,
  migrateDatabase,
  modelRegistry,
  type Db,
} from '../src/index.js';

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

describe('activation gate', () => {
  const scorer = { area: 'content', name: 'summary-scorer' };
  // A fixed pseudo-random sequence, so that the "noise" below is the same on every run.
  const noise = (n: number, seed: number) =>
    Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * 0.5);

  it('keeps a clearly better model as CANDIDATE when it was validated on too few items', () => {
    const reference = noise(10, 1).map((x) => 0.4 + x * 0.1);
    const d = gateDecision({
      metric: 'rouge1',
      against: 'lead-3',
      candidate: reference.map((x) => x + 0.05),
      reference,
    });
    expect(d).toMatchObject({ passed: false, items: 10, pValue: null });
    expect(d.reason).toMatch(/validated on 10 item\(s\); activation needs at least 100 held-out items/);
  });

  it('passes a paired improvement that is small against the spread of the items, fails none and a loss', () => {
    const reference = noise(150, 2).map((x) => 0.4 + x * 0.3);
    const better = reference.map((x, i) => x + 0.01 + noise(150, 3)[i]! * 0.02);
    const same = reference.map((x, i) => x + noise(150, 4)[i]! * 0.05);
    const worse = reference.map((x) => x - 0.01);
    const run = (candidate: number[]) =>
      gateDecision({ metric: 'rouge1', against: 'lead-3', candidate, reference });
    const win = run(better);
    expect(win.passed).toBe(true);
    expect(win.ciLow!).toBeGreaterThan(0);
    expect(win.pValue!).toBeLessThan(0.05);
    // the same figures unpaired would not separate: the items' spread (0.15) dwarfs the gain (0.01)
    expect(run(same).passed).toBe(false);
    expect(run(worse)).toMatchObject({ passed: false });
    expect(run(worse).reason).toMatch(/not shown to beat lead-3/);
    // deterministic: the same evidence gives the same interval
    expect(run(better)).toEqual(win);
  });

  it('accepts 5-fold out-of-fold scores on fewer items, lower-is-better metrics and custom statistics', () => {
    const reference = noise(60, 5).map((x) => 3 + x);
    const evidence60 = {
      metric: 'perplexity',
      against: 'general model',
      candidate: reference.map((x) => x - 0.5),
      reference,
      lowerIsBetter: true,
      folds: 5,
    };
    const kfold = gateDecision(evidence60);
    expect(kfold).toMatchObject({ passed: true, folds: 5, items: 60 });
    const few = gateDecision({
      ...evidence60,
      candidate: evidence60.candidate.slice(0, 40),
      reference: evidence60.reference.slice(0, 40),
    });
    expect(few.passed).toBe(false);
    expect(few.reason).toMatch(/validated on 40 item\(s\) in 5 folds/);
    expect(kfold.delta).toBeCloseTo(0.5, 6);
    // macro-F1 is not a mean of per-item scores: the statistic computes it on each resample
    const gold = Array.from({ length: 120 }, (_, i) => i % 3);
    const predA = gold.map((g, i) => (i % 10 === 0 ? (g + 1) % 3 : g));
    const predB = gold.map(() => 0);
    const macroF1 = (pred: number[], idx: readonly number[]) => {
      let sum = 0;
      for (let c = 0; c < 3; c++) {
        let tp = 0,
          fp = 0,
          fn = 0;
        for (const i of idx) {
          if (pred[i] === c && gold[i] === c) tp++;
          else if (pred[i] === c) fp++;
          else if (gold[i] === c) fn++;
        }
        sum += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      }
      return sum / 3;
    };
    const f1 = gateDecision({
      metric: 'macroF1',
      against: 'majority class',
      candidate: predA.map((p, i) => Number(p === gold[i])),
      reference: predB.map((p, i) => Number(p === gold[i])),
      statistic: (side, idx) => macroF1(side === 'candidate' ? predA : predB, idx),
    });
    expect(f1.passed).toBe(true);
    expect(f1.candidate).toBeCloseTo(
      macroF1(
        predA,
        gold.map((_, i) => i),
      ),
      10,
    );
    expect(() => gateDecision({ metric: 'x', against: 'y', candidate: [1, 2], reference: [1] })).toThrow(
      /same items on both sides/,
    );
  });

  it('stores the decision with the version: ACTIVE only when the gate passed, CANDIDATE with the reason', async () => {
    const { registry } = await newsroom();
    const first = await registry.register(
      scorer,
      { algorithm: 'mlp', artifact: artifact() },
      { activateIfNoneActive: true },
    );
    const reference = noise(120, 6).map((x) => 0.4 + x * 0.2);
    const kept = await registry.completeGated(
      scorer,
      null,
      { algorithm: 'mlp', artifact: artifact(), metrics: { valRouge1: 0.41 } },
      {
        metric: 'rouge1',
        against: 'summary-scorer v1',
        candidate: reference.slice(0, 12),
        reference: reference.slice(0, 12),
      },
    );
    expect(kept.row.status).toBe('CANDIDATE');
    expect(kept.row.notes).toMatch(/^kept as CANDIDATE: validated on 12 item/);
    expect(kept.row.metrics).toMatchObject({ valRouge1: 0.41, gate: { passed: false, items: 12 } });
    const job = randomUUID();
    const training = await registry.startTraining(scorer, job, { algorithm: 'mlp', params: { epochs: 3 } });
    const won = await registry.completeGated(
      scorer,
      training.id,
      { algorithm: 'mlp', artifact: artifact() },
      {
        metric: 'rouge1',
        against: 'summary-scorer v1',
        candidate: reference.map((x) => x + 0.02),
        reference,
      },
    );
    expect(won.row).toMatchObject({
      id: training.id,
      status: 'ACTIVE',
      params: { epochs: 3 },
      trainingJobId: job,
    });
    expect(won.row.notes).toMatch(/^activated: beats summary-scorer v1: rouge1 /);
    expect((await registry.active(scorer))?.id).toBe(training.id);
    expect((await registry.get('content', first.id)).status).toBe('RETIRED');
  });
});
