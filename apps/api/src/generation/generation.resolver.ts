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
import type { GeneratedItem } from '@media-ai/db';
import { wordDiff } from '@media-ai/text';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { ContentItemGQL } from '../content/content.types.js';
import { JobGQL, JobProgressEvent } from '../jobs/job.types.js';
import { JOB_EVENTS } from '../jobs/progress-bridge.js';
import { GenerationService } from './generation.service.js';
import {
  BulkReviewArgs,
  BulkReviewOutcomeGQL,
  GenerateForContentArgs,
  GenerationSourceTextGQL,
  TextDiffPartGQL,
  type DiffOp,
  GenerationBatchArgs,
  GeneratedItemConnection,
  GeneratedItemFilter,
  GeneratedItemGQL,
  GenerationFallbackGQL,
  GenerationInput,
  GenerationOutcomeGQL,
  GenerationTokenGQL,
  GuardrailReportGQL,
  ReviewDecision,
} from './generation.types.js';
import type { ContentOperation } from './pipeline.js';

const service = (ctx: Context) => new GenerationService(authed(ctx));
const SYNC_NOTE =
  'Short texts (at most 20,000 characters) with the local engines answer the stored items at once; long texts or the LLM answer a Job.';

@Resolver(() => GeneratedItemGQL)
export class GenerationResolver {
  @Authorized(...Roles.editor)
  @Mutation(() => GenerationOutcomeGQL, { description: `A summary (one SUMMARY item). ${SYNC_NOTE}` })
  summarize(@Arg('input', () => GenerationInput) input: GenerationInput, @Ctx() ctx: Context) {
    return service(ctx).generate(['summary'], input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => [GenerationOutcomeGQL], {
    description:
      'Summaries of many texts or content items in one request, answered in their order (one SUMMARY item each). ' +
      `Short texts with the local engines are summarised at once, the newsroom settings read once and the items stored in one write; the others each answer a Job.`,
  })
  summarizeBatch(@Args(() => GenerationBatchArgs) args: GenerationBatchArgs, @Ctx() ctx: Context) {
    return service(ctx).generateMany(['summary'], args.inputs);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GenerationOutcomeGQL, {
    description: `Alternative headlines (HEADLINE items, best first). ${SYNC_NOTE}`,
  })
  generateHeadlines(@Arg('input', () => GenerationInput) input: GenerationInput, @Ctx() ctx: Context) {
    return service(ctx).generate(['headlines'], input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GenerationOutcomeGQL, {
    description: `Social posts with hashtags (SOCIAL_POST items). ${SYNC_NOTE}`,
  })
  generateSocialPosts(@Arg('input', () => GenerationInput) input: GenerationInput, @Ctx() ctx: Context) {
    return service(ctx).generate(['social'], input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GenerationOutcomeGQL, {
    description: `Keywords and named entities (a KEYWORDS and an ENTITIES item). ${SYNC_NOTE}`,
  })
  extractKeywords(@Arg('input', () => GenerationInput) input: GenerationInput, @Ctx() ctx: Context) {
    return service(ctx).generate(['keywords'], input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GenerationOutcomeGQL, {
    description: `Tag suggestions with confidence: topics from the newsroom's active topic classifier, people, places, organisations, keywords (a TAGS item). ${SYNC_NOTE}`,
  })
  suggestTags(@Arg('input', () => GenerationInput) input: GenerationInput, @Ctx() ctx: Context) {
    return service(ctx).generate(['tags'], input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Runs operations on many content items as one job (content.generate-batch)',
  })
  generateForContent(@Args(() => GenerateForContentArgs) args: GenerateForContentArgs, @Ctx() ctx: Context) {
    return service(ctx).generateForContent(
      args.contentIds,
      args.operations as ContentOperation[],
      args.options,
    );
  }

  @Authorized(...Roles.any)
  @Query(() => GeneratedItemConnection, {
    description: 'Generated items, newest first; the review queue is filter {status: [PENDING]}',
  })
  generatedItems(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => GeneratedItemFilter, { nullable: true }) filter: GeneratedItemFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).list(page, filter);
  }

  @Authorized(...Roles.any)
  @Query(() => GeneratedItemGQL)
  generatedItem(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).get(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GeneratedItemGQL, {
    description:
      "An editor's decision on a PENDING item, recorded with who and when. ACCEPT or EDIT applies it to the content item at once (HEADLINE: title, SUMMARY: summary, KEYWORDS and TAGS: tags, TRANSLATION: the linked translated item); the answer's content (or appliedContent) is the updated item. undoReview takes it back.",
  })
  reviewGeneratedItem(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ReviewDecision) decision: ReviewDecision,
    @Arg('editedOutput', () => String, { nullable: true }) editedOutput: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).review(id, decision, editedOutput);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GeneratedItemGQL, {
    description:
      'Takes a decision back: the item is PENDING again and what accepting it changed is restored (a translation it created is deleted). CONFLICT when the content item was changed since',
  })
  undoReview(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).undoReview(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => BulkReviewOutcomeGQL, {
    description:
      'Accepts or rejects up to 100 items at once, each on its own: an item that cannot be decided (already decided, not found) is reported and the others go ahead',
  })
  async reviewGeneratedItems(@Args(() => BulkReviewArgs) args: BulkReviewArgs, @Ctx() ctx: Context) {
    const results = await service(ctx).reviewMany(args.ids, args.decision);
    const failed = results.filter((r) => r.item === null).length;
    return { decided: results.length - failed, failed, results };
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ContentItemGQL, {
    nullable: true,
    description:
      'The content item accepting this changed, as it is now: the translation for a TRANSLATION, else the item itself (null when nothing was applied)',
  })
  appliedContent(@Root() item: GeneratedItem, @Ctx() ctx: Context) {
    const change = item.appliedChange as { contentId?: string; translationId?: string } | null;
    const id = change?.translationId ?? change?.contentId;
    return id ? authed(ctx).loaders.content.load(id) : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Boolean, { description: 'Whether undoReview can take the decision back' })
  canUndo(@Root() item: GeneratedItem): boolean {
    return item.status !== 'PENDING';
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => GenerationSourceTextGQL, {
    nullable: true,
    description: 'The text it was generated from, to show beside the output (null when it is gone)',
  })
  source(@Root() item: GeneratedItem, @Ctx() ctx: Context) {
    return service(ctx).sourceOf(item);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [TextDiffPartGQL], {
    nullable: true,
    description: "The editor's changes to the output, word by word (null when it was not edited)",
  })
  diff(@Root() item: GeneratedItem): TextDiffPartGQL[] | null {
    return item.editedOutput === null
      ? null
      : wordDiff(item.output, item.editedOutput).map((p) => ({ op: p.op as DiffOp, text: p.text }));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => GuardrailReportGQL, {
    nullable: true,
    description: 'Null when the item was not checked',
  })
  guardrails(@Root() item: GeneratedItem): GuardrailReportGQL | null {
    const g = item.guardrails as Partial<GuardrailReportGQL> | null;
    if (!g || typeof g !== 'object' || typeof g.passed !== 'boolean') return null;
    return {
      passed: g.passed,
      action: g.action ?? (g.passed ? 'pass' : 'flag'),
      policy: g.policy ?? 'flag',
      issues: (g.issues ?? []).map((i) => ({ ...i, text: i.text ?? null, suggestion: i.suggestion ?? null })),
      unsupportedNumbers: g.unsupportedNumbers ?? [],
      unsupportedEntities: g.unsupportedEntities ?? [],
      bannedTerms: g.bannedTerms ?? [],
    };
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => GenerationFallbackGQL, {
    nullable: true,
    description: 'Set when the configured engine failed and this engine answered',
  })
  fallback(@Root() item: GeneratedItem): GenerationFallbackGQL | null {
    const f = (item.outputData as { fallback?: GenerationFallbackGQL | null } | null)?.fallback;
    return f && typeof f.from === 'string' ? { from: f.from, reason: String(f.reason ?? '') } : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { description: 'editedOutput when the editor edited it, else output' })
  finalOutput(@Root() item: GeneratedItem): string {
    return item.editedOutput ?? item.output;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ContentItemGQL, { nullable: true })
  content(@Root() item: GeneratedItem, @Ctx() ctx: Context) {
    return item.contentId ? authed(ctx).loaders.content.load(item.contentId) : null;
  }

