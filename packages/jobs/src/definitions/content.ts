import { z } from 'zod';
import { defineJob } from '../define.js';

/** What content.generate can make from one text. `keywords` makes two items: KEYWORDS and ENTITIES. */
export type ContentOperation = 'summary' | 'headlines' | 'social' | 'keywords' | 'tags';

/** auto: the LLM when one is configured (LLM_BASE_URL + LLM_MODEL), else the local engines. */
export type ContentEngineChoice = 'auto' | 'local' | 'llm';

export interface ContentGenerationOptions {
  engine?: ContentEngineChoice;
  /** Local summaries: lead, textrank or scorer (the newsroom's active trained scorer). */
  method?: 'lead' | 'textrank' | 'scorer';
  maxSentences?: number;
  /** Summary, headline or social post length limit (the guardrails check it). */
  maxChars?: number;
  /** Headlines and social posts: how many; keywords and tags: at most how many. */
  count?: number;
  /** Social posts: link appended to each post. */
  url?: string;
}

/** A text given inline (no content item). */
export interface ContentSourceText {
  text: string;
  title?: string;
  language?: string;
}

export interface ContentGeneratePayload {
  operations: ContentOperation[];
  /** Exactly one of contentId (the item's title and body, read when the job runs) and source. */
  contentId?: string;
  source?: ContentSourceText;
  options?: ContentGenerationOptions;
}

export interface GeneratedItemRef {
  id: string;
  kind: string;
  /** "local:textrank", "llm:<model>", ... */
  engine: string;
  /** PENDING, or REJECTED when the newsroom's guardrail policy is 'reject' and the text failed. */
  status: string;
}

export interface LlmUsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface ContentFallback {
  operation: ContentOperation;
  from: string;
  to: string;
  reason: string;
}

export interface ContentGenerateResult {
  contentId: string | null;
  items: GeneratedItemRef[];
  /** Operations the configured LLM failed and the local engine answered. */
  fallbacks: ContentFallback[];
  llm: LlmUsageTotals;
}

export interface ContentGenerateBatchPayload {
  contentIds: string[];
  operations: ContentOperation[];
  options?: ContentGenerationOptions;
}

export type ContentBatchStatus = 'GENERATED' | 'NOT_FOUND' | 'EMPTY';

export interface ContentGenerateBatchResult {
  contents: { contentId: string; status: ContentBatchStatus; items: number; message: string | null }[];
  items: number;
  fallbacks: number;
  llm: LlmUsageTotals;
}

export interface TrainContentModelPayload {
  /** Content created in this window only (ISO dates); default: all. */
  since?: string;
  until?: string;
  epochs?: number;
  /** Fraction of examples held out for the validation metric (default 0.2). */
  holdout?: number;
}

export interface TrainSummaryScorerPayload extends TrainContentModelPayload {
  /** Fewest (body, human summary) pairs to train on (default 20). */
  minPairs?: number;
  /** Most pairs used, newest first (default 2000). */
  maxPairs?: number;
}

export interface TrainTopicClassifierPayload extends TrainContentModelPayload {
  /** Fewest categorised items to train on (default 30). */
  minExamples?: number;
  /** Categories with fewer items are left out (default 3). */
  minPerLabel?: number;
  /** Most items used, newest first (default 20000). */
  maxExamples?: number;
  /** Start from the active classifier's weights (retraining). */
  warmStart?: boolean;
}

/** TRAINED: a new model version (ACTIVE or CANDIDATE); NOT_ENOUGH_DATA: nothing trained, `message` says what is missing. */
export type TrainContentModelStatus = 'TRAINED' | 'NOT_ENOUGH_DATA';

export interface TrainContentModelResult {
  status: TrainContentModelStatus;
  message: string;
  modelVersionId: string | null;
  version: number | null;
  /** ACTIVE when it beat the active version (or the baseline) on the validation metric, else CANDIDATE. */
  modelStatus: 'ACTIVE' | 'CANDIDATE' | null;
  metric: string;
  value: number | null;
  /** The value of what it was compared with on the same held-out data. */
  baseline: { name: string; value: number } | null;
  examples: number;
}

const operations = z.array(z.enum(['summary', 'headlines', 'social', 'keywords', 'tags'])).min(1);
const generationOptions = z
  .object({
    engine: z.enum(['auto', 'local', 'llm']).optional(),
    method: z.enum(['lead', 'textrank', 'scorer']).optional(),
    maxSentences: z.number().int().min(1).optional(),
    maxChars: z.number().int().min(1).optional(),
    count: z.number().int().min(1).optional(),
    url: z.string().optional(),
  })
  .passthrough();
const trainWindow = {
  since: z.string().optional(),
  until: z.string().optional(),
  epochs: z.number().int().min(1).optional(),
  holdout: z.number().gt(0).lt(1).optional(),
};

export const contentJobs = {
  'content.generate': defineJob<ContentGeneratePayload, ContentGenerateResult>()({
    name: 'content.generate',
    queue: 'content',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        operations,
        contentId: z.string().uuid().optional(),
        source: z
          .object({ text: z.string(), title: z.string().optional(), language: z.string().optional() })
          .passthrough()
          .optional(),
        options: generationOptions.optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 30 * 60_000 },
    description:
      'Summary, headlines, social posts, keywords + entities and tags of one text or content item, each stored as a GeneratedItem for review; the LLM streams its tokens as job progress ({token}) and the local engines answer when it fails.',
  }),
  'content.generate-batch': defineJob<ContentGenerateBatchPayload, ContentGenerateBatchResult>()({
    name: 'content.generate-batch',
    queue: 'content',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        contentIds: z.array(z.string().uuid()).min(1),
        operations,
        options: generationOptions.optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description: 'content.generate over many content items, one after the other, with progress per item.',
  }),
  'content.train-summary-scorer': defineJob<TrainSummaryScorerPayload, TrainContentModelResult>()({
    name: 'content.train-summary-scorer',
    queue: 'content',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        ...trainWindow,
        minPairs: z.number().int().min(1).optional(),
        maxPairs: z.number().int().min(1).optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description:
      "Trains the extractive summary scorer on the newsroom's articles and their human summaries; a version in the model registry (ACTIVE when it beats the active one on held-out ROUGE-1).",
  }),
  'content.train-topic-classifier': defineJob<TrainTopicClassifierPayload, TrainContentModelResult>()({
    name: 'content.train-topic-classifier',
    queue: 'content',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        ...trainWindow,
        minExamples: z.number().int().min(1).optional(),
        minPerLabel: z.number().int().min(1).optional(),
        maxExamples: z.number().int().min(1).optional(),
        warmStart: z.boolean().optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description:
      "Trains the topic classifier behind tag suggestions on the newsroom's categorised content; a version in the model registry (ACTIVE when it beats the active one on held-out macro-F1).",
  }),
};
