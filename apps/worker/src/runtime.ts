import os from 'node:os';
import type http from 'node:http';
import { DelayedError, UnrecoverableError, Worker, type Job as QueueJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config, QueueConcurrency } from '@media-ai/config';
import { createPrisma, type Db, type Prisma } from '@media-ai/db';
import {
  ALL_QUEUE_NAMES,
  QUEUE_NAMES,
  QueueSet,
  cancelChannel,
  gpuQueueOf,
  isGpuQueue,
  isQueueName,
  jobDefinition,
  moveStaleGpuJobs,
  parseGpuFallback,
  redisConnection,
  type AnyQueueName,
  type JobName,
  type ProgressEvent,
  type QueueName,
  type QueuedJobData,
} from '@media-ai/jobs';
import { describeBackend, gpuDiagnostics, planBackend, type GpuDiagnostics } from '@media-ai/tensor';
import { allHandlers, indexHandlers } from './handlers.js';
import { SandboxPool } from './sandbox/pool.js';
import { deliverWebhook, type WebhookBody } from './lib/webhooks.js';
import { WorkerMetrics } from './lib/metrics.js';
import { configEnv, getJobService, setWorkerConfig } from './lib/deps.js';

export interface WorkerRuntime {
  queues: QueueConcurrency[];
  /** The tfjs backend this worker's jobs run on, and why (also written to each Job.runtime). */
  backend: { backend: string; reason: string; gpu: boolean };
  /** Stop taking work; let running jobs finish within graceMs, then hand the rest back to the queue. */
  close(graceMs?: number): Promise<void>;
}

class ShutdownSignal extends Error {
  constructor() {
    super('The worker is shutting down; the job was handed back to the queue');
    this.name = 'ShutdownSignal';
  }
}
class CancelSignal extends Error {
  constructor() {
    super('Cancelled on request');
    this.name = 'CancelSignal';
  }
}

/**
 * The queues to serve: WORKER_QUEUES (area queues, and `-gpu` queues named explicitly), plus, on a
 * worker that found a GPU, the `-gpu` twin of every area queue it serves.
 */
export function resolveQueues(spec: Config['WORKER_QUEUES'], hasGpu: boolean): QueueConcurrency[] {
  const base = spec === '*' ? QUEUE_NAMES.map((queue) => ({ queue, concurrency: 1 })) : spec;
  for (const q of base) {
    if (!isQueueName(q.queue)) {
      throw new Error(
        `WORKER_QUEUES names an unknown queue "${q.queue}"; known queues: ${ALL_QUEUE_NAMES.join(', ')}`,
      );
    }
  }
  const out = [...base];
  if (hasGpu) {
    for (const q of base) {
      if (isGpuQueue(q.queue)) continue;
      const twin = gpuQueueOf(q.queue as QueueName);
      if (!out.some((o) => o.queue === twin)) out.push({ queue: twin, concurrency: q.concurrency });
    }
  }
  return out;
}

export interface StartWorkerOptions {
  db?: Db;
  /** GPU diagnostics to use instead of probing (tests simulate a GPU worker with this). */
  gpu?: GpuDiagnostics;
}

