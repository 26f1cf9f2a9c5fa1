import { expectAlgorithm, readArtifact, writeArtifact, type Blob } from '../core/artifact.js';
import { createRng } from '../core/rng.js';
import { topK } from '../core/topk.js';
import type { TrainingSet } from '../interactions.js';
import { rankingMetrics } from '../metrics.js';
import { splitTrainingSet } from '../split.js';
import { BaseRecommender } from './base.js';
import type { FitOptions, ScoredIndex, Recommender, TrainingProgress } from './types.js';

/** Component weights for readers whose history length is at most `maxHistory` (undefined: no limit). */
export interface BlendBucket {
  maxHistory?: number;
  weights: Record<string, number>;
}

export interface BlendParams {
  /** Sorted by maxHistory; the last one should be unbounded. Default: see defaultBuckets(). */
  buckets?: BlendBucket[];
  /** Learn the bucket weights on a validation split of the training data (components fit twice). */
  learnWeights?: boolean;
  validationFraction?: number;
  seed?: number;
  /** Candidate weights for the coordinate search. */
  grid?: number[];
  /** Readers sampled for the weight search. */
  maxValidationUsers?: number;
}

const NON_PERSONAL = new Set(['popularity', 'trending']);

/**
 * Buckets that lean on popularity for short histories and on personal models for long ones.
 */
export function defaultBuckets(components: Record<string, Recommender>): BlendBucket[] {
  const names = Object.keys(components);
  const personal = names.filter((n) => !NON_PERSONAL.has(components[n]!.metadata.algorithm));
  const general = names.filter((n) => NON_PERSONAL.has(components[n]!.metadata.algorithm));
  const weights = (p: number, g: number) =>
    Object.fromEntries([...personal.map((n) => [n, p]), ...general.map((n) => [n, g])]) as Record<
      string,
      number
    >;
  return [
    { maxHistory: 0, weights: weights(0, 1) },
    { maxHistory: 3, weights: weights(0.5, 1) },
    { maxHistory: 10, weights: weights(1, 0.5) },
    { weights: weights(1, 0.1) },
  ];
}

/**
 * Per-reader blend of several models: each component's scores are standardised (z-scores over the
 * catalogue), then summed with the weights of the reader's history-length bucket.
 */
export class BlendRecommender extends BaseRecommender {
  static readonly VERSION = '1';
  buckets: BlendBucket[];
  /** Validation nDCG@10 per bucket after weight learning (diagnostics). */
  learned: { maxHistory?: number; users: number; ndcg: number }[] = [];

  constructor(
    readonly components: Record<string, Recommender>,
    readonly options: BlendParams = {},
  ) {
    super('blend', BlendRecommender.VERSION);
    if (Object.keys(components).length === 0) throw new Error('A blend needs at least one component');
    this.buckets = options.buckets ?? defaultBuckets(components);
  }

