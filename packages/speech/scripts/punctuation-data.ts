/**
 * The punctuation model's text, split once: training, development (settings chosen on it) and held-out
 * (never used for training or for choosing anything; the figures in the docs come from it).
 *
 *   CNN/DailyMail: 50 articles (lower-cased, tokenised) and their highlights. Articles 0-34 train, 35-39
 *   development, 40-49 held-out; highlights of the training articles only.
 *   WMT newstest2013 English: 500 sentences in document order. 0-349 train, 350-399 development,
 *   400-499 held-out. A line without a final mark (a headline) ends a sentence.
 *
 * Each held-out article, and the held-out newstest block, is one stream of words, as a transcript is.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NONE, PERIOD, punctuatedWords, type PunctuatedWords } from '../src/punctuation/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sharedDataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const cnndmDir = path.join(sharedDataDir, 'text', 'cnndm');
const newsFile = path.join(sharedDataDir, 'text', 'newstest2013', 'eng.txt');

export const hasPunctuationText = existsSync(path.join(cnndmDir, 'src.txt')) && existsSync(newsFile);

export interface PunctuationSplits {
  train: PunctuatedWords[];
  development: PunctuatedWords[];
  heldOut: PunctuatedWords[];
  /** The held-out streams by name (for tables). */
  heldOutNames: string[];
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());

/** Sentences (one a line) as one stream; a line without a final mark ends a sentence. */
export function sentenceStream(sentences: readonly string[]): PunctuatedWords {
  const words: string[] = [];
  const marks: PunctuatedWords['marks'] = [];
  for (const s of sentences) {
    const p = punctuatedWords(s);
    if (!p.words.length) continue;
    if (p.marks[p.marks.length - 1] === NONE || p.marks[p.marks.length - 1] === 1)
      p.marks[p.marks.length - 1] = PERIOD;
    words.push(...p.words);
    marks.push(...p.marks);
  }
  return { words, marks };
}

export function punctuationSplits(): PunctuationSplits {
  const articles = lines(path.join(cnndmDir, 'src.txt'));
  const highlights = lines(path.join(cnndmDir, 'ref.txt'));
  const news = lines(newsFile);
  const article = (i: number) => sentenceStream([articles[i]!]);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);
  return {
    train: [
      ...range(0, 35).map(article),
      ...range(0, 35).map((i) => sentenceStream([highlights[i]!])),
      sentenceStream(news.slice(0, 350)),
    ],
    development: [...range(35, 40).map(article), sentenceStream(news.slice(350, 400))],
    heldOut: [...range(40, 50).map(article), sentenceStream(news.slice(400, 500))],
    heldOutNames: [...range(40, 50).map((i) => `cnndm article ${i}`), 'newstest2013 sentences 400-499'],
  };
}

/** newstest2013 English sentences from..to (the development block is 350-399, the held-out block 400-499). */
export function newsSentences(from: number, to: number): string[] {
  return lines(newsFile).slice(from, to);
}
