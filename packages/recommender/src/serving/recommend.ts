import { topK } from '../core/topk.js';
import type { FoldInHistory, Recommender, UserQuery } from '../models/types.js';

export interface Recommendation {
  itemId: string;
  index: number;
  score: number;
}

export interface RecommendOptions {
  k: number;
  /** Leave out items in the reader's history (the training history for a known reader). Default true. */
  excludeHistory?: boolean;
  /** More item indices to leave out. */
  exclude?: Iterable<number>;
  /**
   * Item ids to leave out whatever the history holds: every item the reader has seen, when the
   * fold-in history is only their recent part. Ids the model does not know are ignored.
   */
  excludeItemIds?: Iterable<string>;
  /** Rank only these item indices (e.g. the live catalogue). */
  candidates?: ArrayLike<number>;
}

/** The history a query carries: the given one, or the model's training history for a known reader. */
export function historyOf(model: Recommender, user: UserQuery): FoldInHistory {
  return typeof user === 'number' ? model.userHistory(user) : user;
}

/**
 * Top-k items for a reader by partial selection over the model's scores. Hidden/disliked items
 * (negative weights in the history) are pushed below every other item even when history is not
 * excluded.
 */
export function recommend(model: Recommender, user: UserQuery, options: RecommendOptions): Recommendation[] {
  const scores = model.scoreUser(user);
  const history = historyOf(model, user);
  const excludeHistory = options.excludeHistory ?? true;
  let floor = Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i]! < floor) floor = scores[i]!;
  const pushDown = Number.isFinite(floor) ? floor - 1 : -1e30;
  for (let k = 0; k < history.items.length; k++) {
    const i = history.items[k]!;
    if (i < 0 || i >= scores.length) continue;
    const w = history.weights ? history.weights[k]! : 1;
    if (excludeHistory) scores[i] = -Infinity;
    else if (w < 0) scores[i] = pushDown;
  }
  if (options.exclude)
    for (const i of options.exclude) if (i >= 0 && i < scores.length) scores[i] = -Infinity;
  if (options.excludeItemIds) {
    const index = indexOfItems(model);
    for (const id of options.excludeItemIds) {
      const i = index.get(id);
      if (i !== undefined) scores[i] = -Infinity;
    }
  }

  let top;
  if (options.candidates) {
    const c = options.candidates;
    const sub = new Float32Array(c.length);
    for (let n = 0; n < c.length; n++) sub[n] = c[n]! < scores.length ? scores[c[n]!]! : -Infinity;
    const t = topK(sub, options.k);
    top = { indices: Int32Array.from(t.indices, (n) => c[n]!), scores: t.scores };
  } else {
    top = topK(scores, options.k);
  }
  return Array.from(top.indices, (index, r) => ({
    itemId: model.itemIds[index]!,
    index,
    score: top.scores[r]!,
  }));
}

/** History given as item ids (e.g. from the database) → fold-in history of model indices. Unknown ids are dropped. */
export function historyFromIds(
  model: Recommender,
  events: Iterable<{ itemId: string; weight?: number }>,
): FoldInHistory {
  const index = indexOfItems(model);
  const items: number[] = [];
  const weights: number[] = [];
  for (const e of events) {
    const i = index.get(e.itemId);
    if (i === undefined) continue;
    items.push(i);
    weights.push(e.weight ?? 1);
  }
  return { items, weights };
}

const itemIndexCache = new WeakMap<object, { size: number; map: Map<string, number> }>();

/** itemId → index for a model (cached per model; rebuilt when the catalogue grew). */
export function indexOfItems(model: Recommender): Map<string, number> {
  const cached = itemIndexCache.get(model);
  if (cached && cached.size === model.itemIds.length) return cached.map;
  const map = new Map(model.itemIds.map((id, i) => [id, i]));
  itemIndexCache.set(model, { size: model.itemIds.length, map });
  return map;
}

/** readerId → index for a model (cached per model). */
const userIndexCache = new WeakMap<object, Map<string, number>>();
export function indexOfUsers(model: Recommender): Map<string, number> {
  let map = userIndexCache.get(model);
  if (!map) {
    map = new Map(model.userIds.map((id, i) => [id, i]));
    userIndexCache.set(model, map);
  }
  return map;
}
