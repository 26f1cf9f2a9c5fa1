import { blobAs, expectAlgorithm, readArtifact, writeArtifact } from '../core/artifact.js';
import { transpose, type Csr } from '../core/csr.js';
import { topK } from '../core/topk.js';
import type { TrainingSet } from '../interactions.js';
import { BaseRecommender } from './base.js';
import { throwIfAborted, type FitOptions, type ScoredIndex } from './types.js';

export interface ItemKnnParams {
  /** Neighbours kept per item. Default 200. */
  neighbors?: number;
  /** Shrinkage added to the cosine denominator (damps pairs seen together only a few times). Default 0. */
  shrink?: number;
  /** Use interaction weights (true) or presence only (false). Default true. */
  weighted?: boolean;
}

/**
 * Item-based k-nearest neighbours on the co-occurrence matrix with cosine similarity:
 *   sim(i, j) = Σᵤ wᵤᵢ wᵤⱼ / (‖wᵢ‖ ‖wⱼ‖ + shrink),  score(u, j) = Σ_{i ∈ history(u)} wᵤᵢ sim(i, j).
 * Neighbours are kept sparse (top-N per item), so memory is O(items × N).
 */
export class ItemKnnRecommender extends BaseRecommender {
  static readonly VERSION = '1';
  /** item × item, top-N neighbours per row, sorted by index. */
  sims: Csr = {
    rows: 0,
    cols: 0,
    indptr: new Int32Array(1),
    indices: new Int32Array(0),
    values: new Float32Array(0),
  };

  constructor(readonly options: ItemKnnParams = {}) {
    super('item-knn', ItemKnnRecommender.VERSION);
  }

  get params(): Record<string, unknown> {
    return {
      neighbors: this.options.neighbors ?? 200,
      shrink: this.options.shrink ?? 0,
      weighted: this.options.weighted ?? true,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const { neighbors, shrink, weighted } = this.params as {
      neighbors: number;
      shrink: number;
      weighted: boolean;
    };
    const ui = data.positives;
    const iu = transpose(ui);
    const nItems = ui.cols;
    const w = (v: number) => (weighted ? v : 1);
    const norms = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let p = iu.indptr[i]!; p < iu.indptr[i + 1]!; p++) s += w(iu.values[p]!) ** 2;
      norms[i] = Math.sqrt(s);
    }
    const acc = new Float64Array(nItems);
    const row = new Float32Array(nItems);
    const touched = new Int32Array(nItems);
    const indptr = new Int32Array(nItems + 1);
    const outIdx: number[] = [];
    const outVal: number[] = [];
    for (let i = 0; i < nItems; i++) {
      if (i % 256 === 0) throwIfAborted(options.signal);
      let nTouched = 0;
      for (let p = iu.indptr[i]!; p < iu.indptr[i + 1]!; p++) {
        const u = iu.indices[p]!;
        const wi = w(iu.values[p]!);
        for (let q = ui.indptr[u]!; q < ui.indptr[u + 1]!; q++) {
          const j = ui.indices[q]!;
          if (j === i) continue;
          if (acc[j] === 0) touched[nTouched++] = j;
          acc[j]! += wi * w(ui.values[q]!);
        }
      }
      const keep: { j: number; s: number }[] = [];
      if (nTouched > 0) {
        row.fill(-Infinity, 0, nTouched);
        for (let t = 0; t < nTouched; t++) {
          const j = touched[t]!;
          row[t] = acc[j]! / (norms[i]! * norms[j]! + shrink);
        }
        const best = topK(row.subarray(0, nTouched), neighbors);
        for (let r = 0; r < best.indices.length; r++)
          keep.push({ j: touched[best.indices[r]!]!, s: best.scores[r]! });
        keep.sort((a, b) => a.j - b.j);
        for (let t = 0; t < nTouched; t++) acc[touched[t]!] = 0;
      }
      for (const { j, s } of keep) {
        outIdx.push(j);
        outVal.push(s);
      }
      indptr[i + 1] = outIdx.length;
    }
    this.sims = {
      rows: nItems,
      cols: nItems,
      indptr,
      indices: Int32Array.from(outIdx),
      values: Float32Array.from(outVal),
    };
    options.onProgress?.({ epoch: 1, epochs: 1, loss: Number.NaN });
    return { epochs: 1, loss: Number.NaN };
  }

  protected scoreKnownUser(user: number): Float32Array {
    return this.scoreHistory(this.trainedHistory(user));
  }

  protected scoreHistory(history: { items: Int32Array; weights: Float32Array }): Float32Array {
    const weighted = this.params.weighted as boolean;
    const scores = new Float32Array(this.numItems);
    const s = this.sims;
    for (let k = 0; k < history.items.length; k++) {
      const i = history.items[k]!;
      if (i >= s.rows) continue;
      const wi = weighted ? history.weights[k]! : 1;
      for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) scores[s.indices[p]!]! += wi * s.values[p]!;
    }
    return scores;
  }

  similarItems(item: number, k: number): ScoredIndex[] {
    const s = this.sims;
    if (item >= s.rows) return [];
    const start = s.indptr[item]!;
    const best = topK(s.values.subarray(start, s.indptr[item + 1]!), k);
    return Array.from(best.indices, (r, n) => ({ index: s.indices[start + r]!, score: best.scores[n]! }));
  }

  itemSimilarity(a: number, b: number): number {
    const s = this.sims;
    if (a >= s.rows) return 0;
    let lo = s.indptr[a]!;
    let hi = s.indptr[a + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = s.indices[mid]!;
      if (v === b) return s.values[mid]!;
      if (v < b) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: base.state,
      blobs: {
        ...base.blobs,
        simIndptr: this.sims.indptr,
        simIndices: this.sims.indices,
        simValues: this.sims.values,
      },
    });
  }

  static deserialize(buf: Buffer): ItemKnnRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'item-knn');
    const m = new ItemKnnRecommender(a.params as ItemKnnParams);
    m.restoreBase(a);
    const n = m.itemIds.length;
    m.sims = {
      rows: n,
      cols: n,
      indptr: blobAs(a, 'simIndptr', Int32Array),
      indices: blobAs(a, 'simIndices', Int32Array),
      values: blobAs(a, 'simValues', Float32Array),
    };
    return m;
  }
}
