import { describe, expect, it } from 'vitest';
import { applyGlossary, checkGeneratedText, glossaryPrompt, type Glossary } from '../src/index.js';

const SOURCE = `The Bank of England raised interest rates to 5.25% on Thursday, the highest level in 15 years.
Governor Andrew Bailey said the decision was not taken lightly. Lenders in Kiev and London expect 12 more months of high rates.
Acme Corp reported revenue of $12,400,000.`;

const glossary: Glossary = {
  entries: [
    { preferred: 'Kyiv', variants: ['Kiev'] },
    { preferred: 'email', variants: ['e-mail'] },
  ],
  banned: [{ term: 'slaughter', reason: 'loaded term', replacement: 'killing' }],
};

describe('guardrails', () => {
  it('passes a faithful rewrite (rounding, scaled money, number words, glossary spellings)', () => {
    const r = checkGeneratedText(
      'Bank of England lifts rates to 5.3%, a 15-year high; Acme made $12.4 million; twelve more months in Kyiv.',
      SOURCE,
      { glossary },
    );
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r).toMatchObject({
      passed: true,
      action: 'pass',
      unsupportedNumbers: [],
      unsupportedEntities: [],
    });
  });

  it('flags an invented number and an invented name', () => {
    const r = checkGeneratedText(
      'Governor Andrew Bailey and Chancellor Rachel Reeves raised rates to 6.5%, the highest in 15 years.',
      SOURCE,
    );
    expect(r.passed).toBe(false);
    expect(r.action).toBe('flag');
    expect(r.unsupportedNumbers).toEqual(['6.5%']);
    expect(r.unsupportedEntities).toEqual(['Rachel Reeves']);
    const num = r.issues.find((i) => i.kind === 'unsupported_number')!;
    expect(r.text.slice(num.start, num.end)).toBe('6.5%');
    expect(r.text).toBe(r.original);
  });

  it("rejects under the 'reject' policy", () => {
    const r = checkGeneratedText('Rates rose to 7%.', SOURCE, { policy: 'reject' });
    expect(r).toMatchObject({ passed: false, action: 'reject', policy: 'reject' });
  });

  it('applies preferred spellings, or flags them when asked not to change the text', () => {
    const r = checkGeneratedText('Lenders in Kiev want an e-mail.', SOURCE, { glossary });
    expect(r.text).toBe('Lenders in Kyiv want an email.');
    expect(r.passed).toBe(true);
    expect(r.spellingFixes.map((f) => [f.from, f.to])).toEqual([
      ['Kiev', 'Kyiv'],
      ['e-mail', 'email'],
    ]);
    const strict = checkGeneratedText('Lenders in Kiev.', SOURCE, { glossary, applySpellings: false });
    expect(strict.passed).toBe(false);
    expect(strict.issues[0]).toMatchObject({ kind: 'spelling', severity: 'error', suggestion: 'Kyiv' });
    expect(applyGlossary('kyiv today', glossary).text).toBe('Kyiv today');
  });

  it('finds banned terms (glossary and extra list) as whole words, and length limits', () => {
    const r = checkGeneratedText(
      'A slaughter in London; the Slaughterhouse reopened; it was a massacre.',
      SOURCE,
      {
        glossary,
        bannedTerms: ['massacre'],
        maxChars: 40,
        checkNumbers: false,
        checkEntities: false,
      },
    );
    expect(r.bannedTerms).toEqual(['slaughter', 'massacre']);
    expect(r.issues.find((i) => i.kind === 'banned_term')?.suggestion).toBe('killing');
    expect(r.issues.some((i) => i.kind === 'too_long')).toBe(true);
    expect(checkGeneratedText('Short.', SOURCE, { minChars: 10 }).issues.map((i) => i.kind)).toEqual([
      'too_short',
    ]);
  });

  it('ignores hashtags and links when checking facts', () => {
    const r = checkGeneratedText(
      'Bank of England raises rates #RateHike2024 https://news.example/x/123',
      SOURCE,
    );
    expect(r.passed).toBe(true);
  });

  it('turns the glossary into prompt instructions', () => {
    const p = glossaryPrompt(glossary);
    expect(p).toContain('"Kyiv" (not "Kiev")');
    expect(p).toContain('"slaughter" (write "killing")');
  });
});
