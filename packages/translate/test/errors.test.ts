import { describe, expect, it } from 'vitest';
import {
  parseLanguage,
  toIso1,
  toIso3,
  translateDocument,
  TranslateError,
  type DocumentFormat,
} from '../src/index.js';
import { UpperCaseEngine } from './fakes.js';

const engine = new UpperCaseEngine();

describe('bad input', () => {
  it('rejects empty text with EMPTY_TEXT', async () => {
    await expect(translateDocument({ text: '  \n ', from: 'en', to: 'es', engine })).rejects.toMatchObject({
      code: 'EMPTY_TEXT',
    });
  });

  it('rejects text over the configured limit with TEXT_TOO_LARGE', async () => {
    const error = await translateDocument({
      text: 'word '.repeat(30),
      from: 'en',
      to: 'es',
      engine,
      maxChars: 100,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslateError);
    expect(error).toMatchObject({ code: 'TEXT_TOO_LARGE', details: { length: 150, limit: 100 } });
    expect((error as TranslateError).retryable).toBe(false);
  });

  it('rejects an unknown language with UNKNOWN_LANGUAGE', async () => {
    await expect(translateDocument({ text: 'Hello', from: 'xx', to: 'es', engine })).rejects.toMatchObject({
      code: 'UNKNOWN_LANGUAGE',
    });
  });

  it('rejects a pair the engine does not offer with UNSUPPORTED_PAIR', async () => {
    await expect(translateDocument({ text: 'Hello', from: 'en', to: 'de', engine })).rejects.toMatchObject({
      code: 'UNSUPPORTED_PAIR',
      message: 'upper cannot translate English to German.',
    });
  });

  it('rejects an unknown format with INVALID_INPUT', async () => {
    const format = 'docx' as DocumentFormat; // a value from outside TypeScript (a job payload)
    await expect(
      translateDocument({ text: 'Hello', format, from: 'en', to: 'es', engine }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('rejects an empty glossary term', async () => {
    await expect(
      translateDocument({ text: 'Hello', from: 'en', to: 'es', engine, glossary: { ' ': 'x' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it("identifies the source language when from is 'auto'", async () => {
    const result = await translateDocument({
      text: '<p>El Gobierno aprobó este martes un paquete de medidas para contener los precios.</p>',
      format: 'html',
      from: 'auto',
      to: 'en',
      engine,
    });
    expect(result.from).toBe('spa');
    expect(result.detected).toMatchObject({ iso3: 'spa', reliable: true });
    await expect(translateDocument({ text: '12 345', from: 'auto', to: 'en', engine })).rejects.toMatchObject(
      { code: 'UNKNOWN_LANGUAGE' },
    );
  });

  it('returns text in the same language unchanged', async () => {
    const result = await translateDocument({ text: 'Hello there.', from: 'en', to: 'eng', engine });
    expect(result.text).toBe('Hello there.');
    expect(result.stats.engine).toBe('identity');
  });
});

describe('language codes', () => {
  it('maps ISO 639-1, 639-3, 639-2/B and tags with regions or variants', () => {
    expect(toIso3('en')).toBe('eng');
    expect(toIso3('ES')).toBe('spa');
    expect(toIso3('ger')).toBe('deu');
    expect(toIso1('cat')).toBe('ca');
    expect(toIso1('ast')).toBe('ast');
    expect(parseLanguage('pt_BR')).toMatchObject({ iso3: 'por', iso1: 'pt', variant: 'BR' });
    expect(parseLanguage('ca-valencia')).toMatchObject({ iso3: 'cat', variant: 'valencia' });
    expect(parseLanguage('zh-Hans')).toMatchObject({ iso3: 'zho', variant: null });
    expect(() => parseLanguage('klingon')).toThrow(/Unknown language "klingon"/);
  });
});
