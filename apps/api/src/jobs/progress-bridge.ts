import { QueueEvents } from 'bullmq';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';
import type { Db } from '@media-ai/db';
import { ALL_QUEUE_NAMES } from '@media-ai/jobs';
import type { JobProgressEvent } from './job.types.js';

export const JOB_EVENTS = 'JOB_EVENTS';
export type JobPubSub = ReturnType<typeof createJobPubSub>;
export const createJobPubSub = () => createPubSub<{ [JOB_EVENTS]: [JobProgressEvent] }>();

/**
 * Listens to every queue's events in Redis and republishes them to this API process's GraphQL
 * subscribers. Each API process runs its own bridge, so any number of them can serve subscriptions.
 */
export async function startProgressBridge(opts: {
  redisUrl: string;
  prefix: string;
  db: Db;
  pubsub: JobPubSub;
  log: Logger;
}): Promise<{ close(): Promise<void> }> {
  const { db, pubsub, log } = opts;
  const all: QueueEvents[] = [];
  const publishFromRow = async (jobId: string, extra: Partial<JobProgressEvent> = {}) => {
    const row = await db.job.findUnique({ where: { id: jobId } }).catch(() => null);
    if (!row) return;
    pubsub.publish(JOB_EVENTS, {
      jobId,
      type: row.type,
      status: row.status,
      progress: row.progress,
      message: row.progressMessage,
      data: null,
      error: row.error,
      newsroomId: row.newsroomId,
      ...extra,
    });
  };
  for (const name of ALL_QUEUE_NAMES) {
    const events = new QueueEvents(name, { connection: { url: opts.redisUrl }, prefix: opts.prefix });
    events.on('progress', ({ jobId, data }) => {
      const d = (typeof data === 'object' && data ? data : {}) as {
        fraction?: number;
        message?: string;
        data?: unknown;
        newsroomId?: string;
        type?: string;
      };
      if (!d.newsroomId) return;
      pubsub.publish(JOB_EVENTS, {
        jobId,
        type: d.type ?? '',
        status: 'ACTIVE',
        progress: d.fraction ?? 0,
        message: d.message ?? null,
        data: d.data ?? null,
        error: null,
        newsroomId: d.newsroomId,
      });
    });
    // Status changes: read the row, which the worker has written before BullMQ reports the event.
    events.on('active', ({ jobId }) => void publishFromRow(jobId));
    events.on('completed', ({ jobId }) => void publishFromRow(jobId));
    events.on('failed', ({ jobId }) => void publishFromRow(jobId));
    events.on('error', (err) => log.warn({ err: err.message, queue: name }, 'queue events error'));
    all.push(events);
  }
  await Promise.all(all.map((e) => e.waitUntilReady()));
  return {
    async close() {
      await Promise.all(all.map((e) => e.close()));
    },
    publishFromRow,
  } as { close(): Promise<void> };
}
