import { TranslateError } from '../../errors.js';
import { findLanguage, parseLanguage } from '../../languages.js';
import type { EngineTranslation, LanguagePair, TranslationEngine } from '../types.js';
import { badResponse, joinUrl, requestJson, type HttpOptions } from './http.js';

export interface LibreTranslateOptions extends HttpOptions {
  /** e.g. http://libretranslate:5000 */
  readonly url: string;
  readonly apiKey?: string;
  /** Texts per request (default 32). */
  readonly batchSize?: number;
  /** Engine identity stored with results (default `libretranslate`). */
  readonly id?: string;
}

/** LibreTranslate: `POST /translate {q, source, target, format}`, `GET /languages`. */
export class LibreTranslateEngine implements TranslationEngine {
  readonly id: string;
  private pairsPromise: Promise<LanguagePair[]> | null = null;

  constructor(private readonly options: LibreTranslateOptions) {
    this.id = options.id ?? 'libretranslate';
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
    const out = [...texts];
    const todo = texts.map((text, index) => ({ text, index })).filter(({ text }) => text.trim() !== '');
    const batchSize = this.options.batchSize ?? 32;
    for (let i = 0; i < todo.length; i += batchSize) {
      const batch = todo.slice(i, i + batchSize);
      const body = {
        q: batch.map((item) => item.text),
        source: source.iso1 ?? source.iso3,
        target: target.iso1 ?? target.iso3,
        format: 'text',
        ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
      };
      const response = await requestJson(
        this.id,
        joinUrl(this.options.url, '/translate'),
        {
          method: 'POST',
          body: JSON.stringify(body),
          contentType: 'application/json',
        },
        this.options,
      );
      const translated = (response as { translatedText?: unknown }).translatedText;
      const list = typeof translated === 'string' && batch.length === 1 ? [translated] : translated;
      if (!Array.isArray(list) || list.length !== batch.length || !list.every((t) => typeof t === 'string')) {
        throw badResponse(this.id, `${batch.length} translatedText strings`);
      }
      batch.forEach((item, k) => (out[item.index] = list[k] as string));
    }
    return { texts: out, engine: this.id, route: [source.iso3, target.iso3] };
  }

  private async fetchPairs(): Promise<LanguagePair[]> {
    const response = await requestJson(
      this.id,
      joinUrl(this.options.url, '/languages'),
      { method: 'GET' },
      this.options,
    );
    if (!Array.isArray(response)) throw badResponse(this.id, 'a list of languages');
    const pairs: LanguagePair[] = [];
    for (const entry of response as Array<{ code?: unknown; targets?: unknown }>) {
      const from = typeof entry.code === 'string' ? findLanguage(entry.code) : null;
      if (!from || !Array.isArray(entry.targets)) continue;
      for (const code of entry.targets) {
        const to = typeof code === 'string' ? findLanguage(code) : null;
        if (to && to.iso3 !== from.iso3) pairs.push({ from: from.iso3, to: to.iso3, via: [] });
      }
    }
    if (pairs.length === 0)
      throw new TranslateError('PROVIDER_ERROR', `${this.id} lists no language pairs`, { provider: this.id });
    return pairs;
  }
}
