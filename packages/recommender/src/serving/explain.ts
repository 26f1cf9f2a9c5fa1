import type { CatalogLookup } from '../catalog.js';
import type { FoldInHistory, Recommender } from '../models/types.js';
import { indexOfItems } from './recommend.js';

export type ExplanationKind =
  'because-you-read' | 'new-in-category' | 'trending' | 'popular-in-category' | 'popular';

export interface Explanation {
  itemId: string;
  kind: ExplanationKind;
  /** Short text for the reader, e.g. "Because you read Storm closes schools". */
  text: string;
  /** The history item behind a "because you read" reason. */
  relatedItemId?: string;
}

export interface ExplainContext {
  /** Supplies item–item similarity (item-kNN, factor models, a blend). */
  model: Recommender;
  /** The reader's history in the model's item indices (negative weights are ignored). */
  history: FoldInHistory;
  catalog: CatalogLookup;
  now: number;
  /** Ids of items trending now (e.g. the trending model's top 50). */
  trendingItemIds?: ReadonlySet<string>;
  /** Items published this recently count as new. Default 48 h. */
  newWithinMs?: number;
  /** Minimum similarity for "Because you read". Default 0.1. */
  minSimilarity?: number;
  /** History items considered (most recent/last given first). Default 50. */
  maxHistory?: number;
}

/**
 * One short reason per recommended item, first that applies: "Because you read <most similar
 * history item>", "New in <a category the reader reads>", "Trending now", "Popular in <category>".
 */
export function explain(recommendations: readonly { itemId: string }[], ctx: ExplainContext): Explanation[] {
  const index = indexOfItems(ctx.model);
  const minSim = ctx.minSimilarity ?? 0.1;
  const newWithin = ctx.newWithinMs ?? 48 * 3_600_000;
  const positives: number[] = [];
  for (let k = ctx.history.items.length - 1; k >= 0; k--) {
    if ((ctx.history.weights ? ctx.history.weights[k]! : 1) > 0) positives.push(ctx.history.items[k]!);
  }
  const recent = positives.slice(0, ctx.maxHistory ?? 50);
  const readCategories = new Set<string>();
  for (const i of positives) {
    const c = ctx.catalog(ctx.model.itemIds[i] ?? '')?.category;
    if (c !== undefined) readCategories.add(c);
  }

  return recommendations.map(({ itemId }) => {
    const item = ctx.catalog(itemId);
    const i = index.get(itemId);
    if (i !== undefined) {
      let best = -1;
      let bestSim = minSim;
      for (const h of recent) {
        if (h === i) continue;
        const s = ctx.model.itemSimilarity(i, h);
        if (s >= bestSim) {
          bestSim = s;
          best = h;
        }
      }
      const related = best >= 0 ? ctx.model.itemIds[best] : undefined;
      const title = related !== undefined ? ctx.catalog(related)?.title : undefined;
      if (related !== undefined && title) {
        return {
          itemId,
          kind: 'because-you-read',
          text: `Because you read ${title}`,
          relatedItemId: related,
        };
      }
    }
    const category = item?.category;
    const published = item?.publishedAt;
    if (
      category !== undefined &&
      readCategories.has(category) &&
      published !== undefined &&
      ctx.now - published >= 0 &&
      ctx.now - published <= newWithin
    ) {
      return { itemId, kind: 'new-in-category', text: `New in ${category}` };
    }
    if (ctx.trendingItemIds?.has(itemId)) return { itemId, kind: 'trending', text: 'Trending now' };
    if (category !== undefined)
      return { itemId, kind: 'popular-in-category', text: `Popular in ${category}` };
    return { itemId, kind: 'popular', text: 'Popular with readers' };
  });
}
