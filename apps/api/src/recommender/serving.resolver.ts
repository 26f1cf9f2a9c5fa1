import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DomainError } from '@media-ai/core';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { recommendationsFor, similarTo, trendingNow, type ServingDeps } from './serving.service.js';
import {
  MAX_RECOMMENDATIONS,
  RecommendationFilter,
  RecommendationList,
  RecommendedItem,
} from './recommender.types.js';

function deps(ctx: Context): ServingDeps {
  const c = authed(ctx);
  return { db: c.db, newsroomId: c.client.newsroomId, serving: c.services.recommender };
}

function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_RECOMMENDATIONS) {
    throw new DomainError('BAD_USER_INPUT', `first must be from 1 to ${MAX_RECOMMENDATIONS}`);
  }
  return first;
}

@Resolver()
export class RecommendationResolver {
  @Authorized(...Roles.any)
  @Query(() => RecommendationList, {
    description:
      'Personal recommendations for a reader (your readerId, as sent with interactions), with a reason each; unknown readers get popular and trending items',
  })
  recommendations(
    @Arg('readerId', () => String) readerId: string,
    @Arg('first', () => Int, { defaultValue: 10 }) first: number,
    @Arg('filter', () => RecommendationFilter, { nullable: true }) filter: RecommendationFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<RecommendationList> {
    if (!readerId || readerId.length > 200)
      throw new DomainError('BAD_USER_INPUT', 'readerId must be 1 to 200 characters');
    return recommendationsFor(deps(ctx), readerId, checkFirst(first), filter);
  }

  @Authorized(...Roles.any)
  @Query(() => [RecommendedItem], { description: 'Content like this item, by the active recommender model' })
  similarContent(
    @Arg('contentId', () => ID) contentId: string,
    @Arg('first', () => Int, { defaultValue: 10 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<RecommendedItem[]> {
    return similarTo(deps(ctx), contentId, checkFirst(first));
  }

  @Authorized(...Roles.any)
  @Query(() => [RecommendedItem], {
    description: 'Items with a burst of recent reading, optionally in one category',
  })
  trending(
    @Arg('first', () => Int, { defaultValue: 10 }) first: number,
    @Arg('category', () => String, { nullable: true }) category: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<RecommendedItem[]> {
    return trendingNow(deps(ctx), checkFirst(first), category ?? undefined);
  }
}
