import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Config, QueueConcurrency } from '@media-ai/config';
import type { Db } from '@media-ai/db';
import {
  ALL_QUEUE_NAMES,
  QUEUE_NAMES,
  QueueSet,
  gpuQueueOf,
  isGpuQueue,
  isQueueName,
  moveStaleGpuJobs,
  parseGpuFallback,
  redisConnection,
  type QueueName,
} from '@media-ai/jobs';
import { describeBackend, gpuDiagnostics, planBackend, type GpuDiagnostics } from '@media-ai/tensor';

export interface WorkerBackend {
  backend: string;
  reason: string;
  gpu: boolean;
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

/** The GPU check at start: the tfjs backend to use, and what is missing, in words an operator can act on. */
export async function planWorkerBackend(
  config: Config,
  log: Logger,
  gpu?: GpuDiagnostics,
): Promise<WorkerBackend> {
  const choice = config.TFJS_BACKEND;
  const probes = choice === 'auto' || choice === 'webgpu';
  const diag = gpu ?? (probes ? await gpuDiagnostics() : null);
  const plan = planBackend(choice, diag ?? { adapter: null, problems: [] });
  if (diag && !diag.adapter) {
    log.warn(
      { problems: diag.problems, vulkanLoader: diag.vulkanLoader, icdFiles: diag.icdFiles },
      `no GPU: ${diag.problems.join(' ')}`,
    );
  }
  if (!diag) log.info(`GPU not probed: TFJS_BACKEND=${choice} (set TFJS_BACKEND=auto on a GPU machine)`);
  log.info({ backend: plan.backend, reason: plan.reason, gpu: plan.gpu }, describeBackend(plan));
  return { backend: plan.backend, reason: plan.reason, gpu: plan.gpu };
}

/**
 * The fallback mover of a worker that serves an area's cpu queue but not its gpu queue: it moves that
 * area's gpu jobs to the cpu queue once they have waited MEDIAAI_GPU_FALLBACK_MS while a GPU worker is
 * connected, and at once when none is ("never": they wait). New gpu jobs on a deployment with no GPU
 * worker are queued on the cpu queue by the API already; this catches the ones queued just before the
 * last GPU worker left.
 */
export function startGpuMover(
  config: Config,
  served: QueueConcurrency[],
  db: Db,
  log: Logger,
): { close(): Promise<void> } | null {
  const fallbackMs = parseGpuFallback(config.MEDIAAI_GPU_FALLBACK_MS);
  const names = new Set(served.map((q) => q.queue));
  const areas = QUEUE_NAMES.filter((a) => names.has(a) && !names.has(gpuQueueOf(a)));
  if (fallbackMs === null || !areas.length) return null;
  const conn = redisConnection(config.REDIS_URL);
  const queues = new QueueSet(conn, config.MEDIAAI_QUEUE_PREFIX);
  const tick = async () => {
    for (const area of areas) {
      const gpuQueue = queues.get(gpuQueueOf(area));
      if ((await gpuQueue.count()) === 0) continue;
      const wait = (await gpuQueue.getWorkersCount()) > 0 ? fallbackMs : 0;
      const moved = await moveStaleGpuJobs(queues, area, wait);
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
  let moving: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      moving = moving
        .then(tick)
        .catch((err: Error) => log.warn({ err: err.message }, 'gpu fallback mover failed'));
    },
    Math.max(250, Math.min(1000, Math.floor(fallbackMs / 4))),
  );
  return {
    async close() {
      clearInterval(timer);
      await moving;
      await queues.close();
      (conn as Redis).disconnect();
    },
  };
}
