import { porterStem } from '../text/stem.js';

export interface PRF {
  precision: number;
  recall: number;
  f: number;
}

export interface RougeScores {
  rouge1: PRF;
  rouge2: PRF;
  /** LCS over the whole summary token sequence (not the sentence-level "Lsum"). */
  rougeL: PRF;
}

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters (as rouge-score's use_stemmer). Default true. */
  stem?: boolean;
}

/** Lower-case, keep [a-z0-9] runs, optionally stem: the tokenisation ROUGE scores are computed on. */
export function rougeTokens(text: string, options: RougeOptions = {}): string[] {
  const stem = options.stem ?? true;
  const toks = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  return stem ? toks.map((t) => (t.length > 3 ? porterStem(t) : t)) : toks;
}

function prf(overlap: number, candidateCount: number, referenceCount: number): PRF {
  const precision = candidateCount > 0 ? overlap / candidateCount : 0;
  const recall = referenceCount > 0 ? overlap / referenceCount : 0;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): PRF {
  const c = ngramCounts(candidate, n);
  const r = ngramCounts(reference, n);
  let overlap = 0;
  for (const [g, cnt] of c) overlap += Math.min(cnt, r.get(g) ?? 0);
  return prf(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ai === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export function rougeL(candidate: readonly string[], reference: readonly string[]): PRF {
  return prf(lcsLength(candidate, reference), candidate.length, reference.length);
}

export function rouge(candidate: string, reference: string, options: RougeOptions = {}): RougeScores {
  const c = rougeTokens(candidate, options);
  const r = rougeTokens(reference, options);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: rougeL(c, r) };
}

/** Mean F-measures (×100) over pairs. */
export function meanRougeF(scores: readonly RougeScores[]): {
  rouge1: number;
  rouge2: number;
  rougeL: number;
} {
  const n = Math.max(1, scores.length);
  const sum = (k: keyof RougeScores) => (100 * scores.reduce((s, x) => s + x[k].f, 0)) / n;
  return { rouge1: sum('rouge1'), rouge2: sum('rouge2'), rougeL: sum('rougeL') };
}
