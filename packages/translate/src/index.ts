export { TranslateError, isTranslateError, type TranslateErrorCode } from './errors.js';
export {
  allLanguages,
  findLanguage,
  parseLanguage,
  toIso1,
  toIso3,
  type Language,
  type LanguageTag,
} from './languages.js';

export {
  decideLanguage,
  detectLanguage,
  isReliable,
  languageVotes,
  loadLanguageDetectors,
  DEFAULT_LANGUAGE_ID_CALIBRATION,
  LANGUAGE_ID_MODEL,
  type DetectedLanguage,
  type DetectionMethod,
  type DetectOptions,
  type LanguageDetection,
  type LanguageIdCalibration,
  type LanguageVotes,
  type ReliabilityEvidence,
} from './langid/detect.js';

export type { EngineTranslation, LanguagePair, TranslationEngine } from './engines/types.js';
export { findRoute, expandPivotPairs, type Route } from './engines/routing.js';
export { ApertiumEngine, type ApertiumEngineOptions } from './engines/apertium/engine.js';
export {
  discoverModes,
  nullFlushCommand,
  DEFAULT_MODES_DIR,
  type ApertiumMode,
} from './engines/apertium/modes.js';
export { NullFlushPipeline, type PipelineOptions, type PipelineStats } from './engines/apertium/pipeline.js';
export { LibreTranslateEngine, type LibreTranslateOptions } from './engines/http/libretranslate.js';
export { ApertiumApyEngine, type ApertiumApyOptions } from './engines/http/apertium-apy.js';
export { OpenAiChatEngine, type OpenAiChatOptions } from './engines/http/openai-chat.js';
export {
  EngineRegistry,
  OFFLINE_TRANSLATION_CONFIG,
  type ProviderConfig,
  type RegistryPair,
  type RouteRule,
  type TranslationConfig,
} from './engines/registry.js';

export {
  translateDocument,
  translateDocuments,
  parseDocument,
  DEFAULT_MAX_CHARS,
  type DocumentFormat,
  type SentenceOrigin,
  type TranslateDocumentInput,
  type TranslateDocumentsInput,
  type TranslateDocumentResult,
  type TranslateDocumentStats,
  type TranslatedSentence,
  type TranslateProgress,
} from './translate-document.js';
export { splitSentences, type SentencePiece } from './document/sentences.js';
export { TermProtector, type Glossary, type GlossaryEntry } from './document/glossary.js';
export { placeholder, PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE } from './document/placeholders.js';

export type { MemoryEntry, MemoryMatch, MemoryOrigin, TranslationMemory } from './memory/types.js';
export { memoryKey } from './memory/key.js';
export { InMemoryTranslationMemory } from './memory/in-memory.js';
export {
  bestFuzzyMatch,
  carryOver,
  fuzzyScore,
  memoryTokens,
  type FuzzyCandidate,
  type FuzzyMatch,
} from './memory/fuzzy.js';

export { corpusBleu, tokenize13a, type BleuResult } from './metrics/bleu.js';
export { corpusChrf } from './metrics/chrf.js';
