import { abbreviationKind, MONTHS, NUMBER_ABBREVIATIONS } from './abbreviations.js';
import { normalizeLang, type Lang } from './lang.js';
import { stopwords } from './stopwords.js';

/*
 * The sentence splitter of every area: summaries and entities (content), document translation (with
 * its inline placeholders) and speech (normalised text before synthesis and language models).
 */

export interface Sentence {
  index: number;
  text: string;
  /** Offsets in the original text: text === source.slice(start, end). */
  start: number;
  end: number;
}

export interface SplitOptions {
  lang?: Lang | string;
  /** Treat the text as lower-cased (no capitalisation cues). Detected when omitted. */
  caseless?: boolean;
  /**
   * Inline markers that are not words (e.g. the placeholders of tags in a document being translated):
   * one after a sentence's end stays with that sentence, one before the next word is skipped when
   * reading that word. Matched at a position, so give it the sticky flag: /⟦\d+⟧/y.
   */
  inline?: RegExp;
  /**
   * false for text whose abbreviations are already spelled out (speech normalises "Dr." to "Doctor"):
   * then a period before a sentence start always ends a sentence, "A M. He left" included.
   */
  abbreviations?: boolean;
}

/** A sentence and the whitespace after it; joining `text + separator` of all pieces gives the input back. */
export interface SentencePiece {
  readonly text: string;
  readonly separator: string;
}

const TERMINAL = new Set(['.', '!', '?', '…', '。', '！', '？', '؟', '।']);
/** Full-width terminators end a sentence without a space after them. */
const FULL_WIDTH = new Set(['。', '！', '？']);
const CLOSERS_TIGHT = new Set(['"', "'", '”', '’', '»', ')', ']', '›']);
const OPENERS = /^[¿¡«“‘"'(\[—–‹-]+/u;
const ATTRIBUTION_AFTER_QUOTE = new Set([
  'said',
  'says',
  'asked',
  'added',
  'told',
  'shouted',
  'replied',
  'he',
  'she',
  'they',
  'according',
  'wrote',
  'dijo',
  'afirmó',
  'preguntó',
  'a-t-il',
  'a-t-elle',
  'dit',
  'sagte',
  'fragte',
]);

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/u.test(ch);
}

/** Text without capitalisation cues (all lower-case, or a script without case). */
export function isCaseless(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) {
      letters++;
      if (/\p{Lu}/u.test(ch)) upper++;
    }
    if (letters > 5000) break;
  }
  return letters > 20 && upper / letters < 0.005;
}

/** The length of the inline markers at `at` (0 when there are none). */
function inlineAt(text: string, at: number, inline: RegExp | undefined): number {
  if (!inline) return 0;
  let end = at;
  for (;;) {
    inline.lastIndex = end;
    const m = inline.exec(text);
    if (!m || m.index !== end || m[0].length === 0) return end - at;
    end += m[0].length;
  }
}

/** Split text into sentences, keeping offsets. Handles abbreviations, initials, decimals, quotes, ¿¡ and « ». */
export function splitSentences(text: string, options: SplitOptions = {}): Sentence[] {
  const lang = normalizeLang(options.lang);
  const caseless = options.caseless ?? isCaseless(text);
  const starters = stopwords(lang);
  const months = new Set(MONTHS[lang]);
  const inline = options.inline;
  const sentences: Sentence[] = [];

  const push = (start: number, end: number) => {
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
    if (end > start) sentences.push({ index: sentences.length, text: text.slice(start, end), start, end });
  };

  let sentStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];

    // Blank line (paragraph break) or a bullet on a new line: hard boundary.
    if (ch === '\n') {
      const m = /^\n[ \t\r]*(\n|[-*•·]\s)/.exec(text.slice(i, i + 40));
      if (m) {
        push(sentStart, i);
        sentStart = i + 1;
        i++;
        continue;
      }
    }
    if (!TERMINAL.has(ch)) {
      i++;
      continue;
    }

    // Run of terminal punctuation ("?!", "...").
    let j = i;
    while (j < n && (TERMINAL.has(text[j]) || text[j] === '.')) j++;
    const run = text.slice(i, j);
    // Closing quotes / brackets; French « » and PTB '' may be preceded by a space.
    let closedQuote = false;
    for (;;) {
      if (
        j < n &&
        CLOSERS_TIGHT.has(text[j]) &&
        (text[j] !== '"' && text[j] !== "'"
          ? true
          : j + 1 >= n || isSpace(text[j + 1]) || CLOSERS_TIGHT.has(text[j + 1]))
      ) {
        closedQuote = true;
        j++;
        continue;
      }
      const spaced = /^[ \u00a0\u202f]+(»|”|''|›)/u.exec(text.slice(j, j + 8));
      if (spaced) {
        closedQuote = true;
        j += spaced[0].length;
        continue;
      }
      const marker = inlineAt(text, j, inline);
      if (marker) {
        j += marker;
        continue;
      }
      break;
    }
    // A boundary needs whitespace (or the end) after it: "5.2", "U.S.-based", "example.com" are not
    // boundaries. Full-width terminators need none.
    if (j < n && !isSpace(text[j]) && !FULL_WIDTH.has(run[run.length - 1]!)) {
      i = j;
      continue;
    }
    let k = j;
    while (k < n && isSpace(text[k])) k++;
    if (k >= n) {
      i = j;
      continue; // end of text: the final push takes it
    }
    const rest = text.slice(k + inlineAt(text, k, inline), k + 60);
    const opener = OPENERS.exec(rest);
    // A dash between spaces ("circumference! - is needed") opens nothing: read the word after it.
    const afterOpener = opener ? rest.slice(opener[0].length).replace(/^[ \t]+/u, '') : rest;
    const nextWord = /^[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(afterOpener)?.[0] ?? '';
    const nextLower = nextWord.toLowerCase();
    const nextIsUpper = /^\p{Lu}/u.test(nextWord);
    const nextIsLowerStart = /^\p{Ll}/u.test(nextWord);
    const nextIsDigit = /^\p{N}/u.test(nextWord);
    // A script without case (CJK, Arabic, Devanagari ...) starts a sentence with any letter.
    const nextIsUncased = /^\p{L}/u.test(nextWord) && !nextIsUpper && !nextIsLowerStart;
    const startsLikeSentence =
      caseless ||
      nextIsUpper ||
      nextIsDigit ||
      nextIsUncased ||
      (!!opener && !nextIsLowerStart) ||
      nextWord === '';

    let boundary: boolean;
    if (run.includes('!') || run.includes('?') || run.includes('！') || run.includes('？')) {
      if (caseless) boundary = !(closedQuote && ATTRIBUTION_AFTER_QUOTE.has(nextLower));
      else boundary = !nextIsLowerStart;
    } else if (run === '…' || run.length >= 3) {
      boundary = !caseless && (nextIsUpper || (!!opener && !nextIsLowerStart));
    } else if (run !== '.' && run !== '。') {
      boundary = startsLikeSentence;
    } else {
      boundary = decidePeriod(text, i, inline, {
        lang,
        caseless,
        closedQuote,
        nextWord,
        nextLower,
        nextIsUpper,
        nextIsLowerStart,
        nextIsDigit,
        startsLikeSentence,
        starters,
        months,
        abbreviations: options.abbreviations ?? true,
      });
    }
    if (boundary) {
      push(sentStart, j);
      sentStart = j;
    }
    i = j;
  }
  push(sentStart, n);
  return sentences;
}

