import type { JobName, PayloadOf, ResultOf } from './registry.js';

export interface JobLogger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface JobContext {
  jobId: string;
  newsroomId: string;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the job is cancelled or its worker shuts down. */
  signal: AbortSignal;
  /** fraction in [0, 1]; data is free-form (e.g. {epoch, loss}) and reaches subscribers. */
  progress(fraction: number, message?: string, data?: Record<string, unknown>): void;
  log: JobLogger;
}

export type JobHandler<N extends JobName> = (payload: PayloadOf<N>, ctx: JobContext) => Promise<ResultOf<N>>;

export interface HandlerEntry {
  name: JobName;
  run: (payload: unknown, ctx: JobContext) => Promise<unknown>;
}

/** Binds a handler to a job name with the registry's payload and result types. */
export function handle<N extends JobName>(name: N, run: JobHandler<N>): HandlerEntry {
  return { name, run: run as (payload: unknown, ctx: JobContext) => Promise<unknown> };
}

/** An error that must not be retried (bad input, unknown ids): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    readonly code = 'BAD_USER_INPUT',
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
