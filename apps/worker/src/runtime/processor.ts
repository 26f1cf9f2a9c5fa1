import os from 'node:os';
import { DelayedError, UnrecoverableError, type Job as QueueJob } from 'bullmq';
import type { Logger } from 'pino';
import {
  DatabaseUnavailableError,
  PermanentJobError,
  isDatabaseUnavailable,
  jobDefinition,
  withDbRetry,
  jobFailureOf,
  type AnyQueueName,
  type HandlerEntry,
  type JobContext,
  type JobEvent,
  type JobName,
  type ProgressEvent,
  type QueuedJobData,
} from '@media-ai/jobs';
import type { SandboxPool } from '../sandbox/pool.js';
import type { WorkerMetrics } from '../lib/metrics.js';
import { getJobService } from '../lib/deps.js';
import type { JobRowWriter } from './job-rows.js';
import type { JobWebhooks } from './webhooks.js';
import type { WorkerBackend } from './gpu-placement.js';
import type { WriteSlots } from './write-slots.js';
import { handlerContext } from './context.js';

export class ShutdownSignal extends Error {
  constructor() {
    super('The worker is shutting down; the job was handed back to the queue');
    this.name = 'ShutdownSignal';
  }
}
export class CancelSignal extends Error {
  constructor() {
    super('Cancelled on request');
    this.name = 'CancelSignal';
  }
}

/** How often a running job's progress is written to its row (every report still reaches subscribers). */
const PROGRESS_WRITE_MS = 500;

export interface ProcessorDeps {
  queue: AnyQueueName;
  handlers: Map<JobName, HandlerEntry>;
  pool: SandboxPool;
  rows: JobRowWriter;
  /** The queue worker's slots, lent while a finished job's end is written. */
  slots: WriteSlots;
  webhooks: JobWebhooks;
  metrics: WorkerMetrics;
  backend: WorkerBackend;
  /** Jobs running in this worker, for cancellation and shutdown. */
  running: Map<string, AbortController>;
  log: Logger;
  /** How long the final status write waits for an unreachable database (MEDIAAI_DB_RETRY_MS). */
  dbRetryMs: number;
  /** Time limits per job type from MEDIAAI_JOB_TIMEOUTS, over the definitions' own. */
  timeouts: ReadonlyMap<string, number>;
  /** For the message when a job of another deployment sharing the queue arrives. */
  queuePrefix: string;
}

/** How often a worker hands back a job it has no row for before failing it (another deployment's). */
const MAX_FOREIGN_HAND_BACKS = 10;

/**
 * The state machine of one job on one try: start the row (skip cancelled, completed or foreign
 * jobs), check the payload against its schema, run the handler in this thread or the sandbox,
 * then write the outcome and decide between retry, failure, cancellation and hand-back.
 */
