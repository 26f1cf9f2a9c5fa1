import type { Job, TenantDb } from '@media-ai/db';
import { JOB_EVENTS, type JobPubSub } from '../jobs/progress-bridge.js';
import type { JobProgressEvent } from '../jobs/job.types.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/**
 * Follows platform jobs for a request that answers synchronously: listens to the job events every API
 * process relays (started before the job is queued, so no event is missed) and reads the job's row, on a
 * terminal event and every `pollMs` in case an event was lost. The job itself is an ordinary job: it goes on
 * when the request gives up waiting, and shows in GraphQL and on the dashboard like any other.
 */
export class JobWatch {
  private readonly iterator: AsyncIterator<JobProgressEvent>;
  private readonly buffer: JobProgressEvent[] = [];
  private listener: ((e: JobProgressEvent) => void) | null = null;
  private closed = false;

  constructor(pubsub: JobPubSub, newsroomId: string) {
    this.iterator = pubsub.subscribe(JOB_EVENTS, newsroomId)[Symbol.asyncIterator]();
    void this.pump();
  }

  private async pump() {
    while (!this.closed) {
      const next = await this.iterator.next().catch(() => ({ done: true, value: undefined }));
      if (next.done) return;
      const e = next.value as JobProgressEvent;
      if (this.listener) this.listener(e);
      else if (this.buffer.length < 10_000) this.buffer.push(e);
    }
  }

  /**
   * Waits until the job ends or `timeoutMs` passes (or `signal` aborts). Events of the job reach
   * `onEvent` in order, those that came before the call included. Resolves with the job's row when it
   * ended, else null.
   */
  wait(
    db: TenantDb,
    jobId: string,
    opts: {
      timeoutMs: number;
      pollMs?: number;
      signal?: AbortSignal;
      onEvent?: (e: JobProgressEvent) => void;
    },
  ): Promise<Job | null> {
    return new Promise<Job | null>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | null = null;
      let poller: NodeJS.Timeout | null = null;
      const finish = (row: Job | null, error?: unknown) => {
        if (settled) return;
        settled = true;
        this.listener = null;
        if (timer) clearTimeout(timer);
        if (poller) clearInterval(poller);
        opts.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error as Error);
        else resolve(row);
      };
      const check = async () => {
        try {
          const row = await db.job.findUnique({ where: { id: jobId } });
          if (row && TERMINAL.has(row.status)) finish(row);
        } catch (e) {
          finish(null, e);
        }
      };
      const onAbort = () => finish(null);
      const deliver = (e: JobProgressEvent) => {
        if (e.jobId !== jobId) return;
        opts.onEvent?.(e);
        if (TERMINAL.has(e.status)) void check();
      };
      for (const e of this.buffer.splice(0)) deliver(e);
      this.listener = deliver;
      opts.signal?.addEventListener('abort', onAbort);
      timer = setTimeout(() => void check().then(() => finish(null)), Math.max(0, opts.timeoutMs));
      poller = setInterval(() => void check(), opts.pollMs ?? 1000);
      void check();
    });
  }

  close(): void {
    this.closed = true;
    this.listener = null;
    void this.iterator.return?.();
  }
}
