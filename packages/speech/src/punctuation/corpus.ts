import { abbreviationKind } from '@media-ai/text';

/**
 * Punctuation marks the model restores after a word: none, comma, full stop, question mark.
 * Written text maps onto them: "!" and ";" end a sentence like ".", ":" and dashes read as a comma.
 */
export const MARKS = ['', ',', '.', '?'] as const;
export type Mark = 0 | 1 | 2 | 3;
export const NONE: Mark = 0;
export const COMMA: Mark = 1;
export const PERIOD: Mark = 2;
export const QUESTION: Mark = 3;

export const isSentenceEnd = (m: Mark): boolean => m === PERIOD || m === QUESTION;

/** Words as a recogniser writes them (lower case, no punctuation) and the mark after each. */
export interface PunctuatedWords {
  words: string[];
  marks: Mark[];
}

const MARK_OF: Record<string, Mark> = {
  ',': COMMA,
  ':': COMMA,
  '--': COMMA,
  '-': COMMA,
  '–': COMMA,
  '—': COMMA,
  '.': PERIOD,
  '...': PERIOD,
  '…': PERIOD,
  '!': PERIOD,
  ';': PERIOD,
  '?': QUESTION,
};

/** The stronger of two marks (a question mark beats a full stop beats a comma). */
const stronger = (a: Mark, b: Mark): Mark => (a > b ? a : b);

/** A word as a recogniser would write it: lower case, straight apostrophes, no surrounding punctuation. */
export function spokenForm(token: string): string {
  return token
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[^\p{L}\p{N}]+$/u, '');
}

/**
 * Written text (raw, or tokenised and lower-cased like the CNN/DailyMail files) as the recogniser's word
 * stream and the marks a writer put after each word. Quotes and brackets are dropped; an abbreviation's
 * own full stop ("Mr.", "U.S.") is not a sentence end.
 */
export function punctuatedWords(text: string): PunctuatedWords {
  const cleaned = text
    .replace(/<\/?t>/g, ' ')
    .replace(/-[lr][rsc]b-/g, ' ')
    .replace(/``|''/g, ' ')
    // Tokenised contractions back together: "they 're", "did n't", "koirala 's".
    .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)(?=\s|$)/g, '$1')
    // Highlights glued as "end .next sentence".
    .replace(/ \.(?=\p{L})/gu, ' . ');
  const words: string[] = [];
  const marks: Mark[] = [];
  for (const token of cleaned.split(/\s+/)) {
    if (!token) continue;
    const core = spokenForm(token);
    const trailing = token.slice(token.replace(/[^\p{L}\p{N}]+$/u, '').length);
    if (!core) {
      const m = MARK_OF[token];
      if (m !== undefined && words.length) marks[marks.length - 1] = stronger(marks[marks.length - 1]!, m);
      continue;
    }
    words.push(core);
    let mark: Mark = NONE;
    for (const piece of trailing.match(/\.{3}|--|[,:;.!?–—…]/g) ?? []) mark = stronger(mark, MARK_OF[piece]!);
    // "Mr." and "U.S." keep their full stop as part of the word, unless more follows ("U.S.?").
    if (
      mark === PERIOD &&
      trailing === '.' &&
      (abbreviationKind(core, 'en') !== 'none' || /\.\p{L}$/u.test(token.slice(0, -1)))
    )
      mark = NONE;
    marks.push(mark);
  }
  return { words, marks };
}

/** The words with their marks written after them (no casing): for reading a result and for tests. */
export function writeMarks(words: readonly string[], marks: readonly Mark[]): string {
  return words.map((w, i) => w + MARKS[marks[i] ?? NONE]).join(' ');
}
