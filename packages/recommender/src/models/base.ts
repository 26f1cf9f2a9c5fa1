import { emptyCsr, withoutRows, type Csr } from '../core/csr.js';
import { topK } from '../core/topk.js';
import type { Artifact, Blob } from '../core/artifact.js';
import type { TrainingSet } from '../interactions.js';
import type {
  Algorithm,
  FitOptions,
  FitReport,
  FoldInHistory,
  ModelMetadata,
  Recommender,
  ScoredIndex,
  UserQuery,
} from './types.js';

/** Positive part of a fold-in history: items with weight > 0 (default weight 1). */
export function positivePart(history: FoldInHistory): { items: Int32Array; weights: Float32Array } {
  const items: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < history.items.length; k++) {
    const w = history.weights ? history.weights[k]! : 1;
    if (w > 0) {
      items.push(history.items[k]!);
      weights.push(w);
    }
  }
  return { items: Int32Array.from(items), weights: Float32Array.from(weights) };
}

/**
 * Shared bookkeeping of every model: id maps, the training histories (for exclusion, explanations and
 * history-based scoring), metadata and the common part of the artifact.
 */
export abstract class BaseRecommender implements Recommender {
  userIds: string[] = [];
  itemIds: string[] = [];
  protected history: Csr = emptyCsr(0, 0);
  protected negatives: Csr = emptyCsr(0, 0);
  fitted = false;

  protected constructor(
    readonly algorithm: Algorithm,
    readonly version: string,
  ) {}

  abstract get params(): Record<string, unknown>;

  get metadata(): ModelMetadata {
    return { algorithm: this.algorithm, version: this.version, params: this.params };
  }

  async fit(data: TrainingSet, options: FitOptions = {}): Promise<FitReport> {
    const t0 = performance.now();
    this.userIds = data.userIds.slice();
    this.itemIds = data.itemIds.slice();
    this.history = data.positives;
    this.negatives = data.negatives;
    const { epochs, loss } = await this.fitModel(data, options);
    this.fitted = true;
    return { epochs, loss, seconds: (performance.now() - t0) / 1000 };
  }

  protected abstract fitModel(
    data: TrainingSet,
    options: FitOptions,
  ): Promise<{ epochs: number; loss: number }>;

  scoreUser(user: UserQuery): Float32Array {
    this.assertFitted();
    if (typeof user === 'number') {
      if (!Number.isInteger(user) || user < 0 || user >= this.userIds.length) {
        throw new RangeError(`Unknown reader index ${user}; use a fold-in history or cold start`);
      }
      return this.scoreKnownUser(user);
    }
    return this.scoreHistory(positivePart(user));
  }

  protected abstract scoreKnownUser(user: number): Float32Array;

  /** A trained reader's positive history, as `scoreHistory` takes it (for history-based models). */
  protected trainedHistory(user: number): { items: Int32Array; weights: Float32Array } {
    const h = this.history;
    const [from, to] = [h.indptr[user]!, h.indptr[user + 1]!];
    return { items: h.indices.subarray(from, to), weights: h.values.subarray(from, to) };
  }
  protected abstract scoreHistory(history: { items: Int32Array; weights: Float32Array }): Float32Array;

  abstract similarItems(item: number, k: number): ScoredIndex[];
  abstract itemSimilarity(a: number, b: number): number;

  userHistory(user: number): FoldInHistory {
    const items: number[] = [];
    const weights: number[] = [];
    for (const [m, sign] of [
      [this.history, 1],
      [this.negatives, -1],
    ] as const) {
      if (user >= m.rows) continue;
      for (let p = m.indptr[user]!; p < m.indptr[user + 1]!; p++) {
        items.push(m.indices[p]!);
        weights.push(sign * m.values[p]!);
      }
    }
    return { items, weights };
  }

  get numItems(): number {
    return this.itemIds.length;
  }

  forgetUsers(userIds: Iterable<string>): number {
    const wanted = new Set(userIds);
    const rows: number[] = [];
    this.userIds.forEach((id, r) => {
      if (wanted.has(id)) rows.push(r);
    });
    for (const r of rows) {
      this.userIds[r] = '';
      this.forgetUserState(r);
    }
    if (rows.length) {
      this.history = withoutRows(this.history, rows);
      this.negatives = withoutRows(this.negatives, rows);
    }
    return rows.length;
  }

  /** Per-reader state of a model family (a learned vector) to clear on erasure. */
  protected forgetUserState(_row: number): void {}

  protected assertFitted(): void {
    if (!this.fitted) throw new Error(`${this.algorithm} model is not fitted`);
  }

  /** Common artifact content; subclasses add their own state and blobs. */
  protected baseArtifact(): { state: Record<string, unknown>; blobs: Record<string, Blob> } {
    return {
      state: {
        userIds: this.userIds,
        itemIds: this.itemIds,
        rows: this.history.rows,
        cols: this.history.cols,
      },
      blobs: {
        histIndptr: this.history.indptr,
        histIndices: this.history.indices,
        histValues: this.history.values,
        negIndptr: this.negatives.indptr,
        negIndices: this.negatives.indices,
        negValues: this.negatives.values,
      },
    };
  }

  protected restoreBase(a: Artifact): void {
    const s = a.state as { userIds: string[]; itemIds: string[]; rows: number; cols: number };
    this.userIds = s.userIds;
    this.itemIds = s.itemIds;
    this.history = {
      rows: s.rows,
      cols: s.cols,
      indptr: a.blobs.histIndptr as Int32Array,
      indices: a.blobs.histIndices as Int32Array,
      values: a.blobs.histValues as Float32Array,
    };
    this.negatives = {
      rows: s.rows,
      cols: s.cols,
      indptr: a.blobs.negIndptr as Int32Array,
      indices: a.blobs.negIndices as Int32Array,
      values: a.blobs.negValues as Float32Array,
    };
    this.fitted = true;
  }

  abstract serialize(): Buffer;
}

/** Item–item similarities from item vectors (cosine), shared by the factor models. */
export function similarByVectors(
  vectors: Float32Array,
  dim: number,
  item: number,
  k: number,
  norms: Float32Array,
): ScoredIndex[] {
  const n = norms.length;
  const scores = new Float32Array(n);
  const off = item * dim;
  const ni = norms[item]!;
  for (let j = 0; j < n; j++) {
    if (j === item) {
      scores[j] = -Infinity;
      continue;
    }
    let s = 0;
    const oj = j * dim;
    for (let d = 0; d < dim; d++) s += vectors[off + d]! * vectors[oj + d]!;
    const den = ni * norms[j]!;
    scores[j] = den > 0 ? s / den : 0;
  }
  return topIndices(scores, k);
}

export function vectorNorms(vectors: Float32Array, dim: number): Float32Array {
  const n = Math.floor(vectors.length / dim);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[i * dim + d]! ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

export function topIndices(scores: Float32Array, k: number, exclude?: (i: number) => boolean): ScoredIndex[] {
  const t = topK(scores, k, exclude);
  return Array.from(t.indices, (index, r) => ({ index, score: t.scores[r]! }));
}
