/** What travels in BullMQ's job data. The database row (same id) holds the rest. */
export interface QueuedJobData {
  newsroomId: string;
  payload: unknown;
  /** How often a worker of another deployment sharing the queue (no row in its database) handed it back. */
  handBacks?: number;
}

/** What travels as BullMQ progress. */
export interface ProgressEvent {
  fraction: number;
  message?: string;
  data?: Record<string, unknown>;
}

export const cancelChannel = (prefix: string) => `${prefix}:cancel`;
