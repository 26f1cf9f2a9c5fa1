import { EngineError } from '@media-ai/core';
import {
  EngineRegistry,
  isTranslateError,
  parseLanguage,
  type ProviderConfig,
  type RouteRule,
  type TranslationConfig,
} from '@media-ai/translate';

export type TranslationEnv = Readonly<Record<string, string | undefined>>;

/** A translation configuration that cannot work; `problems` name the variable and what to change. */
/** A wrong translation setting: an EngineError no retry can fix (INVALID_CONFIG), with the list of problems. */
export class TranslationConfigError extends EngineError {
  constructor(readonly problems: string[]) {
    super('INVALID_CONFIG', `Translation is not configured correctly: ${problems.join('; ')}`, false, {
      problems,
    });
    this.name = 'TranslationConfigError';
  }
}

export interface ResolvedTranslationConfig {
  readonly config: TranslationConfig;
  /** Where it came from, for logs and the API: 'MEDIAAI_TRANSLATE_CONFIG', 'variables' or 'offline'. */
  readonly source: 'MEDIAAI_TRANSLATE_CONFIG' | 'variables' | 'offline';
}

/**
 * The variables translation reads: the process environment, with the LLM settings of the platform's validated
 * configuration (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY) in place of the raw ones.
 */
export function translationEnv(
  config: { LLM_BASE_URL?: string; LLM_MODEL?: string; LLM_API_KEY?: string },
  env: TranslationEnv = process.env,
): TranslationEnv {
  return {
    ...env,
    LLM_BASE_URL: config.LLM_BASE_URL,
    LLM_MODEL: config.LLM_MODEL,
    LLM_API_KEY: config.LLM_API_KEY,
  };
}

const PROVIDER_TYPES = ['apertium', 'libretranslate', 'apertium-apy', 'openai'] as const;
/** Provider names the simple variables create. */
const SIMPLE_PROVIDERS = ['apertium', 'libretranslate', 'apertium-apy', 'llm'] as const;
const SIMPLE_VARIABLES = [
  'LIBRETRANSLATE_URL',
  'LIBRETRANSLATE_API_KEY',
  'APERTIUM_APY_URL',
  'MEDIAAI_TRANSLATE_ROUTES',
];

/**
 * The translation configuration from environment variables, checked:
 * - `MEDIAAI_TRANSLATE_CONFIG`: a whole `TranslationConfig` as JSON (providers, routes, defaultProvider);
 * - or the simple variables: Apertium always, LibreTranslate when `LIBRETRANSLATE_URL` is set, Apertium APy when
 *   `APERTIUM_APY_URL` is set (both after Apertium, for the pairs it lacks), an OpenAI-compatible LLM
 *   (`LLM_BASE_URL` + `LLM_MODEL`) for the pairs `MEDIAAI_TRANSLATE_ROUTES` gives it, e.g. `*:de=llm,pt:en=libretranslate`;
 * - nothing set: Apertium alone.
 */
