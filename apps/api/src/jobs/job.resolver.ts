import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { checkOutboundUrl, DomainError } from '@media-ai/core';
import type { Job, Prisma } from '@media-ai/db';
import { MAX_BULK, canRetry, jobRegistry, type JobName } from '@media-ai/jobs';
import { authed, type Context } from '../common/context.js';
import { PageArgs, paginate } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import {
  EnqueueJobInput,
  JobConnection,
  JobFilter,
  JobGQL,
  JobProgressEvent,
  JobTypeInfo,
} from './job.types.js';
import { JOB_EVENTS } from './progress-bridge.js';

function jobWhere(f: JobFilter | undefined): Prisma.JobWhereInput {
  if (!f) return {};
  const w: Prisma.JobWhereInput = {};
  if (f.types?.length) w.type = { in: f.types };
  if (f.statuses?.length) w.status = { in: f.statuses };
  if (f.queue) w.queue = f.queue;
  if (f.requesterId) w.requesterId = f.requesterId;
  if (f.contentId) w.contentId = f.contentId;
  if (f.assetId) w.assetId = f.assetId;
  if (f.createdAfter || f.createdBefore) {
    w.createdAt = {
      ...(f.createdAfter ? { gte: f.createdAfter } : {}),
      ...(f.createdBefore ? { lt: f.createdBefore } : {}),
    };
  }
  if (f.errorContains) w.error = { contains: f.errorContains, mode: 'insensitive' };
  return w;
}

@Resolver(() => JobGQL)
export class JobResolver {
  @Authorized(...Roles.any)
  @Query(() => JobConnection, { description: "Your newsroom's jobs, newest first" })
  jobs(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => JobFilter, { nullable: true }) filter: JobFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    const { db } = authed(ctx);
    const where = jobWhere(filter);
    return paginate(
      page,
      (q) => db.job.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => db.job.count({ where }),
    );
  }

  @Authorized(...Roles.any)
  @Query(() => JobGQL)
  async job(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const row = await authed(ctx).db.job.findUnique({ where: { id } });
    if (!row) throw new DomainError('NOT_FOUND', `Job ${id} was not found`);
    return row;
  }

  @Authorized(...Roles.any)
  @Query(() => [JobTypeInfo], { description: 'The job types the platform runs' })
  jobTypes(): JobTypeInfo[] {
    return Object.values(jobRegistry).map((d) => ({
      name: d.name,
      queue: d.queue,
      resource: d.resource,
      description: d.description,
      attempts: d.options.attempts,
      timeoutMs: d.options.timeoutMs,
    }));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Queues a job of any registered type; its payload is checked against the type’s schema',
  })
  async enqueueJob(@Arg('input', () => EnqueueJobInput) input: EnqueueJobInput, @Ctx() ctx: Context) {
    const c = authed(ctx);
    if (input.webhookUrl) await checkOutboundUrl(input.webhookUrl, 'webhookUrl');
    return c.services.jobs.enqueue(c.client.newsroomId, input.type as JobName, input.payload as never, {
      requesterId: c.client.id,
      idempotencyKey: input.idempotencyKey,
      webhookUrl: input.webhookUrl,
      contentId: input.contentId,
      assetId: input.assetId,
    });
  }

  @Authorized(...Roles.editor)
  @Mutation(() => [JobGQL], {
    description: `Queues up to ${MAX_BULK} jobs in one call, in order. Checked as a whole (payload schemas, ids, quota): a bad item refuses the batch and the error names it (jobs[3].payload.steps). An item whose idempotencyKey was used before returns that job.`,
  })
  async enqueueJobs(@Arg('jobs', () => [EnqueueJobInput]) jobs: EnqueueJobInput[], @Ctx() ctx: Context) {
    const c = authed(ctx);
    // Each distinct webhook URL goes through the outbound guard once.
    const hooks = new Map<string, number>();
    jobs.forEach((j, i) => j.webhookUrl && !hooks.has(j.webhookUrl) && hooks.set(j.webhookUrl, i));
    for (const [url, i] of hooks) await checkOutboundUrl(url, `jobs[${i}].webhookUrl`);
    return c.services.jobs.enqueueMany(
      c.client.newsroomId,
      jobs.map((j) => ({
        type: j.type,
        payload: j.payload,
        requesterId: c.client.id,
        idempotencyKey: j.idempotencyKey,
        webhookUrl: j.webhookUrl,
        contentId: j.contentId,
        assetId: j.assetId,
      })),
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL)
  cancelJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return c.services.jobs.cancel(c.client.newsroomId, id);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "What the job is about, in editors' terms: the content item's title or the asset's file name (null for newsroom-wide jobs)",
  })
  async title(@Root() job: Job, @Ctx() ctx: Context): Promise<string | null> {
    const { loaders } = authed(ctx);
    if (job.contentId) {
      const item = await loaders.content.load(job.contentId);
      if (item) return item.title;
    }
    if (job.assetId) {
      const asset = await loaders.asset.load(job.assetId);
      if (asset) return asset.filename;
    }
    const ids = (job.input as { contentIds?: unknown } | null)?.contentIds;
    if (Array.isArray(ids) && ids.length > 0) {
      const first = typeof ids[0] === 'string' ? await loaders.content.load(ids[0]) : null;
      if (ids.length === 1) return first?.title ?? null;
      return first ? `${first.title} and ${ids.length - 1} more` : `${ids.length} content items`;
    }
    return null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Boolean, {
    description:
      'Whether retryJob can help: true for cancelled jobs and jobs that failed for a passing reason; false while it runs, once completed, and when it failed on its input',
  })
  retryable(@Root() job: Job): boolean {
    return canRetry(job);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Runs a failed or cancelled job again; refused (CONFLICT) when it failed on its input, which would fail again',
  })
  retryJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return c.services.jobs.retry(c.client.newsroomId, id);
  }

  @Authorized(...Roles.any)
  @Subscription(() => JobProgressEvent, {
    topics: JOB_EVENTS,
    topicId: ({ context }: { context: Context }) => context.client?.newsroomId,
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: JobProgressEvent;
      args: { jobId?: string };
      context: Context;
    }) => payload.newsroomId === context.client?.newsroomId && (!args.jobId || args.jobId === payload.jobId),
    description: 'Progress and status changes of one job, or of every job of your newsroom',
  })
  jobProgress(
    @Root() event: JobProgressEvent,
    @Arg('jobId', () => ID, { nullable: true }) _jobId: string | undefined,
  ): JobProgressEvent {
    return event;
  }
}
