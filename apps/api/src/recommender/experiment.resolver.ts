import { Arg, Authorized, Ctx, Float, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ExperimentStatus } from '@media-ai/db';
import { authed, type AuthedContext, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { RecommenderExperimentGQL, StartExperimentInput } from './experiment.types.js';
import {
  endExperiment,
  experimentById,
  experiments,
  report,
  setTraffic,
  startExperiment,
} from './experiments.service.js';
import { DomainError } from '@media-ai/core';

/** Serving picks a started, changed or ended experiment up at once in every API process. */
async function changed(c: AuthedContext, id: string): Promise<RecommenderExperimentGQL> {
  await c.services.recommender.cache.invalidate(c.client.newsroomId);
  return report(await experimentById(c.db, id), c.services.recommender.experiments);
}

@Resolver()
export class RecommenderExperimentResolver {
  @Authorized(...Roles.editor)
  @Query(() => [RecommenderExperimentGQL], {
    description: 'Recommender experiments, newest first, with clicks per impression for each arm',
  })
  async recommenderExperiments(
    @Arg('status', () => ExperimentStatus, { nullable: true }) status: ExperimentStatus | undefined,
    @Ctx() ctx: Context,
  ): Promise<RecommenderExperimentGQL[]> {
    const c = authed(ctx);
    const rows = await experiments(c.db, status ?? undefined);
    return Promise.all(rows.map((r) => report(r, c.services.recommender.experiments)));
  }

  @Authorized(...Roles.editor)
  @Query(() => RecommenderExperimentGQL)
  async recommenderExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return report(await experimentById(c.db, id), c.services.recommender.experiments);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => RecommenderExperimentGQL, {
    description:
      'Serves a share of readers (a stable split by reader id) with a candidate version, the rest with the active one, and counts clicks per impression for each',
  })
  async startRecommenderExperiment(
    @Arg('input', () => StartExperimentInput) input: StartExperimentInput,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    const row = await startExperiment(c.db, c.client.newsroomId, input, c.client.id);
    return changed(c, row.id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => RecommenderExperimentGQL, { description: 'Changes the share of readers on the candidate' })
  async setRecommenderExperimentTraffic(
    @Arg('id', () => ID) id: string,
    @Arg('trafficShare', () => Float) trafficShare: number,
    @Ctx() ctx: Context,
  ) {
    if (!(trafficShare >= 0.01 && trafficShare <= 0.99))
      throw new DomainError('BAD_USER_INPUT', 'trafficShare must be from 0.01 to 0.99');
    const c = authed(ctx);
    await setTraffic(c.db, id, trafficShare);
    return changed(c, id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => RecommenderExperimentGQL, {
    description: 'Ends an experiment; every reader is served by the active version again',
  })
  async stopRecommenderExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    await endExperiment(c.db, c.client.newsroomId, c.services.recommender.experiments, id, false);
    return changed(c, id);
  }

  @Authorized(...Roles.admin)
  @Mutation(() => RecommenderExperimentGQL, {
    description: 'Ends an experiment by making its candidate the active version for every reader',
  })
  async promoteRecommenderExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    await endExperiment(c.db, c.client.newsroomId, c.services.recommender.experiments, id, true);
    return changed(c, id);
  }
}