export function translationConfigFromEnv(env: TranslationEnv): ResolvedTranslationConfig {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const modesDir = value('MEDIAAI_APERTIUM_MODES_DIR');
  const apertium: ProviderConfig = { type: 'apertium', ...(modesDir ? { modesDir } : {}) };

  const json = value('MEDIAAI_TRANSLATE_CONFIG');
  if (json) {
    const mixed = SIMPLE_VARIABLES.filter((name) => value(name));
    if (mixed.length > 0) {
      throw new TranslationConfigError([
        `MEDIAAI_TRANSLATE_CONFIG is set together with ${mixed.join(', ')}: set either the whole configuration in MEDIAAI_TRANSLATE_CONFIG or the simple variables, not both`,
      ]);
    }
    return {
      config: checkRegistry(parseConfigJson(json), 'MEDIAAI_TRANSLATE_CONFIG'),
      source: 'MEDIAAI_TRANSLATE_CONFIG',
    };
  }

  const problems: string[] = [];
  const providers: Record<string, ProviderConfig> = { apertium };
  const libre = value('LIBRETRANSLATE_URL');
  if (libre) {
    if (!isHttpUrl(libre))
      problems.push(
        `LIBRETRANSLATE_URL must be an http(s) URL such as http://libretranslate:5000, got "${libre}"`,
      );
    const apiKey = value('LIBRETRANSLATE_API_KEY');
    providers.libretranslate = { type: 'libretranslate', url: libre, ...(apiKey ? { apiKey } : {}) };
  } else if (value('LIBRETRANSLATE_API_KEY')) {
    problems.push('LIBRETRANSLATE_API_KEY is set but LIBRETRANSLATE_URL is not: give the server URL too');
  }
  const apy = value('APERTIUM_APY_URL');
  if (apy) {
    if (!isHttpUrl(apy))
      problems.push(`APERTIUM_APY_URL must be an http(s) URL such as http://apertium-apy:2737, got "${apy}"`);
    providers['apertium-apy'] = { type: 'apertium-apy', url: apy };
  }

  const routes = parseRoutes(value('MEDIAAI_TRANSLATE_ROUTES'), problems);
  if (routes.some((r) => r.provider === 'llm')) {
    const baseUrl = value('LLM_BASE_URL');
    const model = value('LLM_MODEL');
    if (!baseUrl || !model) {
      problems.push(
        'MEDIAAI_TRANSLATE_ROUTES gives pairs to llm, which needs LLM_BASE_URL and LLM_MODEL (an OpenAI-compatible server and its model name)',
      );
    } else if (!isHttpUrl(baseUrl)) {
      problems.push(`LLM_BASE_URL must be an http(s) URL such as http://gpu:8000/v1, got "${baseUrl}"`);
    } else {
      const apiKey = value('LLM_API_KEY');
      providers.llm = { type: 'openai', baseUrl, model, ...(apiKey ? { apiKey } : {}) };
    }
  }
  for (const route of routes) {
    if (route.provider === 'llm' || providers[route.provider]) continue;
    const needs: Record<string, string> = {
      libretranslate: 'LIBRETRANSLATE_URL',
      'apertium-apy': 'APERTIUM_APY_URL',
    };
    problems.push(
      needs[route.provider]
        ? `MEDIAAI_TRANSLATE_ROUTES gives pairs to ${route.provider}, which needs ${needs[route.provider]}`
        : `MEDIAAI_TRANSLATE_ROUTES names provider "${route.provider}"; use one of ${SIMPLE_PROVIDERS.join(', ')}`,
    );
  }
  if (problems.length > 0) throw new TranslationConfigError(problems);

  const fallbacks = ['apertium', 'libretranslate', 'apertium-apy'].filter((name) => providers[name]);
  const custom = Object.keys(providers).length > 1 || routes.length > 0 || modesDir !== undefined;
  const config: TranslationConfig = {
    providers,
    // the routes first, then Apertium, then the translation servers for what Apertium lacks
    routes: [...routes, ...(fallbacks.length > 1 ? fallbacks.map((provider) => ({ provider })) : [])],
    defaultProvider: 'apertium',
  };
  return {
    config: checkRegistry(config, 'the translation variables'),
    source: custom ? 'variables' : 'offline',
  };
}

/** "pt:en=libretranslate, *:de=llm" → route rules. */
function parseRoutes(spec: string | undefined, problems: string[]): RouteRule[] {
  if (!spec) return [];
  const rules: RouteRule[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^:=\s]+):([^:=\s]+)=([a-z0-9-]+)$/i.exec(part);
    if (!match) {
      problems.push(
        `MEDIAAI_TRANSLATE_ROUTES: "${part}" is not FROM:TO=PROVIDER (e.g. "pt:en=libretranslate,*:de=llm")`,
      );
      continue;
    }
    const [, from, to, provider] = match;
    let ok = true;
    for (const code of [from, to]) {
      if (code === '*') continue;
      try {
        parseLanguage(code);
      } catch {
        problems.push(
          `MEDIAAI_TRANSLATE_ROUTES: "${code}" in "${part}" is not a language code (use ISO 639-1 or 639-3 such as "en", or *)`,
        );
        ok = false;
      }
    }
    if (ok) rules.push({ from, to, provider: provider.toLowerCase() });
  }
  return rules;
}

