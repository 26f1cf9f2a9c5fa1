// @media-ai/content-gen: summaries, headlines, social posts, keywords, entities, tags, data-to-text drafts,
// an OpenAI-compatible LLM provider, guardrails. Pure TypeScript: no GraphQL, no database.

export { CONTENT_GEN_VERSION } from './version.js';

// Text
export { normalizeLang, SUPPORTED_LANGS, type Lang } from '@media-ai/text';
export { extractNumbers, numberSupported, type NumberMention } from './text/numbers.js';
export { porterStem } from './text/stem.js';

// Evaluation
export {
  rouge,
  rougeN,
  rougeL,
  rougeTokens,
  meanRougeF,
  lcsLength,
  type RougeScores,
  type PRF,
} from './eval/rouge.js';

// Summaries
export { prepareDocument, type ArticleInput, type PreparedDocument } from './summarize/document.js';
export {
  summarize,
  type SummarizeOptions,
  type SummaryMethod,
  type SummaryResult,
  type SummarySentence,
} from './summarize/summarize.js';
export { textRankScores, type TextRankOptions } from './summarize/textrank.js';
export { SENTENCE_FEATURES, sentenceFeatures } from './summarize/features.js';
export { greedyOracle } from './summarize/oracle.js';
export {
  trainSentenceScorer,
  scoreSentences,
  serializeSentenceScorer,
  deserializeSentenceScorer,
  type SentenceScorerModel,
  type SentenceScorerParams,
  type SummaryPair,
  type TrainScorerOptions,
} from './summarize/scorer.js';
export type { LengthOptions } from './summarize/select.js';

// Models
export {
  ARTIFACT_FORMAT,
  ModelFormatError,
  serializeModel,
  deserializeModel,
  type ModelArtifact,
  type ModelKind,
} from './ml/artifact.js';
export type { TrainProgress } from './ml/dense.js';
export { getTf, type TfBackend } from './ml/tf.js';

// Headlines and social posts
export {
  generateHeadlines,
  scoreHeadline,
  type HeadlineCandidate,
  type HeadlineOptions,
} from './headlines/headlines.js';
export { generateSocialPosts, toHashtag, type SocialPost, type SocialOptions } from './headlines/social.js';
export { compressSentence, type Compression } from './headlines/compress.js';

// Keywords, entities, tags, topic classifier
export {
  extractKeywords,
  buildKeywordBackground,
  type Keyword,
  type KeywordOptions,
} from './nlp/keywords.js';
export {
  extractEntities,
  type Entity,
  type EntityType,
  type EntityMention,
  type EntityOptions,
} from './nlp/entities.js';
export { suggestTags, tagSlug, type TagSuggestion, type TagOptions, type TagKind } from './nlp/tags.js';
export {
  trainTopicClassifier,
  retrainTopicClassifier,
  classifyTopic,
  evaluateTopicClassifier,
  serializeTopicClassifier,
  deserializeTopicClassifier,
  stratifiedSplit,
  type TopicClassifierModel,
  type TopicClassifierParams,
  type TopicExample,
  type TopicPrediction,
  type ClassifierEvaluation,
  type TrainTopicOptions,
} from './nlp/classifier.js';

// Data-to-text templates
export { TemplateError, type TemplateIssue, type TemplateIssueCode } from './templates/ast.js';
export { validateTemplate, type ValidationResult } from './templates/validate.js';
export {
  compileTemplate,
  renderTemplate,
  type CompiledTemplate,
  type NumberProvenance,
  type RenderOptions,
  type RenderResult,
} from './templates/render.js';
export { FORMATTERS } from './templates/formatters.js';
export { schemaFromSample, validateData, type FieldSchema, type DataIssue } from './templates/schema.js';
export {
  DEFAULT_TEMPLATES,
  getDefaultTemplate,
  SPORTS_RESULT,
  COMPANY_EARNINGS,
  ELECTION_RESULTS,
  WEATHER_FORECAST,
  type DraftTemplate,
} from './templates/defaults.js';
export { renderDraft, type Draft } from './templates/draft.js';

// Guardrails
export {
  checkGeneratedText,
  type GuardrailOptions,
  type GuardrailPolicy,
  type GuardrailReport,
  type GuardrailIssue,
  type GuardrailIssueKind,
} from './guardrails/check.js';
export {
  applyGlossary,
  glossaryPrompt,
  type Glossary,
  type GlossaryEntry,
  type BannedTerm,
  type SpellingFix,
} from './guardrails/glossary.js';

// LLM provider
export { OpenAiCompatibleProvider, createLlmProvider, llmConfigFromEnv } from './llm/provider.js';
export { Semaphore } from '@media-ai/http';
export {
  LlmError,
  type LlmConfig,
  type LlmProvider,
  type LlmPricing,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type LlmUsage,
  type LlmTotals,
  type LlmErrorCode,
} from './llm/types.js';

// Engines
export { createContentEngine, FallbackContentEngine, type ContentEngineConfig } from './engine/create.js';
export { LocalContentEngine, type LocalEngineOptions } from './engine/local.js';
export { LlmContentEngine } from './engine/llm.js';
export {
  GuardrailRejectedError,
  type ContentEngine,
  type EngineInfo,
  type EngineOutput,
  type GeneratedSummary,
  type GeneratedHeadline,
  type GeneratedSocialPost,
  type SummaryRequest,
  type HeadlineRequest,
  type SocialRequest,
  type KeywordRequest,
  type TagRequest,
} from './engine/types.js';