export async function startWorker(
  config: Config,
  log: Logger,
  opts: StartWorkerOptions = {},
): Promise<WorkerRuntime> {
  if (!config.DATABASE_URL)
    throw new Error('The worker needs DATABASE_URL (the launcher sets it in embedded mode)');
  const handlers = indexHandlers(allHandlers);
  // GPU check at start: what is missing (Vulkan loader, driver ICD, adapter), in words an operator can act on.
  const choice = config.TFJS_BACKEND;
  const probes = choice === 'auto' || choice === 'webgpu';
  const diag = opts.gpu ?? (probes ? await gpuDiagnostics() : null);
  const plan = planBackend(choice, diag ?? { adapter: null, problems: [] });
  if (diag && !diag.adapter) {
    log.warn(
      { problems: diag.problems, vulkanLoader: diag.vulkanLoader, icdFiles: diag.icdFiles },
      `no GPU: ${diag.problems.join(' ')}`,
    );
  }
  if (!diag) log.info(`GPU not probed: TFJS_BACKEND=${choice} (set TFJS_BACKEND=auto on a GPU machine)`);
  log.info({ backend: plan.backend, reason: plan.reason, gpu: plan.gpu }, describeBackend(plan));
  const backend = { backend: plan.backend, reason: plan.reason, gpu: plan.gpu };
  const queues = resolveQueues(config.WORKER_QUEUES, plan.gpu);
  if (!plan.gpu && queues.some((q) => isGpuQueue(q.queue))) {
    log.warn(
      'WORKER_QUEUES names gpu queues but this worker has no GPU: their jobs run here on the CPU backend',
    );
  }
  const db = opts.db ?? createPrisma(config.DATABASE_URL, { poolSize: 5 });
  const metrics = new WorkerMetrics();
  let metricsServer: http.Server | undefined;
  if (config.WORKER_METRICS_PORT > 0) metricsServer = metrics.serve(config.WORKER_METRICS_PORT);

  const running = new Map<string, AbortController>();
  // Webhook deliveries in flight; shutdown waits for them before closing the database.
  const pending = new Set<Promise<void>>();
  const notifyLater = (jobId: string, event: WebhookBody['event']) => {
    const p = notify(db, jobId, event)
      .catch((err: Error) => log.warn({ err: err.message, jobId }, 'webhook delivery failed'))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const subscriber: Redis = redisConnection(config.REDIS_URL, true);
  await subscriber.subscribe(cancelChannel(config.MEDIAAI_QUEUE_PREFIX));
  subscriber.on('message', (_channel, jobId: string) => running.get(jobId)?.abort(new CancelSignal()));

  setWorkerConfig(config);
  const workerEnv = configEnv(config);
  const pools: SandboxPool[] = [];
  const workers: Worker[] = [];
  const host = os.hostname();

  for (const { queue, concurrency } of queues) {
    const pool = new SandboxPool(concurrency, workerEnv);
    pools.push(pool);
    const processor = async (job: QueueJob<QueuedJobData>, token?: string) => {
      const name = job.name as JobName;
      const def = jobDefinition(name);
      const handler = handlers.get(name);
      const jobId = job.id!;
      const row = await db.job.findUnique({
        where: { id: jobId },
        select: { status: true, webhookUrl: true, requester: { select: { webhookUrl: true } } },
      });
      if (!row && job.repeatJobKey) {
        // A scheduled run (e.g. nightly retraining): turn it into a real job with its own row.
        await getJobService().enqueue(job.data.newsroomId, name, job.data.payload as never, {
          idempotencyKey: job.id,
        });
        return { forwarded: true };
      }
      if (!row) throw new UnrecoverableError(`Job ${jobId} has no row in the jobs table`);
      if (row.status === 'CANCELLED') return { skipped: 'cancelled' };
      const attempt = job.attemptsMade + 1;
      await db.job.update({
        where: { id: jobId },
        data: {
          status: 'ACTIVE',
          startedAt: new Date(),
          attempts: attempt,
          queue,
          runtime: {
            host,
            pid: process.pid,
            queue,
            resource: def.resource,
            backend: backend.backend,
            reason: backend.reason,
            // A gpu-class job a CPU worker runs: no GPU worker took it within MEDIAAI_GPU_FALLBACK_MS.
            ...(def.resource === 'gpu' && !backend.gpu ? { gpuFallback: true } : {}),
          },
        },
      });
      const wantsWebhook = !!(row.webhookUrl ?? row.requester?.webhookUrl);
      const ac = new AbortController();
      running.set(jobId, ac);
      let lastWrite = 0;
      const onProgress = (p: ProgressEvent) => {
        const fraction = Math.max(0, Math.min(1, Number.isFinite(p.fraction) ? p.fraction : 0));
        void job
          .updateProgress({ ...p, fraction, newsroomId: job.data.newsroomId, type: name })
          .catch(() => undefined);
        const now = Date.now();
        // Throttled; the final state is written when the job ends.
        if (now - lastWrite > 500 && fraction < 1) {
          lastWrite = now;
          void db.job
            .updateMany({
              where: { id: jobId, status: 'ACTIVE' },
              data: { progress: fraction, progressMessage: p.message ?? null },
            })
            .catch(() => undefined);
        }
      };
      const started = Date.now();
      const jlog = log.child({ jobId, type: name, queue, attempt });
      try {
        let result: unknown;
        if (def.sandboxed) {
          result = await pool.run({
            name,
            payload: job.data.payload,
            jobId,
            newsroomId: job.data.newsroomId,
            attempt,
            timeoutMs: def.options.timeoutMs,
            signal: ac.signal,
            onProgress,
            onLog: (level, msg, data) => jlog[level](data ?? {}, msg),
          });
        } else {
          result = await withTimeout(
            handler!.run(job.data.payload, {
              jobId,
              newsroomId: job.data.newsroomId,
              attempt,
              signal: ac.signal,
              progress: (fraction, message, data) => onProgress({ fraction, message, data }),
              log: {
                info: (m, d) => jlog.info(d ?? {}, m),
                warn: (m, d) => jlog.warn(d ?? {}, m),
                error: (m, d) => jlog.error(d ?? {}, m),
              },
            }),
            def.options.timeoutMs,
            ac,
          );
        }
        if (ac.signal.aborted) throw ac.signal.reason;
        const done = await db.job.updateMany({
          where: { id: jobId, status: 'ACTIVE' },
          data: {
            status: 'COMPLETED',
            progress: 1,
            result: (result ?? null) as Prisma.InputJsonValue,
            error: null,
            errorCode: null,
            finishedAt: new Date(),
          },
        });
        metrics.jobs.inc({ queue, type: name, outcome: done.count ? 'completed' : 'cancelled' });
        metrics.duration.observe({ queue, type: name }, (Date.now() - started) / 1000);
        if (done.count) {
          jlog.info({ ms: Date.now() - started }, 'job completed');
          if (wantsWebhook) notifyLater(jobId, 'job.completed');
        }
        return result;
      } catch (err) {
        const reason = ac.signal.aborted ? ac.signal.reason : err;
        if (reason instanceof ShutdownSignal && token) {
          // Hand the job back without spending a try: another worker (or this one, restarted) takes it.
          await db.job.updateMany({
            where: { id: jobId, status: 'ACTIVE' },
            data: { status: 'QUEUED', progressMessage: reason.message },
          });
          await job.moveToDelayed(Date.now(), token);
          jlog.warn('job handed back on shutdown');
          throw new DelayedError();
        }
        if (reason instanceof CancelSignal || (await isCancelled(db, jobId))) {
          metrics.jobs.inc({ queue, type: name, outcome: 'cancelled' });
          if (wantsWebhook) notifyLater(jobId, 'job.cancelled');
          throw new UnrecoverableError('Cancelled on request');
        }
        const e = err instanceof Error ? err : new Error(String(err));
        const code = (e as { code?: string }).code;
        const permanent = e.name === 'PermanentJobError' || e instanceof UnrecoverableError;
        const final = permanent || attempt >= (job.opts.attempts ?? 1);
        await db.job.updateMany({
          where: { id: jobId, status: 'ACTIVE' },
          data: {
            status: final ? 'FAILED' : 'QUEUED',
            error: e.message,
            errorCode: code ?? (permanent ? 'BAD_USER_INPUT' : 'JOB_FAILED'),
            finishedAt: final ? new Date() : null,
          },
        });
        metrics.jobs.inc({ queue, type: name, outcome: final ? 'failed' : 'retried' });
        jlog.warn({ err: e.message, final }, final ? 'job failed' : 'job failed, will retry');
        if (final && wantsWebhook) notifyLater(jobId, 'job.failed');
        throw permanent ? new UnrecoverableError(e.message) : e;
      } finally {
        running.delete(jobId);
      }
    };
    const worker = new Worker<QueuedJobData>(queue as AnyQueueName, processor, {
      connection: redisConnection(config.REDIS_URL, true),
      prefix: config.MEDIAAI_QUEUE_PREFIX,
      concurrency,
      lockDuration: config.MEDIAAI_JOB_LOCK_MS,
      stalledInterval: Math.max(1000, Math.floor(config.MEDIAAI_JOB_LOCK_MS / 2)),
      maxStalledCount: 2,
    });
    worker.on('error', (err) => log.error({ err: err.message, queue }, 'queue worker error'));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ queues, host, backend: backend.backend }, 'worker serving');

  // Fallback mover: this worker serves an area's cpu queue but not its gpu queue, so it moves that
  // area's gpu jobs no GPU worker took within MEDIAAI_GPU_FALLBACK_MS ("never": they wait).
  const fallbackMs = parseGpuFallback(config.MEDIAAI_GPU_FALLBACK_MS);
  const served = new Set(queues.map((q) => q.queue));
  const fallbackAreas = QUEUE_NAMES.filter((a) => served.has(a) && !served.has(gpuQueueOf(a)));
  let mover: NodeJS.Timeout | undefined;
  let moverQueues: QueueSet | undefined;
  let moving: Promise<void> = Promise.resolve();
  if (fallbackMs !== null && fallbackAreas.length) {
    const conn = redisConnection(config.REDIS_URL);
    moverQueues = new QueueSet(conn, config.MEDIAAI_QUEUE_PREFIX);
    const tick = async () => {
      for (const area of fallbackAreas) {
        const gpuQueue = moverQueues!.get(gpuQueueOf(area));
        if ((await gpuQueue.count()) === 0) continue;
        // The wait applies only while a GPU worker is connected; with none (it left, or a job was
        // queued just before it did), the job is moved at once.
        const wait = (await gpuQueue.getWorkersCount()) > 0 ? fallbackMs : 0;
        const moved = await moveStaleGpuJobs(moverQueues!, area, wait);
        for (const m of moved) {
          await db.job.updateMany({
            where: { id: m.jobId, status: 'QUEUED' },
            data: {
              queue: m.to,
              progressMessage: `No GPU worker took the job within ${Math.round(m.waitedMs / 1000)} s; it runs on a CPU worker`,
            },
          });
          log.info(
            { jobId: m.jobId, type: m.name, from: m.from, to: m.to, waitedMs: m.waitedMs },
            'gpu job moved to a CPU worker',
          );
        }
      }
    };
    mover = setInterval(
      () => {
        moving = moving
          .then(tick)
          .catch((err: Error) => log.warn({ err: err.message }, 'gpu fallback mover failed'));
      },
      Math.max(250, Math.min(1000, Math.floor(fallbackMs / 4))),
    );
  }

  return {
    queues,
    backend,
    async close(graceMs = config.MEDIAAI_SHUTDOWN_GRACE_MS) {
      if (mover) clearInterval(mover);
      await moving;
      await moverQueues?.close();
      (moverQueues?.connection as Redis | undefined)?.disconnect();
      const closing = Promise.all(workers.map((w) => w.close()));
      const timer = setTimeout(() => {
        for (const ac of running.values()) ac.abort(new ShutdownSignal());
      }, graceMs);
      await closing;
      clearTimeout(timer);
      await Promise.all(pools.map((p) => p.close()));
      await Promise.allSettled([...pending]);
      subscriber.disconnect();
      metricsServer?.close();
      if (!opts.db) await db.$disconnect();
    },
  };
}

async function isCancelled(db: Db, jobId: string): Promise<boolean> {
  const row = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
  return row?.status === 'CANCELLED';
}

function withTimeout<T>(p: Promise<T>, ms: number, ac: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      const err = new Error(`The job ran past its ${Math.round(ms / 1000)} s time limit and was stopped`);
      (err as Error & { code: string }).code = 'TIMEOUT';
      ac.abort(err);
      reject(err);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(ac.signal.reason);
    };
    ac.signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

async function notify(db: Db, jobId: string, event: WebhookBody['event']): Promise<void> {
  const job = await db.job.findUnique({ where: { id: jobId }, include: { requester: true } });
  if (!job) return;
  const url = job.webhookUrl ?? job.requester?.webhookUrl;
  const secret = job.requester?.webhookSecret;
  if (!url || !secret) return;
  await deliverWebhook(url, secret, {
    event,
    job: {
      id: job.id,
      type: job.type,
      status: job.status,
      result: job.result,
      error: job.error,
      finishedAt: (job.finishedAt ?? new Date()).toISOString(),
    },
  });
}
