import type { Db, Job, Prisma } from '@media-ai/db';
import { DomainError } from '@media-ai/core';
import type { Redis } from 'ioredis';
import { cancelChannel, type QueuedJobData } from './messages.js';
import type { QueueSet } from './queues.js';
import { gpuQueueOf, isQueueName, type AnyQueueName } from './define.js';
import { GpuPlacement, parseGpuFallback } from './gpu-fallback.js';
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
}

export interface JobServiceOptions {
  /** MEDIAAI_GPU_FALLBACK_MS (milliseconds or "never"); decides where gpu-class jobs are queued. */
  gpuFallbackMs?: string | number | null;
}

/** Creates, cancels and retries jobs: the jobs table and the queue stay in step. */
export class JobService {
  private readonly placement: GpuPlacement;

  constructor(
    private readonly db: Db,
    private readonly queues: QueueSet,
    private readonly publisher: Redis,
    opts: JobServiceOptions = {},
  ) {
    this.placement = new GpuPlacement(queues, parseGpuFallback(opts.gpuFallbackMs));
  }

  async enqueue<N extends JobName>(
    newsroomId: string,
    name: N,
    payload: PayloadOf<N>,
    opts: EnqueueOptions = {},
  ): Promise<Job> {
    if (!isJobName(name)) throw new DomainError('BAD_USER_INPUT', `Unknown job type "${String(name)}"`);
    const def = jobDefinition(name);
    if (opts.idempotencyKey) {
      const existing = await this.db.job.findUnique({
        where: { newsroomId_idempotencyKey: { newsroomId, idempotencyKey: opts.idempotencyKey } },
      });
      if (existing) return existing;
    }
    await this.checkQuota(newsroomId);
    const queue = await this.placement.queueFor(def);
    let row: Job;
    try {
      row = await this.db.job.create({
        data: {
          newsroomId,
          type: name,
          // gpu-class jobs wait in `<queue>-gpu` while a GPU worker is connected (see GpuPlacement).
          queue,
          input: payload as Prisma.InputJsonValue,
          idempotencyKey: opts.idempotencyKey ?? null,
          requesterId: opts.requesterId ?? null,
          contentId: opts.contentId ?? null,
          assetId: opts.assetId ?? null,
          webhookUrl: opts.webhookUrl ?? null,
        },
      });
    } catch (e) {
      // A concurrent request with the same idempotency key won the race.
      if (opts.idempotencyKey && (e as { code?: string }).code === 'P2002') {
        return this.db.job.findUniqueOrThrow({
          where: { newsroomId_idempotencyKey: { newsroomId, idempotencyKey: opts.idempotencyKey } },
        });
      }
      throw e;
    }
    try {
      await this.addToQueue(row, payload);
    } catch (e) {
      await this.db.job.update({
        where: { id: row.id },
        data: {
          status: 'FAILED',
          error: `Could not queue the job: ${(e as Error).message}`,
          errorCode: 'UNAVAILABLE',
          finishedAt: new Date(),
        },
      });
      throw new DomainError(
        'UNAVAILABLE',
        'The job queue is unavailable; the job was not queued. Try again shortly.',
      );
    }
    return row;
  }

  private async addToQueue(row: Job, payload: unknown, delayMs = 0): Promise<void> {
    const def = jobDefinition(row.type as JobName);
    const data: QueuedJobData = { newsroomId: row.newsroomId, payload };
    await this.queues.get(row.queue as AnyQueueName).add(row.type, data, {
      jobId: row.id,
      attempts: def.options.attempts,
      backoff: { type: 'exponential', delay: def.options.backoffMs },
      delay: delayMs,
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  private async checkQuota(newsroomId: string): Promise<void> {
    const newsroom = await this.db.newsroom.findUnique({ where: { id: newsroomId } });
    if (!newsroom) throw new DomainError('NOT_FOUND', `Newsroom ${newsroomId} does not exist`);
    const open = await this.db.job.count({ where: { newsroomId, status: { in: ['QUEUED', 'ACTIVE'] } } });
    if (open >= newsroom.maxOpenJobs) {
      throw new DomainError(
        'QUOTA_EXCEEDED',
        `This newsroom already has ${open} jobs queued or running (its limit is ${newsroom.maxOpenJobs}). Wait for some to finish or ask an admin to raise the limit.`,
        { limit: newsroom.maxOpenJobs, open },
      );
    }
    const since = new Date(Date.now() - 24 * 3600_000);
    const today = await this.db.job.count({ where: { newsroomId, createdAt: { gte: since } } });
    if (today >= newsroom.maxJobsPerDay) {
      throw new DomainError(
        'QUOTA_EXCEEDED',
        `This newsroom has submitted ${today} jobs in the last 24 hours (its limit is ${newsroom.maxJobsPerDay}).`,
        { limit: newsroom.maxJobsPerDay, submitted: today },
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
    return updated;
  }

  async retry(newsroomId: string, jobId: string): Promise<Job> {
    const row = await this.db.job.findFirst({ where: { id: jobId, newsroomId } });
    if (!row) throw new DomainError('NOT_FOUND', `Job ${jobId} was not found`);
    if (row.status !== 'FAILED' && row.status !== 'CANCELLED') {
      throw new DomainError(
        'CONFLICT',
        `Job ${jobId} is ${row.status.toLowerCase()}; only failed or cancelled jobs can be retried.`,
      );
    }
    const old = await this.findQueued(row);
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
        result: undefined,
        startedAt: null,
        finishedAt: null,
      },
    });
    await this.addToQueue(updated, row.input);
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
