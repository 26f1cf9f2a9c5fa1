import type { Redis } from 'ioredis';

export type JobEventStatus = 'QUEUED' | 'ACTIVE' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/**
 * The one event a job emits: on start, on each progress report, and when it ends (or goes back to
 * the queue for a retry). Workers publish them in batches on one Redis channel; every API process
 * relays them to its GraphQL subscribers without reading the database.
 */
export interface JobEvent {
  jobId: string;
  newsroomId: string;
  type: string;
  status: JobEventStatus;
  /** 0 to 1. */
  progress: number;
  message: string | null;
  /** Step details from the handler (e.g. {epoch, loss}, or a generated token). */
  data: Record<string, unknown> | null;
  error: string | null;
}

export const jobEventsChannel = (prefix: string) => `${prefix}:job-events`;

/** Publishes a batch of events as one message. */
export async function publishJobEvents(redis: Redis, prefix: string, events: JobEvent[]): Promise<void> {
  if (events.length) await redis.publish(jobEventsChannel(prefix), JSON.stringify(events));
}

/** Reads one channel message; anything that is not a list of events is ignored. */
export function parseJobEvents(message: string): JobEvent[] {
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed)
      ? parsed.filter(
          (e): e is JobEvent =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as JobEvent).jobId === 'string' &&
            typeof (e as JobEvent).newsroomId === 'string',
        )
      : [];
  } catch {
    return [];
  }
}
