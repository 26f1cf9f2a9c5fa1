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
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
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
      const rk = k * n;
      for (let j = 0; j <= k; j++) U[ri + j]! -= l * U[rk + j]!;
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
      const ri = i * n;
      for (let j = 0; j <= i; j++) P[ri + j]! += u * U[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) P[j * n + i] = P[i * n + j]!;
  return P;
}
