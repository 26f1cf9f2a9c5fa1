import { randomNormalArray, type Rng } from '../core/rng.js';

/**
 * An embedding table kept in JavaScript and trained with lazy (sparse) Adam: only the rows a batch
 * touches are read and updated. tfjs sees the gathered rows as plain inputs, so the model never needs
 * the gradient of tf.gather and never runs a dense optimizer step over the whole table.
 */
export class SparseTable {
  readonly data: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly grad: Float32Array;
  private readonly touched: Int32Array;
  private readonly isTouched: Uint8Array;
  private nTouched = 0;

  constructor(
    readonly rows: number,
    readonly width: number,
    init: { std: number; rng: Rng } | 'zeros',
  ) {
    this.data =
      init === 'zeros' ? new Float32Array(rows * width) : randomNormalArray(rows * width, init.std, init.rng);
    this.m = new Float32Array(rows * width);
    this.v = new Float32Array(rows * width);
    this.grad = new Float32Array(rows * width);
    this.touched = new Int32Array(rows);
    this.isTouched = new Uint8Array(rows);
  }

  /** Rows `ids` stacked: [ids.length, width]. */
  gather(ids: Int32Array): Float32Array {
    const w = this.width;
    const out = new Float32Array(ids.length * w);
    for (let n = 0; n < ids.length; n++) out.set(this.data.subarray(ids[n]! * w, ids[n]! * w + w), n * w);
    return out;
  }

  /** Weighted bags: out[n] = Σ_s weights[n·slots + s] · row(ids[n·slots + s]). */
  bag(ids: Int32Array, weights: Float32Array, slots: number): Float32Array {
    const w = this.width;
    const n = ids.length / slots;
    const out = new Float32Array(n * w);
    for (let r = 0; r < n; r++) {
      for (let s = 0; s < slots; s++) {
        const wt = weights[r * slots + s]!;
        if (wt === 0) continue;
        const from = ids[r * slots + s]! * w;
        for (let d = 0; d < w; d++) out[r * w + d]! += wt * this.data[from + d]!;
      }
    }
    return out;
  }

  /** Adds the gradient of gathered rows (duplicates add up). */
  accumulate(ids: Int32Array, grad: Float32Array): void {
    const w = this.width;
    for (let n = 0; n < ids.length; n++) {
      const to = this.touch(ids[n]!);
      for (let d = 0; d < w; d++) this.grad[to + d]! += grad[n * w + d]!;
    }
  }

  /** Adds the gradient of bags: each slot's row gets weight × the bag's gradient. */
  accumulateBag(ids: Int32Array, weights: Float32Array, slots: number, grad: Float32Array): void {
    const w = this.width;
    const n = ids.length / slots;
    for (let r = 0; r < n; r++) {
      for (let s = 0; s < slots; s++) {
        const wt = weights[r * slots + s]!;
        if (wt === 0) continue;
        const to = this.touch(ids[r * slots + s]!);
        for (let d = 0; d < w; d++) this.grad[to + d]! += wt * grad[r * w + d]!;
      }
    }
  }

  private touch(row: number): number {
    if (!this.isTouched[row]) {
      this.isTouched[row] = 1;
      this.touched[this.nTouched++] = row;
    }
    return row * this.width;
  }

  /** One Adam step (step ≥ 1) on the touched rows, then clears the gradient. */
  applyAdam(lr: number, step: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-7): void {
    const w = this.width;
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    const alpha = (lr * Math.sqrt(c2)) / c1;
    for (let t = 0; t < this.nTouched; t++) {
      const row = this.touched[t]!;
      this.isTouched[row] = 0;
      for (let k = row * w; k < row * w + w; k++) {
        const g = this.grad[k]!;
        this.grad[k] = 0;
        const m = (this.m[k] = beta1 * this.m[k]! + (1 - beta1) * g);
        const v = (this.v[k] = beta2 * this.v[k]! + (1 - beta2) * g * g);
        this.data[k]! -= (alpha * m) / (Math.sqrt(v) + eps);
      }
    }
    this.nTouched = 0;
  }
}
