import type { Features } from './features.js';

/**
 * Sufficient statistics of a full-covariance Gaussian over feature frames: count, sum and sum of outer
 * products. Two speakers' stats add up to the stats of their union, so segments and clusters merge
 * without going back to the frames.
 */
export interface GaussianStats {
  n: number;
  dim: number;
  sum: Float64Array;
  /** dim × dim, row-major. */
  outer: Float64Array;
}

export function emptyStats(dim: number): GaussianStats {
  return { n: 0, dim, sum: new Float64Array(dim), outer: new Float64Array(dim * dim) };
}

/** Stats of frames [from, to) of `features` whose `keep` flag is set (all frames without one). */
export function statsOf(features: Features, from: number, to: number, keep?: Uint8Array): GaussianStats {
  const { dim, data } = features;
  const s = emptyStats(dim);
  for (let f = Math.max(0, from); f < Math.min(to, features.frames); f++) {
    if (keep && !keep[f]) continue;
    s.n++;
    const base = f * dim;
    for (let i = 0; i < dim; i++) {
      const x = data[base + i]!;
      s.sum[i] += x;
      const row = i * dim;
      for (let j = i; j < dim; j++) s.outer[row + j] += x * data[base + j]!;
    }
  }
  mirror(s);
  return s;
}

function mirror(s: GaussianStats): void {
  for (let i = 0; i < s.dim; i++)
    for (let j = 0; j < i; j++) s.outer[i * s.dim + j] = s.outer[j * s.dim + i]!;
}

export function addStats(a: GaussianStats, b: GaussianStats): GaussianStats {
  const out = emptyStats(a.dim);
  out.n = a.n + b.n;
  for (let i = 0; i < a.dim; i++) out.sum[i] = a.sum[i]! + b.sum[i]!;
  for (let i = 0; i < a.outer.length; i++) out.outer[i] = a.outer[i]! + b.outer[i]!;
  return out;
}

export function mean(s: GaussianStats): Float64Array {
  return s.sum.map((x) => x / Math.max(1, s.n));
}

/** Covariance with a small ridge (a share of each variance) so short stretches stay invertible. */
export function covariance(s: GaussianStats, ridge = 1e-3): Float64Array {
  const d = s.dim;
  const m = mean(s);
  const c = new Float64Array(d * d);
  const n = Math.max(1, s.n);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) c[i * d + j] = s.outer[i * d + j]! / n - m[i]! * m[j]!;
  for (let i = 0; i < d; i++) c[i * d + i] = c[i * d + i]! * (1 + ridge) + 1e-6;
  return c;
}

/** log |Σ| by Cholesky; -Infinity guards never trigger thanks to the ridge, but a failed pivot is floored. */
export function logDet(c: Float64Array, d: number): number {
  const l = Float64Array.from(c);
  let sum = 0;
  for (let j = 0; j < d; j++) {
    let diag = l[j * d + j]!;
    for (let k = 0; k < j; k++) diag -= l[j * d + k]! ** 2;
    diag = Math.max(diag, 1e-12);
    const root = Math.sqrt(diag);
    l[j * d + j] = root;
    sum += Math.log(diag);
    for (let i = j + 1; i < d; i++) {
      let v = l[i * d + j]!;
      for (let k = 0; k < j; k++) v -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = v / root;
    }
  }
  return sum;
}

export function logDetOf(s: GaussianStats): number {
  return logDet(covariance(s), s.dim);
}

/**
 * The generalised likelihood ratio of "two speakers" over "one speaker" for two stretches, per frame:
 * ½[(n₁+n₂)·log|Σ₁₂| − n₁·log|Σ₁| − n₂·log|Σ₂|] / (n₁+n₂). 0 for identical stretches, growing as the
 * two voices differ; dividing by the frames makes long and short stretches comparable.
 */
export function glrPerFrame(a: GaussianStats, b: GaussianStats, cache?: { a?: number; b?: number }): number {
  const n = a.n + b.n;
  if (a.n === 0 || b.n === 0) return 0;
  const la = cache?.a ?? logDetOf(a);
  const lb = cache?.b ?? logDetOf(b);
  return (0.5 * (n * logDetOf(addStats(a, b)) - a.n * la - b.n * lb)) / n;
}

/**
 * ΔBIC of a change between two stretches (Chen & Gopalakrishnan): positive when two Gaussians explain
 * the frames better than one by more than λ times the cost of the extra parameters.
 */
export function deltaBic(a: GaussianStats, b: GaussianStats, lambda: number): number {
  const n = a.n + b.n;
  const d = a.dim;
  const params = d + (d * (d + 1)) / 2;
  return glrPerFrame(a, b) * n - lambda * 0.5 * params * Math.log(n);
}
