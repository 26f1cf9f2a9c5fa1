import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Db, Job, SqlPool } from '@media-ai/db';
import { DomainError } from '@media-ai/core';
import type { Redis } from 'ioredis';
import { cancelChannel, type QueuedJobData } from './messages.js';
import type { QueueSet } from './queues.js';
import { gpuQueueOf, isQueueName, type AnyQueueName } from './define.js';
import { GpuPlacement, parseGpuFallback } from './gpu-fallback.js';
import { publishJobEvents } from './events.js';
import { canRetry } from './errors.js';
import { isJobName, jobDefinition, type JobName, type PayloadOf } from './registry.js';

export interface EnqueueOptions {
  requesterId?: string | null;
  /** Same key, same newsroom: the existing job is returned instead of a new one. */
  idempotencyKey?: string | null;
  contentId?: string | null;
  assetId?: string | null;
  webhookUrl?: string | null;
  /** Delay before the job may start. */
  delayMs?: number;
  /** Not counted against the newsroom's quotas: erasure, which must never be refused. */
  exemptFromQuota?: boolean;
}

/** One job of enqueueMany: its type and payload (checked against the registry) and options. */
/** The queue options of a job: its row's id as job id, its definition's tries and backoff. */
export function jobQueueOptions(id: string, type: JobName, delayMs = 0): JobsOptions {
  const def = jobDefinition(type);
  return {
    jobId: id,
    attempts: def.options.attempts,
    backoff: { type: 'exponential', delay: def.options.backoffMs },
    delay: delayMs,
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Adds a job row to a queue under the row's id (adding an id the queue already holds is a no-op). */
export async function addJobToQueue(
  queues: QueueSet,
  queue: AnyQueueName,
  row: Pick<Job, 'id' | 'type' | 'newsroomId'>,
  payload: unknown,
): Promise<void> {
  const data: QueuedJobData = { newsroomId: row.newsroomId, payload };
  await queues.get(queue).add(row.type, data, jobQueueOptions(row.id, row.type as JobName));
}

export interface EnqueueItem extends EnqueueOptions {
  type: string;
  payload: unknown;
}

export interface JobServiceOptions {
  /**
   * node-postgres connections for the bulk row insert (Prisma's raw query costs several times the
   * statement's own time on 250-row arrays); from `createSqlPool`, which reads timestamps as UTC.
   * Without it the insert goes through Prisma.
   */
  sql?: SqlPool;
  /** MEDIAAI_GPU_FALLBACK_MS (milliseconds or "never"); decides where gpu-class jobs are queued. */
  gpuFallbackMs?: string | number | null;
}

/** Most jobs one enqueueMany call takes. */
export const MAX_BULK = 10_000;
// Rows written, then queued, per chunk: the next chunk is written while the previous one is queued.
const INSERT_CHUNK = 250;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a payload against its job's schema; the error names the field to fix.
 * Returns the payload as the schema reads it.
 */
export function checkPayload(type: JobName, payload: unknown, at = 'payload'): unknown {
  const value = payload ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DomainError('BAD_USER_INPUT', `${at} must be a JSON object`, { field: at });
  }
  const parsed = jobDefinition(type).payload.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [at, ...issue.path].join('.');
  throw new DomainError('BAD_USER_INPUT', `${field}: ${issue.message}`, { field });
}

/** Creates, cancels and retries jobs: the jobs table and the queue stay in step. */
export class JobService {
  private readonly placement: GpuPlacement;
  private readonly rawRows: <T>(text: string, values: unknown[]) => Promise<T[]>;

  constructor(
    private readonly db: Db,
    private readonly queues: QueueSet,
    private readonly publisher: Redis,
    opts: JobServiceOptions = {},
  ) {
    this.placement = new GpuPlacement(queues, parseGpuFallback(opts.gpuFallbackMs));
    const pool = opts.sql;
    this.rawRows = pool
      ? async <T>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as T[]
      : <T>(text: string, values: unknown[]) => this.db.$queryRawUnsafe<T[]>(text, ...values);
  }

  /** Queues one job; see enqueueMany for the checks. */
  async enqueue<N extends JobName>(
    newsroomId: string,
    name: N,
    payload: PayloadOf<N>,
    opts: EnqueueOptions = {},
  ): Promise<Job> {
    const [row] = await this.enqueueMany(newsroomId, [{ ...opts, type: name, payload }], {
      single: true,
      exemptFromQuota: opts.exemptFromQuota,
    });
    return row!;
  }

  /**
   * Queues many jobs with one round of checks: every payload against its job's schema, every
   * content and asset id against the newsroom, idempotency keys in one read, the quota once for the
   * whole batch. Rows are created with one multi-row INSERT per 1,000 jobs and queued with one
   * addBulk per queue. All or nothing: a bad item refuses the batch, naming the item and the field.
   * An item whose idempotency key was seen before (or earlier in the batch) returns that job.
   */
  async enqueueMany(
    newsroomId: string,
    items: EnqueueItem[],
    opts: { single?: boolean; exemptFromQuota?: boolean } = {},
  ): Promise<Job[]> {
    if (items.length > MAX_BULK) {
      throw new DomainError('BAD_USER_INPUT', `At most ${MAX_BULK} jobs per call; got ${items.length}`);
    }
    const at = (i: number) => (opts.single ? '' : `jobs[${i}].`);
    const payloads = items.map((item, i) => {
      if (!isJobName(item.type)) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `${at(i)}type: unknown job type "${String(item.type)}"; the jobTypes query lists them`,
          { field: `${at(i)}type` },
        );
      }
      return checkPayload(item.type, item.payload, `${at(i)}payload`);
    });
    await this.checkReferences(newsroomId, items, at);

    const keys = [...new Set(items.map((it) => it.idempotencyKey).filter((k): k is string => !!k))];
    const byKey = new Map<string, Job>();
    if (keys.length) {
      const existing = await this.db.job.findMany({ where: { newsroomId, idempotencyKey: { in: keys } } });
      for (const j of existing) byKey.set(j.idempotencyKey!, j);
    }
    const fresh: number[] = [];
    const firstOfKey = new Set<string>();
    items.forEach((it, i) => {
      const key = it.idempotencyKey;
      if (key && (byKey.has(key) || firstOfKey.has(key))) return;
      if (key) firstOfKey.add(key);
      fresh.push(i);
    });
    const ids = new Map(fresh.map((i) => [i, randomUUID()]));
    const byId = new Map<string, Job>();
    if (fresh.length) {
      if (!opts.exemptFromQuota) await this.checkQuota(newsroomId, fresh.length);
      const queueOfType = new Map<string, Promise<AnyQueueName>>();
      for (const i of fresh) {
        const type = items[i]!.type;
        if (!queueOfType.has(type))
          queueOfType.set(type, this.placement.queueFor(jobDefinition(type as JobName)));
      }
      const queueOf = new Map<string, AnyQueueName>();
      for (const [type, q] of queueOfType) queueOf.set(type, await q);
      // Each chunk's rows are written before its queue entries; the next chunk's rows are written
      // while this chunk is being queued (PostgreSQL and Redis work at the same time).
      const queued = new Set<string>();
      let queueing: Promise<void> = Promise.resolve();
      try {
        for (let c = 0; c < fresh.length; c += INSERT_CHUNK) {
          const chunk = fresh.slice(c, c + INSERT_CHUNK);
          const rows = await this.insertRows(
            newsroomId,
            chunk.map((i) => {
              const it = items[i]!;
              return {
                id: ids.get(i)!,
                type: it.type,
                // gpu-class jobs wait in `<queue>-gpu` while a GPU worker is connected (see GpuPlacement).
                queue: queueOf.get(it.type)!,
                input: payloads[i],
                idempotencyKey: it.idempotencyKey ?? null,
                requesterId: it.requesterId ?? null,
                contentId: it.contentId ?? null,
                assetId: it.assetId ?? null,
                webhookUrl: it.webhookUrl ?? null,
              };
            }),
          );
          for (const r of rows) byId.set(r.id, r);
          const delays = new Map<string, number | undefined>(
            chunk.map((i) => [ids.get(i)!, items[i]!.delayMs]),
          );
          await queueing;
          queueing = this.addToQueues(rows.map((row) => ({ row, delayMs: delays.get(row.id) }))).then(() => {
            for (const r of rows) queued.add(r.id);
          });
        }
        await queueing;
      } catch (e) {
        // Whatever is not in the queue (the rows of a chunk whose queueing failed, and those after it)
        // is marked failed; the queued ones run. A row written and not queued never stays QUEUED.
        await queueing.catch(() => undefined);
        const notQueued = [...byId.keys()].filter((id) => !queued.has(id));
        await this.db.job.updateMany({
          where: { id: { in: notQueued } },
          data: {
            status: 'FAILED',
            error: `Could not queue the job: ${(e as Error).message}`,
            errorCode: 'UNAVAILABLE',
            retryable: true,
            finishedAt: new Date(),
          },
        });
        throw new DomainError(
          'UNAVAILABLE',
          queued.size
            ? `The job queue became unavailable: ${queued.size} of ${fresh.length} jobs were queued, the other ${fresh.length - queued.size} were not (they are marked failed and can be retried). Try again shortly.`
            : 'The job queue is unavailable; the job was not queued. Try again shortly.',
        );
      }
      for (const r of byId.values()) if (r.idempotencyKey) byKey.set(r.idempotencyKey, r);
      const lost = keys.filter((k) => !byKey.has(k));
      if (lost.length) {
        const winners = await this.db.job.findMany({ where: { newsroomId, idempotencyKey: { in: lost } } });
        for (const j of winners) byKey.set(j.idempotencyKey!, j);
      }
    }
    return items.map((it, i) => (it.idempotencyKey ? byKey.get(it.idempotencyKey)! : byId.get(ids.get(i)!)!));
  }

  /**
   * One multi-row INSERT from arrays (unnest). Only the ids and creation times come back (the rest
   * is what was sent): reading back every column of 1,000 rows cost more than the insert. A row whose
   * idempotency key a concurrent request took first is skipped; its job is read by the caller.
   */
  private async insertRows(
    newsroomId: string,
    rows: {
      id: string;
      type: string;
      queue: string;
      input: unknown;
      idempotencyKey: string | null;
      requesterId: string | null;
      contentId: string | null;
      assetId: string | null;
      webhookUrl: string | null;
    }[],
  ): Promise<Job[]> {
    const inputs = rows.map((r) => JSON.stringify(r.input ?? null));
    const created = await this.rawRows<{ id: string; createdAt: Date }>(
      `INSERT INTO "Job" (id, "newsroomId", type, queue, input, "idempotencyKey", "requesterId", "contentId", "assetId", "webhookUrl")
       SELECT v.id, $1::uuid, v.type, v.queue, v.input::jsonb, v.key, v.requester, v.content, v.asset, v.hook
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[])
              AS v(id, type, queue, input, key, requester, content, asset, hook)
       ON CONFLICT DO NOTHING
       RETURNING id::text AS id, "createdAt"`,
      [
        newsroomId,
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.queue),
        inputs,
        rows.map((r) => r.idempotencyKey),
        rows.map((r) => r.requesterId),
        rows.map((r) => r.contentId),
        rows.map((r) => r.assetId),
        rows.map((r) => r.webhookUrl),
      ],
    );
    const createdAt = new Map(created.map((c) => [c.id, c.createdAt]));
    const out: Job[] = [];
    rows.forEach((r, k) => {
      const at = createdAt.get(r.id);
      if (!at) return;
      out.push({
        id: r.id,
        newsroomId,
        type: r.type,
        queue: r.queue,
        status: 'QUEUED',
        progress: 0,
        progressMessage: null,
        // The stored JSON, read back as PostgreSQL will hand it out (undefined fields dropped).
        input: JSON.parse(inputs[k]!) as Job['input'],
        result: null,
        error: null,
        errorCode: null,
        retryable: null,
        attempts: 0,
        idempotencyKey: r.idempotencyKey,
        requesterId: r.requesterId,
        contentId: r.contentId,
        assetId: r.assetId,
        webhookUrl: r.webhookUrl,
        runtime: null,
        createdAt: at,
        startedAt: null,
        finishedAt: null,
      });
    });
    return out;
  }

  private queueOptions(id: string, type: JobName, delayMs = 0): JobsOptions {
    return jobQueueOptions(id, type, delayMs);
  }

  /** One addBulk per queue: one Redis round trip for each. */
  private async addToQueues(jobs: { row: Job; delayMs?: number }[]): Promise<void> {
    const perQueue = new Map<AnyQueueName, { name: string; data: QueuedJobData; opts: JobsOptions }[]>();
    for (const { row, delayMs } of jobs) {
      const list = perQueue.get(row.queue as AnyQueueName) ?? [];
      list.push({
        name: row.type,
        data: { newsroomId: row.newsroomId, payload: row.input },
        opts: this.queueOptions(row.id, row.type as JobName, delayMs),
      });
      perQueue.set(row.queue as AnyQueueName, list);
    }
    await Promise.all([...perQueue].map(([q, list]) => this.queues.get(q).addBulk(list)));
  }

  /** Content and asset ids must belong to the newsroom: a job never stores another newsroom's reference. */
  private async checkReferences(newsroomId: string, items: EnqueueItem[], at: (i: number) => string) {
    const check = async (
      field: 'contentId' | 'assetId',
      found: (ids: string[]) => Promise<{ id: string }[]>,
    ): Promise<void> => {
      const wanted = [...new Set(items.map((it) => it[field]).filter((v): v is string => !!v))];
      if (!wanted.length) return;
      const ok = wanted.every((id) => UUID.test(id))
        ? new Set((await found(wanted)).map((r) => r.id))
        : new Set<string>(wanted.filter((id) => UUID.test(id)));
      const i = items.findIndex((it) => !!it[field] && (!UUID.test(it[field]) || !ok.has(it[field])));
      if (i < 0) return;
      const what = field === 'contentId' ? 'a content item' : 'an asset';
      throw new DomainError(
        'NOT_FOUND',
        `${at(i)}${field}: ${items[i]![field]} is not ${what} of your newsroom`,
        {
          field: `${at(i)}${field}`,
        },
      );
    };
    await check('contentId', (ids) =>
      this.db.contentItem.findMany({ where: { newsroomId, id: { in: ids } }, select: { id: true } }),
    );
    await check('assetId', (ids) =>
      this.db.mediaAsset.findMany({ where: { newsroomId, id: { in: ids } }, select: { id: true } }),
    );
  }

  /** The newsroom's limits, open jobs and jobs of the last 24 hours in one query; `adding` jobs must fit. */
  private async checkQuota(newsroomId: string, adding: number): Promise<void> {
    const [q] = await this.db.$queryRawUnsafe<
      { maxOpenJobs: number; maxJobsPerDay: number; open: bigint; today: bigint }[]
    >(
      `SELECT n."maxOpenJobs", n."maxJobsPerDay",
              (SELECT count(*) FROM "Job" j WHERE j."newsroomId" = n.id AND j.status IN ('QUEUED', 'ACTIVE')) AS open,
              (SELECT count(*) FROM "Job" j WHERE j."newsroomId" = n.id AND j."createdAt" >= now() - interval '24 hours') AS today
         FROM "Newsroom" n WHERE n.id = $1::uuid`,
      newsroomId,
    );
    if (!q) throw new DomainError('NOT_FOUND', `Newsroom ${newsroomId} does not exist`);
    const open = Number(q.open);
    const today = Number(q.today);
    if (open + adding > q.maxOpenJobs) {
      const more = adding === 1 ? '' : ` These ${adding} would pass it.`;
      throw new DomainError(
        'QUOTA_EXCEEDED',
        `This newsroom already has ${open} jobs queued or running (its limit is ${q.maxOpenJobs}).${more} Wait for some to finish or ask an admin to raise the limit.`,
        { limit: q.maxOpenJobs, open },
      );
    }
    if (today + adding > q.maxJobsPerDay) {
      throw new DomainError(
        'QUOTA_EXCEEDED',
        `This newsroom has submitted ${today} jobs in the last 24 hours (its limit is ${q.maxJobsPerDay}).`,
        { limit: q.maxJobsPerDay, submitted: today },
      );
    }
  }

  async cancel(newsroomId: string, jobId: string): Promise<Job> {
    const row = await this.db.job.findFirst({ where: { id: jobId, newsroomId } });
    if (!row) throw new DomainError('NOT_FOUND', `Job ${jobId} was not found`);
    if (row.status === 'COMPLETED' || row.status === 'FAILED' || row.status === 'CANCELLED') {
      throw new DomainError(
        'CONFLICT',
        `Job ${jobId} has already ended (${row.status.toLowerCase()}); only queued or running jobs can be cancelled.`,
      );
    }
    const updated = await this.db.job.update({
      where: { id: row.id },
      data: {
        status: 'CANCELLED',
        finishedAt: new Date(),
        error: 'Cancelled on request',
        errorCode: 'CANCELLED',
      },
    });
    const qjob = await this.findQueued(row);
    if (qjob) {
      const state = await qjob.getState();
      if (state === 'active') await this.publisher.publish(cancelChannel(this.queues.prefix), row.id);
      else await qjob.remove().catch(() => undefined);
    }
    await publishJobEvents(this.publisher, this.queues.prefix, [
      {
        jobId: row.id,
        newsroomId,
        type: row.type,
        status: 'CANCELLED',
        progress: row.progress,
        message: row.progressMessage,
        data: null,
        error: 'Cancelled on request',
      },
    ]).catch(() => undefined);
    return updated;
  }

  async retry(newsroomId: string, jobId: string): Promise<Job> {
    const row = await this.db.job.findFirst({ where: { id: jobId, newsroomId } });
    if (!row) throw new DomainError('NOT_FOUND', `Job ${jobId} was not found`);
    if (row.status === 'COMPLETED') {
      throw new DomainError(
        'CONFLICT',
        `Job ${jobId} has completed; only failed, cancelled or stuck jobs can be retried.`,
      );
    }
    if (row.status === 'FAILED' && !canRetry(row)) {
      throw new DomainError(
        'CONFLICT',
        `Job ${jobId} failed on its input (${row.errorCode ?? 'BAD_USER_INPUT'}: ${row.error ?? 'no message'}); ` +
          'running it again would fail the same way. Fix what the error names and start a new job.',
        { errorCode: row.errorCode, retryable: false },
      );
    }
    const old = await this.findQueued(row);
    if (row.status === 'QUEUED' || row.status === 'ACTIVE') {
      // A stuck row (its queue entry lost or failed) can be retried; a live one cannot.
      const state = old ? await old.getState() : 'missing';
      if (state === 'completed') {
        throw new DomainError(
          'CONFLICT',
          `Job ${jobId} completed in the queue; its result is being recorded (the reconciler does it within a minute).`,
        );
      }
      if (state !== 'missing' && state !== 'unknown' && state !== 'failed') {
        throw new DomainError(
          'CONFLICT',
          `Job ${jobId} is ${row.status.toLowerCase()} and still in the queue (${state}); cancel it first or wait for it to end.`,
        );
      }
    }
    if (old) await old.remove().catch(() => undefined);
    const updated = await this.db.job.update({
      where: { id: row.id },
      data: {
        queue: await this.placement.queueFor(jobDefinition(row.type as JobName)),
        status: 'QUEUED',
        progress: 0,
        progressMessage: null,
        error: null,
        errorCode: null,
        retryable: null,
        result: undefined,
        startedAt: null,
        finishedAt: null,
      },
    });
    await this.addToQueues([{ row: updated }]);
    return updated;
  }

  /** The queued job behind a row: a gpu-class job may sit in `<queue>-gpu` or, after the fallback, in `<queue>`. */
  private async findQueued(row: Job) {
    const def = jobDefinition(row.type as JobName);
    const names = new Set<AnyQueueName>([gpuQueueOf(def.queue), def.queue]);
    if (isQueueName(row.queue)) names.add(row.queue);
    for (const name of names) {
      const q = await this.queues.get(name)?.getJob(row.id);
      if (q) return q;
    }
    return undefined;
  }
}
