import { createPubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';
import { jobEventsChannel, parseJobEvents, redisConnection } from '@media-ai/jobs';
import type { JobProgressEvent } from './job.types.js';

export const JOB_EVENTS = 'JOB_EVENTS';
export type JobPubSub = ReturnType<typeof createJobPubSub>;
/** Job events by newsroom: a subscriber receives its own newsroom's events only (topic id = newsroom id). */
export const createJobPubSub = () =>
  createPubSub<{ [JOB_EVENTS]: [newsroomId: string, event: JobProgressEvent] }>();

/**
 * Relays the job events workers publish (in batches, on one Redis channel) to this API process's
 * GraphQL subscribers. The events carry everything a subscriber sees, so relaying reads no database.
 * Each API process runs its own bridge, so any number of them can serve subscriptions.
 */
export async function startProgressBridge(opts: {
  redisUrl: string;
  prefix: string;
  pubsub: JobPubSub;
  log: Logger;
}): Promise<{ close(): Promise<void> }> {
  const { pubsub, log } = opts;
  const channel = jobEventsChannel(opts.prefix);
  const subscriber = redisConnection(opts.redisUrl, true);
  subscriber.on('error', (err: Error) => log.warn({ err: err.message }, 'job events subscriber error'));
  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    for (const e of parseJobEvents(message)) pubsub.publish(JOB_EVENTS, e.newsroomId, e as JobProgressEvent);
  });
  await subscriber.subscribe(channel);
  return {
    async close() {
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}
