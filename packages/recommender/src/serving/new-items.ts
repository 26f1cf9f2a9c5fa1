import type { CatalogItem } from '../catalog.js';
import type { TrainingSet } from '../interactions.js';
import { rankingMetrics } from '../metrics.js';
import { topK } from '../core/topk.js';
import { TwoTowerRecommender, type NewItemGate } from '../models/two-tower.js';
import type { FoldInHistory, Recommender } from '../models/types.js';

/**
 * Scores brand-new items (unknown to the model) for a reader from the items' features, on the same
 * scale as `model.scoreUser`, so they can be ranked among the model's own candidates. Returns null
 * when the model cannot: it is not a two-tower model with a content tower, or its validation found
 * the content path no better than the heuristic (`newItemGate`). Serving then keeps its freshness slot.
 *
 * Serving, per request: the items published recently that the model does not know (`indexOfItems`)
 * → `scoreNewItems(model, foldInHistory, catalogItems, now)` → merge `{itemId, score}` into the
 * candidates before the editorial rules (reason "New in <category>").
 */
export function scoreNewItems(
  model: Recommender,
  history: FoldInHistory,
  items: readonly CatalogItem[],
  at: number = Date.now(),
): Float32Array | null {
  if (!(model instanceof TwoTowerRecommender) || !model.content || !model.newItemGate?.enabled) return null;
  if (!items.length) return new Float32Array(0);
  return model.scoreNewItems(history, [...items], at);
}

/**
 * Evidence for the gate, on a split the model was fitted on (`train`): every item is scored as if it
 * were new (content path only), and held-out items are ranked by that, against a heuristic that needs
 * no model (the share of the reader's training history in the item's category, newest first among
 * equals). Both rank over all items, training items excluded, k = 10.
 */
export function newItemEvidence(
  model: TwoTowerRecommender,
  train: TrainingSet,
  test: TrainingSet,
  catalog: readonly CatalogItem[],
  options: { maxUsers?: number } = {},
): NewItemGate {
  const k = 10;
  const byId = new Map(catalog.map((c) => [c.itemId, c]));
  const known = train.itemIds.map((id) => byId.get(id));
  const present = known.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  if (!model.content || !present.length || model.itemIds.length !== train.itemIds.length) {
    return { enabled: false, contentNdcg: 0, heuristicNdcg: 0, users: 0 };
  }
  const { vectors, biases } = model.itemVectorsFromFeatures(present.map((i) => known[i]!));
  const dim = model.dim;
  const category = train.itemIds.map((_, i) => known[i]?.category ?? '');
  const published = train.itemIds.map((_, i) => known[i]?.publishedAt ?? 0);
  const newest = Math.max(1, ...published);

  const t = test.positives;
  const p = train.positives;
  const maxUsers = options.maxUsers ?? 500;
  let users = 0;
  let contentSum = 0;
  let heuristicSum = 0;
  const content = new Float32Array(train.itemIds.length);
  const heuristic = new Float32Array(train.itemIds.length);
  for (let u = 0; u < t.rows && users < maxUsers; u++) {
    if (t.indptr[u + 1] === t.indptr[u] || p.indptr[u + 1] === p.indptr[u]) continue;
    const relevant = new Set(t.indices.subarray(t.indptr[u]!, t.indptr[u + 1]!));
    const uv = model.userVector(u);
    content.fill(-Infinity);
    present.forEach((i, n) => {
      let s = biases[n]!;
      for (let d = 0; d < dim; d++) s += uv[d]! * vectors[n * dim + d]!;
      content[i] = s;
    });
    const shares = new Map<string, number>();
    for (let q = p.indptr[u]!; q < p.indptr[u + 1]!; q++) {
      const c = category[p.indices[q]!]!;
      shares.set(c, (shares.get(c) ?? 0) + 1);
    }
    for (let i = 0; i < heuristic.length; i++)
      heuristic[i] = (shares.get(category[i]!) ?? 0) + 1e-3 * (published[i]! / newest);
    for (let q = p.indptr[u]!; q < p.indptr[u + 1]!; q++) {
      content[p.indices[q]!] = -Infinity;
      heuristic[p.indices[q]!] = -Infinity;
    }
    contentSum += rankingMetrics(topK(content, k).indices, relevant, k).ndcg;
    heuristicSum += rankingMetrics(topK(heuristic, k).indices, relevant, k).ndcg;
    users++;
  }
  const contentNdcg = users ? contentSum / users : 0;
  const heuristicNdcg = users ? heuristicSum / users : 0;
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    enabled: users > 0 && contentNdcg > heuristicNdcg,
    contentNdcg: round(contentNdcg),
    heuristicNdcg: round(heuristicNdcg),
    users,
  };
}
