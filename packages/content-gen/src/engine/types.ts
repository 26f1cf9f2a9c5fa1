import type { GuardrailReport } from '../guardrails/check.js';
import type { LlmUsage } from '../llm/types.js';
import type { Keyword } from '../nlp/keywords.js';
import type { TagSuggestion } from '../nlp/tags.js';
import type { ArticleInput } from '../summarize/document.js';
import type { SummaryMethod, SummarySentence } from '../summarize/summarize.js';

/** Which engine produced an output; stored with the output so results of different engines are never mixed. */
export interface EngineInfo {
  kind: 'local' | 'llm';
  /** "local/lead", "local/scorer", "openai-compatible", ... */
  name: string;
  version: string;
  /** Trained model ("sentence-scorer@20250101T000000Z") or LLM model name. */
  model?: string;
}

export interface EngineOutput<T> {
  value: T;
  engine: EngineInfo;
  /** Set when the configured engine failed and another one answered. */
  fallback?: { from: EngineInfo; reason: string };
  /** LLM engines: tokens and cost of the call. */
  usage?: LlmUsage;
  cost?: number;
  latencyMs: number;
}

export interface GeneratedSummary {
  /** The summary after guardrail corrections (preferred spellings). */
  text: string;
  method: SummaryMethod | 'llm';
  /** Extractive summaries: the chosen sentences, in article order. */
  sentences?: SummarySentence[];
  guardrails: GuardrailReport;
}

export interface GeneratedHeadline {
  text: string;
  score?: number;
  guardrails: GuardrailReport;
}

export interface GeneratedSocialPost {
  text: string;
  length: number;
  hashtags: string[];
  guardrails: GuardrailReport;
}

export interface SummaryRequest {
  maxSentences?: number;
  maxChars?: number;
  /** Local engine: 'lead', 'textrank' or 'scorer' (default: scorer when a model is loaded, else lead). */
  method?: SummaryMethod;
  /** LLM engine: streamed tokens. */
  onToken?: (token: string) => void;
  signal?: AbortSignal;
}

export interface HeadlineRequest {
  count?: number;
  /** Default 80. */
  maxChars?: number;
  signal?: AbortSignal;
}

export interface SocialRequest {
  count?: number;
  /** Default 280. */
  maxChars?: number;
  hashtags?: number;
  url?: string;
  signal?: AbortSignal;
}

export interface KeywordRequest {
  max?: number;
  signal?: AbortSignal;
}

export interface TagRequest {
  max?: number;
  /** Restrict suggestions to this taxonomy (LLM engine; the local classifier has its own labels). */
  allowed?: readonly string[];
  signal?: AbortSignal;
}

/** Every content operation, with a local and an LLM implementation behind it. */
export interface ContentEngine {
  readonly info: EngineInfo;
  summarize(article: ArticleInput, request?: SummaryRequest): Promise<EngineOutput<GeneratedSummary>>;
  headlines(article: ArticleInput, request?: HeadlineRequest): Promise<EngineOutput<GeneratedHeadline[]>>;
  social(article: ArticleInput, request?: SocialRequest): Promise<EngineOutput<GeneratedSocialPost[]>>;
  keywords(article: ArticleInput, request?: KeywordRequest): Promise<EngineOutput<Keyword[]>>;
  tags(article: ArticleInput, request?: TagRequest): Promise<EngineOutput<TagSuggestion[]>>;
}

/** Thrown by an engine whose output failed guardrails under the 'reject' policy. */
export class GuardrailRejectedError extends Error {
  readonly code = 'GUARDRAIL_REJECTED';
  constructor(readonly reports: GuardrailReport[]) {
    super(
      `generated text rejected by guardrails: ${reports.flatMap((r) => r.issues.filter((i) => i.severity === 'error').map((i) => i.message)).join('; ')}`,
    );
    this.name = 'GuardrailRejectedError';
  }
}
