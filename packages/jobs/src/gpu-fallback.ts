import type { Queue } from 'bullmq';
import { gpuQueueOf, type QueueName } from './define.js';
import type { QueueSet } from './queues.js';

/**
 * How long a gpu-class job waits in `<queue>-gpu` for a GPU worker before a CPU worker may take it.
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
