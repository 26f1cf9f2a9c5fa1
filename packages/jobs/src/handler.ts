import { EngineError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import type { Storage } from '@media-ai/storage';
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
  /** The database as seen by the job's newsroom: every query is scoped to it. Built on first use. */
  readonly db: TenantDb;
  /** Media storage. */
  readonly storage: Storage;
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
export class PermanentJobError extends EngineError {
  constructor(message: string, code = 'BAD_USER_INPUT') {
    super(code, message, false);
    this.name = 'PermanentJobError';
  }
}

/**
 * The context of a step of a larger job: its progress from 0 to 1 is reported as from..to of the job's,
 * its messages prefixed. Lets one handler run another area's job function as a step (video keyframes
 * through image analysis) with one progress bar.
 */
export function progressRange(ctx: JobContext, from: number, to: number, prefix = ''): JobContext {
  return {
    jobId: ctx.jobId,
    newsroomId: ctx.newsroomId,
    attempt: ctx.attempt,
    signal: ctx.signal,
    log: ctx.log,
    get db() {
      return ctx.db;
    },
    get storage() {
      return ctx.storage;
    },
    progress: (fraction, message, data) =>
      ctx.progress(
        from + (to - from) * Math.min(1, Math.max(0, fraction)),
        message ? `${prefix}${message}` : prefix || undefined,
        data,
      ),
  };
}
