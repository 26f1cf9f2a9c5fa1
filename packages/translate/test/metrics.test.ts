import { describe, expect, it } from 'vitest';
import { corpusBleu, corpusChrf, tokenize13a } from '../src/index.js';

describe('BLEU and chrF (sacreBLEU-compatible)', () => {
  it('tokenises like mteval 13a', () => {
    expect(tokenize13a('Hello, world. It costs $3.50 (about 1,000 yen) in 2013-2014.')).toEqual([
      'Hello',
      ',',
      'world',
      '.',
      'It',
      'costs',
      '$',
      '3.50',
      '(',
      'about',
      '1,000',
      'yen',
      ')',
      'in',
      '2013',
      '-',
      '2014',
      '.',
    ]);
    expect(tokenize13a('Tom&apos;s &quot;big&quot; day')).toEqual([
      'Tom',
      '&',
      'apos',
      ';',
      's',
      '"',
      'big',
      '"',
      'day',
    ]);
  });

  it('scores identical output 100 and unrelated output near 0', () => {
    const refs = ['The cat sat on the mat.', 'It was a sunny day in the city.'];
    expect(corpusBleu(refs, refs).score).toBeCloseTo(100, 6);
    expect(corpusChrf(refs, refs)).toBeCloseTo(100, 6);
    expect(corpusBleu(['xyz qqq', 'zzz'], refs).score).toBeLessThan(1);
    expect(corpusChrf(['xyz qqq', 'zzz'], refs)).toBeLessThan(5);
  });

  it('computes n-gram precisions, smoothing and brevity penalty by hand', () => {
    // hyp: "the cat sat" (3 tokens) vs ref "the cat sat on the mat" (6): p1 = 3/3, p2 = 2/2, p3 = 1/1, p4: 0 of 0
    const result = corpusBleu(['the cat sat'], ['the cat sat on the mat']);
    expect(result.brevityPenalty).toBeCloseTo(Math.exp(1 - 6 / 3), 10);
    expect(result.precisions.slice(0, 3)).toEqual([100, 100, 100]);
    // no 4-grams at all: sacreBLEU leaves that precision at 0, which makes BLEU 0
    expect(result.score).toBe(0);
    const smoothed = corpusBleu(['the cat sat on a mat'], ['the cat sat on the mat']);
    // 4-grams: 3 in hyp, 1 correct ("the cat sat on"); 3-grams 4, 2 correct; 2-grams 5, 3 correct; 1-grams 6, 5 correct
    expect(smoothed.precisions).toEqual([(100 * 5) / 6, (100 * 3) / 5, (100 * 2) / 4, (100 * 1) / 3]);
    expect(smoothed.score).toBeCloseTo(
      100 * Math.exp((Math.log(5 / 6) + Math.log(3 / 5) + Math.log(2 / 4) + Math.log(1 / 3)) / 4),
      8,
    );
  });
});
