import type { TenantDb } from '@media-ai/db';
import {
  detectLanguage,
  parseDocument,
  parseLanguage,
  TranslateError,
  translateDocument,
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
}

export interface NewsroomTranslation extends TranslateDocumentResult {
  /** The configured provider that translated (e.g. 'apertium'), null when nothing needed translating. */
  readonly provider: string | null;
}

/**
 * Translates a text for a newsroom: its glossary and do-not-translate terms enforced, its translation memory
 * reused and fed, the engine the configuration gives the pair.
 */
export async function translateForNewsroom(input: NewsroomTranslateInput): Promise<NewsroomTranslation> {
  if (typeof input.text !== 'string' || input.text.trim() === '') {
    throw new TranslateError('EMPTY_TEXT', 'There is no text to translate.', {});
  }
  const target = parseLanguage(input.to);
  let detected: LanguageDetection | null = null;
  let from = input.from;
  if (from === 'auto') {
    detected = await identifyLanguage(input.text, input.format);
    from = detected.iso3;
  }
  const source = parseLanguage(from);
  const registry = input.registry;
  if (source.iso3 === target.iso3) {
    const provider = registry.candidates(source.iso3, target.iso3)[0];
    const result = await translateDocument({
      ...base(input),
      from: source.iso3,
      engine: registry.get(provider),
    });
    return { ...result, detected, provider: null };
  }
  const engine = await registry.engineFor(source.iso3, input.to);
  const provider =
    registry.candidates(source.iso3, input.to).find((name) => registry.get(name) === engine) ?? null;
  const terms = await loadNewsroomTerms(input.db, source.iso3, input.to);
  const memory = new PostgresTranslationMemory(input.db);
  const result = await translateDocument({
    ...base(input),
    from: source.iso3,
    engine,
    glossary: terms.glossary,
    doNotTranslate: terms.doNotTranslate,
    memory,
  });
  if (result.stats.memoryHits > 0)
    await memory.recordHits(result.from, result.to, result.stats.engine, result.sentences);
  return { ...result, detected, provider };
}

function base(input: NewsroomTranslateInput) {
  return {
    text: input.text,
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
