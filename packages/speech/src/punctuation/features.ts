/**
 * Features of the gap after word i: the words around it (one, two and three words), how long the sentence
 * and the clause have run, how the sentence began (questions start with "what", "do you" …), and the general
 * English language model's view of the two words as a sentence end and a sentence start.
 */

/** Sentence-end and sentence-start classes of a word from the general language model ("ab": two bin digits). */
export type LmLexicon = ReadonlyMap<string, string>;

/** Where the current sentence and the current clause began (word indices). */
export interface GapState {
  sentenceStart: number;
  clauseStart: number;
}

const NUM = '<num>';
const START = '<s>';
const END = '</s>';

/** The word as the features see it: numbers written with digits are one token. */
export function featureWord(w: string | undefined, edge: string): string {
  if (w === undefined) return edge;
  return /\d/.test(w) ? NUM : w;
}

/** Sentence openers of questions: "what …", "do you …", "is it …". */
const WH = new Set(['what', 'why', 'how', 'who', 'whom', 'whose', 'where', 'when', 'which']);
const AUX = new Set(
  'do does did is are was were am can could will would should shall may might must have has had '
    .concat(
      "don't doesn't didn't isn't aren't wasn't weren't can't couldn't won't wouldn't shouldn't haven't hasn't",
    )
    .split(' '),
);
const PRONOUN = new Set('i you he she it we they there this that anyone anybody someone'.split(' '));

/** How a sentence opens: a question word, an auxiliary before a pronoun ("do you"), another auxiliary, or neither. */
export function openerClass(first: string, second: string): string {
  if (WH.has(first)) return 'wh';
  if (AUX.has(first)) return PRONOUN.has(second) ? 'aux-pron' : 'aux';
  return '-';
}

const lengthBucket = (n: number): string =>
  n <= 2
    ? '1-2'
    : n <= 4
      ? '3-4'
      : n <= 7
        ? '5-7'
        : n <= 11
          ? '8-11'
          : n <= 16
            ? '12-16'
            : n <= 24
              ? '17-24'
              : '25+';

export function gapFeatures(
  words: readonly string[],
  i: number,
  state: GapState,
  lexicon: LmLexicon,
): string[] {
  const p2 = featureWord(words[i - 1], START);
  const p1 = featureWord(words[i], START);
  const n1 = featureWord(words[i + 1], END);
  const n2 = featureWord(words[i + 2], END);
  const s0 = featureWord(words[state.sentenceStart], START);
  const s1 = state.sentenceStart + 1 <= i ? featureWord(words[state.sentenceStart + 1], END) : '-';
  const lmEnd = lexicon.get(p1)?.[0] ?? 'u';
  const lmStart = lexicon.get(n1)?.[1] ?? 'u';
  const len = lengthBucket(i - state.sentenceStart + 1);
  return [
    'b',
    `w0=${p1}`,
    `w-1=${p2}`,
    `w+1=${n1}`,
    `w+2=${n2}`,
    `w-1w0=${p2} ${p1}`,
    `w0w+1=${p1} ${n1}`,
    `w+1w+2=${n1} ${n2}`,
    `w-1w0w+1=${p2} ${p1} ${n1}`,
    `w0w+1w+2=${p1} ${n1} ${n2}`,
    `len=${len}`,
    `clause=${lengthBucket(i - state.clauseStart + 1)}`,
    `s0=${s0}`,
    `s0s1=${s0} ${s1}`,
    `s0w0=${s0} ${p1}`,
    `open=${openerClass(s0, s1)}`,
    `open len=${openerClass(s0, s1)} ${len}`,
    `lmE=${lmEnd}`,
    `lmS=${lmStart}`,
    `lmES=${lmEnd}${lmStart}`,
    `lmE len=${lmEnd} ${len}`,
    `lmS len=${lmStart} ${len}`,
  ];
}

/** Bin edges (log10) of P(</s> | word) and of P(word | <s>) / P(word) in the general model. */
export const LM_END_EDGES = [-1.4, -1.1, -0.9, -0.75, -0.65, -0.55];
export const LM_START_EDGES = [-1.3, -0.75, -0.45, -0.15, 0.2, 0.45];

export function lmBin(value: number, edges: readonly number[]): string {
  let b = 0;
  while (b < edges.length && value >= edges[b]!) b++;
  return String(b);
}

/** Features of a whole sentence for the question / statement choice: how it opens and how it ends. */
export function sentenceFeatures(words: readonly string[], from: number, to: number): string[] {
  const s0 = featureWord(words[from], START);
  const s1 = from + 1 <= to ? featureWord(words[from + 1], END) : '-';
  const last = featureWord(words[to], END);
  const last2 = to - 1 >= from ? featureWord(words[to - 1], START) : '-';
  const open = openerClass(s0, s1);
  return [
    'b',
    `open=${open}`,
    `open len=${open} ${lengthBucket(to - from + 1)}`,
    `s0=${s0}`,
    `s0s1=${s0} ${s1}`,
    `end=${last}`,
    `end2=${last2} ${last}`,
  ];
}
