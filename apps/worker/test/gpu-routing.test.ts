import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@media-ai/config';
import { createPrisma, type Db } from '@media-ai/db';
import { JobService, QueueSet, queueFor, jobDefinition, redisConnection } from '@media-ai/jobs';
import type { GpuDiagnostics } from '@media-ai/tensor';
import { resolveQueues, startWorker, type WorkerRuntime } from '../src/runtime.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const fakeGpu: GpuDiagnostics = {
  vulkanLoader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  icdFiles: ['/usr/share/vulkan/icd.d/nvidia_icd.json'],
  adapter: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'simulated GPU' },
  problems: [],
};

function config(overrides: Record<string, string>): Config {
  return loadConfig({
    DATABASE_URL,
    REDIS_URL,
    MEDIAAI_QUEUE_PREFIX: `g${randomBytes(4).toString('hex')}`,
    MEDIAAI_DATA_DIR: path.join(os.tmpdir(), `mediaai-gpu-${randomBytes(4).toString('hex')}`),
    MEDIAAI_JOB_LOCK_MS: '3000',
    WORKER_QUEUES: 'platform:1',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

let db: Db;
let newsroomId: string;
const open: { worker?: WorkerRuntime; queues: QueueSet }[] = [];

beforeAll(async () => {
  db = createPrisma(DATABASE_URL);
  const n = await db.newsroom.create({
    data: { slug: `gpu-${randomBytes(4).toString('hex')}`, name: 'GPU Desk' },
  });
  newsroomId = n.id;
});
afterAll(async () => {
  for (const o of open) {
    await o.worker?.close(500);
    await o.queues.close();
    (o.queues.connection as ReturnType<typeof redisConnection>).disconnect();
  }
  await db?.$disconnect();
});

function setup(c: Config) {
  const redis = redisConnection(c.REDIS_URL);
  const queues = new QueueSet(redis, c.MEDIAAI_QUEUE_PREFIX);
  const slot: { worker?: WorkerRuntime; queues: QueueSet } = { queues };
  open.push(slot);
  return {
    jobs: new JobService(db, queues, redis, { gpuFallbackMs: c.MEDIAAI_GPU_FALLBACK_MS }),
    queues,
    slot,
  };
}

async function waitForRow(id: string, statuses: string[], ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const row = await db.job.findUniqueOrThrow({ where: { id } });
    if (statuses.includes(row.status)) return row;
    if (Date.now() > end) throw new Error(`job ${id} is still ${row.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('resource classes', () => {
  it('routes gpu-class jobs to <queue>-gpu and cpu-class jobs to <queue>', () => {
    expect(queueFor(jobDefinition('platform.gpu-noop'))).toBe('platform-gpu');
    expect(queueFor(jobDefinition('platform.noop'))).toBe('platform');
  });

  it('a worker that found a GPU also serves the gpu queues; others do not', () => {
    const spec = [
      { queue: 'platform', concurrency: 2 },
      { queue: 'vision', concurrency: 1 },
    ];
    expect(resolveQueues(spec, true).map((q) => q.queue)).toEqual([
      'platform',
      'vision',
      'platform-gpu',
      'vision-gpu',
    ]);
    expect(resolveQueues(spec, false).map((q) => q.queue)).toEqual(['platform', 'vision']);
    expect(() => resolveQueues([{ queue: 'nope', concurrency: 1 }], false)).toThrow(/unknown queue "nope"/);
  });

  it('a GPU worker runs a gpu job on webgpu and records the backend in Job.runtime', async () => {
    const c = config({ TFJS_BACKEND: 'auto' });
    const { jobs, slot } = setup(c);
    slot.worker = await startWorker(c, log, { db, gpu: fakeGpu });
    expect(slot.worker.backend).toMatchObject({ backend: 'webgpu', gpu: true });
    const row = await jobs.enqueue(newsroomId, 'platform.gpu-noop', { steps: 1 });
    expect(row.queue).toBe('platform-gpu');
    const done = await waitForRow(row.id, ['COMPLETED', 'FAILED']);
    expect(done.status).toBe('COMPLETED');
    expect(done.runtime).toMatchObject({
      queue: 'platform-gpu',
      resource: 'gpu',
      backend: 'webgpu',
      reason: expect.stringMatching(/simulated GPU/),
    });
  });

  it('with no GPU worker connected, a gpu job goes straight to the cpu queue and runs without waiting', async () => {
    const c = config({ TFJS_BACKEND: 'wasm', MEDIAAI_GPU_FALLBACK_MS: '60000' });
    const { jobs, queues, slot } = setup(c);
    slot.worker = await startWorker(c, log, { db });
    expect(slot.worker.queues.map((q) => q.queue)).toEqual(['platform']);
    const t0 = Date.now();
    const row = await jobs.enqueue(newsroomId, 'platform.gpu-noop', { steps: 1 });
    expect(row.queue).toBe('platform');
    expect(await queues.get('platform-gpu').getJob(row.id)).toBeFalsy();
    const done = await waitForRow(row.id, ['COMPLETED', 'FAILED']);
    expect(done.status).toBe('COMPLETED');
    // Far below the 60 s fallback wait: nothing waited for a GPU worker.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(done.queue).toBe('platform');
    expect(done.runtime).toMatchObject({
      queue: 'platform',
      resource: 'gpu',
      backend: 'wasm',
      reason: 'TFJS_BACKEND=wasm',
      gpuFallback: true,
    });
  });

  it('with the fallback disabled, a gpu job keeps waiting for a GPU worker', async () => {
    const c = config({ TFJS_BACKEND: 'wasm', MEDIAAI_GPU_FALLBACK_MS: 'never' });
    const { jobs, queues, slot } = setup(c);
    slot.worker = await startWorker(c, log, { db });
    const row = await jobs.enqueue(newsroomId, 'platform.gpu-noop', { steps: 1 });
    const cpuJob = await jobs.enqueue(newsroomId, 'platform.noop', { steps: 1 });
    expect((await waitForRow(cpuJob.id, ['COMPLETED'])).runtime).toMatchObject({
      resource: 'cpu',
      backend: 'wasm',
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await db.job.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('QUEUED');
    expect(await (await queues.get('platform-gpu').getJob(row.id))?.getState()).toBe('waiting');
    // Cancelling finds the job in the gpu queue.
    await jobs.cancel(newsroomId, row.id);
    expect(await queues.get('platform-gpu').getJob(row.id)).toBeFalsy();
  });

  it('while a GPU worker is connected (busy), the gpu job waits; once it leaves, a CPU worker takes the job at once', async () => {
    const c = config({ TFJS_BACKEND: 'wasm', MEDIAAI_GPU_FALLBACK_MS: '60000' });
    const { jobs, queues, slot } = setup(c);
    // A connected GPU worker that takes nothing (paused): stands for a busy one.
    const busy = new Worker('platform-gpu', async () => undefined, {
      connection: redisConnection(REDIS_URL, true),
      prefix: c.MEDIAAI_QUEUE_PREFIX,
      autorun: false,
    });
    await busy.waitUntilReady();
    slot.worker = await startWorker(c, log, { db });
    const row = await jobs.enqueue(newsroomId, 'platform.gpu-noop', { steps: 1 });
    expect(row.queue).toBe('platform-gpu');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await db.job.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('QUEUED');
    expect(await (await queues.get('platform-gpu').getJob(row.id))?.getState()).toBe('waiting');
    await busy.close();
    const t0 = Date.now();
    const done = await waitForRow(row.id, ['COMPLETED', 'FAILED']);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(done.runtime).toMatchObject({ queue: 'platform', gpuFallback: true });
  });
});
