import type { Queue } from 'bullmq';
import {
  gpuQueueOf,
  queueFor,
  type AnyQueueName,
  type GpuQueueName,
  type QueueName,
  type ResourceClass,
} from './define.js';
import type { QueueSet } from './queues.js';

/**
 * How long a gpu-class job waits in `<queue>-gpu` for a busy GPU worker before a CPU worker may take it
 * (with no GPU worker connected, gpu jobs go to the cpu queue at once: see GpuPlacement).
 * `MEDIAAI_GPU_FALLBACK_MS`: milliseconds; `never`, 0 or a negative number: never fall back.
 */
export function parseGpuFallback(
  value: string | number | undefined | null,
  fallbackDefault = 120_000,
): number | null {
  if (value === undefined || value === null || value === '') return fallbackDefault;
  if (typeof value === 'string' && value.trim().toLowerCase() === 'never') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new Error(`MEDIAAI_GPU_FALLBACK_MS must be milliseconds or "never"; got "${value}"`);
  }
  return n > 0 ? n : null;
}

export interface MovedJob {
  jobId: string;
  name: string;
  from: string;
  to: QueueName;
  waitedMs: number;
}

/**
 * Moves the gpu-class jobs of one area that have waited longer than `olderThanMs` in `<queue>-gpu`
 * (no GPU worker took them) to the area's cpu queue, keeping their id, data and options.
 * Safe with several movers at once: a job is added to the cpu queue only by the mover whose
 * removal from the gpu queue succeeded, and a job a GPU worker has started (locked) is not removed.
 */
export async function moveStaleGpuJobs(
  queues: QueueSet,
  area: QueueName,
  olderThanMs: number,
  now = Date.now(),
): Promise<MovedJob[]> {
  const from: Queue = queues.get(gpuQueueOf(area));
  const to: Queue = queues.get(area);
  const moved: MovedJob[] = [];
  // Oldest first; waiting jobs only (delayed ones are retries or deliberate delays, moved once they are due).
  const waiting = await from.getJobs(['waiting'], 0, 199, true);
  for (const job of waiting) {
    if (!job.id) continue;
    const waitedMs = now - job.timestamp - (job.opts.delay ?? 0);
    if (waitedMs < olderThanMs) continue;
    const removed = await from.remove(job.id).catch(() => 0);
    if (removed !== 1) continue; // taken by a GPU worker or by another mover meanwhile
    const { jobId, attempts, backoff, removeOnComplete, removeOnFail } = job.opts;
    await to.add(job.name, job.data, {
      jobId: jobId ?? job.id,
      // Tries already spent on the gpu queue count against the job's total.
      attempts: Math.max(1, (attempts ?? 1) - job.attemptsMade),
      backoff,
      removeOnComplete,
      removeOnFail,
    });
    moved.push({ jobId: job.id, name: job.name, from: from.name, to: area, waitedMs });
  }
  return moved;
}

/**
 * Where a new job goes. cpu-class jobs go to their area queue. gpu-class jobs go to `<queue>-gpu`
 * while a GPU worker serves it (or while the fallback is disabled: they wait for one); on a
 * deployment with no GPU worker connected they go straight to the area's cpu queue.
 * Whether a GPU worker is connected is asked of Redis at most once a second per queue.
 */
export class GpuPlacement {
  private readonly seen = new Map<GpuQueueName, { at: number; connected: Promise<boolean> }>();

  constructor(
    private readonly queues: QueueSet,
    /** MEDIAAI_GPU_FALLBACK_MS as parsed by parseGpuFallback: null means never fall back. */
    readonly fallbackMs: number | null,
    private readonly cacheMs = 1000,
  ) {}

  async queueFor(def: { queue: QueueName; resource: ResourceClass }): Promise<AnyQueueName> {
    if (def.resource !== 'gpu' || this.fallbackMs === null) return queueFor(def);
    return (await this.gpuWorkerConnected(def.queue)) ? gpuQueueOf(def.queue) : def.queue;
  }

  gpuWorkerConnected(area: QueueName, now = Date.now()): Promise<boolean> {
    const name = gpuQueueOf(area);
    const hit = this.seen.get(name);
    if (hit && now - hit.at < this.cacheMs) return hit.connected;
    const connected = this.queues
      .get(name)
      .getWorkersCount()
      .then((n) => n > 0);
    // A failed look-up is not cached: the next job asks again.
    connected.catch(() => this.seen.delete(name));
    this.seen.set(name, { at: now, connected });
    return connected;
  }
}
