import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsOptional,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { GeneratedKind } from '@media-ai/db';
import { ConnectionType } from '../common/pagination.js';
import { JobGQL } from '../jobs/job.types.js';
import { MAX_JOB_CHARS } from './pipeline.js';

registerEnumType(GeneratedKind, {
  name: 'GeneratedKind',
  description:
    'SUMMARY, HEADLINE, SOCIAL_POST, KEYWORDS, ENTITIES, TAGS (from a text), DRAFT (from data) or TRANSLATION (translateContent with review)',
});

/** GeneratedItem.status (the Prisma enum ReviewStatus, under its own GraphQL name). */
export enum GeneratedItemStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  EDITED = 'EDITED',
  REJECTED = 'REJECTED',
}
registerEnumType(GeneratedItemStatus, {
  name: 'GeneratedItemStatus',
  description:
    'PENDING until an editor decides; REJECTED also when the newsroom policy rejects failed guardrails',
});

export enum ReviewDecision {
  ACCEPT = 'ACCEPT',
  EDIT = 'EDIT',
  REJECT = 'REJECT',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description:
    'ACCEPT: use the output as it is; EDIT: use editedOutput instead; REJECT: discard. Accepting (or editing) a HEADLINE ' +
    'sets ContentItem.title, a SUMMARY ContentItem.summary, KEYWORDS and TAGS add to ContentItem.tags, a TRANSLATION writes ' +
    'the linked translated item; other kinds only record the decision. undoReview takes any decision back.',
});

export enum GenerationOperation {
  SUMMARY = 'summary',
  HEADLINES = 'headlines',
  SOCIAL = 'social',
  KEYWORDS = 'keywords',
  TAGS = 'tags',
}
registerEnumType(GenerationOperation, {
  name: 'GenerationOperation',
  description: 'KEYWORDS makes two items: KEYWORDS and ENTITIES',
});

export enum SummaryMethod {
  LEAD = 'lead',
  TEXTRANK = 'textrank',
  SCORER = 'scorer',
}
registerEnumType(SummaryMethod, {
  name: 'SummaryMethod',
  description: "Local summaries: first sentences, TextRank, or the newsroom's active trained sentence scorer",
});

export enum GenerationEngine {
  AUTO = 'auto',
  LOCAL = 'local',
  LLM = 'llm',
}
registerEnumType(GenerationEngine, {
  name: 'GenerationEngine',
  description: 'AUTO: the LLM when one is configured, else the local engines. The LLM always runs as a job.',
});

export enum GuardrailPolicy {
  FLAG = 'flag',
  REJECT = 'reject',
}
registerEnumType(GuardrailPolicy, {
  name: 'GuardrailPolicy',
  description: 'FLAG: report problems, the item waits for review; REJECT: store the item as REJECTED',
});

@InputType()
export class GenerationOptionsInput {
  @Field(() => GenerationEngine, { nullable: true, defaultValue: GenerationEngine.AUTO })
  engine?: GenerationEngine;

  @Field(() => SummaryMethod, {
    nullable: true,
    description: 'Local summaries (default: SCORER when the newsroom has an active scorer, else LEAD)',
  })
  method?: SummaryMethod;

  @Field(() => Int, { nullable: true, description: 'Summary: at most this many sentences (default 3)' })
  @IsOptional()
  @Min(1, { message: 'maxSentences must be at least 1' })
  @Max(20, { message: 'maxSentences must be at most 20' })
  maxSentences?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Length limit of the summary, headlines or posts (the guardrails check it)',
  })
  @IsOptional()
  @Min(20, { message: 'maxChars must be at least 20' })
  @Max(5000, { message: 'maxChars must be at most 5000' })
  maxChars?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'How many headlines (5) or posts (3); at most how many keywords or tags (10)',
  })
  @IsOptional()
  @Min(1, { message: 'count must be at least 1' })
  @Max(30, { message: 'count must be at most 30' })
  count?: number;

  @Field(() => String, { nullable: true, description: 'Social posts: the link appended to each' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'url must be an http(s) URL' })
  url?: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Run as a job even when it could answer at once',
  })
  runAsJob?: boolean;
}

