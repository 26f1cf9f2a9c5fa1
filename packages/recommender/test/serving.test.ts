import { beforeAll, describe, expect, it } from 'vitest';
import { batchRecommend } from '../src/batch.js';
import { catalogLookup, type CatalogItem } from '../src/catalog.js';
import { createRng } from '../src/core/rng.js';
import { matVec } from '../src/core/linalg.js';
import { topK } from '../src/core/topk.js';
import { buildTrainingSet } from '../src/interactions.js';
import { ItemKnnRecommender } from '../src/models/item-knn.js';
import { PopularityRecommender, TrendingRecommender } from '../src/models/popularity.js';
import { coldStartByCategory, coldStartRecommendations } from '../src/serving/cold-start.js';
import { applyEditorialRules, type Candidate } from '../src/serving/editorial.js';
import { explain } from '../src/serving/explain.js';
import { historyFromIds, recommend } from '../src/serving/recommend.js';
import { DAY, HOUR, plantedData, T0 } from './factories.js';

describe('topK', () => {
  it('returns the same items as a full sort, best first, skipping excluded and -Infinity', () => {
    const rng = createRng(3);
    const scores = Float32Array.from({ length: 5000 }, () => rng.next());
    scores[10] = -Infinity;
    const exclude = (i: number) => i % 7 === 0;
    const expected = [...scores.keys()]
      .filter((i) => !exclude(i) && scores[i]! > -Infinity)
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, 25);
    const got = topK(scores, 25, exclude);
    expect([...got.indices]).toEqual(expected);
    expect([...got.scores]).toEqual(expected.map((i) => scores[i]!));
  });

  it('scores rows with matVec like a plain dot product (rows not a multiple of 4, with bias)', () => {
    const rng = createRng(9);
    const dim = 5;
    const rows = 11;
    const m = Float32Array.from({ length: rows * dim }, () => rng.normal());
    const v = Float32Array.from({ length: dim }, () => rng.normal());
    const bias = Float32Array.from({ length: rows }, () => rng.normal());
    const got = matVec(m, dim, v, bias);
    for (let r = 0; r < rows; r++) {
      let s = bias[r]!;
      for (let d = 0; d < dim; d++) s += m[r * dim + d]! * v[d]!;
      expect(got[r]).toBeCloseTo(s, 5);
    }
  });

  it('handles k larger than the number of candidates', () => {
    const got = topK(Float32Array.from([1, -Infinity, 3]), 10);
    expect([...got.indices]).toEqual([2, 0]);
  });
});

const items: CatalogItem[] = [
  {
    itemId: 'a',
    category: 'sport',
    title: 'Cup final',
    publishedAt: T0 - DAY,
    contentType: 'article',
    language: 'en',
  },
  {
    itemId: 'b',
    category: 'sport',
    title: 'Transfer news',
    publishedAt: T0 - 2 * DAY,
    contentType: 'video',
    language: 'en',
  },
  {
    itemId: 'c',
    category: 'sport',
    title: 'League table',
    publishedAt: T0 - 3 * DAY,
    contentType: 'article',
    language: 'en',
  },
  {
    itemId: 'd',
    category: 'politics',
    title: 'Budget vote',
    publishedAt: T0 - 10 * DAY,
    contentType: 'article',
    language: 'es',
  },
  {
    itemId: 'e',
    category: 'politics',
    title: 'Election night',
    publishedAt: T0 - HOUR,
    contentType: 'article',
    language: 'en',
    tags: ['election'],
  },
  {
    itemId: 'f',
    category: 'science',
    title: 'Moon landing',
    publishedAt: T0 - 5 * DAY,
    contentType: 'article',
    language: 'en',
  },
];
const catalog = catalogLookup(items);
const ranked: Candidate[] = [
  { itemId: 'a', score: 0.9 },
  { itemId: 'b', score: 0.8 },
  { itemId: 'c', score: 0.7 },
  { itemId: 'd', score: 0.6 },
  { itemId: 'e', score: 0.5 },
  { itemId: 'f', score: 0.4 },
];
const ctx = { now: T0, catalog };
const ids = (xs: { itemId: string }[]) => xs.map((x) => x.itemId);

