import type { Redis } from 'ioredis';
import type { Db } from '@media-ai/db';
import { publishJobEvents, type JobEvent } from '@media-ai/jobs';

/** What a started job needs from its row. */
export interface StartedRow {
  id: string;
  /** The job's own webhook URL, or its requester's. */
  webhookUrl: string | null;
}

/** Why a job could not start: no row, or a row that must not run again. */
export type NotStarted =
  { state: 'missing' } | { state: 'cancelled' } | { state: 'completed'; result: unknown };

export interface StartRequest {
  id: string;
  queue: string;
  runtime: Record<string, unknown>;
  event: JobEvent;
}

export interface FinishRequest {
  id: string;
  status: 'COMPLETED' | 'FAILED' | 'QUEUED';
  result?: unknown;
  error?: string | null;
  errorCode?: string | null;
  /** FAILED: whether a retry can succeed (false when the job failed on its input). */
  retryable?: boolean | null;
  /** The job goes back to the queue without having spent a try (shutdown hand-back). */
  handBack?: boolean;
  message?: string | null;
  event: JobEvent;
}

interface ProgressWrite {
  fraction: number;
  message: string | null;
}

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: unknown): void;
}

/**
 * The worker's writes to the jobs table, batched: starts, ends and progress of every job in flight
 * are collected while the previous batch is being written and flushed together, one multi-row
 * statement per kind (group commit). The job events are published after their rows are written,
 * one Redis message per batch, so a subscriber that reads the row sees at least what the event said.
 */
export class JobRowWriter {
  private starts: { req: StartRequest; w: Waiter<StartedRow | NotStarted> }[] = [];
  private finishes: { req: FinishRequest; w: Waiter<boolean> }[] = [];
  private progress = new Map<string, ProgressWrite>();
  private events: JobEvent[] = [];
  private flushing: Promise<void> | null = null;
  /** Event messages go out in batch order on one connection, without holding up the next batch. */
  private publishing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Queries and Redis messages sent, for the benchmark's per-job counts. */
  readonly counts = { queries: 0, publishes: 0, flushes: 0 };

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Marks the row ACTIVE (attempts + 1) unless it is cancelled, completed or missing. */
  start(req: StartRequest): Promise<StartedRow | NotStarted> {
    return new Promise((resolve, reject) => {
      this.starts.push({ req, w: { resolve, reject } });
      this.schedule();
    });
  }