@InputType()
export class GenerationInput {
  @Field(() => ID, { nullable: true, description: 'A content item: its title and body (give this or text)' })
  contentId?: string;

  @Field(() => String, { nullable: true, description: 'The text (give this or contentId)' })
  @IsOptional()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(MAX_JOB_CHARS, {
    message: `text must be at most ${MAX_JOB_CHARS.toLocaleString('en')} characters; store longer texts as content`,
  })
  text?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000, { message: 'title must be at most 1000 characters' })
  title?: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO 639-1 code such as "en" (en, es, fr, de have their own rules)',
  })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, {
    message: 'language must be an ISO 639 code such as "en" or "pt-BR"',
  })
  language?: string;

  @Field(() => GenerationOptionsInput, { nullable: true })
  options?: GenerationOptionsInput;
}

/** Most inputs in one summarizeBatch. */
export const MAX_BATCH_INPUTS = 50;

@ArgsType()
export class GenerationBatchArgs {
  @Field(() => [GenerationInput], {
    description: `At most ${MAX_BATCH_INPUTS} inputs, 200,000 characters of text in all; answered in their order`,
  })
  @ArrayMinSize(1, { message: 'inputs must list at least one input' })
  @ArrayMaxSize(MAX_BATCH_INPUTS, {
    message: `inputs takes at most ${MAX_BATCH_INPUTS} inputs per call; split the list, or use generateForContent for stored items`,
  })
  inputs!: GenerationInput[];
}

@ObjectType('GuardrailIssue')
export class GuardrailIssueGQL {
  @Field(() => String, {
    description: 'unsupported_number, unsupported_entity, banned_term, too_long, too_short, spelling',
  })
  kind!: string;
  @Field(() => String, { description: 'error fails the check; info is a correction already applied' })
  severity!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { nullable: true }) text?: string | null;
  @Field(() => String, { nullable: true }) suggestion?: string | null;
}

@ObjectType('GuardrailReport', {
  description: 'Checks of a generated text against its source and the newsroom policy',
})
export class GuardrailReportGQL {
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String, { description: 'pass, flag or reject' }) action!: string;
  @Field(() => String, { description: 'The newsroom policy it was checked under: flag or reject' })
  policy!: string;
  @Field(() => [GuardrailIssueGQL]) issues!: GuardrailIssueGQL[];
  @Field(() => [String], { description: 'Numbers in the text that are not in the source' })
  unsupportedNumbers!: string[];
  @Field(() => [String], { description: 'Names in the text that are not in the source' })
  unsupportedEntities!: string[];
  @Field(() => [String]) bannedTerms!: string[];
}

@ObjectType('GenerationFallback', { description: 'The configured engine failed and another one answered' })
export class GenerationFallbackGQL {
  @Field(() => String, { description: 'The engine that failed, e.g. llm:gpt-4o-mini' }) from!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('GeneratedItem', {
  description: 'A generated text with what made it and what the editor decided',
})
export class GeneratedItemGQL {
  @Field(() => ID) id!: string;
  @Field(() => GeneratedKind) kind!: GeneratedKind;
  @Field(() => String, {
    description:
      'What made it: local:lead, local:textrank, local:scorer, local:tags, llm:<model>, template:<name> ...',
  })
  engine!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Engine version, with the trained model when one was used (0.1.0/summary-scorer@3)',
  })
  engineVersion!: string | null;
  @Field(() => String, { nullable: true, description: 'The prompt sent to the LLM, or the template used' })
  prompt!: string | null;
  @Field(() => ID, { nullable: true }) templateId!: string | null;
  @Field(() => GraphQLJSON, {
    description: 'Operation, options and source (the text itself when it was given inline)',
  })
  input!: unknown;
  @Field(() => String) output!: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Structured output: sentences, scores, keywords, entities, tags, provenance ...',
  })
  outputData!: unknown;
  @Field(() => GeneratedItemStatus) status!: GeneratedItemStatus;
  @Field(() => String, { nullable: true }) editedOutput!: string | null;
  @Field(() => ID, { nullable: true, description: 'The API client (key) that decided' }) decidedById!:
    string | null;
  @Field(() => GraphQLDateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => ID, { nullable: true }) contentId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  guardrails!: unknown;
}

