import { dot } from './linalg.js';
import { choleskySolve } from './linalg.js';

/**
 * Implicit-feedback least squares for one row (Hu, Koren & Volinsky 2008): preference 1 on the
 * observed items with confidence 1 + alpha·w, preference 0 with confidence 1 everywhere else:
 *   x = (YᵀY + Σ (c−1) y yᵀ + reg·I)⁻¹ Σ c y
 * `yty` is YᵀY (without reg). Exact, by Cholesky: O(n·d² + d³).
 */
export function solveImplicitExact(
  Y: Float32Array,
  dim: number,
  yty: Float64Array,
  items: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  alpha: number,
  reg: number,
  out: Float32Array,
  outOff: number,
): void {
  const A = Float64Array.from(yty);
  const b = new Float64Array(dim);
  for (let d = 0; d < dim; d++) A[d * dim + d]! += reg;
  for (let k = 0; k < items.length; k++) {
    const off = items[k]! * dim;
    const c = 1 + alpha * (weights ? weights[k]! : 1);
    const cm1 = c - 1;
    for (let a = 0; a < dim; a++) {
      const ya = Y[off + a]!;
      b[a]! += c * ya;
      const f = cm1 * ya;
      if (f === 0) continue;
      const row = a * dim;
      for (let bb = a; bb < dim; bb++) A[row + bb]! += f * Y[off + bb]!;
    }
  }
  for (let a = 0; a < dim; a++) for (let bb = 0; bb < a; bb++) A[a * dim + bb] = A[bb * dim + a]!;
  const x = new Float64Array(dim);
  choleskySolve(A, b, dim, x);
  for (let d = 0; d < dim; d++) out[outOff + d] = x[d]!;
}

/**
 * The same problem solved approximately by a few conjugate-gradient steps, warm-started from the
 * current value of out[outOff..] (Takács et al. 2011). O(steps·(d² + n·d)). `ytyReg` includes reg·I.
 */
export function solveImplicitCg(
  Y: Float32Array,
  dim: number,
  ytyReg: Float64Array,
  items: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  alpha: number,
  steps: number,
  out: Float32Array,
  outOff: number,
  scratch: { r: Float64Array; p: Float64Array; ap: Float64Array; x: Float32Array },
): void {
  const { r, p, ap, x } = scratch;
  for (let d = 0; d < dim; d++) x[d] = out[outOff + d]!;
  // r = b − A x
  for (let a = 0; a < dim; a++) {
    let s = 0;
    const row = a * dim;
    for (let bb = 0; bb < dim; bb++) s += ytyReg[row + bb]! * x[bb]!;
    r[a] = -s;
  }
  for (let k = 0; k < items.length; k++) {
    const off = items[k]! * dim;
    const c = 1 + alpha * (weights ? weights[k]! : 1);
    const f = c - (c - 1) * dot(Y, off, x, 0, dim);
    for (let d = 0; d < dim; d++) r[d]! += f * Y[off + d]!;
  }
  let rsOld = 0;
  for (let d = 0; d < dim; d++) {
    p[d] = r[d]!;
    rsOld += r[d]! * r[d]!;
  }
  for (let step = 0; step < steps && rsOld > 1e-20; step++) {
    for (let a = 0; a < dim; a++) {
      let s = 0;
      const row = a * dim;
      for (let bb = 0; bb < dim; bb++) s += ytyReg[row + bb]! * p[bb]!;
      ap[a] = s;
    }
    for (let k = 0; k < items.length; k++) {
      const off = items[k]! * dim;
      const cm1 = alpha * (weights ? weights[k]! : 1);
      let yp = 0;
      for (let d = 0; d < dim; d++) yp += Y[off + d]! * p[d]!;
      const f = cm1 * yp;
      for (let d = 0; d < dim; d++) ap[d]! += f * Y[off + d]!;
    }
    let pAp = 0;
    for (let d = 0; d < dim; d++) pAp += p[d]! * ap[d]!;
    if (!(pAp > 0)) break;
    const step_ = rsOld / pAp;
    let rsNew = 0;
    for (let d = 0; d < dim; d++) {
      x[d]! += step_ * p[d]!;
      r[d]! -= step_ * ap[d]!;
      rsNew += r[d]! * r[d]!;
    }
    const beta = rsNew / rsOld;
    for (let d = 0; d < dim; d++) p[d] = r[d]! + beta * p[d]!;
    rsOld = rsNew;
  }
  for (let d = 0; d < dim; d++) out[outOff + d] = x[d]!;
}

export function cgScratch(dim: number) {
  return {
    r: new Float64Array(dim),
    p: new Float64Array(dim),
    ap: new Float64Array(dim),
    x: new Float32Array(dim),
  };
}
