import type { Prisma } from '@media-ai/db';
import {
  ALL_QUEUE_NAMES,
  QueueSet,
  redisConnection,
  type AnyQueueName,
  type JobContext,
  type PayloadOf,
  type ResultOf,
} from '@media-ai/jobs';
import { renameOrphanClusters, scrubAnalyses } from '@media-ai/vision-platform/worker';
import { workerConfig } from '../lib/deps.js';

type Result = ResultOf<'vision.erase-faces'>;

const BATCH = 200;

/**
 * What an erased face leaves behind, rewritten without it (faces were deleted first, by deletePerson
 * or the retention job): the asset's stored face analysis lists only faces that still exist, with
 * the person they now belong to; its alt text is composed again from the stored objects, text and the
 * names of the remaining faces (a face that went keeps its place as an unnamed person); the results
 * of the asset's vision.analyze jobs carry that alt text. Jobs that named the person (enrolments) are
 * deleted, and so are their entries, and those of the rewritten jobs, in the queue (finished jobs and
 * their events are kept in Redis for a while). Safe to run again: a second pass changes nothing.
 */
export async function runEraseFaces(
  payload: PayloadOf<'vision.erase-faces'>,
  ctx: JobContext,
): Promise<Result> {
  const db = ctx.db;
  const assetIds = [...new Set(payload.assetIds)];
  const jobIds = [...new Set(payload.jobIds ?? [])];
  const out: Result = {
    status: 'erased',
    assetsChecked: assetIds.length,
    analysesChanged: 0,
    jobResultsChanged: 0,
    jobsDeleted: 0,
    queueEntriesRemoved: 0,
    clustersRenamed: 0,
  };
  const steps = Math.ceil(assetIds.length / BATCH) + 2;
  let step = 0;
  /** Queue entries to remove, by queue name. */
  const queueJobs = new Map<string, Set<string>>();
  const dropQueueEntry = (queue: string, id: string) =>
    queueJobs.set(queue, (queueJobs.get(queue) ?? new Set()).add(id));

  for (let i = 0; i < assetIds.length; i += BATCH) {
    ctx.signal.throwIfAborted();
    const batch = assetIds.slice(i, i + BATCH);
    const { analyses, altTexts } = await scrubAnalyses(db, batch);
    out.analysesChanged += analyses;
    const jobs = await db.job.findMany({
      where: { type: 'vision.analyze', assetId: { in: batch }, result: { not: { equals: null } } },
      select: { id: true, queue: true, assetId: true, result: true },
    });
    for (const job of jobs) {
      const result = job.result as Record<string, unknown> | null;
      const text = altTexts.get(job.assetId!);
      if (!result || typeof result.altText !== 'string' || text === undefined || result.altText === text)
        continue;
      await db.job.update({
        where: { id: job.id },
        data: { result: { ...result, altText: text } as Prisma.InputJsonValue },
      });
      dropQueueEntry(job.queue, job.id);
      out.jobResultsChanged++;
    }
    ctx.progress(++step / steps, `${Math.min(i + BATCH, assetIds.length)} of ${assetIds.length} assets`);
  }

  if (jobIds.length > 0) {
    // Only finished enrolments of people who no longer exist.
    const enrolments = await db.job.findMany({
      where: {
        id: { in: jobIds },
        type: 'vision.enrol',
        status: { in: ['COMPLETED', 'FAILED', 'CANCELLED'] },
      },
      select: { id: true, queue: true, input: true },
    });
    const personIds = [...new Set(enrolments.map((j) => (j.input as { personId?: string }).personId ?? ''))];
    const alive = new Set(
      (await db.person.findMany({ where: { id: { in: personIds } }, select: { id: true } })).map((p) => p.id),
    );
    const rows = enrolments.filter((j) => !alive.has((j.input as { personId?: string }).personId ?? ''));
    for (const r of rows) dropQueueEntry(r.queue, r.id);
    out.jobsDeleted = (await db.job.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  }
  ctx.progress(++step / steps, 'Job rows rewritten');

  out.clustersRenamed = await renameOrphanClusters(db);
  if (queueJobs.size > 0) out.queueEntriesRemoved = await removeQueueEntries(queueJobs);
  ctx.progress(1, `Erased from ${out.analysesChanged} analyses and ${out.jobsDeleted} jobs`);
  return out;
}

/**
 * Removes finished jobs from the queue's Redis keys (their data and return value) and their entries
 * in the queue's event stream. Jobs still waiting or running are left alone.
 */
async function removeQueueEntries(byQueue: Map<string, Set<string>>): Promise<number> {
  const config = workerConfig();
  const redis = redisConnection(config.REDIS_URL);
  const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
  let removed = 0;
  try {
    for (const [name, ids] of byQueue) {
      if (!(ALL_QUEUE_NAMES as readonly string[]).includes(name)) continue;
      const queue = queues.get(name as AnyQueueName);
      for (const id of ids) {
        const job = await queue.getJob(id);
        if (job && ((await job.isCompleted()) || (await job.isFailed()))) {
          await job.remove();
          removed++;
        }
      }
      // The queue's event stream repeats return values ("completed" events): drop the jobs' events.
      const stream = `${config.MEDIAAI_QUEUE_PREFIX}:${name}:events`;
      const entries = (await redis.xrange(stream, '-', '+')) as Array<[string, string[]]>;
      const drop = entries
        .filter(([, fields]) => {
          const at = fields.indexOf('jobId');
          return at >= 0 && at % 2 === 0 && ids.has(fields[at + 1]!);
        })
        .map(([id]) => id);
      for (let i = 0; i < drop.length; i += 500) await redis.xdel(stream, ...drop.slice(i, i + 500));
      removed += drop.length;
    }
  } finally {
    await queues.close();
    redis.disconnect();
  }
  return removed;
}
