/** What travels in BullMQ's job data. The database row (same id) holds the rest. */
export interface QueuedJobData {
  newsroomId: string;
  payload: unknown;
}

/** What travels as BullMQ progress. */
export interface ProgressEvent {
  fraction: number;
  message?: string;
  data?: Record<string, unknown>;
}

export const cancelChannel = (prefix: string) => `${prefix}:cancel`;
