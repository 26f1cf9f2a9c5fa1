import { randomUUID } from 'node:crypto';
import type { Db, Job, Prisma } from '@media-ai/db';
import type { Redis } from 'ioredis';
import { gpuQueueOf, isQueueName, queueFor, type AnyQueueName } from './define.js';
import { isDatabaseUnavailable } from './db-retry.js';
import type { QueueSet } from './queues.js';
import { isJobName, jobDefinition, type JobName } from './registry.js';
import { addJobToQueue } from './service.js';

/**
 * Every job row ends in a terminal state or is queued: compares the jobs table with the queue and
 * repairs what an outage left behind.
 *
 * - row QUEUED/ACTIVE, queue entry missing (Redis restarted without its data, or flushed): re-added
 *   under the same job id (adding an existing id is a no-op, so two reconcilers cannot double it);
 * - row QUEUED/ACTIVE, queue entry completed (the worker's final write hit a database outage): the
 *   row takes the queue's result, the job does not run again;
 * - row QUEUED/ACTIVE, queue entry failed: re-queued when it failed because a service was
 *   unreachable (not the job's fault), otherwise the row is failed with the queue's reason;
 * - a row whose job type no longer exists is failed with UNKNOWN_JOB_TYPE.
 */
export interface ReconcileOptions {
  /** Rows younger than this are left alone: an enqueue writes its row just before the queue entry. */
  minAgeMs: number;
  /** An ACTIVE row without a queue entry is taken as abandoned only once it started this long ago. */
  activeStaleMs: number;
  /** Only this newsroom's rows (tests that share one database between deployments). */
  newsroomId?: string;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface ReconcileReport {
  checked: number;
  requeued: number;
  completed: number;
  failed: number;
  retried: number;
}

const REQUEUED_MESSAGE = 'Re-queued: its queue entry was missing (was Redis restarted without its data?)';

/** Failures that were the platform's, not the job's: the reconciler runs these again. */
export function isInfrastructureFailure(reason: string | undefined): boolean {
  if (!reason) return false;
  return (
    isDatabaseUnavailable({ message: reason }) ||
    /has no row in (the|this deployment's) jobs table|Connection is closed|ECONNREFUSED/i.test(reason)
  );
}

export async function reconcileJobs(
  db: Db,
  queues: QueueSet,
  opts: ReconcileOptions,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, requeued: 0, completed: 0, failed: 0, retried: 0 };
  const before = new Date(Date.now() - opts.minAgeMs);
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.job.findMany({
      where: {
        status: { in: ['QUEUED', 'ACTIVE'] },
        createdAt: { lt: before },
        ...(opts.newsroomId ? { newsroomId: opts.newsroomId } : {}),
      },
      orderBy: { id: 'asc' },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!rows.length) break;
    cursor = rows[rows.length - 1]!.id;
    for (const row of rows) {
      report.checked++;
      await reconcileRow(db, queues, row, opts, report);
    }
  }
  if (report.requeued + report.completed + report.failed + report.retried > 0) {
    opts.log?.info({ ...report }, 'reconciler repaired job rows');
  }
  return report;
}

async function reconcileRow(
  db: Db,
  queues: QueueSet,
  row: Job,
  opts: ReconcileOptions,
  report: ReconcileReport,
): Promise<void> {
  const open = { id: row.id, status: { in: ['QUEUED', 'ACTIVE'] as ('QUEUED' | 'ACTIVE')[] } };
  if (!isJobName(row.type)) {
    await db.job.updateMany({
      where: open,
      data: {
        status: 'FAILED',
        errorCode: 'UNKNOWN_JOB_TYPE',
        retryable: false,
        error: `No job type "${row.type}" in this version of the platform; the job cannot run`,
        finishedAt: new Date(),
      },
    });
    report.failed++;
    return;
  }
  const def = jobDefinition(row.type as JobName);
  const names = new Set<AnyQueueName>([gpuQueueOf(def.queue), def.queue]);
  if (isQueueName(row.queue)) names.add(row.queue);
  let found: { job: Awaited<ReturnType<ReturnType<QueueSet['get']>['getJob']>>; state: string } | undefined;
  for (const name of names) {
    const job = await queues.get(name).getJob(row.id);
    if (job) {
      found = { job, state: await job.getState() };
      break;
    }
  }
  const log = opts.log;
  if (!found || found.state === 'unknown') {
    if (row.status === 'ACTIVE' && row.startedAt && Date.now() - row.startedAt.getTime() < opts.activeStaleMs)
      return;
    const queue = isQueueName(row.queue) ? row.queue : queueFor(def);
    await addJobToQueue(queues, queue, row, row.input);
    await db.job.updateMany({ where: open, data: { status: 'QUEUED', progressMessage: REQUEUED_MESSAGE } });
    log?.warn(
      { jobId: row.id, type: row.type, queue, was: row.status },
      'job re-queued: its queue entry was missing',
    );
    report.requeued++;
    return;
  }
  const qjob = found.job!;
  if (found.state === 'completed') {
    const done = await db.job.updateMany({
      where: open,
      data: {
        status: 'COMPLETED',
        progress: 1,
        result: (qjob.returnvalue ?? null) as Prisma.InputJsonValue,
        error: null,
        errorCode: null,
        finishedAt: qjob.finishedOn ? new Date(qjob.finishedOn) : new Date(),
      },
    });
    if (done.count) {
      log?.warn(
        { jobId: row.id, type: row.type },
        'job row completed from the queue (its final write was lost)',
      );
      report.completed++;
    }
    return;
  }
  if (found.state === 'failed') {
    if (isInfrastructureFailure(qjob.failedReason)) {
      await qjob.retry('failed');
      await db.job.updateMany({
        where: open,
        data: {
          status: 'QUEUED',
          progressMessage: `Re-queued after a platform failure: ${qjob.failedReason}`,
        },
      });
      log?.warn(
        { jobId: row.id, type: row.type, reason: qjob.failedReason },
        'job re-queued after a platform failure',
      );
      report.retried++;
    } else {
      await db.job.updateMany({
        where: open,
        data: {
          status: 'FAILED',
          error: qjob.failedReason || 'The job failed in the queue',
          errorCode: 'JOB_FAILED',
          finishedAt: qjob.finishedOn ? new Date(qjob.finishedOn) : new Date(),
        },
      });
      log?.warn(
        { jobId: row.id, type: row.type, reason: qjob.failedReason },
        'job row failed from the queue',
      );
      report.failed++;
    }
  }
  // waiting, delayed, prioritized, active, waiting-children: the queue has it in hand.
}

export interface ReconcilerOptions extends ReconcileOptions {
  db: Db;
  queues: QueueSet;
  /** A connection for the leader lock (not a blocking worker connection). */
  redis: Redis;
  prefix: string;
  intervalMs: number;
}

export interface Reconciler {
  /** One pass now if this process holds (or takes) the leader lock; null when another process leads. */
  runOnce(): Promise<ReconcileReport | null>;
  stop(): Promise<void>;
}

// Takes the lock when free, or extends it when this process already holds it.
const LEAD_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/** Runs reconcileJobs every intervalMs in one process of the deployment (a leader lock in Redis). */
export function startReconciler(o: ReconcilerOptions): Reconciler {
  const key = `${o.prefix}:reconciler:leader`;
  const me = randomUUID();
  const runOnce = async (): Promise<ReconcileReport | null> => {
    const lead = (await o.redis.eval(LEAD_SCRIPT, 1, key, me, String(o.intervalMs * 3))) as number;
    if (lead !== 1) return null;
    return reconcileJobs(o.db, o.queues, o);
  };
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    running = running
      .then(runOnce)
      .catch((err: Error) =>
        o.log?.warn({ err: err.message }, 'reconciler pass failed; next pass will try again'),
      );
  }, o.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await o.redis.eval(RELEASE_SCRIPT, 1, key, me).catch(() => undefined);
    },
  };
}
