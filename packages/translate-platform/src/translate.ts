import type { TenantDb } from '@media-ai/db';
import {
  detectLanguage,
  parseDocument,
  parseLanguage,
  TranslateError,
  translateDocuments,
  type DocumentFormat,
  type EngineRegistry,
  type LanguageDetection,
  type LanguageTag,
  type TranslateDocumentResult,
  type TranslateProgress,
} from '@media-ai/translate';
import { loadNewsroomTerms } from './glossary.js';
import { PostgresTranslationMemory } from './memory.js';

export interface NewsroomTranslateInput {
  readonly db: TenantDb;
  readonly registry: EngineRegistry;
  readonly text: string;
  readonly format: DocumentFormat;
  /** A language code, or 'auto' to identify it first. */
  readonly from: string;
  readonly to: string;
  readonly maxChars?: number;
  readonly onProgress?: (progress: TranslateProgress) => void | Promise<void>;
  /** Lowest score of a fuzzy memory match to reuse (config TRANSLATE_FUZZY_MATCH); 1 turns fuzzy matching off. */
  readonly fuzzyMatch?: number;
}

/** Default lowest score of a fuzzy translation-memory match (one word in five may differ). */
export const DEFAULT_FUZZY_MATCH = 0.8;

export interface NewsroomTranslation extends TranslateDocumentResult {
  /** The configured provider that translated (e.g. 'apertium'), null when nothing needed translating. */
  readonly provider: string | null;
}

/**
 * Translates a text for a newsroom: its glossary and do-not-translate terms enforced, its translation memory
 * reused and fed, the engine the configuration gives the pair.
 */
export async function translateForNewsroom(input: NewsroomTranslateInput): Promise<NewsroomTranslation> {
  const { text, ...rest } = input;
  const [result] = await translateManyForNewsroom({ ...rest, texts: [text] });
  return result;
}

export interface NewsroomTranslateManyInput extends Omit<NewsroomTranslateInput, 'text'> {
  readonly texts: readonly string[];
}

/**
 * Translates several texts for a newsroom as one piece of work per source language: the glossary read
 * once, one memory lookup and one store, every distinct sentence sent to the engine once and together
 * (Apertium streams them through its warm pipeline back to back). Results are in the order of `texts`.
 */
export async function translateManyForNewsroom(
  input: NewsroomTranslateManyInput,
): Promise<NewsroomTranslation[]> {
  const many = input.texts.length > 1;
  input.texts.forEach((text, index) => {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new TranslateError(
        'EMPTY_TEXT',
        many
          ? `Text ${index + 1} is empty: there is nothing to translate.`
          : 'There is no text to translate.',
        many ? { index } : {},
      );
    }
  });
  const target = parseLanguage(input.to);
  const detections: (LanguageDetection | null)[] = [];
  const bySource = new Map<string, number[]>();
  for (const [index, text] of input.texts.entries()) {
    let detected: LanguageDetection | null = null;
    if (input.from === 'auto') {
      try {
        detected = await identifyLanguage(text, input.format);
      } catch (error) {
        if (many && error instanceof TranslateError) {
          throw new TranslateError(error.code, `Text ${index + 1}: ${error.message}`, {
            ...error.details,
            index,
          });
        }
        throw error;
      }
    }
    detections.push(detected);
    const source = parseLanguage(detected ? detected.iso3 : input.from).iso3;
    bySource.set(source, [...(bySource.get(source) ?? []), index]);
  }
  const results = new Array<NewsroomTranslation>(input.texts.length);
  const registry = input.registry;
  for (const [source, indexes] of bySource) {
    const texts = indexes.map((k) => input.texts[k]);
    let group: NewsroomTranslation[];
    if (source === target.iso3) {
      const provider = registry.candidates(source, target.iso3)[0];
      const translated = await translateDocuments({
        ...base(input),
        texts,
        from: source,
        engine: registry.get(provider),
      });
      group = translated.map((r) => ({ ...r, provider: null }));
    } else {
      const engine = await registry.engineFor(source, input.to);
      const provider =
        registry.candidates(source, input.to).find((name) => registry.get(name) === engine) ?? null;
      const memory = new PostgresTranslationMemory(input.db);
      const translated = await translateDocuments({
        ...base(input),
        texts,
        from: source,
        engine,
        loadTerms: () => loadNewsroomTerms(input.db, source, input.to),
        memory,
        fuzzyMatch: input.fuzzyMatch ?? DEFAULT_FUZZY_MATCH,
      });
      const hits = translated.filter((r) => r.stats.memoryHits > 0);
      if (hits.length > 0) {
        await memory.recordHits(
          hits[0].from,
          hits[0].to,
          hits[0].stats.engine,
          hits.flatMap((r) => r.sentences),
        );
      }
      group = translated.map((r) => ({ ...r, provider }));
    }
    indexes.forEach((k, j) => (results[k] = { ...group[j], detected: detections[k] }));
  }
  return results;
}

function base(input: NewsroomTranslateManyInput) {
  return {
    format: input.format,
    to: input.to,
    maxChars: input.maxChars,
    onProgress: input.onProgress,
  };
}

/** The language of a document's words (markup left out); UNKNOWN_LANGUAGE when it cannot be told. */
export async function identifyLanguage(
  text: string,
  format: DocumentFormat = 'text',
): Promise<LanguageDetection> {
  const plain =
    format === 'text'
      ? text
      : parseDocument(text, format)
          .segments.map((s) => s.text.replace(/\u27E6\d+\u27E7/g, ' '))
          .join('\n');
  const detection = await detectLanguage(plain.trim() === '' ? text : plain);
  if (detection.iso3 === 'und' || !detection.reliable) {
    const guess =
      detection.iso3 === 'und'
        ? ''
        : ` (best guess ${detection.name}, ${Math.round(detection.confidence * 100)}%)`;
    throw new TranslateError(
      'UNKNOWN_LANGUAGE',
      `The language of the text could not be told reliably${guess}: give the source language.`,
      {
        detected: detection.iso3,
      },
    );
  }
  return detection;
}

/** How the platform writes a language: ISO 639-1 where there is one (else 639-3), with its variant: "pt-BR". */
export function languageTag(language: LanguageTag | string): string {
  const tag = typeof language === 'string' ? parseLanguage(language) : language;
  return `${tag.iso1 ?? tag.iso3}${tag.variant ? `-${tag.variant}` : ''}`;
}

/** HTML when the text has tags, Markdown when it has Markdown marks, plain text otherwise. */
export function guessFormat(text: string): DocumentFormat {
  if (/<([a-z][a-z0-9]*)\b[^>]*>[\s\S]*?<\/\1\s*>|<(?:br|img|hr)\b[^>]*>/i.test(text)) return 'html';
  if (/^(?:#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)|\[[^\]\n]+\]\([^)\s]+\)|\*\*[^*\n]+\*\*/m.test(text))
    return 'markdown';
  return 'text';
}
