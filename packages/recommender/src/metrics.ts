import { createRng } from './core/rng.js';
import { topK } from './core/topk.js';
import type { TrainingSet } from './interactions.js';

/** Ranking metrics of one list against a set of relevant items (cut-off k = recommended.length). */
export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  /** Average precision: Σ P@i over hits i, divided by min(|relevant|, k). */
  ap: number;
}

export function rankingMetrics(
  recommended: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): RankingMetrics {
  if (relevant.size === 0) return { precision: 0, recall: 0, ndcg: 0, ap: 0 };
  const n = Math.min(k, recommended.length);
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  for (let r = 0; r < n; r++) {
    if (relevant.has(recommended[r]!)) {
      hits++;
      dcg += 1 / Math.log2(r + 2);
      apSum += hits / (r + 1);
    }
  }
  let idcg = 0;
  const ideal = Math.min(relevant.size, k);
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return { precision: hits / k, recall: hits / relevant.size, ndcg: dcg / idcg, ap: apSum / ideal };
}

export interface EvaluationResult {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  /** Share of the catalogue that appears in at least one reader's top k. */
  coverage: number;
  users: number;
  /** With `perUser`: the readers evaluated (in order) and each one's nDCG@k, for paired comparisons. */
  perUser?: { users: Int32Array; ndcg: Float64Array };
}

export interface EvaluateOptions {
  k?: number;
  /** Evaluate only these reader indices (default: every reader with test items). */
  users?: ArrayLike<number>;
  /** Also return each evaluated reader's nDCG@k (`perUser`). */
  perUser?: boolean;
  /** Called every 250 readers and at the end (large catalogues take minutes). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Ranks all items for each reader with test positives, excluding the reader's training items (and
 * training negatives), and averages the metrics over readers.
 */
export function evaluate(
  score: (user: number) => Float32Array,
  train: TrainingSet,
  test: TrainingSet,
  options: EvaluateOptions = {},
): EvaluationResult {
  const k = options.k ?? 10;
  const t = test.positives;
  const users = options.users ?? Int32Array.from({ length: t.rows }, (_, u) => u);
  const recommendedOnce = new Uint8Array(t.cols);
  let sum = { precision: 0, recall: 0, ndcg: 0, ap: 0 };
  let count = 0;
  const perUser = options.perUser
    ? { users: new Int32Array(users.length), ndcg: new Float64Array(users.length) }
    : null;
  for (let n = 0; n < users.length; n++) {
    if (n > 0 && n % 250 === 0) options.onProgress?.(n, users.length);
    const u = users[n]!;
    if (u >= t.rows || t.indptr[u + 1] === t.indptr[u]) continue;
    const relevant = new Set(t.indices.subarray(t.indptr[u]!, t.indptr[u + 1]!));
    const scores = score(u);
    for (const m of [train.positives, train.negatives]) {
      if (u < m.rows) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) scores[m.indices[p]!] = -Infinity;
    }
    const top = topK(scores, k);
    for (const i of top.indices) recommendedOnce[i] = 1;
    const m = rankingMetrics(top.indices, relevant, k);
    sum = {
      precision: sum.precision + m.precision,
      recall: sum.recall + m.recall,
      ndcg: sum.ndcg + m.ndcg,
      ap: sum.ap + m.ap,
    };
    if (perUser) {
      perUser.users[count] = u;
      perUser.ndcg[count] = m.ndcg;
    }
    count++;
  }
  options.onProgress?.(users.length, users.length);
  let covered = 0;
  for (let i = 0; i < recommendedOnce.length; i++) covered += recommendedOnce[i]!;
  const avg = (x: number) => (count > 0 ? x / count : 0);
  return {
    k,
    precision: avg(sum.precision),
    recall: avg(sum.recall),
    ndcg: avg(sum.ndcg),
    map: avg(sum.ap),
    coverage: t.cols > 0 ? covered / t.cols : 0,
    users: count,
    ...(perUser
      ? { perUser: { users: perUser.users.slice(0, count), ndcg: perUser.ndcg.slice(0, count) } }
      : {}),
  };
}

/** ROC AUC of positive vs negative scores (ties count half). */
export function auc(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>): number {
  const all: { s: number; pos: boolean }[] = [];
  for (let k = 0; k < positiveScores.length; k++) all.push({ s: positiveScores[k]!, pos: true });
  for (let k = 0; k < negativeScores.length; k++) all.push({ s: negativeScores[k]!, pos: false });
  if (positiveScores.length === 0 || negativeScores.length === 0) return Number.NaN;
  all.sort((a, b) => a.s - b.s);
  // Rank-sum with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (all[t]!.pos) rankSum += avgRank;
    i = j + 1;
  }
  const nP = positiveScores.length;
  const nN = negativeScores.length;
  return (rankSum - (nP * (nP + 1)) / 2) / (nP * nN);
}

/**
 * Readers to validate on when scoring every one of them against the whole catalogue would be too
 * slow: a seeded sample of the readers with test items, sized so that readers × items stays near
 * `budget` (default 10⁸, at least 500 readers: enough for the activation gate's paired bootstrap, which
 * needs 100). Undefined when every reader fits.
 */
export function validationReaders(
  test: TrainingSet,
  options: { budget?: number; seed?: number } = {},
): Int32Array | undefined {
  const t = test.positives;
  const max = Math.max(500, Math.floor((options.budget ?? 1e8) / Math.max(1, t.cols)));
  const withTests: number[] = [];
  for (let u = 0; u < t.rows; u++) if (t.indptr[u + 1]! > t.indptr[u]!) withTests.push(u);
  if (withTests.length <= max) return undefined;
  const rng = createRng(options.seed ?? 42);
  // Partial Fisher–Yates: the first `max` entries become a uniform sample.
  for (let n = 0; n < max; n++) {
    const j = n + rng.int(withTests.length - n);
    [withTests[n], withTests[j]] = [withTests[j]!, withTests[n]!];
  }
  return Int32Array.from(withTests.slice(0, max)).sort();
}
