import { afterAll, describe, expect, it } from 'vitest';
import { ApertiumEngine, TermProtector, translateDocument } from '../src/index.js';
import { HAS_APERTIUM, UpperCaseEngine } from './fakes.js';

describe('glossary and do-not-translate terms', () => {
  it('sends protected terms as placeholders and puts the required target back', async () => {
    const engine = new UpperCaseEngine();
    const result = await translateDocument({
      text: 'The Prime Minister met the prime minister of Spain and Apple Watch users.',
      from: 'en',
      to: 'es',
      engine,
      glossary: { 'prime minister': 'primer ministro', Spain: 'España' },
      doNotTranslate: ['Apple Watch'],
    });
    expect(engine.calls.flat()).toEqual(['The ⟦1⟧ met the ⟦2⟧ of ⟦4⟧ and ⟦3⟧ users.']);
    expect(result.text).toBe('THE primer ministro MET THE primer ministro OF España AND Apple Watch USERS.');
    expect(result.stats.glossaryApplied).toBe(3);
    expect(result.stats.doNotTranslateApplied).toBe(1);
  });

  it('matches whole words only, longest term first, do-not-translate case-sensitively', () => {
    const protector = new TermProtector(
      [
        { source: 'bank', target: 'banco' },
        { source: 'central bank', target: 'banco central' },
      ],
      ['Apple'],
    );
    const result = protector.protect('The central bank and the banker ate an apple, not Apple.');
    expect(result.text).toBe('The ⟦1⟧ and the banker ate an apple, not ⟦2⟧.');
    expect(TermProtector.restore('El ⟦1⟧ y ⟦2⟧.', result.terms)).toBe('El banco central y Apple.');
  });

  it('never sends URLs, e-mail addresses or handles to the engine', async () => {
    const engine = new UpperCaseEngine();
    const result = await translateDocument({
      text: 'Write to news@example.org or @newsdesk, see https://example.org/a_b.',
      from: 'en',
      to: 'es',
      engine,
    });
    expect(result.text).toBe('WRITE TO news@example.org OR @newsdesk, SEE https://example.org/a_b.');
  });

  it.skipIf(!HAS_APERTIUM)('is enforced on real Apertium output, also inside HTML', async () => {
    const engine = new ApertiumEngine();
    try {
      const result = await translateDocument({
        text: '<p>The <b>central bank</b> raised rates. Microsoft Teams was down.</p>',
        format: 'html',
        from: 'en',
        to: 'es',
        engine,
        glossary: [{ source: 'central bank', target: 'Banco Central Europeo' }],
        doNotTranslate: ['Microsoft Teams'],
      });
      expect(result.text).toContain('<b>Banco Central Europeo</b>');
      expect(result.text).toContain('Microsoft Teams');
      expect(result.text).toMatch(/^<p>El <b>Banco Central Europeo<\/b> .*\.<\/p>$/);
    } finally {
      await engine.close();
    }
  });
});
