import { spokenWords } from './normalize.js';

export interface WerResult {
  /** (substitutions + deletions + insertions) / reference words. */
  wer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
  hypothesisWords: number;
}

/** Words for scoring: case, punctuation and number formats normalised ("$5" and "five dollars" match). */
export function scoringWords(text: string): string[] {
  return spokenWords(text);
}

/** Word-level Levenshtein alignment counts. */
export function alignWords(reference: readonly string[], hypothesis: readonly string[]): WerResult {
  const n = reference.length;
  const m = hypothesis.length;
  // cost[j] over hypothesis positions, with backtrace counts carried along.
  type Cell = { cost: number; s: number; d: number; i: number };
  let prev: Cell[] = Array.from({ length: m + 1 }, (_v, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let a = 1; a <= n; a++) {
    const cur: Cell[] = [{ cost: a, s: 0, d: a, i: 0 }];
    for (let b = 1; b <= m; b++) {
      const same = reference[a - 1] === hypothesis[b - 1];
      const diag = prev[b - 1];
      const up = prev[b];
      const left = cur[b - 1];
      const sub = { cost: diag.cost + (same ? 0 : 1), s: diag.s + (same ? 0 : 1), d: diag.d, i: diag.i };
      const del = { cost: up.cost + 1, s: up.s, d: up.d + 1, i: up.i };
      const ins = { cost: left.cost + 1, s: left.s, d: left.d, i: left.i + 1 };
      let best = sub;
      if (del.cost < best.cost) best = del;
      if (ins.cost < best.cost) best = ins;
      cur.push(best);
    }
    prev = cur;
  }
  const end = prev[m];
  return {
    wer: n === 0 ? (m === 0 ? 0 : 1) : end.cost / n,
    substitutions: end.s,
    deletions: end.d,
    insertions: end.i,
    referenceWords: n,
    hypothesisWords: m,
  };
}

/** WER of a hypothesis against a reference, both normalised for scoring. */
export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  return alignWords(scoringWords(reference), scoringWords(hypothesis));
}

/** Corpus WER: total errors over total reference words. */
export function corpusWer(results: readonly WerResult[]): number {
  const errors = results.reduce((s, r) => s + r.substitutions + r.deletions + r.insertions, 0);
  const words = results.reduce((s, r) => s + r.referenceWords, 0);
  return words === 0 ? 0 : errors / words;
}
