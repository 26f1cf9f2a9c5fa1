import { findLanguage, parseLanguage } from '../../languages.js';
import type { EngineTranslation, LanguagePair, TranslationEngine } from '../types.js';
import { badResponse, joinUrl, mapLimit, requestJson, type HttpOptions } from './http.js';

export interface ApertiumApyOptions extends HttpOptions {
  /** e.g. http://apy:2737 */
  readonly url: string;
  /** Requests at a time (default 4). */
  readonly concurrency?: number;
  readonly markUnknown?: boolean;
  readonly id?: string;
}

interface ApyEnvelope {
  responseData?: unknown;
  responseStatus?: unknown;
  responseDetails?: unknown;
}

/** Apertium APy: `POST /translate` (langpair=eng|spa, q), `GET /listPairs`. */
export class ApertiumApyEngine implements TranslationEngine {
  readonly id: string;
  private pairsPromise: Promise<LanguagePair[]> | null = null;

  constructor(private readonly options: ApertiumApyOptions) {
    this.id = options.id ?? 'apertium-apy';
  }

  pairs(): Promise<LanguagePair[]> {
    this.pairsPromise ??= this.fetchPairs().catch((error: unknown) => {
      this.pairsPromise = null;
      throw error;
    });
    return this.pairsPromise;
  }

  async translate(texts: readonly string[], from: string, to: string): Promise<EngineTranslation> {
    const source = parseLanguage(from);
    const target = parseLanguage(to);
    const langpair = `${source.iso3}|${target.iso3}${target.variant ? `_${target.variant}` : ''}`;
    const out = await mapLimit(texts, this.options.concurrency ?? 4, async (text) => {
      if (text.trim() === '') return text;
      const form = new URLSearchParams({
        langpair,
        q: text,
        markUnknown: this.options.markUnknown ? 'yes' : 'no',
      });
      const response = (await requestJson(
        this.id,
        joinUrl(this.options.url, '/translate'),
        {
          method: 'POST',
          body: form.toString(),
          contentType: 'application/x-www-form-urlencoded',
        },
        this.options,
      )) as ApyEnvelope;
      const data = response.responseData as { translatedText?: unknown } | undefined;
      if (response.responseStatus !== 200 || typeof data?.translatedText !== 'string') {
        throw badResponse(
          this.id,
          `a translation (status ${String(response.responseStatus)}: ${String(response.responseDetails ?? '')})`,
        );
      }
      return data.translatedText;
    });
    return { texts: out, engine: this.id, route: [source.iso3, target.iso3] };
  }

  private async fetchPairs(): Promise<LanguagePair[]> {
    const response = (await requestJson(
      this.id,
      joinUrl(this.options.url, '/listPairs'),
      { method: 'GET' },
      this.options,
    )) as ApyEnvelope;
    if (!Array.isArray(response.responseData)) throw badResponse(this.id, 'a list of pairs');
    const pairs: LanguagePair[] = [];
    for (const entry of response.responseData as Array<{
      sourceLanguage?: unknown;
      targetLanguage?: unknown;
    }>) {
      const from = typeof entry.sourceLanguage === 'string' ? findLanguage(entry.sourceLanguage) : null;
      const to =
        typeof entry.targetLanguage === 'string' ? findLanguage(entry.targetLanguage.split('_')[0]) : null;
      if (
        from &&
        to &&
        from.iso3 !== to.iso3 &&
        !pairs.some((p) => p.from === from.iso3 && p.to === to.iso3)
      ) {
        pairs.push({ from: from.iso3, to: to.iso3, via: [] });
      }
    }
    return pairs;
  }
}
