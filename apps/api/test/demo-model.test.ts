import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma, forNewsroom } from '@media-ai/db';
import { ensureFirstRecommenderModel } from '../src/launcher/demo-data.js';
import { createNewsroom, TEST_DATABASE_URL, testConfig } from './helpers/platform.js';

const db = createPrisma(TEST_DATABASE_URL);
afterAll(() => db.$disconnect());

describe('demo newsroom: first recommender model at start', () => {
  it('queues one training when there is no model, none while it is queued, none once one is active', async () => {
    const config = testConfig();
    const n = await createNewsroom(db, 'Demo model');
    const tdb = forNewsroom(db, n.id);
    const messages: string[] = [];
    expect(await ensureFirstRecommenderModel(db, config, n.id, (m) => messages.push(m))).toBe('queued');
    const jobs = await tdb.job.findMany({ where: { type: 'recommender.train' } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.status).toBe('QUEUED');
    expect(messages[0]).toMatch(/first model training in the worker/);

    expect(await ensureFirstRecommenderModel(db, config, n.id, () => undefined)).toBe('training');
    expect(await tdb.job.count({ where: { type: 'recommender.train' } })).toBe(1);

    await tdb.job.update({ where: { id: jobs[0]!.id }, data: { status: 'COMPLETED' } });
    // The gate kept the first version as CANDIDATE: the start says why and does not train again.
    const v1 = await db.modelVersion.create({
      data: {
        newsroomId: n.id,
        area: 'recommender',
        name: 'recommender',
        version: 1,
        algorithm: 'als',
        status: 'CANDIDATE',
        notes: 'kept as CANDIDATE: not shown to beat popularity baseline',
        trainingJobId: jobs[0]!.id,
      },
    });
    const said: string[] = [];
    expect(await ensureFirstRecommenderModel(db, config, n.id, (m) => said.push(m))).toBe('candidate');
    expect(said[0]).toMatch(/v1 is a CANDIDATE \(kept as CANDIDATE: not shown to beat popularity baseline\)/);
    expect(await tdb.job.count({ where: { type: 'recommender.train' } })).toBe(1);

    await db.modelVersion.update({ where: { id: v1.id }, data: { status: 'ACTIVE' } });
    expect(await ensureFirstRecommenderModel(db, config, n.id, () => undefined)).toBe('active');
    expect(await tdb.job.count({ where: { type: 'recommender.train' } })).toBe(1);
  });
});
