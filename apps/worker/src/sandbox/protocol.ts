import type { ProgressEvent } from '@media-ai/jobs';

export type ToThread =
  | {
      type: 'run';
      runId: number;
      name: string;
      payload: unknown;
      jobId: string;
      newsroomId: string;
      attempt: number;
    }
  | { type: 'abort'; runId: number; reason: string }
  /** Closing on purpose: run cleanup hooks, then answer 'closed'. */
  | { type: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  /** Whether the queue may try again; absent: yes. */
  retryable?: boolean;
  stack?: string;
}

export type FromThread =
  | ({ type: 'progress'; runId: number } & ProgressEvent)
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; data?: Record<string, unknown> }
  | { type: 'done'; runId: number; result: unknown }
  | { type: 'failed'; runId: number; error: SerializedError }
  | { type: 'closed' };
