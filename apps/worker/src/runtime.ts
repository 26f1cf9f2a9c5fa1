import type http from 'node:http';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config, QueueConcurrency } from '@media-ai/config';
import { createPrisma, type Db } from '@media-ai/db';
import {
  QueueSet,
  cancelChannel,
  isGpuQueue,
  jobTimeoutOverrides,
  redisConnection,
  startReconciler,
  type AnyQueueName,
  type QueuedJobData,
} from '@media-ai/jobs';
import type { GpuDiagnostics } from '@media-ai/tensor';
import { allHandlers, indexHandlers } from './handlers.js';
import { SandboxPool } from './sandbox/pool.js';
import { WorkerMetrics } from './lib/metrics.js';
import { configEnv, setWorkerConfig } from './lib/deps.js';
import {
  planWorkerBackend,
  resolveQueues,
  startGpuMover,
  type WorkerBackend,
} from './runtime/gpu-placement.js';
import { CancelSignal, ShutdownSignal, createProcessor } from './runtime/processor.js';
import { JobRowWriter } from './runtime/job-rows.js';
import { JobWebhooks } from './runtime/webhooks.js';
import { WriteSlots } from './runtime/write-slots.js';

export { resolveQueues } from './runtime/gpu-placement.js';

export interface WorkerRuntime {
  queues: QueueConcurrency[];
  /** The tfjs backend this worker's jobs run on, and why (also written to each Job.runtime). */
  backend: WorkerBackend;
  /** Batched writes to the jobs table (its counters feed the benchmark). */
  rows: JobRowWriter;
  /** Stop taking work; let running jobs finish within graceMs, then hand the rest back to the queue. */
  close(graceMs?: number): Promise<void>;
}

export interface StartWorkerOptions {
  db?: Db;
  /** GPU diagnostics to use instead of probing (tests simulate a GPU worker with this). */
  gpu?: GpuDiagnostics;
}

/**
 * Starts a worker: checks the handlers and the GPU, serves its queues (one BullMQ worker and one
 * sandbox pool per queue), listens for cancellations, runs the gpu fallback mover; then serves until
 * close(), which takes no new work, lets running jobs finish or hands them back, and closes connections.
 */
export async function startWorker(
  config: Config,
  log: Logger,
  opts: StartWorkerOptions = {},
): Promise<WorkerRuntime> {
  if (!config.DATABASE_URL)
    throw new Error('The worker needs DATABASE_URL (the launcher sets it in embedded mode)');
  const handlers = indexHandlers(allHandlers);
  const timeouts = jobTimeoutOverrides(config.MEDIAAI_JOB_TIMEOUTS);
  const backend = await planWorkerBackend(config, log, opts.gpu);
  const queues = resolveQueues(config.WORKER_QUEUES, backend.gpu);
  if (!backend.gpu && queues.some((q) => isGpuQueue(q.queue))) {
    log.warn(
      'WORKER_QUEUES names gpu queues but this worker has no GPU: their jobs run here on the CPU backend',
    );
  }
  const db = opts.db ?? createPrisma(config.DATABASE_URL, { poolSize: 5 });
  const metrics = new WorkerMetrics();
  let metricsServer: http.Server | undefined;
  if (config.WORKER_METRICS_PORT > 0) metricsServer = metrics.serve(config.WORKER_METRICS_PORT);

  const running = new Map<string, AbortController>();
  const webhooks = new JobWebhooks(db, log);
  const publisher = redisConnection(config.REDIS_URL);
  // The row writer's own connections (its batches overlap: up to three statements at once).
  const rowPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 3 });
  // An idle connection dropped by a PostgreSQL restart is replaced on the next statement.
  rowPool.on('error', (err) => log.warn({ err: err.message }, 'job row connection lost'));
  const rows = new JobRowWriter(rowPool, publisher, config.MEDIAAI_QUEUE_PREFIX);
  const subscriber: Redis = redisConnection(config.REDIS_URL, true);
  await subscriber.subscribe(cancelChannel(config.MEDIAAI_QUEUE_PREFIX));
  subscriber.on('message', (_channel, jobId: string) => running.get(jobId)?.abort(new CancelSignal()));

  setWorkerConfig(config);
  const workerEnv = configEnv(config);
  const pools: SandboxPool[] = [];
  const workers: Worker[] = [];
  for (const { queue, concurrency } of queues) {
    const pool = new SandboxPool(concurrency, workerEnv);
    pools.push(pool);
    const slots = new WriteSlots(concurrency);
    const processor = createProcessor({
      queue: queue as AnyQueueName,
      handlers,
      pool,
      rows,
      slots,
      webhooks,
      metrics,
      backend,
      running,
      log,
      dbRetryMs: config.MEDIAAI_DB_RETRY_MS,
      timeouts,
      queuePrefix: config.MEDIAAI_QUEUE_PREFIX,
    });
    const worker = new Worker<QueuedJobData>(queue, processor, {
      // The jobs of a batch end together: their BullMQ scripts go out in one socket write (a third
      // less of the worker's CPU per no-op job than one write per command).
      connection: redisConnection(config.REDIS_URL, true, { autoPipelining: true }),
      prefix: config.MEDIAAI_QUEUE_PREFIX,
      concurrency,
      lockDuration: config.MEDIAAI_JOB_LOCK_MS,
      stalledInterval: Math.max(1000, Math.floor(config.MEDIAAI_JOB_LOCK_MS / 2)),
      maxStalledCount: 2,
    });
    worker.on('error', (err) => log.error({ err: err.message, queue }, 'queue worker error'));
    slots.attach(worker);
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ queues, backend: backend.backend }, 'worker serving');
  const mover = startGpuMover(config, queues, db, log);
  // One worker of the deployment (a leader lock in Redis) compares job rows with the queue.
  const reconciler =
    config.MEDIAAI_RECONCILE_MS > 0
      ? startReconciler({
          db,
          queues: new QueueSet(publisher, config.MEDIAAI_QUEUE_PREFIX),
          redis: publisher,
          prefix: config.MEDIAAI_QUEUE_PREFIX,
          intervalMs: config.MEDIAAI_RECONCILE_MS,
          minAgeMs: Math.min(10_000, config.MEDIAAI_RECONCILE_MS),
          activeStaleMs: 2 * config.MEDIAAI_JOB_LOCK_MS,
          log,
        })
      : undefined;

  return {
    queues,
    backend,
    rows,
    async close(graceMs = config.MEDIAAI_SHUTDOWN_GRACE_MS) {
      await reconciler?.stop();
      await mover?.close();
      const closing = Promise.all(workers.map((w) => w.close()));
      const timer = setTimeout(() => {
        for (const ac of running.values()) ac.abort(new ShutdownSignal());
      }, graceMs);
      await closing;
      clearTimeout(timer);
      await rows.drain();
      if (!rowPool.ended) await rowPool.end();
      await Promise.all(pools.map((p) => p.close()));
      await webhooks.settle();
      subscriber.disconnect();
      publisher.disconnect();
      metricsServer?.close();
      if (!opts.db) await db.$disconnect();
    },
  };
}
