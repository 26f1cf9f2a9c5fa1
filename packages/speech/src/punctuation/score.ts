import { COMMA, PERIOD, QUESTION, isSentenceEnd, type Mark } from './corpus.js';

export interface F1 {
  precision: number;
  recall: number;
  f1: number;
  /** Marks in the reference. */
  support: number;
}

export interface PunctuationScores {
  period: F1;
  comma: F1;
  question: F1;
  /** A sentence end ("." or "?") in the right place, whichever of the two. */
  sentenceBoundary: F1;
}

function f1(tp: number, fp: number, fn: number): F1 {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    support: tp + fn,
  };
}

/**
 * Per-mark precision, recall and F1 over the gaps after each word, the last word of each stream left
 * out (a transcript always ends a sentence there).
 */
export function punctuationScores(
  pairs: Iterable<{ reference: readonly Mark[]; predicted: readonly Mark[] }>,
): PunctuationScores {
  const count = (is: (m: Mark) => boolean) => ({ tp: 0, fp: 0, fn: 0, is });
  const kinds = {
    period: count((m) => m === PERIOD),
    comma: count((m) => m === COMMA),
    question: count((m) => m === QUESTION),
    sentenceBoundary: count(isSentenceEnd),
  };
  for (const { reference, predicted } of pairs) {
    for (let i = 0; i < reference.length - 1; i++) {
      for (const k of Object.values(kinds)) {
        const r = k.is(reference[i]!);
        const p = k.is(predicted[i]!);
        if (r && p) k.tp++;
        else if (p) k.fp++;
        else if (r) k.fn++;
      }
    }
  }
  return {
    period: f1(kinds.period.tp, kinds.period.fp, kinds.period.fn),
    comma: f1(kinds.comma.tp, kinds.comma.fp, kinds.comma.fn),
    question: f1(kinds.question.tp, kinds.question.fp, kinds.question.fn),
    sentenceBoundary: f1(kinds.sentenceBoundary.tp, kinds.sentenceBoundary.fp, kinds.sentenceBoundary.fn),
  };
}

/**
 * The reference's marks and the predicted marks side by side along a word alignment (Levenshtein) of the
 * reference words and the recognised words, for scoring punctuation of a recognised transcript: a word
 * the recogniser missed keeps its reference mark against none, an inserted word has no reference mark.
 */
export function alignMarks(
  reference: { words: readonly string[]; marks: readonly Mark[] },
  predicted: { words: readonly string[]; marks: readonly Mark[] },
): { reference: Mark[]; predicted: Mark[] } {
  const r = reference.words;
  const h = predicted.words;
  const cost: number[][] = Array.from({ length: r.length + 1 }, (_, i) =>
    Array.from({ length: h.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= r.length; i++)
    for (let j = 1; j <= h.length; j++)
      cost[i]![j] = Math.min(
        cost[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1),
        cost[i - 1]![j]! + 1,
        cost[i]![j - 1]! + 1,
      );
  const out = { reference: [] as Mark[], predicted: [] as Mark[] };
  let i = r.length;
  let j = h.length;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i]![j] === cost[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1)) {
      out.reference.push(reference.marks[--i]!);
      out.predicted.push(predicted.marks[--j]!);
    } else if (i > 0 && cost[i]![j] === cost[i - 1]![j]! + 1) {
      out.reference.push(reference.marks[--i]!);
      out.predicted.push(0);
    } else {
      out.reference.push(0);
      out.predicted.push(predicted.marks[--j]!);
    }
  }
  out.reference.reverse();
  out.predicted.reverse();
  return out;
}
