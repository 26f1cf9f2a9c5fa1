import { blobAs, expectAlgorithm, readArtifact, writeArtifact } from '../core/artifact.js';
import { transpose } from '../core/csr.js';
import { invertSpd } from '../core/spd-inverse.js';
import type { TrainingSet } from '../interactions.js';
import { BaseRecommender, topIndices } from './base.js';
import { throwIfAborted, type FitOptions, type ScoredIndex } from './types.js';

export interface EaseParams {
  /** L2 regularisation λ added to the Gram matrix's diagonal. Default 500 (chosen on a validation split of ML-100k). */
  lambda?: number;
  /** Use interaction weights (true) or presence only (false). Default false. */
  weighted?: boolean;
  /**
   * The model is dense (items × items): only the most-read `maxItems` items take part; the others
   * score 0 and are left to the other models of a blend. Default 2500 (fit time grows with its cube).
   */
  maxItems?: number;
}

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders", 2019): a closed-form item–item model.
 * With G = XᵀX + λI and P = G⁻¹, the weights are B = I − P · diag(1/diag(P)) (zero diagonal), and a
 * reader's scores are x · B for their history x. Fold-in is exact: no reader state is learned.
 */
export class EaseRecommender extends BaseRecommender {
  static readonly VERSION = '1';
  /** Model item index of each dense row (the most-read items), and the dense weights (rows × rows). */
  dense = new Int32Array(0);
  weights = new Float32Array(0);
  /** Model item index → dense row, −1 when the item is outside the dense part. */
  private rowOf = new Int32Array(0);
  /** Largest weight of each dense row (explanations scale similarities by it). */
  private rowMax = new Float32Array(0);

  constructor(readonly options: EaseParams = {}) {
    super('ease', EaseRecommender.VERSION);
  }

  get params(): Record<string, unknown> {
    return {
      lambda: this.options.lambda ?? 500,
      weighted: this.options.weighted ?? false,
      maxItems: this.options.maxItems ?? 2500,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const { lambda, weighted, maxItems } = this.params as {
      lambda: number;
      weighted: boolean;
      maxItems: number;
    };
    if (!(lambda > 0)) throw new RangeError('EASE lambda must be positive, e.g. 500');
    const ui = data.positives;
    const iu = transpose(ui);
    const counts = Int32Array.from({ length: ui.cols }, (_, i) => iu.indptr[i + 1]! - iu.indptr[i]!);
    const order = Array.from({ length: ui.cols }, (_, i) => i)
      .filter((i) => counts[i]! > 0)
      .sort((a, b) => counts[b]! - counts[a]! || a - b)
      .slice(0, Math.max(1, Math.floor(maxItems)));
    order.sort((a, b) => a - b);
    const n = order.length;
    const rowOf = new Int32Array(ui.cols).fill(-1);
    order.forEach((i, r) => (rowOf[i] = r));

    // G = XᵀX over the dense items, + λ on the diagonal.
    const G = new Float64Array(n * n);
    const rows: number[] = [];
    const vals: number[] = [];
    for (let u = 0; u < ui.rows; u++) {
      if (u % 512 === 0) throwIfAborted(options.signal);
      rows.length = 0;
      vals.length = 0;
      for (let p = ui.indptr[u]!; p < ui.indptr[u + 1]!; p++) {
        const r = rowOf[ui.indices[p]!]!;
        if (r < 0) continue;
        rows.push(r);
        vals.push(weighted ? ui.values[p]! : 1);
      }
      for (let a = 0; a < rows.length; a++) {
        const ra = rows[a]! * n;
        const va = vals[a]!;
        for (let b = 0; b < rows.length; b++) G[ra + rows[b]!]! += va * vals[b]!;
      }
    }
    for (let r = 0; r < n; r++) G[r * n + r]! += lambda;

    const P = invertSpd(G, n, (phase, row) => {
      throwIfAborted(options.signal);
      options.onProgress?.({ epoch: phase + row / n, epochs: 3, loss: Number.NaN });
    });
    const B = new Float32Array(n * n);
    const rowMax = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const w = -P[i * n + j]! / P[j * n + j]!;
        B[i * n + j] = w;
        if (w > rowMax[i]!) rowMax[i] = w;
      }
    }
    this.dense = Int32Array.from(order);
    this.weights = B;
    this.rowOf = rowOf;
    this.rowMax = rowMax;
    options.onProgress?.({ epoch: 3, epochs: 3, loss: Number.NaN });
    return { epochs: 3, loss: Number.NaN };
  }

  protected scoreKnownUser(user: number): Float32Array {
    return this.scoreHistory(this.trainedHistory(user));
  }

  protected scoreHistory(history: { items: Int32Array; weights: Float32Array }): Float32Array {
    const weighted = this.params.weighted as boolean;
    const n = this.dense.length;
    const acc = new Float32Array(n);
    for (let k = 0; k < history.items.length; k++) {
      const i = history.items[k]!;
      const r = i < this.rowOf.length ? this.rowOf[i]! : -1;
      if (r < 0) continue;
      const w = weighted ? history.weights[k]! : 1;
      const off = r * n;
      for (let j = 0; j < n; j++) acc[j]! += w * this.weights[off + j]!;
    }
    const scores = new Float32Array(this.numItems);
    for (let r = 0; r < n; r++) scores[this.dense[r]!] = acc[r]!;
    return scores;
  }

  similarItems(item: number, k: number): ScoredIndex[] {
    const r = item < this.rowOf.length ? this.rowOf[item]! : -1;
    if (r < 0) return [];
    const n = this.dense.length;
    const row = this.weights.subarray(r * n, (r + 1) * n);
    return topIndices(row, k, (j) => j === r || !(row[j]! > 0)).map(({ index, score }) => ({
      index: this.dense[index]!,
      score,
    }));
  }

  /** B[a][b] scaled by the largest weight of row a, so 1 = a's strongest neighbour. */
  itemSimilarity(a: number, b: number): number {
    const ra = a < this.rowOf.length ? this.rowOf[a]! : -1;
    const rb = b < this.rowOf.length ? this.rowOf[b]! : -1;
    if (ra < 0 || rb < 0 || !(this.rowMax[ra]! > 0)) return 0;
    return Math.max(0, this.weights[ra * this.dense.length + rb]! / this.rowMax[ra]!);
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: base.state,
      blobs: { ...base.blobs, dense: this.dense, weights: this.weights },
    });
  }

  static deserialize(buf: Buffer): EaseRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'ease');
    const m = new EaseRecommender(a.params as EaseParams);
    m.restoreBase(a);
    m.dense = blobAs(a, 'dense', Int32Array);
    m.weights = blobAs(a, 'weights', Float32Array);
    const n = m.dense.length;
    m.rowOf = new Int32Array(m.itemIds.length).fill(-1);
    m.dense.forEach((i, r) => (m.rowOf[i] = r));
    m.rowMax = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      let max = 0;
      for (let j = 0; j < n; j++) if (m.weights[r * n + j]! > max) max = m.weights[r * n + j]!;
      m.rowMax[r] = max;
    }
    return m;
  }
}
