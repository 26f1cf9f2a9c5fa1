import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '@media-ai/db';
import {
  JobService,
  QueueSet,
  reconcileJobs,
  redisConnection,
  startReconciler,
  type QueuedJobData,
} from '@media-ai/jobs';
import { createNewsroom, testConfig, type TestNewsroom } from './helpers/platform.js';

const config = testConfig();
const prefix = config.MEDIAAI_QUEUE_PREFIX;
let db: Db;
let redis: ReturnType<typeof redisConnection>;
let queues: QueueSet;
let jobs: JobService;
let n: TestNewsroom;
let opts: { minAgeMs: number; activeStaleMs: number; newsroomId: string };

beforeAll(async () => {
  db = createPrisma(config.DATABASE_URL!, { poolSize: 3 });
  redis = redisConnection(config.REDIS_URL);
  queues = new QueueSet(redis, prefix);
  jobs = new JobService(db, queues, redis);
  n = await createNewsroom(db, 'Reconcile Desk');
  // The test database is shared with other suites: look at this newsroom's rows only.
  opts = { minAgeMs: 0, activeStaleMs: 0, newsroomId: n.id };
});
afterAll(async () => {
  for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
  await queues.close();
  redis.disconnect();
  await db.$disconnect();
});

const enqueue = (payload: Record<string, unknown> = {}) => jobs.enqueue(n.id, 'platform.noop', payload);
const row = (id: string) => db.job.findUniqueOrThrow({ where: { id } });

/** A real BullMQ worker on the platform queue that answers each job with `outcome`. */
async function runQueueOnce(outcome: (id: string) => unknown): Promise<void> {
  const q = queues.get('platform');
  const w = new Worker<QueuedJobData>(
    'platform',
    async (job) => {
      const r = outcome(job.id!);
      // Unrecoverable: one failure ends the job in the queue, as a final attempt does.
      if (r instanceof Error) throw new UnrecoverableError(r.message);
      return r;
    },
    { connection: redisConnection(config.REDIS_URL, true), prefix, autorun: true },
  );
  for (let i = 0; i < 100 && (await q.getJobCounts('wait', 'active', 'delayed')).wait > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  await w.close();
}

describe('the reconciler brings job rows and the queue in line', () => {
  it('re-queues rows whose queue entry vanished, once, and leaves healthy rows alone', async () => {
    const lost = await enqueue();
    const lostActive = await enqueue();
    const healthy = await enqueue();
    await db.job.update({ where: { id: lostActive.id }, data: { status: 'ACTIVE', startedAt: new Date() } });
    // What a Redis restart without its data does to the queue.
    await queues.get('platform').remove(lost.id);
    await queues.get('platform').remove(lostActive.id);
    const first = await reconcileJobs(db, queues, opts);
    expect(first.requeued).toBe(2);
    const second = await reconcileJobs(db, queues, opts);
    expect(second.requeued).toBe(0);
    expect(await queues.get('platform').getJobState(lost.id)).toBe('waiting');
    expect((await row(lostActive.id)).status).toBe('QUEUED');
    expect((await row(lostActive.id)).progressMessage).toMatch(/queue entry was missing/);
    expect(await queues.get('platform').getWaitingCount()).toBe(3);
    expect((await row(healthy.id)).status).toBe('QUEUED');
    // A young ACTIVE row (its worker may still run it) is not taken for abandoned.
    const young = await enqueue();
    await db.job.update({ where: { id: young.id }, data: { status: 'ACTIVE', startedAt: new Date() } });
    await queues.get('platform').remove(young.id);
    expect((await reconcileJobs(db, queues, { ...opts, activeStaleMs: 60_000 })).requeued).toBe(0);
    expect((await row(young.id)).status).toBe('ACTIVE');
    await queues.get('platform').drain();
    await db.job.updateMany({ where: { newsroomId: n.id }, data: { status: 'CANCELLED' } });
  });

  it('completes rows from the queue result, re-queues platform failures, fails the rest with a code', async () => {
    const completed = await enqueue();
    const dbDown = await enqueue();
    const broken = await enqueue();
    const ids = [completed.id, dbDown.id, broken.id];
    await db.job.updateMany({
      where: { id: { in: ids } },
      data: { status: 'ACTIVE', startedAt: new Date() },
    });
    // The worker's final writes "were lost": the queue holds the outcome, the rows still say ACTIVE.
    await runQueueOnce((id) =>
      id === completed.id
        ? { steps: 7, attempt: 1 }
        : id === dbDown.id
          ? new Error("Can't reach database server at 127.0.0.1:5432")
          : new Error('The model rejected the input'),
    );
    const report = await reconcileJobs(db, queues, opts);
    expect(report).toMatchObject({ completed: 1, retried: 1, failed: 1 });
    const c = await row(completed.id);
    expect(c.status).toBe('COMPLETED');
    expect(c.result).toEqual({ steps: 7, attempt: 1 });
    expect((await row(dbDown.id)).status).toBe('QUEUED');
    expect(await queues.get('platform').getJobState(dbDown.id)).toBe('waiting');
    const b = await row(broken.id);
    expect(b).toMatchObject({
      status: 'FAILED',
      errorCode: 'JOB_FAILED',
      error: 'The model rejected the input',
    });
    await queues.get('platform').drain();
    await db.job.updateMany({ where: { newsroomId: n.id, status: 'QUEUED' }, data: { status: 'CANCELLED' } });
  });

  it('fails rows of a job type this version does not know', async () => {
    const j = await enqueue();
    await db.job.update({ where: { id: j.id }, data: { type: 'platform.retired-type' } });
    expect((await reconcileJobs(db, queues, opts)).failed).toBe(1);
    expect(await row(j.id)).toMatchObject({ status: 'FAILED', errorCode: 'UNKNOWN_JOB_TYPE' });
    await queues.get('platform').drain();
  });

  it('lets retryJob take a stuck row, and refuses one still in the queue', async () => {
    const stuck = await enqueue();
    await queues.get('platform').remove(stuck.id);
    const retried = await jobs.retry(n.id, stuck.id);
    expect(retried.status).toBe('QUEUED');
    expect(await queues.get('platform').getJobState(stuck.id)).toBe('waiting');
    await expect(jobs.retry(n.id, stuck.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await queues.get('platform').drain();
    await db.job.update({ where: { id: stuck.id }, data: { status: 'CANCELLED' } });
  });

  it('runs in one process at a time (leader lock in Redis)', async () => {
    const base = { db, queues, redis, prefix, intervalMs: 60_000, ...opts };
    const a = startReconciler(base);
    const b = startReconciler(base);
    expect(await a.runOnce()).not.toBeNull();
    expect(await b.runOnce()).toBeNull();
    expect(await a.runOnce()).not.toBeNull();
    await a.stop();
    // The leader released the lock on stop: the other takes over.
    expect(await b.runOnce()).not.toBeNull();
    await b.stop();
  });
});
