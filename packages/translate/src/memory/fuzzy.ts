import { placeholderPattern } from '../document/placeholders.js';

/**
 * Fuzzy translation-memory matches: an editor's correction reused for a sentence that is nearly the same.
 * The score is 1 − (word-level edit distance / words of the longer sentence): 1 for the same words, 0.9
 * for one word in ten changed. A match is reused only where its translation can be carried over safely:
 * the sentences differ in punctuation or case, or in tokens the translation holds verbatim once (numbers,
 * markup, capitalised names and acronyms), which are replaced in it. Anything else (a word the translation renders differently)
 * goes to the engine, however high the score.
 */

const TOKEN = new RegExp(
  `${placeholderPattern().source}|\\p{N}+(?:[.,:]\\p{N}+)*|[\\p{L}\\p{M}]+(?:['’-][\\p{L}\\p{M}]+)*|[^\\s]`,
  'gu',
);

export function memoryTokens(sentence: string): string[] {
  return sentence.normalize('NFC').match(TOKEN) ?? [];
}

const isPunctuation = (t: string) => /^[^\p{L}\p{N}\u27E6]$/u.test(t);
const carriedVerbatim = (t: string) => /\p{N}|\u27E6|^\p{Lu}/u.test(t);

type Step =
  { op: 'same' | 'sub'; from: string; to: string } | { op: 'ins'; to: string } | { op: 'del'; from: string };

/** Word-level edit distance and one cheapest edit script from `a` to `b`. */
function align(a: readonly string[], b: readonly string[]): { distance: number; steps: Step[] } {
  const n = a.length;
  const m = b.length;
  const d = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Uint16Array(m + 1);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  const steps: Step[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i]![j] === d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)) {
      steps.push({ op: a[i - 1] === b[j - 1] ? 'same' : 'sub', from: a[i - 1]!, to: b[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && d[i]![j] === d[i - 1]![j]! + 1) {
      steps.push({ op: 'del', from: a[i - 1]! });
      i--;
    } else {
      steps.push({ op: 'ins', to: b[j - 1]! });
      j--;
    }
  }
  return { distance: d[n]![m]!, steps: steps.reverse() };
}

/** Similarity of two memory keys in 0..1 (word-level edit distance over the longer one). */
export function fuzzyScore(a: string, b: string): number {
  const ta = memoryTokens(a);
  const tb = memoryTokens(b);
  const longer = Math.max(ta.length, tb.length);
  if (longer === 0) return 1;
  return 1 - align(ta, tb).distance / longer;
}

/** Upper bound of `fuzzyScore` from the words the two share (cheap: to skip most candidates). */
function scoreBound(ta: readonly string[], tb: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  const longer = Math.max(ta.length, tb.length);
  return longer === 0 ? 1 : common / longer;
}

/**
 * The translation of `matchSource` (`matchTarget`) carried over to `sentence`, or null when it cannot be
 * done safely: a changed token must be a number, placeholder or capitalised word appearing exactly once,
 * verbatim, in the translation, or differ from the old one only in case; added or dropped tokens must be
 * punctuation.
 */
export function carryOver(sentence: string, matchSource: string, matchTarget: string): string | null {
  const { steps } = align(memoryTokens(matchSource), memoryTokens(sentence));
  let target = matchTarget;
  for (const step of steps) {
    if (step.op === 'same') continue;
    if (step.op === 'ins' || step.op === 'del') {
      if (isPunctuation(step.op === 'ins' ? step.to : step.from)) continue;
      return null;
    }
    // Only what translations carry verbatim: numbers, markup, names and acronyms (a capital). A lower-case
    // word found in the translation is a cognate ("normal", "social"), not the same word carried over.
    if (!carriedVerbatim(step.from) || !carriedVerbatim(step.to)) {
      if (step.from.toLowerCase() === step.to.toLowerCase()) continue;
      return null;
    }
    const escaped = step.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const whole = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu');
    const found = target.match(whole)?.length ?? 0;
    if (found === 1) {
      target = target.replace(whole, () => step.to);
      continue;
    }
    if (found === 0 && step.from.toLowerCase() === step.to.toLowerCase()) continue;
    return null;
  }
  return target;
}

export interface FuzzyCandidate {
  readonly source: string;
  readonly target: string;
}

export interface FuzzyMatch {
  /** The memory entry's source sentence and its (human) translation, as stored. */
  readonly source: string;
  readonly target: string;
  /** The stored translation carried over to the sentence looked up. */
  readonly adapted: string;
  readonly score: number;
}

/**
 * The best reusable candidate for `sentence` with a score of at least `minScore` (below 1: exact matches
 * are the memory's exact lookup), or null.
 */
export function bestFuzzyMatch(
  sentence: string,
  candidates: readonly FuzzyCandidate[],
  minScore: number,
): FuzzyMatch | null {
  const tokens = memoryTokens(sentence);
  let best: FuzzyMatch | null = null;
  for (const c of candidates) {
    const ct = memoryTokens(c.source);
    if (scoreBound(tokens, ct) < minScore || c.source === sentence) continue;
    const longer = Math.max(tokens.length, ct.length);
    const score = longer ? 1 - align(ct, tokens).distance / longer : 1;
    if (score < minScore || (best && score <= best.score)) continue;
    const adapted = carryOver(sentence, c.source, c.target);
    if (adapted !== null)
      best = { source: c.source, target: c.target, adapted, score: Math.round(score * 1000) / 1000 };
  }
  return best;
}
