import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMA, NONE, PERIOD, QUESTION, isSentenceEnd, type Mark } from './corpus.js';
import { gapFeatures, sentenceFeatures, type GapState, type LmLexicon } from './features.js';

/**
 * The punctuation model: a multinomial logistic regression over the features of each gap between two
 * words (none, comma, full stop, question mark), applied left to right so that the sentence so far is
 * known. Pauses, when the words have timings, add their evidence to the text's: a pause of at least
 * the sentence pause ends a sentence (the model picks "." or "?"), a shorter one adds the log-odds of its
 * length bin to a sentence end and to a comma.
 */

/** The model file written by scripts/train-punctuation.ts. */
export interface PunctuationModelFile {
  name: string;
  version: string;
  /** What it was trained on and how it scored on held-out text (for the record; not used to predict). */
  training: Record<string, unknown>;
  /** Added to the four class scores before the choice (chosen on the development split). */
  offsets: [number, number, number, number];
  /** What a pause shorter than the sentence pause says (chosen on spoken development text). */
  pauses: PauseEvidence;
  /** Feature → weights of none, comma, full stop, question mark (weights × 1000, rounded). */
  weights: Record<string, [number, number, number, number]>;
  /** Sentence feature → weight (× 1000) of the question / statement choice; a sum above 0 means "?". */
  question: Record<string, number>;
  /** "word ab" lines: the word's sentence-end and sentence-start bins in the general language model. */
  lexicon: string;
}

/**
 * Log-odds added to a sentence end ("." and "?") and to a comma by the length of the pause after a word:
 * bin k holds pauses from edges[k-1] (0 for the first) up to edges[k].
 */
export interface PauseEvidence {
  edges: number[];
  end: number[];
  comma: number[];
}

export const NO_PAUSE_EVIDENCE: PauseEvidence = { edges: [], end: [0], comma: [0] };

export function pauseBin(pause: number, edges: readonly number[]): number {
  let k = 0;
  while (k < edges.length && pause >= edges[k]!) k++;
  return k;
}

export interface PunctuationIdentity {
  name: string;
  version: string;
}

/** Scores of the four marks for one gap's features. */
export type GapScorer = (features: readonly string[]) => number[];
/** Above 0: the sentence is a question. */
export type SentenceScorer = (features: readonly string[]) => number;

export interface PunctuateOptions {
  /** Silence after each word in seconds (null where unknown, e.g. text without timings). */
  pauses?: readonly (number | null)[];
  /** A pause of at least this long ends a sentence (default 0.6 s). */
  sentenceGapSec?: number;
  /** Instead of the model's own pause evidence (for choosing it and for benchmarks). */
  pauseEvidence?: PauseEvidence;
}

export class PunctuationModel {
  readonly identity: PunctuationIdentity;
  readonly lexicon: LmLexicon;
  private readonly weights: Map<string, Float64Array>;
  private readonly offsets: readonly number[];
  private readonly question: Map<string, number>;
  readonly pauseEvidence: PauseEvidence;

  constructor(file: PunctuationModelFile) {
    this.identity = { name: file.name, version: file.version };
    this.offsets = file.offsets;
    this.pauseEvidence = file.pauses;
    this.weights = new Map(
      Object.entries(file.weights).map(([f, w]) => [f, Float64Array.from(w, (x) => x / 1000)]),
    );
    this.question = new Map(Object.entries(file.question).map(([f, w]) => [f, w / 1000]));
    const lexicon = new Map<string, string>();
    for (const line of file.lexicon.split('\n')) {
      const sp = line.lastIndexOf(' ');
      if (sp > 0) lexicon.set(line.slice(0, sp), line.slice(sp + 1));
    }
    this.lexicon = lexicon;
  }

  readonly score: GapScorer = (features) => {
    const s = [...this.offsets];
    for (const f of features) {
      const w = this.weights.get(f);
      if (w) for (let c = 0; c < 4; c++) s[c]! += w[c]!;
    }
    return s;
  };

  readonly questionScore: SentenceScorer = (features) =>
    features.reduce((z, f) => z + (this.question.get(f) ?? 0), 0);

  /** The mark after each word (the last word always ends a sentence). */
  punctuate(words: readonly string[], options: PunctuateOptions = {}): Mark[] {
    return decodeMarks(words, this.score, this.lexicon, {
      ...options,
      pauseEvidence: options.pauseEvidence ?? this.pauseEvidence,
      questionScore: this.questionScore,
    });
  }
}

export const DEFAULT_PUNCTUATION_GAP_SEC = 0.6;

/** Greedy left-to-right choice of marks with the sentence and clause so far as features. */
export function decodeMarks(
  words: readonly string[],
  score: GapScorer,
  lexicon: LmLexicon,
  options: PunctuateOptions & {
    /** Decides "?" or "." once a sentence ends; without it the gap scores decide. */
    questionScore?: SentenceScorer;
  } = {},
): Mark[] {
  const gap = options.sentenceGapSec ?? DEFAULT_PUNCTUATION_GAP_SEC;
  const evidence = options.pauseEvidence ?? NO_PAUSE_EVIDENCE;
  const marks: Mark[] = [];
  const state: GapState = { sentenceStart: 0, clauseStart: 0 };
  for (let i = 0; i < words.length; i++) {
    const s = score(gapFeatures(words, i, state, lexicon));
    const pause = options.pauses?.[i] ?? null;
    const last = i === words.length - 1;
    if (last || (pause !== null && pause >= gap)) {
      s[NONE] = -Infinity;
      s[COMMA] = -Infinity;
    } else if (pause !== null) {
      const k = pauseBin(pause, evidence.edges);
      s[PERIOD]! += evidence.end[k] ?? 0;
      s[QUESTION]! += evidence.end[k] ?? 0;
      s[COMMA]! += evidence.comma[k] ?? 0;
    }
    let mark: Mark = NONE;
    for (const c of [COMMA, PERIOD, QUESTION] as const) if (s[c]! > s[mark]!) mark = c;
    if (isSentenceEnd(mark) && options.questionScore)
      mark = options.questionScore(sentenceFeatures(words, state.sentenceStart, i)) > 0 ? QUESTION : PERIOD;
    marks.push(mark);
    if (isSentenceEnd(mark)) {
      state.sentenceStart = i + 1;
      state.clauseStart = i + 1;
    } else if (mark === COMMA) state.clauseStart = i + 1;
  }
  return marks;
}

/** The committed English model (models/punctuation-en.json), loaded once per process. */
export const PUNCTUATION_MODEL_PATH = fileURLToPath(
  new URL('../../models/punctuation-en.json', import.meta.url),
);
let loaded: PunctuationModel | undefined;

export function defaultPunctuationModel(): PunctuationModel {
  loaded ??= new PunctuationModel(
    JSON.parse(readFileSync(PUNCTUATION_MODEL_PATH, 'utf8')) as PunctuationModelFile,
  );
  return loaded;
}

/** The model for a transcript's language: the English model for English or unlabelled ones, else none. */
export function punctuationModelFor(language: string | undefined): PunctuationModel | null {
  return !language || /^en\b/i.test(language) ? defaultPunctuationModel() : null;
}
