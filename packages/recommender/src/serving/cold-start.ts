import type { CatalogLookup } from '../catalog.js';
import { topK } from '../core/topk.js';
import { standardize } from '../models/blend.js';
import type { Recommender } from '../models/types.js';
import type { Recommendation } from './recommend.js';

export interface ColdStartOptions {
  k: number;
  /** Time-decayed popularity (any non-personal model works). */
  popularity?: Recommender;
  trending?: Recommender;
  /** Share of trending in the mix (0..1). Default 0.5 when both are given. */
  trendingWeight?: number;
  /** Restrict to one category (needs `catalog`). */
  category?: string;
  catalog?: CatalogLookup;
  exclude?: Iterable<number>;
}

/**
 * Recommendations for an unknown reader: a mix of trending and popular items (z-scored), optionally
 * within one category. Popularity and trending must share the item indexing (fit on one training set).
 */
export function coldStartRecommendations(options: ColdStartOptions): Recommendation[] {
  const { popularity, trending } = options;
  const base = popularity ?? trending;
  if (!base) throw new Error('Cold start needs a popularity or a trending model');
  const empty = { items: [] as number[] };
  const w = popularity && trending ? (options.trendingWeight ?? 0.5) : trending ? 1 : 0;
  const scores = new Float32Array(base.itemIds.length);
  if (popularity && w < 1) {
    const z = standardize(popularity.scoreUser(empty));
    for (let i = 0; i < scores.length; i++) scores[i]! += (1 - w) * z[i]!;
  }
  if (trending && w > 0) {
    const z = standardize(trending.scoreUser(empty));
    for (let i = 0; i < scores.length; i++) scores[i]! += w * (z[i] ?? 0);
  }
  if (options.category !== undefined) {
    if (!options.catalog) throw new Error('Cold start by category needs a catalog');
    for (let i = 0; i < scores.length; i++) {
      if (options.catalog(base.itemIds[i]!)?.category !== options.category) scores[i] = -Infinity;
    }
  }
  if (options.exclude) for (const i of options.exclude) scores[i] = -Infinity;
  const top = topK(scores, options.k);
  return Array.from(top.indices, (index, r) => ({
    itemId: base.itemIds[index]!,
    index,
    score: top.scores[r]!,
  }));
}

/** Cold-start lists for several categories at once (e.g. the sections of a home page). */
export function coldStartByCategory(
  categories: string[],
  options: Omit<ColdStartOptions, 'category'> & { catalog: CatalogLookup },
): Record<string, Recommendation[]> {
  return Object.fromEntries(
    categories.map((c) => [c, coldStartRecommendations({ ...options, category: c })]),
  );
}