  @Authorized(...Roles.any)
  @Subscription(() => GenerationTokenGQL, {
    topics: JOB_EVENTS,
    topicId: ({ context }: { context: Context }) => context.client?.newsroomId,
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: JobProgressEvent;
      args: { jobId: string };
      context: Context;
    }) => {
      if (payload.newsroomId !== context.client?.newsroomId || payload.jobId !== args.jobId) return false;
      const token = (payload.data as { token?: unknown } | null)?.token;
      return typeof token === 'string' || ['COMPLETED', 'FAILED', 'CANCELLED'].includes(payload.status);
    },
    description:
      "Tokens of a generation job's LLM output as they are generated, then one event with done: true when it ends",
  })
  generationTokens(
    @Root() event: JobProgressEvent,
    @Arg('jobId', () => ID) _jobId: string,
  ): GenerationTokenGQL {
    const data = (event.data ?? {}) as { token?: unknown; operation?: unknown; index?: unknown };
    const done = ['COMPLETED', 'FAILED', 'CANCELLED'].includes(event.status);
    return {
      jobId: event.jobId,
      operation: typeof data.operation === 'string' ? data.operation : null,
      token: typeof data.token === 'string' ? data.token : null,
      index: typeof data.index === 'number' ? data.index : null,
      done,
      status: event.status,
    };
  }
}
