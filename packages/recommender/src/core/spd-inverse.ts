/**
 * Inverse of a symmetric positive-definite matrix (row-major, n × n, Float64), in place of a copy:
 * Cholesky A = L Lᵀ, U = L⁻¹ row by row, A⁻¹ = Uᵀ U. Every inner loop runs along rows, about
 * 2n³/3 multiply-adds. `onRow` is called every 64 rows of each phase (for progress and abort checks).
 */
export function invertSpd(
  a: Float64Array,
  n: number,
  onRow?: (phase: number, row: number) => void,
): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (onRow && i % 64 === 0) onRow(0, i);
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = a[ri + j]! - dot(L, ri, rj, j);
      if (i === j) {
        if (!(s > 0)) throw new Error('Matrix is not positive definite (raise the regularisation)');
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  // U = L⁻¹: row i = (e_i − Σ_{k<i} L[i][k] · U row k) / L[i][i].
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (onRow && i % 64 === 0) onRow(1, i);
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      axpy(U, ri, -l, k * n, k + 1);
    }
    const d = L[ri + i]!;
    for (let j = 0; j < i; j++) U[ri + j]! /= d;
    U[ri + i] = 1 / d;
  }
  // A⁻¹ = Uᵀ U = Σ_k (U row k)ᵀ (U row k); lower triangle, then mirrored.
  const P = L.fill(0);
  for (let k = 0; k < n; k++) {
    if (onRow && k % 64 === 0) onRow(2, k);
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const u = U[rk + i]!;
      if (u === 0) continue;
      axpy(P, i * n, u, rk, i + 1, U);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) P[j * n + i] = P[i * n + j]!;
  return P;
}

/** Σ_{k<len} m[a+k]·m[b+k], four accumulators (the hot loop of the factorisation). */
function dot(m: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += m[a + k]! * m[b + k]!;
    s1 += m[a + k + 1]! * m[b + k + 1]!;
    s2 += m[a + k + 2]! * m[b + k + 2]!;
    s3 += m[a + k + 3]! * m[b + k + 3]!;
  }
  for (; k < len; k++) s0 += m[a + k]! * m[b + k]!;
  return s0 + s1 + s2 + s3;
}

/** y[yOff..yOff+len) += alpha · x[xOff..xOff+len), x and y may be the same array (disjoint rows). */
function axpy(
  y: Float64Array,
  yOff: number,
  alpha: number,
  xOff: number,
  len: number,
  x: Float64Array = y,
): void {
  let k = 0;
  for (; k + 3 < len; k += 4) {
    y[yOff + k]! += alpha * x[xOff + k]!;
    y[yOff + k + 1]! += alpha * x[xOff + k + 1]!;
    y[yOff + k + 2]! += alpha * x[xOff + k + 2]!;
    y[yOff + k + 3]! += alpha * x[xOff + k + 3]!;
  }
  for (; k < len; k++) y[yOff + k]! += alpha * x[xOff + k]!;
}
