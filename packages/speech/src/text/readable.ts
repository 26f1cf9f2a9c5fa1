import { MARKS, PERIOD, isSentenceEnd, type Mark } from '../punctuation/corpus.js';
import { punctuationModelFor, type PunctuationModel } from '../punctuation/model.js';
import type { Transcript, TranscriptSegment, WordTiming } from '../recognition/types.js';
import { alignWords, type WerResult } from './wer.js';

/**
 * Transcripts that read like text. Recognisers give lower-case words with timings; this adds punctuation
 * (full stops, commas and question marks from the punctuation model, which reads the words and the pauses
 * together), casing (sentence starts, "I", and the newsroom's own spelling of names from a truecasing
 * table learnt from its articles) and paragraphs (longer pauses). Words and their timings are kept as
 * recognised; segment texts and the transcript text are rewritten.
 */

export interface ReadableOptions {
  /**
   * A pause of at least this long ends a sentence (default 0.6 s, chosen on three of the shared recordings);
   * shorter pauses weigh in the punctuation model's choice.
   */
  sentenceGapSec?: number;
  /** A pause of at least this long starts a paragraph (default 2 s). */
  paragraphGapSec?: number;
  /** Lower-case word → its usual written form ("americans" → "Americans"), from `learnTruecase`. */
  truecase?: ReadonlyMap<string, string>;
  /**
   * The punctuation model (default: `punctuationModelFor` the transcript's language, i.e. the committed
   * English model for English or unlabelled transcripts); null: sentence ends from pauses only.
   */
  punctuation?: PunctuationModel | null;
}

export const DEFAULT_SENTENCE_GAP_SEC = 0.6;
export const DEFAULT_PARAGRAPH_GAP_SEC = 2;

const ALWAYS_UPPER = new Map([
  ['i', 'I'],
  ["i'm", "I'm"],
  ["i've", "I've"],
  ["i'll", "I'll"],
  ["i'd", "I'd"],
]);

/**
 * A truecasing table from written text (a newsroom's articles): for each word seen at least `minCount`
 * times away from a sentence start, its most frequent written form when that form is not all lower case
 * and holds at least `minShare` of its occurrences there.
 */
export function learnTruecase(
  texts: Iterable<string>,
  options: { minCount?: number; minShare?: number } = {},
): Map<string, string> {
  const minCount = options.minCount ?? 2;
  const minShare = options.minShare ?? 0.6;
  const forms = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const sentence of text.split(/(?<=[.!?]["”’')\]]?)\s+|\n+/u)) {
      const words = sentence.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
      for (let i = 1; i < words.length; i++) {
        const w = words[i]!.replace(/’/g, "'");
        const key = w.toLowerCase();
        const m = forms.get(key) ?? new Map<string, number>();
        m.set(w, (m.get(w) ?? 0) + 1);
        forms.set(key, m);
      }
    }
  }
  const table = new Map<string, string>();
  for (const [key, m] of forms) {
    let total = 0;
    let best = '';
    let bestN = 0;
    for (const [form, n] of m) {
      total += n;
      if (n > bestN) [best, bestN] = [form, n];
    }
    if (total >= minCount && best !== key && bestN / total >= minShare) table.set(key, best);
  }
  return table;
}

function cased(
  word: string,
  truecase: ReadonlyMap<string, string> | undefined,
  sentenceStart: boolean,
): string {
  const lower = word.toLowerCase();
  const known = ALWAYS_UPPER.get(lower) ?? truecase?.get(lower);
  const form = known ?? word;
  return sentenceStart ? form.charAt(0).toUpperCase() + form.slice(1) : form;
}

/** The transcript with sentences, casing and paragraphs (text: paragraphs separated by a blank line). */
export function readableTranscript<T extends Pick<Transcript, 'segments' | 'text'>>(
  transcript: T,
  options: ReadableOptions = {},
): T {
  const sentenceGap = options.sentenceGapSec ?? DEFAULT_SENTENCE_GAP_SEC;
  const paragraphGap = options.paragraphGapSec ?? DEFAULT_PARAGRAPH_GAP_SEC;
  const flat: { segment: number; word: WordTiming }[] = [];
  transcript.segments.forEach((s, k) => s.words.forEach((word) => flat.push({ segment: k, word })));
  if (flat.length === 0) return transcript;
  const pauses = flat.map(({ word }, i) => {
    const next = flat[i + 1]?.word;
    return next ? Math.max(0, next.start - word.end) : null;
  });
  const language = (transcript as Partial<Pick<Transcript, 'language'>>).language;
  const model = options.punctuation === undefined ? punctuationModelFor(language) : options.punctuation;
  const marks: Mark[] = model
    ? model.punctuate(
        flat.map(({ word }) => word.word.toLowerCase()),
        { pauses, sentenceGapSec: sentenceGap },
      )
    : pauses.map((p) => (p === null || p >= sentenceGap ? PERIOD : 0));
  const texts: string[][] = transcript.segments.map(() => []);
  const paragraphs: string[][] = [[]];
  for (let i = 0; i < flat.length; i++) {
    const { segment, word } = flat[i]!;
    const prev = flat[i - 1]?.word;
    const gapBefore = prev ? word.start - prev.end : Infinity;
    const out =
      cased(word.word, options.truecase, i === 0 || isSentenceEnd(marks[i - 1]!)) + MARKS[marks[i]!];
    if (prev && gapBefore >= paragraphGap) paragraphs.push([]);
    texts[segment]!.push(out);
    paragraphs[paragraphs.length - 1]!.push(out);
  }
  const segments: TranscriptSegment[] = transcript.segments.map((s, k) =>
    s.words.length ? { ...s, text: texts[k]!.join(' ') } : s,
  );
  return {
    ...transcript,
    segments,
    text: paragraphs.map((p) => p.join(' ')).join('\n\n'),
  };
}

/**
 * Tokens for a formatted WER: case kept, a sentence end written as a final "." (? and ! count as .),
 * other punctuation dropped. It counts what `readableTranscript` adds; plain WER ignores it.
 */
export function formattedWords(text: string): string[] {
  return text
    .replace(/[?!]+/g, '.')
    .split(/\s+/)
    .map((t) =>
      t
        .replace(/^[^\p{L}\p{N}]+/u, '')
        .replace(/[^\p{L}\p{N}.']+$/u, '')
        .replace(/\.+$/, '.'),
    )
    .map((t) => t.replace(/[^\p{L}\p{N}'.]/gu, ''))
    .filter((t) => /[\p{L}\p{N}]/u.test(t));
}

/** WER over `formattedWords`: a word counts as right only with its case and its sentence end. */
export function formattedWordErrorRate(reference: string, hypothesis: string): WerResult {
  return alignWords(formattedWords(reference), formattedWords(hypothesis));
}
