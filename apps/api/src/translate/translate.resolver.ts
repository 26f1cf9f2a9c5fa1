import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { translationEngines } from './engines.js';
import { TranslationMemoryService } from './memory.service.js';
import { TranslateCoalescer } from './coalesce.js';
import { TranslateService } from './translate.service.js';
import {
  CorrectTranslationArgs,
  DetectLanguageArgs,
  DetectLanguageBatchArgs,
  LanguageDetectionGQL,
  MAX_BATCH_CHARS,
  MAX_BATCH_TEXTS,
  MAX_DETECT_BATCH,
  MAX_SYNC_CHARS,
  TextTranslationGQL,
  TranslateArgs,
  TranslateBatchArgs,
  TranslateContentArgs,
  TranslationLanguageGQL,
  TranslationMemoryConnection,
  TranslationMemoryEntryGQL,
  TranslationMemoryFilter,
  TranslationPairGQL,
  TranslationPairsArgs,
} from './translate.types.js';

function service(ctx: Context): TranslateService {
  const c = authed(ctx);
  return new TranslateService(
    c.db,
    translationEngines(c.services.config),
    c.services.config.TRANSLATE_FUZZY_MATCH,
  );
}

/** One per request: its translate fields are translated as one batch. */
const coalescers = new WeakMap<Context, TranslateCoalescer>();
function coalescer(ctx: Context, info: GraphQLResolveInfo): TranslateCoalescer {
  let found = coalescers.get(ctx);
  if (!found) {
    found = service(ctx).coalescer(TranslateCoalescer.fieldsLike(info));
    coalescers.set(ctx, found);
  }
  return found;
}

@Resolver()
export class TranslateResolver {
  @Authorized(...Roles.any)
  @Query(() => LanguageDetectionGQL, {
    description: 'The language of a headline or an article (fastText + CLD3)',
  })
  detectLanguage(@Args(() => DetectLanguageArgs) args: DetectLanguageArgs, @Ctx() ctx: Context) {
    return service(ctx).detect(args.text);
  }

  @Authorized(...Roles.any)
  @Query(() => [LanguageDetectionGQL], {
    description: `The language of each of many texts, in their order (at most ${MAX_DETECT_BATCH.toLocaleString('en')} texts a call)`,
  })
  detectLanguageBatch(
    @Args(() => DetectLanguageBatchArgs) args: DetectLanguageBatchArgs,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).detectMany(args.texts);
  }

  @Authorized(...Roles.any)
  @Query(() => [TextTranslationGQL], {
    description:
      `Translates many short texts (fields, headlines) in one request, answered in their order: one pass through the ` +
      `engine for all of them. At most ${MAX_BATCH_TEXTS} texts and ${MAX_BATCH_CHARS.toLocaleString('en')} characters a call`,
  })
  translateBatch(@Args(() => TranslateBatchArgs) args: TranslateBatchArgs, @Ctx() ctx: Context) {
    return service(ctx).translateMany(args);
  }

  @Authorized(...Roles.any)
  @Query(() => TextTranslationGQL, {
    description:
      `Translates a short text (at most ${MAX_SYNC_CHARS.toLocaleString('en')} characters) at once, markup kept, with the ` +
      'newsroom glossary and translation memory; longer texts: translateContent',
  })
  translate(
    @Args(() => TranslateArgs) args: TranslateArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return service(ctx).translate(args, coalescer(ctx, info));
  }

  @Authorized(...Roles.any)
  @Query(() => [TranslationLanguageGQL], {
    description: 'Languages the configured providers translate from or into',
  })
  translationLanguages(@Ctx() ctx: Context) {
    return service(ctx).languages();
  }

  @Authorized(...Roles.any)
  @Query(() => [TranslationPairGQL], {
    description: 'Language pairs translated, with their pivots and provider',
  })
  translationPairs(@Args(() => TranslationPairsArgs) args: TranslationPairsArgs, @Ctx() ctx: Context) {
    return service(ctx).pairs(args);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Translates a content item into languages as a job (translate.content); each translation is a content item linked ' +
      'to it (originalId), updated when run again',
  })
  async translateContent(@Args(() => TranslateContentArgs) args: TranslateContentArgs, @Ctx() ctx: Context) {
    const c = authed(ctx);
    const payload = await service(ctx).contentJobPayload(args);
    return c.services.jobs.enqueue(c.client.newsroomId, 'translate.content', payload, {
      requesterId: c.client.id,
      contentId: payload.contentId,
    });
  }

  @Authorized(...Roles.editor)
  @Query(() => TranslationMemoryConnection, {
    description: "The newsroom's translation memory, newest first",
  })
  translationMemory(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => TranslationMemoryFilter, { nullable: true })
    filter: TranslationMemoryFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return new TranslationMemoryService(authed(ctx).db).list(page, filter);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => [TranslationMemoryEntryGQL], {
    description: "Stores an editor's translation of a sentence: it wins over machine translation from now on",
  })
  correctTranslation(@Args(() => CorrectTranslationArgs) args: CorrectTranslationArgs, @Ctx() ctx: Context) {
    return new TranslationMemoryService(authed(ctx).db).correct(args);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean)
  deleteTranslationMemoryEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new TranslationMemoryService(authed(ctx).db).delete(id);
  }
}
