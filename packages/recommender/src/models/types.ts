import type { TrainingSet } from '../interactions.js';

export type Algorithm =
  'popularity' | 'trending' | 'item-knn' | 'bpr' | 'als' | 'ease' | 'two-tower' | 'blend';

/**
 * A reader's history given at serving time (fold-in): item indices of the model's catalogue with
 * optional weights. Negative weights mark hidden/disliked items: they are left out of the fold-in and
 * pushed down by `recommend()`.
 */
export interface FoldInHistory {
  items: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

/** A known reader by index (into `userIds`), or a fresh history. */
export type UserQuery = number | FoldInHistory;

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  /** Training loss after the epoch (model-specific; NaN for models without one). */
  loss: number;
}

export interface FitOptions {
  onProgress?: (progress: TrainingProgress) => void;
  /** Checked between epochs; an aborted fit throws the signal's reason. */
  signal?: AbortSignal;
}

export interface FitReport {
  epochs: number;
  seconds: number;
  loss: number;
}

export interface ScoredIndex {
  index: number;
  score: number;
}

export interface ModelMetadata {
  algorithm: Algorithm;
  /** Implementation version: stored with every result so results of different models never mix. */
  version: string;
  params: Record<string, unknown>;
}

export interface Recommender {
  readonly metadata: ModelMetadata;
  /** Reader ids by index (the training set's). */
  readonly userIds: readonly string[];
  /** Item ids by index: every score array is aligned with it. */
  readonly itemIds: readonly string[];
  readonly fitted: boolean;
  fit(data: TrainingSet, options?: FitOptions): Promise<FitReport>;
  /** A score for every item (higher is better) for a known reader or a fresh history (fold-in). */
  scoreUser(user: UserQuery): Float32Array;
  /** The k items most similar to an item, best first (the item itself excluded). */
  similarItems(item: number, k: number): ScoredIndex[];
  /** Similarity of two items in this model's terms (used by explanations); 0 where it has none. */
  itemSimilarity(a: number, b: number): number;
  /** The training history of a known reader: positives, and negatives with negative weights. */
  userHistory(user: number): FoldInHistory;
  serialize(): Buffer;
  /**
   * Erasure: removes what the model holds about these readers (their id, training history and learned
   * vector); they are served as unknown readers. Item-side parameters, which aggregate every reader,
   * stay until the next training. Returns how many of the readers the model held.
   */
  forgetUsers(userIds: Iterable<string>): number;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('Training aborted');
}
