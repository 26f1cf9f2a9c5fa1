import {
  Arg,
  Authorized,
  Ctx,
  Field,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  MAX_RETENTION_DAYS,
  RETENTION_SETTING,
  retentionPolicyOf,
  retentionSchedulerId,
  type RetentionPolicy,
} from '@media-ai/jobs';
import { authed, type AuthedContext, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { setNewsroomSetting } from '../generation/settings.js';

/** When the retention job runs (UTC), for every newsroom with a policy. */
export const RETENTION_CRON = '30 3 * * *';

@ObjectType('RetentionPolicy')
export class RetentionPolicyGQL {
  @Field(() => Int, {
    nullable: true,
    description: 'Days reader interactions are kept (by when they happened); null keeps them',
  })
  interactionsDays!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Days faces not assigned to a person are kept (by when they were detected); null keeps them',
  })
  unnamedFacesDays!: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'When the retention job runs (cron, UTC); null when off',
  })
  schedule!: string | null;
}

const daysMessage = (field: string) =>
  `${field} must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`;

@InputType()
export class RetentionPolicyInput {
  @Field(() => Int, { nullable: true, description: 'null keeps interactions until deleted' })
  @IsOptional()
  @IsInt({ message: daysMessage('interactionsDays') })
  @Min(1, { message: daysMessage('interactionsDays') })
  @Max(MAX_RETENTION_DAYS, { message: daysMessage('interactionsDays') })
  interactionsDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'null keeps unnamed faces until deleted' })
  @IsOptional()
  @IsInt({ message: daysMessage('unnamedFacesDays') })
  @Min(1, { message: daysMessage('unnamedFacesDays') })
  @Max(MAX_RETENTION_DAYS, { message: daysMessage('unnamedFacesDays') })
  unnamedFacesDays?: number | null;
}

async function currentPolicy(c: AuthedContext): Promise<RetentionPolicy> {
  const row = await c.db.newsroom.findFirst({ select: { settings: true } });
  return retentionPolicyOf(row?.settings);
}

const toGQL = (p: RetentionPolicy): RetentionPolicyGQL => ({
  ...p,
  schedule: p.interactionsDays || p.unnamedFacesDays ? RETENTION_CRON : null,
});

@Resolver()
export class RetentionResolver {
  @Authorized(...Roles.admin)
  @Query(() => RetentionPolicyGQL, {
    description: 'How long your newsroom keeps reader interactions and unnamed faces',
  })
  async retentionPolicy(@Ctx() ctx: Context) {
    return toGQL(await currentPolicy(authed(ctx)));
  }

  @Authorized(...Roles.admin)
  @Mutation(() => RetentionPolicyGQL, {
    description:
      'Sets the retention periods (fields left out keep their value, null keeps the data); a daily platform.retention job deletes what is older',
  })
  async setRetentionPolicy(
    @Arg('input', () => RetentionPolicyInput) input: RetentionPolicyInput,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    const before = await currentPolicy(c);
    const policy: RetentionPolicy = {
      interactionsDays:
        input.interactionsDays === undefined ? before.interactionsDays : input.interactionsDays,
      unnamedFacesDays:
        input.unnamedFacesDays === undefined ? before.unnamedFacesDays : input.unnamedFacesDays,
    };
    const queue = c.services.queues.get('platform');
    const id = retentionSchedulerId(c.client.newsroomId);
    if (policy.interactionsDays || policy.unnamedFacesDays) {
      await queue.upsertJobScheduler(
        id,
        { pattern: RETENTION_CRON },
        {
          name: 'platform.retention',
          data: { newsroomId: c.client.newsroomId, payload: { scheduled: true } },
        },
      );
    } else {
      await queue.removeJobScheduler(id);
    }
    await setNewsroomSetting(c.db, c.client.newsroomId, RETENTION_SETTING, policy);
    return toGQL(policy);
  }

  @Authorized(...Roles.admin)
  @Mutation(() => JobGQL, { description: 'Runs the retention job now (it also runs daily)' })
  enforceRetention(@Ctx() ctx: Context) {
    const c = authed(ctx);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'platform.retention',
      {},
      { requesterId: c.client.id, exemptFromQuota: true },
    );
  }
}
