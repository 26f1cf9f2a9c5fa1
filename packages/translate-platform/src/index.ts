export {
  translationConfigFromEnv,
  translationEnv,
  TranslationConfigError,
  type ResolvedTranslationConfig,
  type TranslationEnv,
} from './config.js';
export { TranslationEngines } from './engines.js';
export { PostgresTranslationMemory } from './memory.js';
export { loadNewsroomTerms, type NewsroomTerms } from './glossary.js';
export {
  guessFormat,
  identifyLanguage,
  languageTag,
  translateForNewsroom,
  translateManyForNewsroom,
  type NewsroomTranslateManyInput,
  type NewsroomTranslateInput,
  type NewsroomTranslation,
} from './translate.js';
export {
  saveTranslation,
  saveTranslationIn,
  type SavedTranslation,
  type TranslatedText,
} from './translations.js';