export const GeneratedItemConnection = ConnectionType(GeneratedItemGQL, 'GeneratedItem');

@ObjectType('GenerationSourceText', { description: 'The text an item was generated from, to show beside it' })
export class GenerationSourceTextGQL {
  @Field(() => ID, { nullable: true, description: 'The content item, when generated from one' })
  contentId!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, {
    description: "The text (the content item's body as plain text, as it is now; or the text given)",
  })
  text!: string;
  @Field(() => String, { nullable: true }) language!: string | null;
}

export enum DiffOp {
  EQUAL = 'equal',
  INSERT = 'insert',
  DELETE = 'delete',
}
registerEnumType(DiffOp, { name: 'DiffOp' });

@ObjectType('TextDiffPart', { description: 'A run of a word diff: kept, added or removed text' })
export class TextDiffPartGQL {
  @Field(() => DiffOp) op!: DiffOp;
  @Field(() => String) text!: string;
}

@ObjectType('BulkReviewResult', { description: 'The decision on one item of a bulk review' })
export class BulkReviewResultGQL {
  @Field(() => ID) id!: string;
  @Field(() => GeneratedItemGQL, { nullable: true, description: 'The decided item; null when it failed' })
  item!: GeneratedItemGQL | null;
  @Field(() => String, { nullable: true, description: 'Why it was not decided: NOT_FOUND, CONFLICT ...' })
  code!: string | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('BulkReviewOutcome')
export class BulkReviewOutcomeGQL {
  @Field(() => Int) decided!: number;
  @Field(() => Int) failed!: number;
  @Field(() => [BulkReviewResultGQL], { description: 'One per id, in the order given' })
  results!: BulkReviewResultGQL[];
}

@ArgsType()
export class BulkReviewArgs {
  @Field(() => [ID], { description: 'At most 100 generated items' })
  @ArrayMinSize(1, { message: 'ids must list at least one generated item' })
  @ArrayMaxSize(100, { message: 'ids takes at most 100 generated items per call; split the list' })
  ids!: string[];
  @Field(() => ReviewDecision, { description: 'ACCEPT or REJECT' })
  decision!: ReviewDecision;
}

@InputType()
export class GeneratedItemFilter {
  @Field(() => [GeneratedItemStatus], { nullable: true, description: 'The review queue: [PENDING]' })
  status?: GeneratedItemStatus[];
  @Field(() => [GeneratedKind], { nullable: true }) kind?: GeneratedKind[];
  @Field(() => ID, { nullable: true }) contentId?: string;
  @Field(() => ID, { nullable: true }) jobId?: string;
  @Field(() => String, { nullable: true, description: 'Engine prefix, e.g. "llm:" or "local:"' })
  @IsOptional()
  @MaxLength(100)
  engine?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only items whose guardrails found problems' })
  flagged?: boolean;
}

@ObjectType('GenerationOutcome', {
  description:
    'Short texts with the local engines: the stored items at once. Long texts or the LLM: a job (its result lists the items).',
})
export class GenerationOutcomeGQL {
  @Field(() => [GeneratedItemGQL]) items!: GeneratedItemGQL[];
  @Field(() => JobGQL, { nullable: true, description: 'Set when the work was queued' }) job!: JobGQL | null;
}

@ArgsType()
export class GenerateForContentArgs {
  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'contentIds must list at least one content item' })
  @ArrayMaxSize(1000, { message: 'at most 1000 content items per batch' })
  contentIds!: string[];

  @Field(() => [GenerationOperation])
  @ArrayMinSize(1, { message: 'operations must list at least one operation' })
  operations!: GenerationOperation[];

  @Field(() => GenerationOptionsInput, { nullable: true })
  options?: GenerationOptionsInput;
}

@ObjectType('GenerationToken', {
  description: 'A piece of LLM output as it is generated; done when the job has ended',
})
export class GenerationTokenGQL {
  @Field(() => ID) jobId!: string;
  @Field(() => String, { nullable: true, description: 'summary, headlines, social, keywords or tags' })
  operation!: string | null;
  @Field(() => String, { nullable: true }) token!: string | null;
  @Field(() => Int, { nullable: true, description: 'Position of the token in the job' }) index!:
    number | null;
  @Field(() => Boolean) done!: boolean;
  @Field(() => String, { description: 'The job status' }) status!: string;
}

