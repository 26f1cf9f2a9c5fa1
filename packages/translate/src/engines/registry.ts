import { TranslateError } from '../errors.js';
import { parseLanguage } from '../languages.js';
import { ApertiumEngine, type ApertiumEngineOptions } from './apertium/engine.js';
import { ApertiumApyEngine, type ApertiumApyOptions } from './http/apertium-apy.js';
import { LibreTranslateEngine, type LibreTranslateOptions } from './http/libretranslate.js';
import { OpenAiChatEngine, type OpenAiChatOptions } from './http/openai-chat.js';
import type { LanguagePair, TranslationEngine } from './types.js';

type WithoutFetch<T> = Omit<T, 'fetch' | 'id'>;

export type ProviderConfig =
  | ({ readonly type: 'apertium' } & ApertiumEngineOptions)
  | ({ readonly type: 'libretranslate' } & WithoutFetch<LibreTranslateOptions>)
  | ({ readonly type: 'apertium-apy' } & WithoutFetch<ApertiumApyOptions>)
  | ({ readonly type: 'openai' } & WithoutFetch<OpenAiChatOptions>);

export interface RouteRule {
  /** Source language code, or '*' (default) for any. */
  readonly from?: string;
  /** Target language code, or '*' (default) for any. */
  readonly to?: string;
  readonly provider: string;
}

/** Which engine translates which pair: a plain object the platform builds from its configuration. */
export interface TranslationConfig {
  /** Named providers, e.g. { offline: { type: 'apertium' }, gpu: { type: 'openai', baseUrl, model } }. */
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  /** Tried in order: the first rule that matches the pair and whose provider offers it wins. */
  readonly routes?: readonly RouteRule[];
  /** Tried after the rules (default: the first provider). */
  readonly defaultProvider?: string;
}

export interface RegistryPair extends LanguagePair {
  readonly provider: string;
}

/** The default for a platform without translation servers: Apertium alone. */
export const OFFLINE_TRANSLATION_CONFIG: TranslationConfig = {
  providers: { apertium: { type: 'apertium' } },
};

/** Builds engines from configuration, once each, and picks one per language pair. */
export class EngineRegistry {
  private readonly engines = new Map<string, TranslationEngine>();

  constructor(
    private readonly config: TranslationConfig,
    private readonly options: { fetch?: typeof fetch } = {},
  ) {
    const names = Object.keys(config.providers);
    if (names.length === 0)
      throw new TranslateError('INVALID_CONFIG', 'Translation configuration lists no provider', {});
    for (const name of [
      ...(config.routes ?? []).map((r) => r.provider),
      ...(config.defaultProvider ? [config.defaultProvider] : []),
    ]) {
      if (!config.providers[name]) {
        throw new TranslateError(
          'INVALID_CONFIG',
          `Translation route names provider "${name}", which is not configured (have: ${names.join(', ')})`,
          {
            provider: name,
          },
        );
      }
    }
    for (const rule of config.routes ?? []) {
      for (const code of [rule.from, rule.to]) if (code && code !== '*') parseLanguage(code);
    }
    for (const name of names) this.get(name); // validates each provider's settings now, not at first job
  }

  /** The engine of a named provider. */
  get(name: string): TranslationEngine {
    const existing = this.engines.get(name);
    if (existing) return existing;
    const config = this.config.providers[name];
    if (!config)
      throw new TranslateError('INVALID_CONFIG', `No translation provider "${name}"`, { provider: name });
    const engine = createEngine(name, config, this.options.fetch);
    this.engines.set(name, engine);
    return engine;
  }

  /** Providers to try for a pair, in order. */
  candidates(from: string, to: string): string[] {
    const source = parseLanguage(from).iso3;
    const target = parseLanguage(to).iso3;
    const matches = (code: string | undefined, iso3: string): boolean =>
      !code || code === '*' || parseLanguage(code).iso3 === iso3;
    const names = (this.config.routes ?? [])
      .filter((r) => matches(r.from, source) && matches(r.to, target))
      .map((r) => r.provider);
    names.push(this.config.defaultProvider ?? Object.keys(this.config.providers)[0]);
    return [...new Set(names)];
  }

  /** The engine for a pair; throws UNSUPPORTED_PAIR when no configured provider offers it. */
  async engineFor(from: string, to: string): Promise<TranslationEngine> {
    const source = parseLanguage(from);
    const target = parseLanguage(to);
    let lastError: unknown = null;
    for (const name of this.candidates(from, to)) {
      const engine = this.get(name);
      try {
        const pairs = await engine.pairs();
        if (pairs.some((p) => p.from === source.iso3 && p.to === target.iso3)) return engine;
      } catch (error) {
        lastError = error; // provider down: try the next one
      }
    }
    if (lastError instanceof TranslateError && lastError.code !== 'UNSUPPORTED_PAIR') throw lastError;
    throw new TranslateError(
      'UNSUPPORTED_PAIR',
      `No configured translation provider translates ${source.name} to ${target.name}.`,
      {
        from: source.iso3,
        to: target.iso3,
      },
    );
  }

  /** Every pair some provider offers (the first provider in rule order for each). */
  async pairs(): Promise<RegistryPair[]> {
    const out = new Map<string, RegistryPair>();
    for (const name of Object.keys(this.config.providers)) {
      let pairs: LanguagePair[];
      try {
        pairs = await this.get(name).pairs();
      } catch {
        continue;
      }
      for (const pair of pairs) {
        const key = `${pair.from}-${pair.to}`;
        const preferred = this.candidates(pair.from, pair.to)[0];
        if (!out.has(key) || preferred === name) out.set(key, { ...pair, provider: name });
      }
    }
    return [...out.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.engines.values()].map(async (engine) => engine.close?.()));
  }
}

function createEngine(
  name: string,
  config: ProviderConfig,
  fetchImpl: typeof fetch | undefined,
): TranslationEngine {
  const need = (value: unknown, field: string): void => {
    if (typeof value !== 'string' || value === '') {
      throw new TranslateError(
        'INVALID_CONFIG',
        `Translation provider "${name}" (${config.type}) needs ${field}`,
        { provider: name },
      );
    }
  };
  switch (config.type) {
    case 'apertium':
      return new ApertiumEngine(config);
    case 'libretranslate':
      need(config.url, 'url');
      return new LibreTranslateEngine({
        ...config,
        id: name === 'libretranslate' ? undefined : `libretranslate:${name}`,
        fetch: fetchImpl,
      });
    case 'apertium-apy':
      need(config.url, 'url');
      return new ApertiumApyEngine({
        ...config,
        id: name === 'apertium-apy' ? undefined : `apertium-apy:${name}`,
        fetch: fetchImpl,
      });
    case 'openai':
      need(config.baseUrl, 'baseUrl');
      need(config.model, 'model');
      return new OpenAiChatEngine({ ...config, fetch: fetchImpl });
    default: {
      const unknown: never = config;
      throw new TranslateError(
        'INVALID_CONFIG',
        `Translation provider "${name}" has unknown type ${JSON.stringify((unknown as { type?: unknown }).type)}`,
        {
          provider: name,
        },
      );
    }
  }
}
