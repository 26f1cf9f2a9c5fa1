import { describe, expect, it } from 'vitest';
import { lcsLength, porterStem, rouge, rougeTokens } from '../src/index.js';

describe('ROUGE', () => {
  it('computes ROUGE-1/2/L F-measures by hand-checked counts', () => {
    // cand: the cat sat on the mat (6) / ref: the cat lay on the mat today (7)
    const s = rouge('the cat sat on the mat', 'the cat lay on the mat today', { stem: false });
    // unigram overlap: the×2, cat, on, mat = 5 → P 5/6, R 5/7
    expect(s.rouge1.precision).toBeCloseTo(5 / 6, 10);
    expect(s.rouge1.recall).toBeCloseTo(5 / 7, 10);
    expect(s.rouge1.f).toBeCloseTo((2 * (5 / 6) * (5 / 7)) / (5 / 6 + 5 / 7), 10);
    // bigrams: "the cat", "on the", "the mat" = 3 of 5 and 6
    expect(s.rouge2.precision).toBeCloseTo(3 / 5, 10);
    expect(s.rouge2.recall).toBeCloseTo(3 / 6, 10);
    // LCS: the cat on the mat = 5
    expect(s.rougeL.precision).toBeCloseTo(5 / 6, 10);
    expect(s.rougeL.recall).toBeCloseTo(5 / 7, 10);
  });

  it('identical texts score 1, disjoint 0', () => {
    expect(rouge('A b c.', 'a B c').rouge2.f).toBe(1);
    expect(rouge('x y z', 'a b c').rougeL.f).toBe(0);
    expect(rouge('', 'a b c').rouge1.f).toBe(0);
  });

  it('stems like Porter and tokenises on non-alphanumerics', () => {
    expect(
      ['caresses', 'ponies', 'running', 'relational', 'generalization', 'hopeful'].map(porterStem),
    ).toEqual(['caress', 'poni', 'run', 'relat', 'gener', 'hope']);
    expect(rougeTokens("Koirala's group, 425 girls")).toEqual(['koirala', 's', 'group', '425', 'girl']);
    expect(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'a'])).toBe(2);
  });
});