function parseConfigJson(json: string): TranslationConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new TranslationConfigError([
      `MEDIAAI_TRANSLATE_CONFIG is not valid JSON: ${(error as Error).message}`,
    ]);
  }
  const problems: string[] = [];
  const example =
    '{"providers":{"offline":{"type":"apertium"},"gpu":{"type":"openai","baseUrl":"http://gpu:8000/v1","model":"..."}},"routes":[{"from":"*","to":"de","provider":"gpu"}]}';
  if (!isObject(raw) || !isObject(raw.providers) || Object.keys(raw.providers).length === 0) {
    throw new TranslationConfigError([
      `MEDIAAI_TRANSLATE_CONFIG must be an object with at least one provider, e.g. ${example}`,
    ]);
  }
  for (const [name, provider] of Object.entries(raw.providers)) {
    const at = `MEDIAAI_TRANSLATE_CONFIG.providers.${name}`;
    if (!isObject(provider) || !PROVIDER_TYPES.includes(provider.type as (typeof PROVIDER_TYPES)[number])) {
      problems.push(`${at}.type must be one of ${PROVIDER_TYPES.join(', ')}`);
      continue;
    }
    const urlField = provider.type === 'openai' ? 'baseUrl' : provider.type === 'apertium' ? null : 'url';
    if (urlField && (typeof provider[urlField] !== 'string' || !isHttpUrl(provider[urlField] as string))) {
      problems.push(`${at}.${urlField} must be an http(s) URL (${provider.type} server)`);
    }
    if (provider.type === 'openai' && (typeof provider.model !== 'string' || provider.model === '')) {
      problems.push(`${at}.model must name the model the server runs`);
    }
  }
  if (raw.routes !== undefined) {
    if (!Array.isArray(raw.routes))
      problems.push('MEDIAAI_TRANSLATE_CONFIG.routes must be a list of {from, to, provider}');
    else {
      raw.routes.forEach((route: unknown, k: number) => {
        if (!isObject(route) || typeof route.provider !== 'string') {
          problems.push(
            `MEDIAAI_TRANSLATE_CONFIG.routes[${k}] must be {from, to, provider} with a provider name`,
          );
        } else if (!isObject(raw.providers) || !(route.provider in raw.providers)) {
          problems.push(
            `MEDIAAI_TRANSLATE_CONFIG.routes[${k}] names provider "${route.provider}", which providers does not define`,
          );
        } else {
          for (const field of ['from', 'to'] as const) {
            const code = route[field];
            if (code === undefined || code === '*') continue;
            let known = typeof code === 'string';
            if (known) {
              try {
                parseLanguage(code as string);
              } catch {
                known = false;
              }
            }
            if (!known)
              problems.push(
                `MEDIAAI_TRANSLATE_CONFIG.routes[${k}].${field} must be a language code such as "en", or "*"`,
              );
          }
        }
      });
    }
  }
  if (
    raw.defaultProvider !== undefined &&
    (typeof raw.defaultProvider !== 'string' || !(raw.defaultProvider in raw.providers))
  ) {
    problems.push(
      `MEDIAAI_TRANSLATE_CONFIG.defaultProvider must name one of the providers (${Object.keys(raw.providers).join(', ')})`,
    );
  }
  if (problems.length > 0) throw new TranslationConfigError(problems);
  return raw as unknown as TranslationConfig;
}

/** Lets the engine registry check what it checks (it builds no process and opens no socket). */
function checkRegistry(config: TranslationConfig, where: string): TranslationConfig {
  try {
    new EngineRegistry(config);
  } catch (error) {
    if (isTranslateError(error)) throw new TranslationConfigError([`${where}: ${error.message}`]);
    throw error;
  }
  return config;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