// ---------------------------------------------------------------- models

@InputType()
export class TrainContentModelInput {
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only content created since' }) since?: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only content created before' }) until?: Date;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: 'epochs must be at least 1' })
  @Max(1000, { message: 'epochs must be at most 1000' })
  epochs?: number;
  @Field(() => Float, { nullable: true, description: 'Fraction held out for the validation metric (0.2)' })
  @IsOptional()
  @Min(0.05, { message: 'holdout must be at least 0.05' })
  @Max(0.5, { message: 'holdout must be at most 0.5' })
  holdout?: number;
  @Field(() => Int, {
    nullable: true,
    description:
      'Summary scorer: fewest (body, summary) pairs (20); topic classifier: fewest categorised items (30)',
  })
  @IsOptional()
  @Min(2, { message: 'minExamples must be at least 2' })
  minExamples?: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Topic classifier: categories with fewer items are left out (3)',
  })
  @IsOptional()
  @Min(2, { message: 'minPerLabel must be at least 2' })
  minPerLabel?: number;
  @Field(() => Boolean, {
    nullable: true,
    description: "Topic classifier: start from the active version's weights",
  })
  warmStart?: boolean;
}

// ---------------------------------------------------------------- drafts

@ObjectType('DraftTemplate')
export class DraftTemplateGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'sports, earnings, election, weather or any other kind of table' })
  kind!: string;
  @Field(() => String) body!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Int, { description: 'Goes up with every change' }) version!: number;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const DraftTemplateConnection = ConnectionType(DraftTemplateGQL, 'DraftTemplate');

@ArgsType()
export class UpsertDraftTemplateArgs {
  @Field(() => String)
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, {
    message: 'name must be 1 to 80 lower-case letters, digits and dashes, e.g. "company-earnings"',
  })
  name!: string;
  @Field(() => String)
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    message: 'kind must be 1 to 40 lower-case letters, digits and dashes, e.g. "earnings"',
  })
  kind!: string;
  @Field(() => String, { description: 'Template source: {{path | formatter}}, {{#if}}, {{#each}} ...' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(50_000, { message: 'body must be at most 50,000 characters' })
  body!: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  description?: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Example data: the fields are checked against it and it must render',
  })
  sampleData?: unknown;
}

@ObjectType('TemplateIssue')
export class TemplateIssueGQL {
  @Field(() => String, {
    description:
      'syntax, unknown_field, unknown_formatter, bad_argument, type_mismatch, not_a_list, missing_field, untraceable_number, limit',
  })
  code!: string;
  @Field(() => String, { description: 'error or warning' }) severity!: string;
  @Field(() => String) message!: string;
  @Field(() => Int, { description: '1-based; 0 when the issue is in the data' }) line!: number;
  @Field(() => Int) column!: number;
  @Field(() => String, { nullable: true }) path?: string | null;
}

@ObjectType('TemplateValidation')
export class TemplateValidationGQL {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => [TemplateIssueGQL]) issues!: TemplateIssueGQL[];
}

@ObjectType('NumberProvenance', { description: 'Where a number in a draft came from' })
export class NumberProvenanceGQL {
  @Field(() => String, { description: 'As written in the draft, e.g. "12.4"' }) text!: string;
  @Field(() => Float) value!: number;
  @Field(() => String, { description: 'Input path, e.g. "revenue" or "scorers[1].minute"' }) path!: string;
  @Field(() => Int) start!: number;
  @Field(() => Int) end!: number;
}

@ObjectType('UntracedNumber', {
  description: 'A number in a draft that no input produced (written in the template)',
})
export class UntracedNumberGQL {
  @Field(() => String) text!: string;
  @Field(() => Int) start!: number;
  @Field(() => Int) end!: number;
}

