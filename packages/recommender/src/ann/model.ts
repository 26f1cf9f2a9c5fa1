import { FactorRecommender } from '../models/factor-base.js';
import { positivePart } from '../models/base.js';
import type { Recommender, UserQuery } from '../models/types.js';
import { historyOf, type Recommendation } from '../serving/recommend.js';
import { buildVectorIndex } from './index.js';
import type { VectorIndex, VectorIndexBuildOptions } from './types.js';

/*
 * The vector index of a trained model and serving through it. Factor models (BPR, ALS, two-tower)
 * score items by inner product with a reader vector, so their top-k is a maximum inner-product search.
 * Other models (popularity, item-kNN, blend) have no such form and are scored exactly.
 */

/** Whether a model scores by item vectors, so that a vector index can serve it. */
export function hasItemVectors(model: Recommender): model is FactorRecommender {
  return model instanceof FactorRecommender && model.dim > 0;
}

/**
 * The vector index of a model's items (exact below `exactBelow`, default 50,000 items; HNSW above),
 * or null for a model without item vectors.
 */
export function buildModelIndex(
  model: Recommender,
  options: Omit<VectorIndexBuildOptions, 'bias'> = {},
): VectorIndex | null {
  if (!hasItemVectors(model)) return null;
  return buildVectorIndex(model.itemFactors, model.dim, {
    ...options,
    ...(model.itemBias ? { bias: model.itemBias } : {}),
  });
}

/** The reader vector a factor model scores with: a known reader's factors, or a fold-in of a history. */
export function readerVector(model: FactorRecommender, user: UserQuery): Float32Array {
  if (typeof user === 'number') {
    if (!Number.isInteger(user) || user < 0 || user >= model.userIds.length)
      throw new RangeError(`Unknown reader index ${user}; use a fold-in history or cold start`);
    return model.userFactors.subarray(user * model.dim, (user + 1) * model.dim);
  }
  return model.foldIn(positivePart(user));
}

export interface IndexedRecommendOptions {
  k: number;
  /** Leave out the reader's history (hidden/disliked items are always left out). Default true. */
  excludeHistory?: boolean;
  /** More item indices to leave out (blocked, embargoed, unpublished). */
  exclude?: Iterable<number>;
  /** Further filter on item indices: true leaves the item out. */
  filter?: (index: number) => boolean;
  /** Candidates fetched per wanted item before filtering; widened automatically. Default 4. */
  overfetch?: number;
}

/**
 * Top-k for a reader through a vector index: the same ranking as `recommend()` for a factor model
 * (exactly, or approximately with an HNSW index), with the history and exclusions filtered out of
 * an over-fetched candidate list.
 */
export function recommendWithIndex(
  model: Recommender,
  index: VectorIndex,
  user: UserQuery,
  options: IndexedRecommendOptions,
): Recommendation[] {
  if (!hasItemVectors(model))
    throw new Error(`A ${model.metadata.algorithm} model has no item vectors: serve it with recommend()`);
  if (index.size !== model.itemIds.length || index.dim !== model.dim)
    throw new Error(
      `Vector index (${index.size} items, dim ${index.dim}) does not match the model ` +
        `(${model.itemIds.length} items, dim ${model.dim}): rebuild it with buildModelIndex`,
    );
  const excluded = new Set<number>();
  const history = historyOf(model, user);
  const excludeHistory = options.excludeHistory ?? true;
  for (let n = 0; n < history.items.length; n++) {
    const w = history.weights ? history.weights[n]! : 1;
    if (excludeHistory || w < 0) excluded.add(history.items[n]!);
  }
  if (options.exclude) for (const i of options.exclude) excluded.add(i);
  const extra = options.filter;
  const filter =
    excluded.size || extra ? (i: number) => excluded.has(i) || (extra ? extra(i) : false) : undefined;
  const top = index.search(readerVector(model, user), options.k, {
    ...(filter ? { filter } : {}),
    ...(options.overfetch ? { overfetch: options.overfetch } : {}),
  });
  return Array.from(top.indices, (i, r) => ({ itemId: model.itemIds[i]!, index: i, score: top.scores[r]! }));
}
