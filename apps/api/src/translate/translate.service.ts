import { DomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import type { PayloadOf } from '@media-ai/jobs';
import {
  detectLanguage,
  findLanguage,
  isTranslateError,
  parseLanguage,
  type DetectedLanguage,
  type LanguageDetection,
  type LanguageTag,
} from '@media-ai/translate';
import {
  guessFormat,
  identifyLanguage,
  languageTag,
  translateManyForNewsroom,
  type TranslationEngines,
} from '@media-ai/translate-platform';
import { TranslateCoalescer } from './coalesce.js';
import {
  MAX_BATCH_CHARS,
  MAX_DETECT_CHARS,
  MAX_SYNC_CHARS,
  SentenceOrigin,
  TranslationFormat,
  type DetectedLanguageGQL,
  type LanguageDetectionGQL,
  type TextTranslationGQL,
  type TranslateArgs,
  type TranslateBatchArgs,
  type TranslateContentArgs,
  type TranslationLanguageGQL,
  type TranslationPairGQL,
  type TranslationPairsArgs,
} from './translate.types.js';

/** How the API writes a language code: ISO 639-1 where there is one ("pt"), else ISO 639-3 ("ast"). */
export function code(iso3: string): string {
  const language = findLanguage(iso3);
  return language ? (language.iso1 ?? language.iso3) : iso3;
}

/** Language identification and short synchronous translation for a newsroom, and checks before a job. */
export class TranslateService {
  constructor(
    private readonly db: TenantDb,
    private readonly engines: TranslationEngines,
    /** Lowest fuzzy translation-memory score reused (config TRANSLATE_FUZZY_MATCH). */
    private readonly fuzzyMatch?: number,
  ) {}

  async detect(text: string): Promise<LanguageDetectionGQL> {
    return detectionGQL(await detectLanguage(text));
  }

  /** Many texts, each answered as `detect` would; the list's total length is capped. */
  async detectMany(texts: readonly string[]): Promise<LanguageDetectionGQL[]> {
    const total = texts.reduce((n, t) => n + t.length, 0);
    if (total > MAX_DETECT_CHARS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `The texts have ${total.toLocaleString('en')} characters in all; detectLanguageBatch takes at most ${MAX_DETECT_CHARS.toLocaleString('en')} per call. Split the list.`,
        { translateCode: 'TEXT_TOO_LARGE', length: total, limit: MAX_DETECT_CHARS },
      );
    }
    const out: LanguageDetectionGQL[] = [];
    for (const text of texts) out.push(detectionGQL(await detectLanguage(text)));
    return out;
  }

  /**
   * One text. With a coalescer (one per GraphQL request), the translate fields of the request are
   * translated together as one batch.
   */
  async translate(args: TranslateArgs, coalescer?: TranslateCoalescer): Promise<TextTranslationGQL> {
    if (args.text.length > MAX_SYNC_CHARS) {
      coalescer?.skip();
      throw new DomainError(
        'BAD_USER_INPUT',
        `The text has ${args.text.length.toLocaleString('en')} characters; translate takes at most ${MAX_SYNC_CHARS.toLocaleString('en')}. ` +
          'For a longer text, store it as a content item (createContent) and use translateContent, which translates it as a job.',
        { translateCode: 'TEXT_TOO_LARGE', length: args.text.length, limit: MAX_SYNC_CHARS },
      );
    }
    if (coalescer) return coalescer.translate(args.text, args);
    const [result] = await this.translateTexts([args.text], args);
    return result;
  }

  /** Gathers the translate calls of one request (see TranslateCoalescer). */
  coalescer(expectedFields: number | null): TranslateCoalescer {
    return new TranslateCoalescer(
      (texts, direction) => this.translateTexts(texts, direction),
      expectedFields,
    );
  }

  /**
   * Many short texts in one request, translated together (one glossary read, one memory lookup and store,
   * the engine fed every sentence at once): the form for clients that would otherwise loop over translate.
   */
  async translateMany(args: TranslateBatchArgs): Promise<TextTranslationGQL[]> {
    const long = args.texts.findIndex((t) => t.length > MAX_SYNC_CHARS);
    if (long >= 0) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Text ${long + 1} has ${args.texts[long].length.toLocaleString('en')} characters; each text takes at most ${MAX_SYNC_CHARS.toLocaleString('en')}. ` +
          'Store longer texts as content items and use translateContent.',
        {
          translateCode: 'TEXT_TOO_LARGE',
          index: long,
          length: args.texts[long].length,
          limit: MAX_SYNC_CHARS,
        },
      );
    }
    const total = args.texts.reduce((n, t) => n + t.length, 0);
    if (total > MAX_BATCH_CHARS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `The texts have ${total.toLocaleString('en')} characters in all; translateBatch takes at most ${MAX_BATCH_CHARS.toLocaleString('en')} per call. Split the list.`,
        { translateCode: 'TEXT_TOO_LARGE', length: total, limit: MAX_BATCH_CHARS },
      );
    }
    return this.translateTexts(args.texts, args);
  }

  private async translateTexts(
    texts: readonly string[],
    args: Omit<TranslateArgs, 'text'>,
  ): Promise<TextTranslationGQL[]> {
    const results = await translateManyForNewsroom({
      db: this.db,
      registry: this.engines.get(),
      texts,
      format: args.format,
      from: args.from.trim().toLowerCase() === 'auto' ? 'auto' : args.from,
      to: args.to,
      maxChars: MAX_SYNC_CHARS,
      ...(this.fuzzyMatch !== undefined ? { fuzzyMatch: this.fuzzyMatch } : {}),
    });
    const to = languageTag(parseLanguage(args.to));
    return results.map((result) => {
      const stats = result.stats;
      return {
        text: result.text,
        from: languageTag(parseLanguage(result.from)),
        to,
        format: args.format,
        engine: stats.engine,
        provider: result.provider,
        route: stats.route.map(code),
        pivot: stats.pivot ? stats.pivot.map(code) : null,
        stats: {
          segments: stats.segments,
          sentences: stats.sentences,
          memoryHits: stats.memoryHits,
          humanMemoryHits: stats.humanMemoryHits,
          fuzzyMemoryHits: stats.fuzzyMemoryHits,
          engineSentences: stats.engineSentences,
          engineCharacters: stats.engineCharacters,
          glossaryApplied: stats.glossaryApplied,
          doNotTranslateApplied: stats.doNotTranslateApplied,
          fallbackSentences: stats.fallbackSentences,
          durationMs: stats.durationMs,
        },
        sentences: result.sentences.map((s) => ({
          source: s.key,
          target: s.target,
          origin: s.origin as SentenceOrigin,
          matchScore: s.score,
          matchedSource: s.matchedSource ?? null,
        })),
        warnings: [...result.warnings],
        detected: result.detected ? detectionGQL(result.detected) : null,
      };
    });
  }

  /** Every pair a configured provider translates, directly or through pivots. */
  async pairs(filter: TranslationPairsArgs = {}): Promise<TranslationPairGQL[]> {
    const registry = this.engines.get();
    const from = filter.from ? parseLanguage(filter.from).iso3 : null;
    const to = filter.to ? parseLanguage(filter.to).iso3 : null;
    const pairs = (await registry.pairs())
      .filter(
        (p) =>
          (!from || p.from === from) &&
          (!to || p.to === to) &&
          (!filter.provider || p.provider === filter.provider),
      )
      .map((p) => ({
        from: code(p.from),
        to: code(p.to),
        fromName: findLanguage(p.from)?.name ?? p.from,
        toName: findLanguage(p.to)?.name ?? p.to,
        via: p.via.map(code),
        pivot: p.via.length > 0,
        provider: p.provider,
        engine: registry.get(p.provider).id,
      }));
    return pairs.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  }

  async languages(): Promise<TranslationLanguageGQL[]> {
    const languages = new Map<string, TranslationLanguageGQL>();
    for (const pair of await this.pairs()) {
      for (const [tag, side] of [
        [pair.from, 'asSource'],
        [pair.to, 'asTarget'],
      ] as const) {
        const language = findLanguage(tag);
        const entry = languages.get(tag) ?? {
          code: tag,
          iso3: language?.iso3 ?? tag,
          name: language?.name ?? tag,
          asSource: false,
          asTarget: false,
        };
        entry[side] = true;
        languages.set(tag, entry);
      }
    }
    return [...languages.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The payload of a translate.content job, checked now so that a wrong language or an unsupported pair is
   * answered at once rather than by a failed job.
   */
  async contentJobPayload(args: TranslateContentArgs): Promise<PayloadOf<'translate.content'>> {
    const item = await this.db.contentItem.findUnique({ where: { id: args.contentId } });
    if (!item) throw new DomainError('NOT_FOUND', `Content item ${args.contentId} was not found`);
    const format = args.format ?? (guessFormat(item.body) as TranslationFormat);
    const source = await this.sourceLanguage(args, item, format);
    const registry = this.engines.get();
    const targets = new Map<string, LanguageTag>();
    for (const tag of args.targetLanguages) {
      const target = parseLanguage(tag);
      if (target.iso3 === source.iso3) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `targetLanguages includes "${tag}", the language of the item (${source.name}): leave it out`,
          { translateCode: 'INVALID_INPUT', language: tag },
        );
      }
      await registry.engineFor(source.iso3, tag); // UNSUPPORTED_PAIR now rather than in the job
      targets.set(languageTag(target), target);
    }
    return {
      contentId: item.id,
      targetLanguages: [...targets.keys()],
      sourceLanguage: languageTag(source),
      format,
      ...(args.review ? { review: true } : {}),
    };
  }

  private async sourceLanguage(
    args: TranslateContentArgs,
    item: { id: string; title: string; body: string; language: string | null },
    format: TranslationFormat,
  ): Promise<LanguageTag> {
    const given = args.sourceLanguage ?? item.language;
    if (given) return parseLanguage(given);
    try {
      // the first part of a long article tells its language as well as the whole
      return parseLanguage(
        (await identifyLanguage(`${item.title}\n\n${item.body.slice(0, 20_000)}`, format)).iso3,
      );
    } catch (error) {
      if (!isTranslateError(error, 'UNKNOWN_LANGUAGE')) throw error;
      const guess = /\(best guess [^)]*\)/.exec((error as Error).message)?.[0];
      throw new DomainError(
        'BAD_USER_INPUT',
        `Content item ${item.id} has no language and its text does not tell it reliably${guess ? ` ${guess}` : ''}. ` +
          'Set its language (updateContent) or pass sourceLanguage.',
        { translateCode: 'UNKNOWN_LANGUAGE' },
      );
    }
  }
}

function languageGQL(language: DetectedLanguage): DetectedLanguageGQL {
  return {
    code: language.iso1 ?? language.iso3,
    iso1: language.iso1,
    iso3: language.iso3,
    name: language.name,
    confidence: language.confidence,
  };
}

function detectionGQL(detection: LanguageDetection): LanguageDetectionGQL {
  return {
    ...languageGQL(detection),
    reliable: detection.reliable,
    alternatives: detection.alternatives.map(languageGQL),
    model: detection.model,
  };
}