@ObjectType('Draft')
export class DraftGQL {
  @Field(() => String) text!: string;
  @Field(() => [NumberProvenanceGQL]) provenance!: NumberProvenanceGQL[];
  @Field(() => [UntracedNumberGQL]) untraced!: UntracedNumberGQL[];
  @Field(() => DraftTemplateGQL) template!: DraftTemplateGQL;
  @Field(() => GeneratedItemGQL, {
    description: 'The draft as stored for review (kind DRAFT, engine template:<name>)',
  })
  item!: GeneratedItemGQL;
}

@ArgsType()
export class RenderDraftArgs {
  @Field(() => String, { description: 'Template name or id' })
  @MinLength(1, { message: 'template must name a template' })
  template!: string;
  @Field(() => GraphQLJSON, {
    description: 'The data, e.g. {"company": "Acme", "revenue": 12400000000, ...}',
  })
  data!: unknown;
  @Field(() => ID, { nullable: true, description: 'Link the draft to a content item' }) contentId?: string;
}

// ---------------------------------------------------------------- usage and policy

@ObjectType('LlmUsageBucket')
export class LlmUsageBucketGQL {
  @Field(() => String) key!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Float) costUsd!: number;
}

@ObjectType('LlmUsageReport', { description: "The newsroom's LLM calls: tokens and cost" })
export class LlmUsageReportGQL {
  @Field(() => GraphQLDateTime, { nullable: true }) since!: Date | null;
  @Field(() => Int) calls!: number;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Int) totalTokens!: number;
  @Field(() => Float, {
    description: 'From LLM_PRICE_PROMPT_PER_1K and LLM_PRICE_COMPLETION_PER_1K; 0 when unset',
  })
  costUsd!: number;
  @Field(() => [LlmUsageBucketGQL]) byOperation!: LlmUsageBucketGQL[];
  @Field(() => [LlmUsageBucketGQL]) byModel!: LlmUsageBucketGQL[];
  @Field(() => [LlmUsageBucketGQL], { description: 'Per job, most expensive first (at most 50)' })
  byJob!: LlmUsageBucketGQL[];
}

@ObjectType('GenerationPolicy', {
  description: 'How the newsroom treats generated text (Newsroom.settings.generationPolicy)',
})
export class GenerationPolicyGQL {
  @Field(() => GuardrailPolicy) guardrails!: GuardrailPolicy;
  @Field(() => [String], { description: 'Terms generated text must not use' }) bannedTerms!: string[];
  @Field(() => Int, { nullable: true, description: 'Summary length limit when a request gives none' })
  summaryMaxChars!: number | null;
  @Field(() => Int) headlineMaxChars!: number;
  @Field(() => Int) socialMaxChars!: number;
}

@InputType()
export class GenerationPolicyInput {
  @Field(() => GuardrailPolicy, { nullable: true }) guardrails?: GuardrailPolicy;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500, { message: 'at most 500 banned terms' })
  @MinLength(1, { each: true, message: 'banned terms must not be empty' })
  @MaxLength(200, { each: true, message: 'each banned term must be at most 200 characters' })
  bannedTerms?: string[];
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(20, { message: 'summaryMaxChars must be at least 20' })
  @Max(5000, { message: 'summaryMaxChars must be at most 5000' })
  summaryMaxChars?: number | null;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(20, { message: 'headlineMaxChars must be at least 20' })
  @Max(300, { message: 'headlineMaxChars must be at most 300' })
  headlineMaxChars?: number;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(50, { message: 'socialMaxChars must be at least 50' })
  @Max(5000, { message: 'socialMaxChars must be at most 5000' })
  socialMaxChars?: number;
}

@ObjectType('GenerationEngines', { description: 'What generates for this newsroom now' })
export class GenerationEnginesGQL {
  @Field(() => String, { nullable: true, description: 'The configured LLM model; null: local engines only' })
  llmModel!: string | null;
  @Field(() => Int, {
    description: 'Longest text answered at once (local engines); longer texts run as jobs',
  })
  maxSyncChars!: number;
  @Field(() => ID, { nullable: true, description: 'Active summary-scorer ModelVersion' }) summaryScorerId!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'Active topic-classifier ModelVersion' })
  topicClassifierId!: string | null;
  @Field(() => String) localEngineVersion!: string;
}