  /** Writes the outcome if the row is still ACTIVE; false when it was not (cancelled meanwhile). */
  finish(req: FinishRequest): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.finishes.push({ req, w: { resolve, reject } });
      this.schedule();
    });
  }

  /** The latest progress of a running job, written with the next batch; the event goes out with it. */
  reportProgress(id: string, write: ProgressWrite | null, event: JobEvent): void {
    if (write) this.progress.set(id, write);
    this.events.push(event);
    this.schedule();
  }

  /** Resolves once everything handed in so far is written and published. */
  async drain(): Promise<void> {
    while (this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((r) => setImmediate(r)));
    }
    await this.publishing;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.starts.length || this.finishes.length || this.progress.size || this.events.length) {
          this.schedule();
        }
      });
    });
  }

  private async flush(): Promise<void> {
    const starts = this.starts;
    const finishes = this.finishes;
    const progress = this.progress;
    this.starts = [];
    this.finishes = [];
    this.progress = new Map();
    // A job that ends in this batch needs no progress write (and two statements must not lock its row).
    for (const f of finishes) progress.delete(f.req.id);
    this.counts.flushes++;
    // Events queued before this flush's rows (progress of running jobs) keep their order.
    const events = this.events;
    this.events = [];
    const startEvents: JobEvent[] = [];
    const finishEvents: JobEvent[] = [];
    await Promise.all([
      this.flushStarts(starts, startEvents),
      this.flushFinishes(finishes, finishEvents),
      this.flushProgress(progress),
    ]);
    const all = [...startEvents, ...events, ...finishEvents];
    if (all.length) {
      this.counts.publishes++;
      this.publishing = this.publishing.then(() =>
        publishJobEvents(this.redis, this.prefix, all).catch(() => undefined),
      );
    }
  }

  private async flushStarts(
    batch: { req: StartRequest; w: Waiter<StartedRow | NotStarted> }[],
    events: JobEvent[],
  ): Promise<void> {
    if (!batch.length) return;
    let rows: { id: string; webhookUrl: string | null }[];
    try {
      rows = await this.runStarts(batch.map((b) => b.req));
    } catch (err) {
      for (const b of batch) b.w.reject(err);
      return;
    }
    const started = new Map(rows.map((r) => [r.id, r]));
    const others = batch.filter((b) => !started.has(b.req.id));
    let states = new Map<string, { status: string; result: unknown }>();
    if (others.length) {
      // Rare: the row is missing, cancelled or already completed. One read for all of them.
      try {
        this.counts.queries++;
        const found = await this.db.job.findMany({
          where: { id: { in: others.map((o) => o.req.id) } },
          select: { id: true, status: true, result: true },
        });
        states = new Map(found.map((f) => [f.id, f]));
      } catch (err) {
        for (const o of others) o.w.reject(err);
        return;
      }
    }
    for (const b of batch) {
      const row = started.get(b.req.id);
      if (row) {
        events.push(b.req.event);
        b.w.resolve(row);
        continue;
      }
      const s = states.get(b.req.id);
      if (!s) b.w.resolve({ state: 'missing' });
      else if (s.status === 'COMPLETED') b.w.resolve({ state: 'completed', result: s.result });
      else b.w.resolve({ state: 'cancelled' });
    }
  }

  private async runStarts(reqs: StartRequest[]): Promise<{ id: string; webhookUrl: string | null }[]> {
    this.counts.queries++;
    return this.db.$queryRawUnsafe<{ id: string; webhookUrl: string | null }[]>(
      `UPDATE "Job" AS j
          SET status = 'ACTIVE', "startedAt" = now(), attempts = j.attempts + 1,
              queue = v.queue, runtime = v.runtime::jsonb, "finishedAt" = NULL
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, queue, runtime)
        WHERE j.id = v.id AND j.status NOT IN ('CANCELLED', 'COMPLETED')
    RETURNING j.id::text AS id,
              COALESCE(j."webhookUrl", (SELECT c."webhookUrl" FROM "ApiClient" c WHERE c.id = j."requesterId")) AS "webhookUrl"`,
      reqs.map((r) => r.id),
      reqs.map((r) => r.queue),
      reqs.map((r) => JSON.stringify(r.runtime)),
    );
  }

  private async flushFinishes(batch: { req: FinishRequest; w: Waiter<boolean> }[], events: JobEvent[]) {
    if (!batch.length) return;
    const settle = (updated: Set<string>) => {
      for (const b of batch) {
        const ok = updated.has(b.req.id);
        if (ok) events.push(b.req.event);
        b.w.resolve(ok);
      }
    };
    try {
      settle(await this.runFinishes(batch.map((b) => b.req)));
    } catch {
      // One bad value (a result PostgreSQL refuses) must not fail the others: write them one by one.
      const updated = new Set<string>();
      for (const b of batch) {
        try {
          for (const id of await this.runFinishes([b.req])) updated.add(id);
        } catch (err) {
          b.w.reject(err); // settle() below cannot resolve it any more
        }
      }
      settle(updated);
    }
  }

  private async runFinishes(reqs: FinishRequest[]): Promise<Set<string>> {
    this.counts.queries++;
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Job" AS j
          SET status = v.status::"JobStatus",
              progress = CASE WHEN v.status = 'COMPLETED' THEN 1 ELSE j.progress END,
              "progressMessage" = COALESCE(v.message, j."progressMessage"),
              result = CASE WHEN v.status = 'COMPLETED' THEN v.result::jsonb ELSE j.result END,
              error = v.error, "errorCode" = v.code, retryable = v.retryable,
              "finishedAt" = CASE WHEN v.status = 'QUEUED' THEN NULL ELSE now() END,
              attempts = CASE WHEN v.hand_back THEN GREATEST(j.attempts - 1, 0) ELSE j.attempts END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::bool[])
              AS v(id, status, result, error, code, hand_back, message, retryable)
        WHERE j.id = v.id AND j.status = 'ACTIVE'
    RETURNING j.id::text AS id`,
      reqs.map((r) => r.id),
      reqs.map((r) => r.status),
      reqs.map((r) => (r.result === undefined || r.result === null ? null : JSON.stringify(r.result))),
      reqs.map((r) => (r.error == null ? null : stripNul(r.error))),
      reqs.map((r) => r.errorCode ?? null),
      reqs.map((r) => !!r.handBack),
      reqs.map((r) => (r.message == null ? null : stripNul(r.message))),
      reqs.map((r) => (r.status === 'FAILED' ? (r.retryable ?? null) : null)),
    );
    return new Set(rows.map((r) => r.id));
  }

  private async flushProgress(batch: Map<string, ProgressWrite>): Promise<void> {
    if (!batch.size) return;
    const ids = [...batch.keys()];
    this.counts.queries++;
    await this.db
      .$executeRawUnsafe(
        `UPDATE "Job" AS j SET progress = v.progress, "progressMessage" = v.message
           FROM unnest($1::uuid[], $2::float8[], $3::text[]) AS v(id, progress, message)
          WHERE j.id = v.id AND j.status = 'ACTIVE'`,
        ids,
        ids.map((id) => batch.get(id)!.fraction),
        ids.map((id) => {
          const m = batch.get(id)!.message;
          return m == null ? null : stripNul(m);
        }),
      )
      // Progress is advisory; the final state is written when the job ends.
      .catch(() => undefined);
  }
}

/** PostgreSQL text cannot hold NUL characters. */
function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
}
