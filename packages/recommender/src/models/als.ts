import { expectAlgorithm, readArtifact, writeArtifact } from '../core/artifact.js';
import { transpose, type Csr } from '../core/csr.js';
import { cgScratch, solveImplicitCg, solveImplicitExact } from '../core/implicit-solve.js';
import { dot, gram } from '../core/linalg.js';
import { createRng, randomNormalArray } from '../core/rng.js';
import type { TrainingSet } from '../interactions.js';
import { FactorRecommender, type FoldInParams } from './factor-base.js';
import { throwIfAborted, type FitOptions } from './types.js';

export interface AlsParams {
  factors?: number;
  iterations?: number;
  /** Ridge term (absolute, as in the implicit library). */
  reg?: number;
  /** Confidence c = 1 + alpha × weight / (mean positive weight): alpha does not depend on the weights' unit. */
  alpha?: number;
  /** 'cg': a few warm-started conjugate-gradient steps per row (fast); 'exact': Cholesky. */
  solver?: 'cg' | 'exact';
  cgSteps?: number;
  seed?: number;
}

const DEFAULTS: Required<AlsParams> = {
  factors: 64,
  iterations: 10,
  reg: 60,
  alpha: 10,
  solver: 'cg',
  cgSteps: 3,
  seed: 42,
};

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): alternately solves the weighted least squares
 * for all reader vectors, then all item vectors. Fold-in is exactly the reader half-step.
 */
export class AlsRecommender extends FactorRecommender {
  static readonly VERSION = '2';
  readonly settings: Required<AlsParams>;
  /**
   * Mean positive weight of the training data: confidences use alpha / weightScale, so a data set
   * whose weights are star ratings (1–5) or decayed fractions trains like one of unit weights.
   * (Version 1 artifacts: 1.)
   */
  weightScale = 1;

  constructor(params: AlsParams = {}) {
    super('als', AlsRecommender.VERSION);
    this.settings = { ...DEFAULTS, ...params };
  }

  get params(): Record<string, unknown> {
    return { ...this.settings };
  }

  protected get foldInParams(): FoldInParams {
    const s = this.settings;
    return {
      method: 'least-squares',
      alpha: s.alpha / this.weightScale,
      ridge: s.reg,
      epochs: 0,
      learningRate: 0,
      reg: 0,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const { factors: dim, iterations, reg, solver, cgSteps, seed } = this.settings;
    const rng = createRng(seed);
    const ui = data.positives;
    let sum = 0;
    for (let p = 0; p < ui.values.length; p++) sum += ui.values[p]!;
    this.weightScale = ui.values.length && sum > 0 ? sum / ui.values.length : 1;
    const alpha = this.settings.alpha / this.weightScale;
    const iu = transpose(ui);
    const U = randomNormalArray(ui.rows * dim, 0.01, rng);
    const V = randomNormalArray(ui.cols * dim, 0.01, rng);
    let loss = Number.NaN;
    for (let it = 1; it <= iterations; it++) {
      throwIfAborted(options.signal);
      this.solveSide(U, V, ui, dim, alpha, reg, solver, cgSteps);
      await new Promise((r) => setImmediate(r));
      this.solveSide(V, U, iu, dim, alpha, reg, solver, cgSteps);
      loss = implicitLoss(U, V, ui, dim, alpha, reg);
      options.onProgress?.({ epoch: it, epochs: iterations, loss });
      await new Promise((r) => setImmediate(r));
    }
    this.dim = dim;
    this.userFactors = U;
    this.itemFactors = V;
    this.itemBias = null;
    this.invalidateCaches();
    return { epochs: iterations, loss };
  }

  /** Solves every row of X given Y, for the matrix `m` (rows of X × rows of Y). */
  private solveSide(
    X: Float32Array,
    Y: Float32Array,
    m: Csr,
    dim: number,
    alpha: number,
    reg: number,
    solver: 'cg' | 'exact',
    cgSteps: number,
  ): void {
    const yty = gram(Y, dim);
    if (solver === 'exact') {
      for (let r = 0; r < m.rows; r++) {
        const items = m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!);
        const weights = m.values.subarray(m.indptr[r]!, m.indptr[r + 1]!);
        solveImplicitExact(Y, dim, yty, items, weights, alpha, reg, X, r * dim);
      }
      return;
    }
    for (let d = 0; d < dim; d++) yty[d * dim + d]! += reg;
    const scratch = cgScratch(dim);
    for (let r = 0; r < m.rows; r++) {
      const items = m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!);
      const weights = m.values.subarray(m.indptr[r]!, m.indptr[r + 1]!);
      solveImplicitCg(Y, dim, yty, items, weights, alpha, cgSteps, X, r * dim, scratch);
    }
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: { ...base.state, dim: this.dim, weightScale: this.weightScale },
      blobs: { ...base.blobs, ...this.factorBlobs() },
    });
  }

  static deserialize(buf: Buffer): AlsRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'als');
    const m = new AlsRecommender(a.params as AlsParams);
    m.restoreFactors(a);
    m.weightScale = (a.state as { weightScale?: number }).weightScale ?? 1;
    return m;
  }
}

/**
 * The implicit objective per positive: [Σ_all c (p − x)² + reg(‖U‖² + ‖V‖²)] / nnz, using
 * Σ_all x² = trace(UᵀU · VᵀV) so that unobserved pairs cost nothing to sum.
 */
function implicitLoss(
  U: Float32Array,
  V: Float32Array,
  ui: Csr,
  dim: number,
  alpha: number,
  reg: number,
): number {
  const utu = gram(U, dim);
  const vtv = gram(V, dim);
  let total = 0;
  for (let k = 0; k < dim * dim; k++) total += utu[k]! * vtv[k]!;
  for (let u = 0; u < ui.rows; u++) {
    for (let p = ui.indptr[u]!; p < ui.indptr[u + 1]!; p++) {
      const x = dot(U, u * dim, V, ui.indices[p]! * dim, dim);
      const c = 1 + alpha * ui.values[p]!;
      total += c * (1 - x) ** 2 - x * x;
    }
  }
  let norms = 0;
  for (let k = 0; k < U.length; k++) norms += U[k]! ** 2;
  for (let k = 0; k < V.length; k++) norms += V[k]! ** 2;
  total += reg * norms;
  return ui.indices.length > 0 ? total / ui.indices.length : 0;
}