interface PeriodContext {
  lang: Lang;
  caseless: boolean;
  closedQuote: boolean;
  nextWord: string;
  nextLower: string;
  nextIsUpper: boolean;
  nextIsLowerStart: boolean;
  nextIsDigit: boolean;
  startsLikeSentence: boolean;
  starters: ReadonlySet<string>;
  months: ReadonlySet<string>;
  abbreviations: boolean;
}

function decidePeriod(text: string, dot: number, inline: RegExp | undefined, c: PeriodContext): boolean {
  if (c.closedQuote) return c.startsLikeSentence;
  // Token before the period (back to whitespace), without opening punctuation and inline markers.
  let b = dot;
  while (b > 0 && !isSpace(text[b - 1])) b--;
  b += inlineAt(text, b, inline);
  const prev = text.slice(b, dot).replace(/^[("'“‘«¿¡\[]+/u, '');
  if (prev === '') return c.startsLikeSentence; // tokenized text: "word ."
  if (!c.abbreviations) return c.startsLikeSentence && !c.nextIsLowerStart;
  const lowerPrev = prev.toLowerCase();

  // Single letters.
  if (/^\p{L}$/u.test(prev)) {
    if (c.caseless) return c.starters.has(c.nextLower) && c.nextLower.length > 2;
    const endsLikeWord = c.startsLikeSentence && !c.nextIsLowerStart;
    if (/\p{Ll}/u.test(prev)) {
      // "a. C.", "d. C." (antes / después de Cristo): the lower-case letter is the era's first half.
      if (/^\s+\p{Lu}\./u.test(text.slice(dot + 1, dot + 8))) return false;
      return endsLikeWord; // "Plan b. Then ..."
    }
    // The era's second half ends a sentence like a word; other capitals are initials ("J. K. Rowling").
    if (/(?:^|[^\p{L}.])\p{Ll}\.\s+$/u.test(text.slice(Math.max(0, b - 40), b))) return endsLikeWord;
    return false;
  }

  // Ordinal numbers in German ("am 3. Oktober"), and generally a number before a lower-case word.
  if (/^\d+$/.test(prev)) {
    if (c.lang === 'de' && (c.months.has(c.nextLower) || c.nextIsLowerStart)) return false;
    return c.startsLikeSentence && !c.nextIsLowerStart;
  }

  const kind = abbreviationKind(lowerPrev, c.lang);
  const multiDot = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(prev); // U.S, e.g, a.m, z.B
  if (NUMBER_ABBREVIATIONS.has(lowerPrev) && c.nextIsDigit) return false;
  if (kind === 'title') return false;
  if (kind === 'other' || multiDot) {
    if (c.nextWord === '') return c.startsLikeSentence;
    if (c.caseless) return c.starters.has(c.nextLower);
    if (!c.nextIsUpper) return false;
    // "in the U.S. The company" ends; "U.S. President" does not.
    if (c.starters.has(c.nextLower)) return true;
    return ['etc', 'inc', 'ltd', 'corp', 'co', 'plc', 'llc', 'usw', 'gmbh', 'ag'].includes(lowerPrev);
  }
  if (c.caseless) return true;
  return c.startsLikeSentence && !c.nextIsLowerStart;
}

/**
 * The sentences as pieces that give the input back when joined (`text + separator`): the first
 * piece keeps any leading whitespace, each separator is the whitespace up to the next sentence.
 * Text with no sentence is one piece with an empty text.
 */
export function sentencePieces(text: string, options: SplitOptions = {}): SentencePiece[] {
  const sentences = splitSentences(text, options);
  if (!sentences.length) return [{ text: '', separator: text }];
  return sentences.map((s, i) => ({
    text: text.slice(i === 0 ? 0 : s.start, s.end),
    separator: text.slice(s.end, sentences[i + 1]?.start ?? text.length),
  }));
}