export function createProcessor(d: ProcessorDeps) {
  const host = os.hostname();
  const { queue, rows, metrics, log } = d;
  return async (job: QueueJob<QueuedJobData>, token?: string): Promise<unknown> => {
    const name = job.name as JobName;
    const def = jobDefinition(name);
    const timeoutMs = d.timeouts.get(name) ?? def.options.timeoutMs;
    const jobId = job.id!;
    const { newsroomId } = job.data;
    const event = (e: Partial<JobEvent>): JobEvent => ({
      jobId,
      newsroomId,
      type: name,
      status: 'ACTIVE',
      progress: 0,
      message: null,
      data: null,
      error: null,
      ...e,
    });
    // While the database is unreachable the job goes back to the queue without spending a try.
    const handBack = async (why: string, delayMs: number): Promise<never> => {
      log.warn({ jobId, type: name, queue, why }, 'job handed back to the queue');
      if (token) await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    };
    const start = () =>
      rows.start({
        id: jobId,
        queue,
        runtime: {
          host,
          pid: process.pid,
          queue,
          resource: def.resource,
          backend: d.backend.backend,
          reason: d.backend.reason,
          // A gpu-class job a CPU worker runs: no GPU worker was connected, or none took it in time.
          ...(def.resource === 'gpu' && !d.backend.gpu ? { gpuFallback: true } : {}),
        },
        event: event({}),
      });
    let started: Awaited<ReturnType<typeof start>>;
    try {
      started = await withDbRetry(start, { maxWaitMs: 10_000 });
    } catch (e) {
      if (e instanceof DatabaseUnavailableError && token) return handBack(e.message, 5000);
      throw e;
    }
    if ('state' in started) {
      if (started.state === 'missing' && job.repeatJobKey) {
        // A scheduled run (e.g. nightly retraining): turn it into a real job with its own row.
        await getJobService().enqueue(newsroomId, name, job.data.payload as never, {
          idempotencyKey: job.id,
        });
        return { forwarded: true };
      }
      if (started.state === 'missing') {
        // Another deployment shares this Redis and queue prefix: hand the job back a few times for
        // its own workers (its reconciler re-queues it there should it fail here in the end).
        const message = `Job ${jobId} has no row in this deployment's jobs table: another deployment shares this Redis and MEDIAAI_QUEUE_PREFIX "${d.queuePrefix}"; give each deployment its own prefix`;
        const handBacks = job.data.handBacks ?? 0;
        if (handBacks < MAX_FOREIGN_HAND_BACKS && token) {
          await job.updateData({ ...job.data, handBacks: handBacks + 1 });
          return handBack(message, 2000);
        }
        throw new UnrecoverableError(message);
      }
      if (started.state === 'completed') return started.result;
      return { skipped: 'cancelled' };
    }
    const attempt = job.attemptsMade + 1;
    const ac = new AbortController();
    d.running.set(jobId, ac);
    let lastWrite = 0;
    const onProgress = (p: ProgressEvent) => {
      const fraction = Math.max(0, Math.min(1, Number.isFinite(p.fraction) ? p.fraction : 0));
      const message = p.message ?? null;
      const now = Date.now();
      // Throttled row writes; the final state is written when the job ends.
      const write = now - lastWrite > PROGRESS_WRITE_MS && fraction < 1 ? { fraction, message } : null;
      if (write) lastWrite = now;
      rows.reportProgress(jobId, write, event({ progress: fraction, message, data: p.data ?? null }));
    };
    const t0 = Date.now();
    const jlog = log.child({ jobId, type: name, queue, attempt });
    try {
      const parsed = def.payload.safeParse(job.data.payload);
      if (!parsed.success) {
        throw new PermanentJobError(`The payload does not match ${name}: ${parsed.error.issues[0]?.message}`);
      }
      let result: unknown;
      if (def.sandboxed) {
        result = await d.pool.run({
          name,
          payload: parsed.data,
          jobId,
          newsroomId,
          attempt,
          timeoutMs,
          signal: ac.signal,
          onProgress,
          onLog: (level, msg, data) => jlog[level](data ?? {}, msg),
        });
      } else {
        const ctx: JobContext = handlerContext({
          jobId,
          newsroomId,
          attempt,
          signal: ac.signal,
          progress: (fraction, message, data) => onProgress({ fraction, message, data }),
          log: {
            info: (m, data) => jlog.info(data ?? {}, m),
            warn: (m, data) => jlog.warn(data ?? {}, m),
            error: (m, data) => jlog.error(data ?? {}, m),
          },
        });
        result = await withTimeout(d.handlers.get(name)!.run(parsed.data, ctx), timeoutMs, ac);
      }
      if (ac.signal.aborted) throw ac.signal.reason;
      // Quick jobs (thousands a second) are logged at debug; longer ones at info.
      const ranMs = Date.now() - t0;
      jlog[ranMs >= 1000 ? 'info' : 'debug']({ ms: ranMs }, 'job ran to completion');
      let done: boolean;
      try {
        done = await d.slots.during(() =>
          withDbRetry(
            () =>
              rows.finish({
                id: jobId,
                status: 'COMPLETED',
                result: result ?? null,
                event: event({ status: 'COMPLETED', progress: 1 }),
              }),
            { maxWaitMs: d.dbRetryMs },
          ),
        );
      } catch (e) {
        if (!(e instanceof DatabaseUnavailableError)) throw e;
        // The result stays with the completed queue entry; the reconciler copies it to the row.
        jlog.error({ err: e.message }, 'job completed but its row could not be written; the reconciler will');
        return result;
      }
      metrics.jobs.inc({ queue, type: name, outcome: done ? 'completed' : 'cancelled' });
      metrics.duration.observe({ queue, type: name }, (Date.now() - t0) / 1000);
      if (done) {
        jlog.debug({ ms: Date.now() - t0 }, 'job completed');
        if (started.webhookUrl) d.webhooks.notifyLater(jobId, 'job.completed');
      }
      return result;
    } catch (err) {
      const reason: unknown = ac.signal.aborted ? ac.signal.reason : err;
      if (reason instanceof ShutdownSignal && token) {
        // Hand the job back without spending a try: another worker (or this one, restarted) takes it.
        await rows.finish({
          id: jobId,
          status: 'QUEUED',
          handBack: true,
          message: reason.message,
          event: event({ status: 'QUEUED', message: reason.message }),
        });
        await job.moveToDelayed(Date.now(), token);
        jlog.warn('job handed back on shutdown');
        throw new DelayedError();
      }
      if (isDatabaseUnavailable(reason) && token) {
        // The database went away under the job: not the job's fault, so no try is spent.
        await rows
          .finish({
            id: jobId,
            status: 'QUEUED',
            handBack: true,
            message: 'The database was unreachable; the job waits to run again',
            event: event({ status: 'QUEUED' }),
          })
          .catch(() => undefined);
        return handBack((reason as Error).message, 5000);
      }
      // An abort (timeout) is judged by its reason, not by how the handler reported being stopped.
      const failure = jobFailureOf(reason);
      const final = !failure.retryable || attempt >= (job.opts.attempts ?? 1);
      let written = false;
      if (!(reason instanceof CancelSignal)) {
        try {
          written = await withDbRetry(
            () =>
              rows.finish({
                id: jobId,
                status: final ? 'FAILED' : 'QUEUED',
                error: failure.message,
                errorCode: failure.code,
                retryable: failure.retryable,
                event: event({ status: final ? 'FAILED' : 'QUEUED', error: failure.message }),
              }),
            { maxWaitMs: d.dbRetryMs },
          );
        } catch (e) {
          if (!(e instanceof DatabaseUnavailableError)) throw e;
          // The queue records the failure; the reconciler brings the row in line.
          jlog.error({ err: e.message }, 'job failed and its row could not be written; the reconciler will');
          throw err instanceof Error ? err : new Error(failure.message);
        }
      }
      if (!written) {
        // The row left ACTIVE under us: cancelled on request.
        metrics.jobs.inc({ queue, type: name, outcome: 'cancelled' });
        if (started.webhookUrl) d.webhooks.notifyLater(jobId, 'job.cancelled');
        throw new UnrecoverableError('Cancelled on request');
      }
      metrics.jobs.inc({ queue, type: name, outcome: final ? 'failed' : 'retried' });
      jlog.warn(
        { err: failure.message, code: failure.code, final },
        final ? 'job failed' : 'job failed, will retry',
      );
      if (final && started.webhookUrl) d.webhooks.notifyLater(jobId, 'job.failed');
      if (!failure.retryable) throw new UnrecoverableError(failure.message);
      throw reason instanceof Error ? reason : new Error(failure.message);
    } finally {
      d.running.delete(jobId);
    }
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, ac: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      const err = new Error(`The job ran past its ${Math.round(ms / 1000)} s time limit and was stopped`);
      (err as Error & { code: string }).code = 'TIMEOUT';
      ac.abort(err);
      reject(err);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(ac.signal.reason);
    };
    ac.signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
