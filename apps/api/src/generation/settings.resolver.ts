import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { CONTENT_GEN_VERSION } from '@media-ai/content-gen';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { ModelVersionGQL } from '../models/models.js';
import {
  GenerationEnginesGQL,
  GenerationPolicyGQL,
  GenerationPolicyInput,
  GuardrailPolicy,
  LlmUsageReportGQL,
  TrainContentModelInput,
} from './generation.types.js';
import { GenerationService } from './generation.service.js';
import {
  activateContentModel as activateVersion,
  MAX_SYNC_CHARS,
  SUMMARY_SCORER,
  TOPIC_CLASSIFIER,
} from './pipeline.js';
import { getGenerationPolicy, setGenerationPolicy } from './policy.service.js';
import { llmUsageReport } from './usage.service.js';

function trainingWindow(o: TrainContentModelInput | undefined) {
  return {
    ...(o?.since ? { since: o.since.toISOString() } : {}),
    ...(o?.until ? { until: o.until.toISOString() } : {}),
    ...(o?.epochs ? { epochs: o.epochs } : {}),
    ...(o?.holdout ? { holdout: o.holdout } : {}),
  };
}

/** Models, engines, LLM accounting and the guardrail policy of content generation. */
@Resolver()
export class GenerationSettingsResolver {
  @Authorized(...Roles.any)
  @Query(() => GenerationEnginesGQL)
  async generationEngines(@Ctx() ctx: Context): Promise<GenerationEnginesGQL> {
    const c = authed(ctx);
    const [scorer, classifier] = await Promise.all([
      c.db.modelVersion.findFirst({
        where: { area: 'content', name: SUMMARY_SCORER, status: 'ACTIVE' },
        select: { id: true },
      }),
      c.db.modelVersion.findFirst({
        where: { area: 'content', name: TOPIC_CLASSIFIER, status: 'ACTIVE' },
        select: { id: true },
      }),
    ]);
    return {
      llmModel: new GenerationService(c).llmModel(),
      maxSyncChars: MAX_SYNC_CHARS,
      summaryScorerId: scorer?.id ?? null,
      topicClassifierId: classifier?.id ?? null,
      localEngineVersion: CONTENT_GEN_VERSION,
    };
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      "Trains the summary scorer on the newsroom's articles and their human summaries (content.train-summary-scorer); it becomes ACTIVE when it beats the active version (or lead-3) on held-out ROUGE-1",
  })
  trainSummaryScorer(
    @Arg('options', () => TrainContentModelInput, { nullable: true }) o: TrainContentModelInput | undefined,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'content.train-summary-scorer',
      { ...trainingWindow(o), ...(o?.minExamples ? { minPairs: o.minExamples } : {}) },
      { requesterId: c.client.id },
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      "Trains the topic classifier behind suggestTags on the newsroom's categorised content, the category as label (content.train-topic-classifier); it becomes ACTIVE when it beats the active version on held-out macro-F1",
  })
  trainTopicClassifier(
    @Arg('options', () => TrainContentModelInput, { nullable: true }) o: TrainContentModelInput | undefined,
    @Ctx() ctx: Context,
  ) {
    const c = authed(ctx);
    return c.services.jobs.enqueue(
      c.client.newsroomId,
      'content.train-topic-classifier',
      {
        ...trainingWindow(o),
        ...(o?.minExamples ? { minExamples: o.minExamples } : {}),
        ...(o?.minPerLabel ? { minPerLabel: o.minPerLabel } : {}),
        ...(o?.warmStart ? { warmStart: true } : {}),
      },
      { requesterId: c.client.id },
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => ModelVersionGQL, {
    description:
      'Makes a content model version (summary-scorer or topic-classifier) the one that serves; the version that served before is RETIRED',
  })
  activateContentModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const c = authed(ctx);
    return activateVersion(c.db, c.client.newsroomId, id);
  }

  @Authorized(...Roles.editor)
  @Query(() => LlmUsageReportGQL, {
    description: "Tokens and cost of the newsroom's LLM calls since a time (default: the last 30 days)",
  })
  llmUsage(
    @Arg('since', () => GraphQLDateTime, { nullable: true }) since: Date | undefined,
    @Arg('jobId', () => ID, { nullable: true }) jobId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return llmUsageReport(authed(ctx).db, since ?? new Date(Date.now() - 30 * 24 * 3600_000), jobId ?? null);
  }

  @Authorized(...Roles.any)
  @Query(() => GenerationPolicyGQL)
  async generationPolicy(@Ctx() ctx: Context) {
    const p = await getGenerationPolicy(authed(ctx));
    return { ...p, guardrails: p.guardrails as GuardrailPolicy };
  }

  @Authorized(...Roles.admin)
  @Mutation(() => GenerationPolicyGQL, {
    description:
      'Sets how generated text is treated: guardrails FLAG or REJECT, banned terms, default length limits (fields not given are kept)',
  })
  async setGenerationPolicy(
    @Arg('input', () => GenerationPolicyInput) input: GenerationPolicyInput,
    @Ctx() ctx: Context,
  ) {
    const p = await setGenerationPolicy(authed(ctx), input);
    return { ...p, guardrails: p.guardrails as GuardrailPolicy };
  }
}
