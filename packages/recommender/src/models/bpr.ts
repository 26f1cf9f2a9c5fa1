import { expectAlgorithm, readArtifact, writeArtifact } from '../core/artifact.js';
import { hasEntry } from '../core/csr.js';
import { createRng, randomNormalArray } from '../core/rng.js';
import type { TrainingSet } from '../interactions.js';
import { FactorRecommender, type FoldInParams } from './factor-base.js';
import { throwIfAborted, type FitOptions } from './types.js';

export interface BprParams {
  factors?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 regularisation of the factors and biases. */
  reg?: number;
  seed?: number;
  /** Std of the initial factors. */
  initStd?: number;
  /** How fresh histories are folded in (see FoldInParams); default 'bpr'. */
  foldIn?: 'bpr' | 'least-squares';
  foldInEpochs?: number;
  foldInLearningRate?: number;
  foldInReg?: number;
  foldInAlpha?: number;
  foldInRidge?: number;
}

const DEFAULTS: Required<BprParams> = {
  factors: 64,
  epochs: 60,
  learningRate: 0.02,
  reg: 0.02,
  seed: 42,
  initStd: 0.1,
  foldIn: 'bpr',
  foldInEpochs: 20,
  foldInLearningRate: 0.05,
  foldInReg: 0.02,
  foldInAlpha: 10,
  foldInRidge: 1,
};

/**
 * Bayesian Personalised Ranking (Rendle et al. 2009) with item biases, trained by SGD over
 * (reader, positive, uniformly sampled negative) triples; one epoch = as many triples as positives.
 */
export class BprRecommender extends FactorRecommender {
  static readonly VERSION = '1';
  readonly settings: Required<BprParams>;

  constructor(params: BprParams = {}) {
    super('bpr', BprRecommender.VERSION);
    this.settings = { ...DEFAULTS, ...params };
  }

  get params(): Record<string, unknown> {
    return { ...this.settings };
  }

  protected get foldInParams(): FoldInParams {
    const s = this.settings;
    return {
      method: s.foldIn,
      epochs: s.foldInEpochs,
      learningRate: s.foldInLearningRate,
      reg: s.foldInReg,
      alpha: s.foldInAlpha,
      ridge: s.foldInRidge,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const { factors: dim, epochs, learningRate: lr, reg, seed, initStd } = this.settings;
    const rng = createRng(seed);
    const pos = data.positives;
    const nUsers = pos.rows;
    const nItems = pos.cols;
    const U = randomNormalArray(nUsers * dim, initStd, rng);
    const V = randomNormalArray(nItems * dim, initStd, rng);
    const B = new Float32Array(nItems);
    const nnz = pos.indices.length;
    // Row of each positive, to sample (reader, item) pairs uniformly.
    const rowOf = new Int32Array(nnz);
    for (let u = 0; u < nUsers; u++) rowOf.fill(u, pos.indptr[u]!, pos.indptr[u + 1]!);
    const uTmp = new Float32Array(dim);
    let loss = Number.NaN;

    for (let epoch = 1; epoch <= epochs; epoch++) {
      throwIfAborted(options.signal);
      let lossSum = 0;
      for (let s = 0; s < nnz; s++) {
        const p = rng.int(nnz);
        const u = rowOf[p]!;
        const i = pos.indices[p]!;
        let j = -1;
        for (let tries = 0; tries < 20 && j < 0; tries++) {
          const c = rng.int(nItems);
          if (!hasEntry(pos, u, c)) j = c;
        }
        if (j < 0) continue;
        const uo = u * dim;
        const io = i * dim;
        const jo = j * dim;
        let x = B[i]! - B[j]!;
        for (let d = 0; d < dim; d++) x += U[uo + d]! * (V[io + d]! - V[jo + d]!);
        // loss = softplus(−x); d loss / dx = −σ(−x)
        lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
        const g = 1 / (1 + Math.exp(x));
        for (let d = 0; d < dim; d++) {
          const uf = U[uo + d]!;
          uTmp[d] = uf;
          U[uo + d] = uf + lr * (g * (V[io + d]! - V[jo + d]!) - reg * uf);
        }
        for (let d = 0; d < dim; d++) {
          const uf = uTmp[d]!;
          V[io + d]! += lr * (g * uf - reg * V[io + d]!);
          V[jo + d]! += lr * (-g * uf - reg * V[jo + d]!);
        }
        B[i]! += lr * (g - reg * B[i]!);
        B[j]! += lr * (-g - reg * B[j]!);
      }
      loss = nnz > 0 ? lossSum / nnz : 0;
      options.onProgress?.({ epoch, epochs, loss });
      // Let other work (progress reporting, job heartbeats) run between epochs.
      await new Promise((r) => setImmediate(r));
    }
    this.dim = dim;
    this.userFactors = U;
    this.itemFactors = V;
    this.itemBias = B;
    this.invalidateCaches();
    return { epochs, loss };
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: { ...base.state, dim: this.dim },
      blobs: { ...base.blobs, ...this.factorBlobs() },
    });
  }

  static deserialize(buf: Buffer): BprRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'bpr');
    const m = new BprRecommender(a.params as BprParams);
    m.restoreFactors(a);
    return m;
  }
}
