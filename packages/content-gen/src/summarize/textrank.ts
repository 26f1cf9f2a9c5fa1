import { cosine } from '../text/vectors.js';
import type { PreparedDocument } from './document.js';

export interface TextRankOptions {
  /** Rank only the first N sentences (news leads); others score 0. Default: all. */
  window?: number;
  damping?: number;
  iterations?: number;
  /** 'cosine' over tf-idf vectors, or 'overlap' (Mihalcea & Tarau: shared words / (log|a| + log|b|)). */
  similarity?: 'cosine' | 'overlap';
}

function overlapSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length < 2 || b.length < 2) return 0;
  const sb = new Set(b);
  let common = 0;
  for (const t of new Set(a)) if (sb.has(t)) common++;
  return common / (Math.log(a.length) + Math.log(b.length));
}

/** PageRank over the sentence similarity graph. Scores sum to 1 over the window. */
export function textRankScores(doc: PreparedDocument, options: TextRankOptions = {}): number[] {
  const n = Math.min(doc.sentences.length, options.window ?? doc.sentences.length);
  const scores = new Array<number>(doc.sentences.length).fill(0);
  if (n === 0) return scores;
  if (n === 1) {
    scores[0] = 1;
    return scores;
  }
  const d = options.damping ?? 0.85;
  const sim = options.similarity ?? 'cosine';
  const w: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s =
        sim === 'cosine'
          ? cosine(doc.vectors[i], doc.vectors[j])
          : overlapSimilarity(doc.stems[i], doc.stems[j]);
      w[i][j] = s;
      w[j][i] = s;
    }
  }
  const outSum = w.map((row) => row.reduce((a, b) => a + b, 0));
  let pr = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const next = new Array<number>(n).fill((1 - d) / n);
    // Dangling sentences (no similar sentence) spread their rank uniformly.
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outSum[j] === 0) dangling += pr[j];
    for (let i = 0; i < n; i++) {
      let acc = dangling / n;
      for (let j = 0; j < n; j++) if (w[j][i] > 0) acc += (w[j][i] / outSum[j]) * pr[j];
      next[i] += d * acc;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs(next[i] - pr[i]);
    pr = next;
    if (delta < 1e-7) break;
  }
  for (let i = 0; i < n; i++) scores[i] = pr[i];
  return scores;
}
