import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/index.js';

const SENTENCES: Array<[string, string, string]> = [
  [
    'eng',
    'en',
    'The central bank raised interest rates on Thursday for the third time this year, citing persistent inflation.',
  ],
  [
    'spa',
    'es',
    'El Gobierno aprobó este martes un paquete de medidas para contener la subida de los precios de la energía.',
  ],
  [
    'cat',
    'ca',
    "El Parlament ha aprovat aquest dijous la llei que regula l'habitatge turístic a les ciutats catalanes.",
  ],
  [
    'por',
    'pt',
    'O presidente anunciou nesta quarta-feira um novo plano de investimentos para as escolas públicas do país.',
  ],
  [
    'fra',
    'fr',
    'Le gouvernement a présenté mercredi un projet de loi destiné à renforcer la sécurité dans les transports publics.',
  ],
  [
    'deu',
    'de',
    'Die Bundesregierung hat am Mittwoch ein neues Gesetz zum Schutz des Klimas auf den Weg gebracht.',
  ],
];

describe('language identification', () => {
  it.each(SENTENCES)(
    'identifies %s in a full sentence with ISO 639-1 and 639-3 codes',
    async (iso3, iso1, text) => {
      const result = await detectLanguage(text);
      expect(result).toMatchObject({ iso3, iso1, reliable: true });
      expect(result.confidence).toBeGreaterThan(0.7);
    },
  );

  it('identifies short headlines', async () => {
    expect((await detectLanguage('Obama visita Cuba por primera vez')).iso3).toBe('spa');
    expect((await detectLanguage('Storm hits the coast')).iso3).toBe('eng');
    expect((await detectLanguage('STORM HITS THE NORTH COAST OF SCOTLAND')).iso3).toBe('eng');
    expect((await detectLanguage('Governo aprova novo orçamento')).iso3).toBe('por');
  });

  it('gives alternatives and both models’ votes', async () => {
    const result = await detectLanguage(
      'O Dr. Ehud Ur, profesor de medicina na Universidade Dalhousie en Halifax',
    );
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.votes.fasttext).not.toBeNull();
    expect(result.votes.cld3).not.toBeNull();
    expect(result.model).toBe('fasttext-lid.176+cld3');
  });

  it('says und for text without letters and refuses empty text', async () => {
    expect(await detectLanguage('12 345 — 67 https://example.com')).toMatchObject({
      iso3: 'und',
      reliable: false,
    });
    await expect(detectLanguage('   ')).rejects.toMatchObject({ code: 'EMPTY_TEXT' });
  });
});