describe('editorial rules', () => {
  it('places pins at fixed positions and keeps the rest in order', () => {
    const out = applyEditorialRules(
      ranked,
      {
        pins: [
          { itemId: 'f', position: 1 },
          { itemId: 'e', position: 3 },
        ],
      },
      ctx,
      5,
    );
    expect(ids(out)).toEqual(['f', 'a', 'e', 'b', 'c']);
    expect(out[0]!.pinned).toBe(true);
  });

  it('blocks items and categories, also when pinned', () => {
    const out = applyEditorialRules(
      ranked,
      { blockedItemIds: ['a'], blockedCategories: ['politics'], pins: [{ itemId: 'd', position: 1 }] },
      ctx,
      6,
    );
    expect(ids(out)).toEqual(['b', 'c', 'f']);
  });

  it('hides embargoed items until the embargo ends', () => {
    const rules = { embargoes: [{ itemId: 'a', until: T0 + HOUR }] };
    expect(ids(applyEditorialRules(ranked, rules, ctx, 2))).toEqual(['b', 'c']);
    expect(ids(applyEditorialRules(ranked, rules, { ...ctx, now: T0 + 2 * HOUR }, 2))).toEqual(['a', 'b']);
  });

  it('caps items per category for diversity', () => {
    const out = applyEditorialRules(ranked, { maxPerCategory: 1 }, ctx, 6);
    expect(ids(out)).toEqual(['a', 'd', 'f']);
  });

  it('boosts by tag and category as score multipliers', () => {
    const out = applyEditorialRules(ranked, { boosts: [{ tag: 'election', factor: 3 }] }, ctx, 3);
    expect(ids(out)).toEqual(['e', 'a', 'b']);
    expect(out[0]!.boosted).toBe(true);
    expect(out[0]!.score).toBeCloseTo(1.5, 6);
    const science = applyEditorialRules(ranked, { boosts: [{ category: 'science', factor: 2 }] }, ctx, 6);
    expect(ids(science).slice(0, 4)).toEqual(['a', 'b', 'f', 'c']);
    // Negative model scores (e.g. MF dot products) are shifted first, so a boost still lifts.
    const negative = ranked.map((c) => ({ ...c, score: c.score - 10 }));
    const lifted = applyEditorialRules(negative, { boosts: [{ itemId: 'f', factor: 10 }] }, ctx, 6);
    expect(ids(lifted)[0]).toBe('f');
  });

  it('filters by content type, language, publication time and seen items', () => {
    expect(ids(applyEditorialRules(ranked, { filters: { contentTypes: ['video'] } }, ctx, 6))).toEqual(['b']);
    expect(ids(applyEditorialRules(ranked, { filters: { languages: ['es'] } }, ctx, 6))).toEqual(['d']);
    expect(ids(applyEditorialRules(ranked, { filters: { publishedSince: T0 - 2 * DAY } }, ctx, 6))).toEqual([
      'a',
      'b',
      'e',
    ]);
    const seen = new Set(['a', 'b']);
    expect(ids(applyEditorialRules(ranked, { filters: { excludeSeen: true } }, { ...ctx, seen }, 2))).toEqual(
      ['c', 'd'],
    );
    expect(ids(applyEditorialRules(ranked, { filters: { categories: ['science'] } }, ctx, 6))).toEqual(['f']);
  });
});

