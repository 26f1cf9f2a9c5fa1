import { describe, expect, it } from 'vitest';
import { guessFormat, languageTag, translationConfigFromEnv, TranslationConfigError } from '../src/index.js';

function problems(env: Record<string, string>): string {
  try {
    translationConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a TranslationConfigError');
}

describe('translation configuration from the environment', () => {
  it('is Apertium alone when nothing is set', () => {
    const { config, source } = translationConfigFromEnv({});
    expect(source).toBe('offline');
    expect(Object.keys(config.providers)).toEqual(['apertium']);
  });

  it('adds translation servers after Apertium and routes pairs to the LLM', () => {
    const { config, source } = translationConfigFromEnv({
      LIBRETRANSLATE_URL: 'http://libretranslate:5000',
      LLM_BASE_URL: 'http://gpu:8000/v1',
      LLM_MODEL: 'qwen',
      MEDIAAI_TRANSLATE_ROUTES: '*:de=llm, pt:en=libretranslate',
    });
    expect(source).toBe('variables');
    expect(Object.keys(config.providers).sort()).toEqual(['apertium', 'libretranslate', 'llm']);
    expect(config.routes).toEqual([
      { from: '*', to: 'de', provider: 'llm' },
      { from: 'pt', to: 'en', provider: 'libretranslate' },
      { provider: 'apertium' },
      { provider: 'libretranslate' },
    ]);
  });

  it('leaves the LLM out unless a route gives it pairs', () => {
    const { config } = translationConfigFromEnv({ LLM_BASE_URL: 'http://gpu:8000/v1', LLM_MODEL: 'qwen' });
    expect(Object.keys(config.providers)).toEqual(['apertium']);
  });

  it('explains what is wrong, naming the variable', () => {
    expect(problems({ MEDIAAI_TRANSLATE_ROUTES: '*:de=llm' })).toMatch(
      /llm, which needs LLM_BASE_URL and LLM_MODEL/,
    );
    expect(problems({ MEDIAAI_TRANSLATE_ROUTES: 'pt-en' })).toMatch(/"pt-en" is not FROM:TO=PROVIDER/);
    expect(problems({ MEDIAAI_TRANSLATE_ROUTES: 'xx:en=apertium' })).toMatch(
      /"xx" in "xx:en=apertium" is not a language code/,
    );
    expect(problems({ MEDIAAI_TRANSLATE_ROUTES: 'pt:en=deepl' })).toMatch(
      /names provider "deepl"; use one of/,
    );
    expect(problems({ MEDIAAI_TRANSLATE_ROUTES: 'pt:en=libretranslate' })).toMatch(
      /needs LIBRETRANSLATE_URL/,
    );
    expect(problems({ LIBRETRANSLATE_URL: 'libretranslate:5000' })).toMatch(
      /LIBRETRANSLATE_URL must be an http\(s\) URL/,
    );
    expect(problems({ MEDIAAI_TRANSLATE_CONFIG: '{providers:' })).toMatch(
      /MEDIAAI_TRANSLATE_CONFIG is not valid JSON/,
    );
    expect(problems({ MEDIAAI_TRANSLATE_CONFIG: '{"providers":{}}' })).toMatch(/at least one provider/);
    expect(problems({ MEDIAAI_TRANSLATE_CONFIG: '{"providers":{"x":{"type":"deepl"}}}' })).toMatch(
      /providers\.x\.type must be one of/,
    );
    expect(
      problems({
        MEDIAAI_TRANSLATE_CONFIG: '{"providers":{"gpu":{"type":"openai","baseUrl":"http://gpu"}}}',
      }),
    ).toMatch(/providers\.gpu\.model must name the model/);
    expect(
      problems({
        MEDIAAI_TRANSLATE_CONFIG:
          '{"providers":{"a":{"type":"apertium"}},"routes":[{"to":"de","provider":"b"}]}',
      }),
    ).toMatch(/routes\[0\] names provider "b"/);
    expect(
      problems({
        MEDIAAI_TRANSLATE_CONFIG: '{"providers":{"a":{"type":"apertium"}}}',
        LIBRETRANSLATE_URL: 'http://lt:5000',
      }),
    ).toMatch(/either the whole configuration in MEDIAAI_TRANSLATE_CONFIG or the simple variables/);
  });

  it('takes a whole configuration as JSON', () => {
    const json = JSON.stringify({
      providers: { offline: { type: 'apertium' }, lt: { type: 'libretranslate', url: 'http://lt:5000' } },
      routes: [{ from: 'pt', to: 'en', provider: 'lt' }],
      defaultProvider: 'offline',
    });
    const { config, source } = translationConfigFromEnv({ MEDIAAI_TRANSLATE_CONFIG: json });
    expect(source).toBe('MEDIAAI_TRANSLATE_CONFIG');
    expect(config.routes).toEqual([{ from: 'pt', to: 'en', provider: 'lt' }]);
  });
});

describe('helpers', () => {
  it('writes languages as the platform stores them and guesses formats', () => {
    expect(languageTag('spa')).toBe('es');
    expect(languageTag('pt_br')).toBe('pt-BR');
    expect(languageTag('ast')).toBe('ast');
    expect(guessFormat('<p>Hello <b>world</b></p>')).toBe('html');
    expect(guessFormat('# Title\n\nSome **bold** text')).toBe('markdown');
    expect(guessFormat('See [the report](https://example.org).')).toBe('markdown');
    expect(guessFormat('Plain text. Two sentences.')).toBe('text');
  });
});
