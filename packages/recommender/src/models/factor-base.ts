import type { Artifact, Blob } from '../core/artifact.js';
import { blobAs } from '../core/artifact.js';
import { gram, matVec } from '../core/linalg.js';
import { solveImplicitExact } from '../core/implicit-solve.js';
import { createRng } from '../core/rng.js';
import { BaseRecommender, similarByVectors, vectorNorms } from './base.js';
import type { ScoredIndex } from './types.js';

export interface FoldInParams {
  /**
   * 'least-squares': the implicit least squares for the reader given the item vectors (the exact ALS
   * half-step). 'bpr': a few SGD epochs of the BPR loss on the reader vector alone, item vectors and
   * biases fixed (seeded, so a history always gives the same vector).
   */
  method: 'least-squares' | 'bpr';
  /** least-squares: confidence scale (c = 1 + alpha·w) and ridge term. */
  alpha: number;
  ridge: number;
  /** bpr: epochs over the history, learning rate, L2 on the reader vector. */
  epochs: number;
  learningRate: number;
  reg: number;
}

/**
 * Models that score with a reader vector against item vectors: score = V·u (+ item bias).
 * Fold-in computes u for a fresh history with the item side fixed (see FoldInParams).
 */
export abstract class FactorRecommender extends BaseRecommender {
  dim = 0;
  userFactors: Float32Array = new Float32Array(0);
  itemFactors: Float32Array = new Float32Array(0);
  itemBias: Float32Array | null = null;
  private itemNorms: Float32Array | null = null;
  private itemGram: Float64Array | null = null;

  protected abstract get foldInParams(): FoldInParams;

  protected override forgetUserState(row: number): void {
    this.userFactors.fill(0, row * this.dim, (row + 1) * this.dim);
  }

  protected scoreKnownUser(user: number): Float32Array {
    return this.scoreVector(this.userFactors.subarray(user * this.dim, (user + 1) * this.dim));
  }

  protected scoreHistory(history: { items: Int32Array; weights: Float32Array }): Float32Array {
    return this.scoreVector(this.foldIn(history));
  }

  /** Scores of every item for a reader vector. */
  scoreVector(u: Float32Array): Float32Array {
    return matVec(this.itemFactors, this.dim, u, this.itemBias ?? undefined);
  }

  /** A reader vector from a fresh history, without retraining. */
  foldIn(history: { items: Int32Array; weights: Float32Array }): Float32Array {
    const p = this.foldInParams;
    const u = new Float32Array(this.dim);
    if (history.items.length === 0) return u;
    if (p.method === 'bpr') return this.foldInBpr(history, p);
    this.itemGram ??= gram(this.itemFactors, this.dim);
    solveImplicitExact(
      this.itemFactors,
      this.dim,
      this.itemGram,
      history.items,
      history.weights,
      p.alpha,
      p.ridge,
      u,
      0,
    );
    return u;
  }

  private foldInBpr(history: { items: Int32Array; weights: Float32Array }, p: FoldInParams): Float32Array {
    const { dim, itemFactors: V, itemBias: B } = this;
    const nItems = this.numItems;
    const rng = createRng(42);
    const seen = new Set(history.items);
    // Positives are drawn in proportion to their weights.
    const cumulative = new Float64Array(history.items.length);
    let total = 0;
    for (let k = 0; k < history.items.length; k++) cumulative[k] = total += history.weights[k]!;
    const u = new Float32Array(dim);
    const n = history.items.length;
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      for (let s = 0; s < n; s++) {
        const r = rng.next() * total;
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > r) hi = mid;
          else lo = mid + 1;
        }
        const i = history.items[lo]!;
        let j = rng.int(nItems);
        for (let tries = 0; tries < 20 && seen.has(j); tries++) j = rng.int(nItems);
        if (seen.has(j)) continue;
        let x = B ? B[i]! - B[j]! : 0;
        for (let d = 0; d < dim; d++) x += u[d]! * (V[i * dim + d]! - V[j * dim + d]!);
        const g = 1 / (1 + Math.exp(x));
        for (let d = 0; d < dim; d++)
          u[d]! += p.learningRate * (g * (V[i * dim + d]! - V[j * dim + d]!) - p.reg * u[d]!);
      }
    }
    return u;
  }

  similarItems(item: number, k: number): ScoredIndex[] {
    if (item < 0 || item >= this.numItems) return [];
    this.itemNorms ??= vectorNorms(this.itemFactors, this.dim);
    return similarByVectors(this.itemFactors, this.dim, item, k, this.itemNorms);
  }

  itemSimilarity(a: number, b: number): number {
    if (a >= this.numItems || b >= this.numItems) return 0;
    this.itemNorms ??= vectorNorms(this.itemFactors, this.dim);
    const na = this.itemNorms[a]!;
    const nb = this.itemNorms[b]!;
    if (!(na > 0 && nb > 0)) return 0;
    let s = 0;
    for (let d = 0; d < this.dim; d++)
      s += this.itemFactors[a * this.dim + d]! * this.itemFactors[b * this.dim + d]!;
    return s / (na * nb);
  }

  /** Drops caches derived from the item vectors (after they change). */
  protected invalidateCaches(): void {
    this.itemNorms = null;
    this.itemGram = null;
  }

  protected factorBlobs(): Record<string, Blob> {
    const blobs: Record<string, Blob> = { userFactors: this.userFactors, itemFactors: this.itemFactors };
    if (this.itemBias) blobs.itemBias = this.itemBias;
    return blobs;
  }

  protected restoreFactors(a: Artifact): void {
    this.restoreBase(a);
    this.dim = (a.state as { dim: number }).dim;
    this.userFactors = blobAs(a, 'userFactors', Float32Array);
    this.itemFactors = blobAs(a, 'itemFactors', Float32Array);
    this.itemBias = a.blobs.itemBias instanceof Float32Array ? a.blobs.itemBias : null;
    this.invalidateCaches();
  }
}