  get params(): Record<string, unknown> {
    return {
      components: Object.fromEntries(Object.entries(this.components).map(([n, c]) => [n, c.metadata])),
      buckets: this.buckets,
      learnWeights: this.options.learnWeights ?? false,
      validationFraction: this.options.validationFraction ?? 0.2,
      seed: this.options.seed ?? 42,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const names = Object.keys(this.components);
    const stages = (this.options.learnWeights ? 2 : 1) * names.length;
    let stage = 0;
    const fitAll = async (set: TrainingSet) => {
      for (const name of names) {
        const c = this.components[name]!;
        await c.fit(set, {
          signal: options.signal,
          onProgress: (p: TrainingProgress) =>
            options.onProgress?.({ epoch: stage + p.epoch / p.epochs, epochs: stages, loss: p.loss }),
        });
        stage++;
      }
    };
    if (this.options.learnWeights) {
      const split = splitTrainingSet(data, {
        testFraction: this.options.validationFraction ?? 0.2,
        seed: this.options.seed ?? 42,
      });
      await fitAll(split.train);
      this.learnWeights(split.train, split.test);
    }
    await fitAll(data);
    return { epochs: stages, loss: Number.NaN };
  }

  /** Coordinate search of the bucket weights for validation nDCG@10. */
  learnWeights(train: TrainingSet, validation: TrainingSet): void {
    const grid = this.options.grid ?? [0, 0.25, 0.5, 1, 2, 4];
    const names = Object.keys(this.components);
    const rng = createRng(this.options.seed ?? 42);
    const t = validation.positives;
    // Keeps the cached score arrays under ~80 MB.
    const memoryCap = Math.max(50, Math.floor(2e7 / Math.max(1, t.cols * names.length)));
    const maxUsers = Math.min(this.options.maxValidationUsers ?? 1000, memoryCap);
    const byBucket = this.buckets.map(() => [] as number[]);
    for (let u = 0; u < t.rows; u++) {
      if (t.indptr[u + 1] === t.indptr[u]) continue;
      const n = train.positives.indptr[u + 1]! - train.positives.indptr[u]!;
      byBucket[this.bucketIndex(n)]!.push(u);
    }
    this.learned = [];
    this.buckets = this.buckets.map((bucket, b) => {
      let users = byBucket[b]!;
      if (users.length > maxUsers) {
        users = users
          .map((u) => ({ u, r: rng.next() }))
          .sort((x, y) => x.r - y.r)
          .slice(0, maxUsers)
          .map((x) => x.u);
      }
      if (users.length < 20) {
        this.learned.push({ maxHistory: bucket.maxHistory, users: users.length, ndcg: Number.NaN });
        return bucket;
      }
      const prepared = users.map((u) => {
        const tp = train.positives;
        const exclude = new Set(tp.indices.subarray(tp.indptr[u]!, tp.indptr[u + 1]!));
        return {
          relevant: new Set(t.indices.subarray(t.indptr[u]!, t.indptr[u + 1]!)),
          exclude,
          scores: names.map((n) => standardize(this.components[n]!.scoreUser(u))),
        };
      });
      const evalWeights = (w: number[]) => {
        let sum = 0;
        for (const p of prepared) {
          const combined = combine(p.scores, w);
          for (const i of p.exclude) combined[i] = -Infinity;
          sum += rankingMetrics(topK(combined, 10).indices, p.relevant, 10).ndcg;
        }
        return sum / prepared.length;
      };
      const w = names.map((n) => bucket.weights[n] ?? 0);
      for (let round = 0; round < 2; round++) {
        for (let c = 0; c < names.length; c++) {
          w[c] = bestCoordinate(grid, w[c]!, (g) => {
            const saved = w[c]!;
            w[c] = g;
            const s = w.every((x) => x === 0) ? -1 : evalWeights(w);
            w[c] = saved;
            return s;
          });
        }
      }
      const best = evalWeights(w);
      this.learned.push({ maxHistory: bucket.maxHistory, users: users.length, ndcg: best });
      return { maxHistory: bucket.maxHistory, weights: Object.fromEntries(names.map((n, c) => [n, w[c]!])) };
    });
  }

  private bucketIndex(historyLength: number): number {
    for (let b = 0; b < this.buckets.length; b++) {
      const max = this.buckets[b]!.maxHistory;
      if (max === undefined || historyLength <= max) return b;
    }
    return this.buckets.length - 1;
  }

  private blendScores(historyLength: number, score: (c: Recommender) => Float32Array): Float32Array {
    const weights = this.buckets[this.bucketIndex(historyLength)]!.weights;
    const out = new Float32Array(this.numItems);
    for (const [name, c] of Object.entries(this.components)) {
      const w = weights[name] ?? 0;
      if (w === 0) continue;
      const z = standardize(score(c));
      for (let i = 0; i < out.length; i++) out[i]! += w * z[i]!;
    }
    return out;
  }

  override forgetUsers(userIds: Iterable<string>): number {
    const ids = [...userIds];
    for (const c of Object.values(this.components)) c.forgetUsers(ids);
    return super.forgetUsers(ids);
  }

  protected scoreKnownUser(user: number): Float32Array {
    const n = this.history.indptr[user + 1]! - this.history.indptr[user]!;
    return this.blendScores(n, (c) => c.scoreUser(user));
  }

  protected scoreHistory(history: { items: Int32Array; weights: Float32Array }): Float32Array {
    return this.blendScores(history.items.length, (c) => c.scoreUser(history));
  }

  /** The personal component with the largest weight for long histories answers similarity queries. */
  private similarityComponent(): Recommender {
    const last = this.buckets[this.buckets.length - 1]!.weights;
    let best: Recommender | null = null;
    let bestW = -Infinity;
    for (const [name, c] of Object.entries(this.components)) {
      if (NON_PERSONAL.has(c.metadata.algorithm)) continue;
      const w = last[name] ?? 0;
      if (w > bestW) {
        bestW = w;
        best = c;
      }
    }
    return best ?? Object.values(this.components)[0]!;
  }

  similarItems(item: number, k: number): ScoredIndex[] {
    return this.similarityComponent().similarItems(item, k);
  }

  itemSimilarity(a: number, b: number): number {
    return this.similarityComponent().itemSimilarity(a, b);
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    const blobs: Record<string, Blob> = { ...base.blobs };
    for (const [name, c] of Object.entries(this.components))
      blobs[`component:${name}`] = new Uint8Array(c.serialize());
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: {
        ...base.state,
        componentNames: Object.keys(this.components),
        buckets: this.buckets,
        learned: this.learned,
      },
      blobs,
    });
  }

  static deserialize(buf: Buffer, deserializeComponent: (buf: Buffer) => Recommender): BlendRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'blend');
    const st = a.state as {
      componentNames: string[];
      buckets: BlendBucket[];
      learned: BlendRecommender['learned'];
    };
    const components: Record<string, Recommender> = {};
    for (const name of st.componentNames) {
      const blob = a.blobs[`component:${name}`] as Uint8Array;
      components[name] = deserializeComponent(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
    }
    const p = a.params as { learnWeights: boolean; validationFraction: number; seed: number };
    const m = new BlendRecommender(components, { ...p, buckets: st.buckets });
    m.restoreBase(a);
    m.learned = st.learned;
    return m;
  }
}

function bestCoordinate(grid: number[], current: number, evalAt: (g: number) => number): number {
  let best = current;
  let bestScore = evalAt(current);
  for (const g of grid) {
    if (g === current) continue;
    const s = evalAt(g);
    if (s > bestScore + 1e-9) {
      bestScore = s;
      best = g;
    }
  }
  return best;
}

/** z-scores over finite entries (others become 0). */
export function standardize(scores: Float32Array): Float32Array {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i]!;
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  const std = n > 1 ? Math.sqrt(m2 / n) : 0;
  const out = new Float32Array(scores.length);
  if (std === 0) return out;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i]!;
    out[i] = Number.isFinite(x) ? (x - mean) / std : 0;
  }
  return out;
}

function combine(scores: Float32Array[], weights: number[]): Float32Array {
  const out = new Float32Array(scores[0]!.length);
  for (let c = 0; c < scores.length; c++) {
    const w = weights[c]!;
    if (w === 0) continue;
    const s = scores[c]!;
    for (let i = 0; i < out.length; i++) out[i]! += w * s[i]!;
  }
  return out;
}
