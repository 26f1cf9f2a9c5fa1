import { readArtifact, expectAlgorithm, writeArtifact, blobAs } from '../core/artifact.js';
import { decayFactor, type TrainingSet } from '../interactions.js';
import { BaseRecommender, topIndices } from './base.js';
import type { FitOptions, ScoredIndex } from './types.js';

/**
 * A non-personal model: one score per item, the same list for every reader, so scores, the most
 * "similar" items (the best other ones) and the artifact are shared by popularity and trending.
 */
abstract class ItemScoreRecommender extends BaseRecommender {
  scores: Float32Array = new Float32Array(0);
  now = 0;

  protected scoreKnownUser(): Float32Array {
    return this.scores.slice();
  }

  protected scoreHistory(): Float32Array {
    return this.scores.slice();
  }

  /** Non-personal: the best-scoring other items. */
  similarItems(item: number, k: number): ScoredIndex[] {
    return topIndices(this.scores, k, (i) => i === item);
  }

  itemSimilarity(): number {
    return 0;
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: { ...base.state, now: this.now },
      blobs: { ...base.blobs, scores: this.scores },
    });
  }

  protected restoreScores(a: ReturnType<typeof readArtifact>): void {
    this.restoreBase(a);
    this.scores = blobAs(a, 'scores', Float32Array);
    this.now = (a.state as { now: number }).now;
  }
}

export interface PopularityParams {
  /** Recency weighting of each interaction, in days; undefined counts all alike. */
  halfLifeDays?: number;
}

/** Time-decayed popularity: Σ over readers of weight × 0.5^(age / half-life). Same list for everyone. */
export class PopularityRecommender extends ItemScoreRecommender {
  static readonly VERSION = '1';

  constructor(readonly options: PopularityParams = {}) {
    super('popularity', PopularityRecommender.VERSION);
  }

  get params(): Record<string, unknown> {
    return { halfLifeDays: this.options.halfLifeDays ?? null };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    this.now = data.now;
    this.scores = popularityScores(data, this.options.halfLifeDays);
    options.onProgress?.({ epoch: 1, epochs: 1, loss: Number.NaN });
    return { epochs: 1, loss: Number.NaN };
  }

  static deserialize(buf: Buffer): PopularityRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'popularity');
    const p = a.params as { halfLifeDays: number | null };
    const m = new PopularityRecommender({ halfLifeDays: p.halfLifeDays ?? undefined });
    m.restoreScores(a);
    return m;
  }
}

export function popularityScores(data: TrainingSet, halfLifeDays: number | undefined): Float32Array {
  const { positives, positiveTimes } = data;
  const out = new Float32Array(positives.cols);
  for (let p = 0; p < positives.indices.length; p++) {
    out[positives.indices[p]!]! +=
      positives.values[p]! * decayFactor(data.now - positiveTimes[p]!, halfLifeDays);
  }
  return out;
}

export interface TrendingParams {
  /** Half-life of "recent" activity, in hours. Default 24. */
  shortHalfLifeHours?: number;
  /** Half-life of the baseline activity, in days. Default 14. */
  longHalfLifeDays?: number;
  /** Smoothing count so that a handful of events does not top the chart. Default 3. */
  prior?: number;
}

/**
 * Trending: recent activity above what the item's longer-term rate predicts,
 *   (short − expected) / √(expected + prior), expected = long × (short half-life / long half-life),
 * where short and long are decayed interaction counts. Bursts rank first; steady sellers score ~0.
 */
export class TrendingRecommender extends ItemScoreRecommender {
  static readonly VERSION = '1';

  constructor(readonly options: TrendingParams = {}) {
    super('trending', TrendingRecommender.VERSION);
  }

  get params(): Record<string, unknown> {
    return {
      shortHalfLifeHours: this.options.shortHalfLifeHours ?? 24,
      longHalfLifeDays: this.options.longHalfLifeDays ?? 14,
      prior: this.options.prior ?? 3,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const { shortHalfLifeHours, longHalfLifeDays, prior } = this.params as Record<string, number>;
    const shortDays = shortHalfLifeHours! / 24;
    const ratio = shortDays / longHalfLifeDays!;
    const { positives, positiveTimes } = data;
    const short = new Float64Array(positives.cols);
    const long = new Float64Array(positives.cols);
    for (let p = 0; p < positives.indices.length; p++) {
      const age = data.now - positiveTimes[p]!;
      const i = positives.indices[p]!;
      short[i]! += decayFactor(age, shortDays);
      long[i]! += decayFactor(age, longHalfLifeDays);
    }
    this.scores = new Float32Array(positives.cols);
    for (let i = 0; i < positives.cols; i++) {
      const expected = long[i]! * ratio;
      this.scores[i] = (short[i]! - expected) / Math.sqrt(expected + prior!);
    }
    this.now = data.now;
    options.onProgress?.({ epoch: 1, epochs: 1, loss: Number.NaN });
    return { epochs: 1, loss: Number.NaN };
  }

  static deserialize(buf: Buffer): TrendingRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'trending');
    const m = new TrendingRecommender(a.params as TrendingParams);
    m.restoreScores(a);
    return m;
  }
}