describe('cold start, explanations, batch', () => {
  const planted = plantedData({ users: 60 });
  const data = buildTrainingSet(planted.interactions);
  const plantedCatalog = catalogLookup(planted.items);
  const pop = new PopularityRecommender();
  const trending = new TrendingRecommender();
  const knn = new ItemKnnRecommender();
  beforeAll(async () => {
    await pop.fit(data);
    await trending.fit(data);
    await knn.fit(data);
  });

  it('recommends popular/trending items to unknown readers, optionally per category', () => {
    const all = coldStartRecommendations({ popularity: pop, trending, k: 5 });
    expect(all).toHaveLength(5);
    const popularOnly = coldStartRecommendations({ popularity: pop, k: 3 });
    expect(ids(popularOnly)).toEqual(ids(recommend(pop, { items: [] }, { k: 3 })));
    const byCat = coldStartByCategory(['sport', 'science'], {
      popularity: pop,
      trending,
      k: 3,
      catalog: plantedCatalog,
    });
    for (const [cat, recs] of Object.entries(byCat)) {
      expect(recs).toHaveLength(3);
      for (const r of recs) expect(plantedCatalog(r.itemId)!.category).toBe(cat);
    }
  });

  it('explains recommendations with a short reason', () => {
    const u = 0;
    const recs = recommend(knn, u, { k: 5 });
    const history = knn.userHistory(u);
    const reasons = explain(recs, { model: knn, history, catalog: plantedCatalog, now: T0 });
    expect(reasons).toHaveLength(5);
    const first = reasons[0]!;
    expect(first.kind).toBe('because-you-read');
    expect(first.text).toBe(`Because you read ${plantedCatalog(first.relatedItemId!)!.title}`);

    // Without history: trending, then popular in category; new items in a category the reader reads.
    const fresh: CatalogItem = { itemId: 'i1', title: 'x', category: 'politics', publishedAt: T0 - HOUR };
    const lookup = (id: string) => (id === 'i1' ? fresh : plantedCatalog(id));
    const noHistory = explain([{ itemId: 'i2' }, { itemId: 'i3' }], {
      model: knn,
      history: { items: [] },
      catalog: lookup,
      now: T0,
      trendingItemIds: new Set(['i2']),
    });
    expect(noHistory.map((r) => r.text)).toEqual([
      'Trending now',
      `Popular in ${plantedCatalog('i3')!.category}`,
    ]);
    const readsPolitics = { items: [data.itemIndex.get('i5')!], weights: [1] };
    const isNew = explain([{ itemId: 'i1' }], {
      model: knn,
      history: readsPolitics,
      catalog: lookup,
      now: T0,
      minSimilarity: 2,
    });
    expect(isNew[0]!.text).toBe('New in politics');
  });

  it('ranks only the given candidates and never the excluded items', () => {
    const candidates = [3, 7, 11, 19, 23];
    const recs = recommend(knn, 1, { k: 3, candidates, excludeHistory: false, exclude: [7] });
    expect(recs).toHaveLength(3);
    for (const r of recs) {
      expect(candidates).toContain(r.index);
      expect(r.index).not.toBe(7);
      expect(r.itemId).toBe(data.itemIds[r.index]);
    }
    expect(recs[0]!.score).toBeGreaterThanOrEqual(recs[2]!.score);
  });

  it('maps item ids of a fresh history to model indices', () => {
    const h = historyFromIds(knn, [{ itemId: 'i3' }, { itemId: 'unknown' }, { itemId: 'i4', weight: -1 }]);
    expect(h.items).toEqual([data.itemIndex.get('i3'), data.itemIndex.get('i4')]);
    expect(h.weights).toEqual([1, -1]);
  });

  it('writes one JSON line per reader with progress', async () => {
    const lines: string[] = [];
    const progress: number[] = [];
    const r = await batchRecommend(knn, {
      k: 4,
      write: (l) => void lines.push(l),
      onProgress: (p) => progress.push(p.done),
      progressEvery: 25,
    });
    expect(r.users).toBe(60);
    expect(lines).toHaveLength(60);
    expect(progress).toEqual([25, 50, 60]);
    const first = JSON.parse(lines[0]!);
    expect(first.readerId).toBe(data.userIds[0]);
    expect(first.model).toEqual({ algorithm: 'item-knn', version: '1' });
    expect(first.items).toHaveLength(4);
    const read = new Set(
      data.positives.indices.subarray(data.positives.indptr[0]!, data.positives.indptr[1]!),
    );
    for (const it of first.items) expect(read.has(data.itemIndex.get(it.itemId)!)).toBe(false);
  });
});
