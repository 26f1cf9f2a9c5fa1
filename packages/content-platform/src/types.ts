import type { GeneratedKind, Prisma, ReviewStatus } from '@media-ai/db';
import type { PayloadOf, ResultOf } from '@media-ai/jobs';

export type ContentOperation = PayloadOf<'content.generate'>['operations'][number];
export type GenerationOptions = NonNullable<PayloadOf<'content.generate'>['options']>;
export type EngineChoice = NonNullable<GenerationOptions['engine']>;
export type ContentFallback = ResultOf<'content.generate'>['fallbacks'][number];
export type LlmUsageTotals = ResultOf<'content.generate'>['llm'];

/** Longest text answered at once (API, local engines); longer texts run as jobs. */
export const MAX_SYNC_CHARS = 20_000;
/** Longest inline text a job takes (longer texts: store them as a content item first). */
export const MAX_JOB_CHARS = 500_000;

export const CONTENT_OPERATIONS: readonly ContentOperation[] = [
  'summary',
  'headlines',
  'social',
  'keywords',
  'tags',
];

/** The text generation works on, from a content item or given inline. */
export interface GenerationSource {
  text: string;
  title?: string;
  language?: string;
  contentId?: string;
  /** When the content item was last changed (stored with the items: which version of the text they describe). */
  contentUpdatedAt?: Date;
}

/** A generated item ready to store (table GeneratedItem). */
export interface NewGeneratedItem {
  kind: GeneratedKind;
  engine: string;
  engineVersion: string;
  prompt: string | null;
  templateId?: string | null;
  input: Prisma.InputJsonValue;
  output: string;
  outputData: Prisma.InputJsonValue;
  guardrails: Prisma.InputJsonValue;
  status: ReviewStatus;
  /** Set when the guardrail policy rejected it. */
  decidedAt?: Date | null;
}

/** One LLM call, for table LlmUsage. */
export interface LlmCallRecord {
  operation: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}
