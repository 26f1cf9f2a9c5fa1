import { describe, expect, it } from 'vitest';
import {
  cardinal,
  corpusWer,
  normalizeText,
  ordinal,
  splitParagraphs,
  splitSentences,
  spokenWords,
  wordErrorRate,
  year,
} from '../src/index.js';

describe('numbers read as words', () => {
  it.each([
    [0, 'zero'],
    [13, 'thirteen'],
    [40, 'forty'],
    [101, 'one hundred one'],
    [1234, 'one thousand two hundred thirty four'],
    [2_000_000, 'two million'],
    [-7, 'minus seven'],
    [1_000_000_001, 'one billion one'],
  ])('cardinal %d', (n, words) => expect(cardinal(n)).toBe(words));

  it.each([
    [1, 'first'],
    [2, 'second'],
    [3, 'third'],
    [12, 'twelfth'],
    [20, 'twentieth'],
    [23, 'twenty third'],
    [101, 'one hundred first'],
  ])('ordinal %d', (n, words) => expect(ordinal(n)).toBe(words));

  it.each([
    [1990, 'nineteen ninety'],
    [1905, 'nineteen oh five'],
    [1900, 'nineteen hundred'],
    [2000, 'two thousand'],
    [2008, 'two thousand eight'],
    [2024, 'twenty twenty four'],
  ])('year %d', (n, words) => expect(year(n)).toBe(words));
});

describe('text normalisation for newsreading', () => {
  it.each([
    ['The budget is $5.2 million.', 'The budget is five point two million dollars.'],
    [
      'Tickets cost €30 or £1.5bn in total.',
      'Tickets cost thirty euros or one point five billion pounds in total.',
    ],
    ['It costs $12.50, not $1.', 'It costs twelve dollars and fifty cents, not one dollar.'],
    ['A stamp costs $0.99.', 'A stamp costs ninety nine cents.'],
    ['Unemployment fell to 4.5% in March.', 'Unemployment fell to four point five percent in March.'],
    ['Turnout rose 12 per cent.', 'Turnout rose twelve percent.'],
    ['The vote is on March 5, 2024.', 'The vote is on March fifth, twenty twenty four.'],
    ['Published 2024-03-05.', 'Published March fifth, twenty twenty four.'],
    ['Born on 5 June 1990 in Leeds.', 'Born on the fifth of June nineteen ninety in Leeds.'],
    ['She came 2nd and he was 23rd.', 'She came second and he was twenty third.'],
    ['The meeting starts at 3:30 p.m. today.', 'The meeting starts at three thirty P M today.'],
    ['Doors open at 9am and close at 10:00.', "Doors open at nine A M and close at ten o'clock."],
    ['Dr. Smith met Mr. Jones and Mrs. Brown.', 'Doctor Smith met Mister Jones and Missus Brown.'],
    ['Gov. Newsom and Sen. Warren spoke.', 'Governor Newsom and Senator Warren spoke.'],
    ['The U.S. and the U.K. agreed.', 'The U S and the U K agreed.'],
    ['Exports to the U.S. Imports fell.', 'Exports to the U S. Imports fell.'],
    ['Apple Inc. said so.', 'Apple Incorporated said so.'],
    [
      'In the 1990s, 1,250 people moved.',
      'In the nineteen nineties, one thousand two hundred fifty people moved.',
    ],
    ['It was -5°C at 100 km/h.', 'It was minus five degrees Celsius at one hundred kilometres per hour.'],
    ['France vs. Spain, 2-1.', 'France versus Spain, two to one.'],
    ['The G7 met over COVID-19.', 'The G seven met over COVID nineteen.'],
    ['Ships & planes, No. 10.', 'Ships and planes, number ten.'],
  ])('%s', (input, spoken) => expect(normalizeText(input)).toBe(spoken));

  it('gives recognizer-style tokens for scoring and language models', () => {
    expect(spokenWords('"Ask not," he said -- at 5 o\'clock; the country\'s $5 fund.')).toEqual([
      'ask',
      'not',
      'he',
      'said',
      'at',
      'five',
      "o'clock",
      'the',
      "country's",
      'five',
      'dollars',
      'fund',
    ]);
  });
});

describe('paragraphs and sentences', () => {
  it('splits articles into paragraphs and normalised text into sentences', () => {
    const text = 'First paragraph. It has two sentences!\n\nSecond one? Yes.\nThird line.';
    const paragraphs = splitParagraphs(text);
    expect(paragraphs).toEqual(['First paragraph. It has two sentences!', 'Second one? Yes.', 'Third line.']);
    expect(splitSentences(normalizeText('Dr. Smith arrived at 9 a.m. He left. "Why?" she asked.'))).toEqual([
      'Doctor Smith arrived at nine A M.',
      'He left.',
      '"Why?" she asked.',
    ]);
  });
});

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions after normalisation', () => {
    const r = wordErrorRate(
      'And so, my fellow Americans: ask not!',
      'and so my fellow american ask not what',
    );
    expect(r.referenceWords).toBe(7);
    expect(r.substitutions).toBe(1);
    expect(r.insertions).toBe(1);
    expect(r.deletions).toBe(0);
    expect(r.wer).toBeCloseTo(2 / 7, 5);
  });

  it('treats written and spoken numbers alike and pools errors over a corpus', () => {
    expect(wordErrorRate('It cost $5 in 1990.', 'it cost five dollars in nineteen ninety').wer).toBe(0);
    const a = wordErrorRate('one two three four', 'one two three');
    const b = wordErrorRate('five six', 'five seven');
    expect(corpusWer([a, b])).toBeCloseTo(2 / 6, 5);
    expect(wordErrorRate('', 'noise').wer).toBe(1);
  });
});
