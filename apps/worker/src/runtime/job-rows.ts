import type { Redis } from 'ioredis';
import { publishJobEvents, type JobEvent } from '@media-ai/jobs';

/**
 * The statements' connection: a small node-postgres pool of the worker's own. These few statements
 * are the worker's hottest path; going through Prisma cost about 2 ms of the worker's CPU each.
 */
export interface RowSql {
  query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

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

/** Batches written at the same time: a new batch need not wait for the previous one's commit. */
const MAX_IN_FLIGHT = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The worker's writes to the jobs table, batched: starts, ends and progress of every job in flight
 * are collected and flushed together, one multi-row statement per kind (group commit). Up to
 * MAX_IN_FLIGHT batches are written at once, so a job waits for one commit, not for the batch ahead
 * of it as well (PostgreSQL also merges the WAL flushes of commits that arrive together). Batches in
 * flight never lock the same rows in opposite orders: a job's end is handed in only after its start
 * was written, and progress writes skip rows another statement holds. The job events are published
 * after their rows are written, one Redis message per batch and in batch order, so a subscriber that
 * reads the row sees at least what the event said.
 */
export class JobRowWriter {
  private starts: { req: StartRequest; w: Waiter<StartedRow | NotStarted> }[] = [];
  private finishes: { req: FinishRequest; w: Waiter<boolean> }[] = [];
  private progress = new Map<string, ProgressWrite>();
  private events: JobEvent[] = [];
  private inFlight = new Set<Promise<void>>();
  /** Event messages go out in batch order on one connection, without holding up the next batch. */
  private publishing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Queries and Redis messages sent, for the benchmark's per-job counts. */
  readonly counts = { queries: 0, publishes: 0, flushes: 0 };

  constructor(
    private readonly sql: RowSql,
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
    while (this.inFlight.size || this.scheduled || this.pending()) {
      await (this.inFlight.size ? Promise.race(this.inFlight) : new Promise((r) => setImmediate(r)));
    }
    await this.publishing;
  }

  private pending(): boolean {
    return !!(this.starts.length || this.finishes.length || this.progress.size || this.events.length);
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight.size >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // One turn of the event loop gathers what every job in flight hands in.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.pending()) return;
      const batch: Promise<void> = this.flush().finally(() => {
        this.inFlight.delete(batch);
        if (this.pending()) this.schedule();
      });
      this.inFlight.add(batch);
      if (this.pending()) this.schedule();
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
    // This batch's turn to publish comes after the batches before it, whichever commits first.
    let written!: () => void;
    const rowsWritten = new Promise<void>((r) => (written = r));
    this.publishing = this.publishing.then(async () => {
      await rowsWritten;
      const all = [...startEvents, ...events, ...finishEvents];
      if (!all.length) return;
      this.counts.publishes++;
      await publishJobEvents(this.redis, this.prefix, all).catch(() => undefined);
    });
    try {
      await Promise.all([
        this.flushStarts(starts, startEvents),
        this.flushFinishes(finishes, finishEvents),
        this.flushProgress(progress),
      ]);
    } finally {
      written();
    }
  }

  private async flushStarts(
    batch: { req: StartRequest; w: Waiter<StartedRow | NotStarted> }[],
    events: JobEvent[],
  ): Promise<void> {
    if (!batch.length) return;
    let rows: { id: string; webhookUrl: string | null }[];
    try {
      // A job id that is not a row id (a scheduler's run) has no row: it is "missing" below.
      const reqs = batch.map((b) => b.req).filter((r) => UUID.test(r.id));
      rows = reqs.length ? await this.runStarts(reqs) : [];
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
        const ids = others.map((o) => o.req.id).filter((id) => UUID.test(id));
        if (ids.length) {
          this.counts.queries++;
          const found = await this.sql.query<{ id: string; status: string; result: unknown }>(
            'SELECT id::text AS id, status::text AS status, result FROM "Job" WHERE id = ANY($1::uuid[])',
            [ids],
          );
          states = new Map(found.rows.map((f) => [f.id, f]));
        }
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
    const r = await this.sql.query<{ id: string; webhookUrl: string | null }>(
      `UPDATE "Job" AS j
          SET status = 'ACTIVE', "startedAt" = now(), attempts = j.attempts + 1,
              queue = v.queue, runtime = v.runtime::jsonb, "finishedAt" = NULL
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, queue, runtime)
        WHERE j.id = v.id AND j.status NOT IN ('CANCELLED', 'COMPLETED')
    RETURNING j.id::text AS id,
              COALESCE(j."webhookUrl", (SELECT c."webhookUrl" FROM "ApiClient" c WHERE c.id = j."requesterId")) AS "webhookUrl"`,
      [reqs.map((q) => q.id), reqs.map((q) => q.queue), reqs.map((q) => JSON.stringify(q.runtime))],
    );
    return r.rows;
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
    const { rows } = await this.sql.query<{ id: string }>(
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
      [
        reqs.map((r) => r.id),
        reqs.map((r) => r.status),
        reqs.map((r) => (r.result === undefined || r.result === null ? null : JSON.stringify(r.result))),
        reqs.map((r) => (r.error == null ? null : stripNul(r.error))),
        reqs.map((r) => r.errorCode ?? null),
        reqs.map((r) => !!r.handBack),
        reqs.map((r) => (r.message == null ? null : stripNul(r.message))),
        reqs.map((r) => (r.status === 'FAILED' ? (r.retryable ?? null) : null)),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  private async flushProgress(batch: Map<string, ProgressWrite>): Promise<void> {
    if (!batch.size) return;
    const ids = [...batch.keys()];
    this.counts.queries++;
    // SKIP LOCKED: a row that another batch's statement holds (its end being written) is left
    // alone, so this statement never waits for a lock and can never deadlock with that one.
    await this.sql
      .query(
        `UPDATE "Job" AS j SET progress = v.progress, "progressMessage" = v.message
           FROM unnest($1::uuid[], $2::float8[], $3::text[]) AS v(id, progress, message)
          WHERE j.id = v.id
            AND j.id IN (SELECT id FROM "Job" WHERE id = ANY($1::uuid[]) AND status = 'ACTIVE' FOR UPDATE SKIP LOCKED)`,
        [
          ids,
          ids.map((id) => batch.get(id)!.fraction),
          ids.map((id) => {
            const m = batch.get(id)!.message;
            return m == null ? null : stripNul(m);
          }),
        ],
      )
      // Progress is advisory; the final state is written when the job ends.
      .catch(() => undefined);
  }
}

/** PostgreSQL text cannot hold NUL characters. */
function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
}
