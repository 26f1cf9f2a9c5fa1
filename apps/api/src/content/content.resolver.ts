import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ContentItem } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import {
  ContentConnection,
  ContentFilter,
  ContentInput,
  ContentItemGQL,
  ContentPatch,
} from './content.types.js';
import { ContentService } from './content.service.js';
import { autoBuildVocabulary } from '../speech/auto-vocabulary.js';

@Resolver(() => ContentItemGQL)
export class ContentResolver {
  @Authorized(...Roles.any)
  @Query(() => ContentConnection, { description: 'Content of your newsroom, newest first, filtered' })
  contentItems(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ContentFilter, { nullable: true }) filter: ContentFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return new ContentService(authed(ctx).db, authed(ctx).sql).list(page, filter);
  }

  @Authorized(...Roles.any)
  @Query(() => ContentItemGQL)
  contentItem(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new ContentService(authed(ctx).db, authed(ctx).sql).get(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => ContentItemGQL)
  createContent(@Arg('input', () => ContentInput) input: ContentInput, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return new ContentService(c.db, c.sql).create(input).then(async (row) => {
      await c.services.recommender.cache.invalidate(c.client.newsroomId, [row.id]);
      // Enough articles now for a speech vocabulary? Queue its build (the registry's gate decides if it serves).
      await autoBuildVocabulary(
        c.db,
        c.services.jobs,
        c.client.newsroomId,
        c.services.config.SPEECH_AUTO_VOCABULARY_ARTICLES,
      ).catch((err: Error) =>
        c.services.log.warn({ err: err.message }, 'could not queue the automatic speech vocabulary build'),
      );
      return row;
    });
  }

  @Authorized(...Roles.editor)
  @Mutation(() => ContentItemGQL)
  updateContent(
    @Arg('id', () => ID) id: string,
    @Arg('patch', () => ContentPatch) patch: ContentPatch,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return new ContentService(c.db, c.sql).update(id, patch).then(async (row) => {
      await c.services.recommender.cache.invalidate(c.client.newsroomId, [id]);
      return row;
    });
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean)
  deleteContent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return new ContentService(c.db, c.sql).delete(id).then(async (done) => {
      await c.services.recommender.cache.invalidate(c.client.newsroomId, [id]);
      return done;
    });
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ContentItemGQL, {
    nullable: true,
    description: 'The item this one was translated from',
  })
  original(@Root() item: ContentItem, @Ctx() ctx: Context) {
    return item.originalId ? authed(ctx).loaders.content.load(item.originalId) : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [ContentItemGQL], { description: 'Translations of this item' })
  translations(@Root() item: ContentItem, @Ctx() ctx: Context) {
    return authed(ctx).db.contentItem.findMany({
      where: { originalId: item.id },
      orderBy: { createdAt: 'asc' },
    });
  }
}
