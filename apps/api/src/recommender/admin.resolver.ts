import { Arg, Args, Authorized, Ctx, Float, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { DomainError } from '@media-ai/core';
import { EditorialRuleKind, type Prisma } from '@media-ai/db';
import { authed, type AuthedContext, type Context } from '../common/context.js';
import { PageArgs, paginate } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { ModelVersionGQL } from '../models/models.js';
import { getConfig, setConfig } from './config.service.js';
import { createRule, removeRule } from './editorial.service.js';
import { activateVersion, activeVersionRow, rollback } from './models.service.js';
import { deleteReader, exportReader } from './privacy.service.js';
import {
  DeleteReaderResult,
  EditorialRuleConnection,
  EditorialRuleGQL,
  EditorialWindow,
  RecommenderConfigGQL,
  RecommenderConfigInput,
  TrainRecommenderInput,
} from './recommender.types.js';

/** After a change that serving caches: every API process drops what it holds for the newsroom. */
const changed =
  (c: AuthedContext) =>
  async <T>(value: T): Promise<T> => {
    await c.services.recommender.cache.invalidate(c.client.newsroomId);
    return value;
  };

@Resolver()
export class RecommenderAdminResolver {
  // ------------------------------------------------------------------ config
  @Authorized(...Roles.any)
  @Query(() => RecommenderConfigGQL, {
    description: 'The newsroom’s recommender settings (defaults on first use)',
  })
  recommenderConfig(@Ctx() ctx: Context) {
    const c = authed(ctx);
    return getConfig(c.db, c.client.newsroomId);
  }

  @Authorized(...Roles.admin)
  @Mutation(() => RecommenderConfigGQL, {
    description:
      'Event weights (negative = hidden/disliked), half-life, category cap, algorithm and retraining schedule',
  })
  setRecommenderConfig(
    @Arg('input', () => RecommenderConfigInput) input: RecommenderConfigInput,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return setConfig(c.db, c.services.queues, c.client.newsroomId, input).then(changed(c));
  }

  // ------------------------------------------------------------------ models
  @Authorized(...Roles.any)
  @Query(() => ModelVersionGQL, {
    nullable: true,
    description: 'The recommender version serving now, if any',
  })
  activeRecommenderModel(@Ctx() ctx: Context) {
    return activeVersionRow(authed(ctx).db);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Trains a recommender (job recommender.train); it becomes active only if it beats the active one on validation nDCG@10',
  })
  trainRecommender(
    @Arg('input', () => TrainRecommenderInput, { nullable: true }) input: TrainRecommenderInput | undefined,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'recommender.train',
      {
        ...(input?.algorithm ? { algorithm: input.algorithm } : {}),
        ...(input?.params ? { params: input.params } : {}),
        ...(input?.validationFraction !== undefined && input.validationFraction !== null
          ? { validationFraction: input.validationFraction }
          : {}),
        ...(input?.seed !== undefined && input.seed !== null ? { seed: input.seed } : {}),
      },
      { requesterId: c.client.id },
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Re-evaluates a recommender version on the current interactions (job recommender.evaluate)',
  })
  async evaluateRecommenderModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    const row = await c.db.modelVersion.findFirst({
      where: { id, area: 'recommender' },
      select: { id: true },
    });
    if (!row) throw new DomainError('NOT_FOUND', `Recommender model version ${id} was not found`);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'recommender.evaluate',
      { modelVersionId: id },
      { requesterId: c.client.id },
    );
  }

  @Authorized(...Roles.admin)
  @Mutation(() => ModelVersionGQL, {
    description: 'Makes a version the active recommender at once (the previous one is retired)',
  })
  activateRecommenderModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return activateVersion(c.db, c.client.newsroomId, id);
  }

  @Authorized(...Roles.admin)
  @Mutation(() => ModelVersionGQL, {
    description: 'Back to an earlier version: the given one, or the one active before the current one',
  })
  rollbackRecommender(
    @Arg('toVersionId', () => ID, { nullable: true }) toVersionId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return rollback(c.db, c.client.newsroomId, toVersionId ?? undefined);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Top-N for every reader into a JSONL feed (job recommender.batch-recommend); download from the result’s downloadPath',
  })
  batchRecommend(@Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: Context) {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new DomainError('BAD_USER_INPUT', 'first must be from 1 to 200');
    const c = authed(ctx);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'recommender.batch-recommend',
      { first },
      { requesterId: c.client.id },
    );
  }

  // ------------------------------------------------------------------ editorial
  @Authorized(...Roles.any)
  @Query(() => EditorialRuleConnection, { description: 'Editorial rules, newest first' })
  editorialRules(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => EditorialRuleKind, { nullable: true }) kind: EditorialRuleKind | undefined,
    @Ctx() ctx: Context,
  ) {
    const { db } = authed(ctx);
    const where: Prisma.EditorialRuleWhereInput = kind ? { kind } : {};
    return paginate(
      page,
      (q) => db.editorialRule.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => db.editorialRule.count({ where }),
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => EditorialRuleGQL, {
    description: 'Fixes an item at a 1-based position in every recommendation list',
  })
  pinContent(
    @Arg('contentId', () => ID) contentId: string,
    @Arg('position', () => Int) position: number,
    @Arg('window', () => EditorialWindow, { nullable: true }) window: EditorialWindow | undefined,
    @Ctx() ctx: Context,
  ) {
    if (!Number.isInteger(position) || position < 1 || position > 100)
      throw new DomainError('BAD_USER_INPUT', 'position must be from 1 to 100');
    const c = authed(ctx);
    return createRule(c.db, {
      kind: 'PIN',
      contentId,
      position,
      ...(window ? { window } : {}),
      createdById: c.client.id,
    }).then(changed(c));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => EditorialRuleGQL, {
    description: 'Multiplies an item’s score (> 1 raises it, < 1 lowers it)',
  })
  boostContent(
    @Arg('contentId', () => ID) contentId: string,
    @Arg('factor', () => Float) factor: number,
    @Arg('window', () => EditorialWindow, { nullable: true }) window: EditorialWindow | undefined,
    @Ctx() ctx: Context,
  ) {
    if (!(factor > 0 && factor <= 100))
      throw new DomainError(
        'BAD_USER_INPUT',
        'factor must be above 0 and at most 100 (e.g. 2 doubles the score)',
      );
    const c = authed(ctx);
    return createRule(c.db, {
      kind: 'BOOST',
      contentId,
      factor,
      ...(window ? { window } : {}),
      createdById: c.client.id,
    }).then(changed(c));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => EditorialRuleGQL, { description: 'Keeps an item out of every recommendation list' })
  blockContent(
    @Arg('contentId', () => ID) contentId: string,
    @Arg('window', () => EditorialWindow, { nullable: true }) window: EditorialWindow | undefined,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return createRule(c.db, {
      kind: 'BLOCK',
      contentId,
      ...(window ? { window } : {}),
      createdById: c.client.id,
    }).then(changed(c));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => EditorialRuleGQL, { description: 'Keeps an item out of recommendations until a time' })
  embargoContent(
    @Arg('contentId', () => ID) contentId: string,
    @Arg('until', () => GraphQLDateTime) until: Date,
    @Arg('note', () => String, { nullable: true }) note: string | undefined,
    @Ctx() ctx: Context,
  ) {
    if (until.getTime() <= Date.now()) throw new DomainError('BAD_USER_INPUT', 'until must be in the future');
    const c = authed(ctx);
    return createRule(c.db, {
      kind: 'EMBARGO',
      contentId,
      window: { endsAt: until, ...(note ? { note } : {}) },
      createdById: c.client.id,
    }).then(changed(c));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean, { description: 'Deletes an editorial rule; takes effect at once' })
  removeEditorialRule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return removeRule(c.db, id).then(changed(c));
  }

  // ------------------------------------------------------------------ privacy
  @Authorized(...Roles.admin)
  @Mutation(() => DeleteReaderResult, {
    description: 'Deletes a reader, their interactions and learned vectors (see note)',
  })
  deleteReader(@Arg('readerId', () => String) readerId: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return deleteReader(c.db, readerId, {
      forgetHot: (externalId) => c.services.recommender.history.forget(c.client.newsroomId, externalId),
      eraseStored: (readerIds) =>
        c.services.jobs.enqueue(
          c.client.newsroomId,
          'recommender.erase-readers',
          { readerIds },
          {
            requesterId: c.client.id,
          },
        ),
    });
  }

  @Authorized(...Roles.admin)
  @Query(() => GraphQLJSON, {
    description: 'All that is held about a reader: reader row, interactions, embeddings, models',
  })
  exportReader(@Arg('readerId', () => String) readerId: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return exportReader(c.db, c.client.newsroomId, readerId);
  }
}
