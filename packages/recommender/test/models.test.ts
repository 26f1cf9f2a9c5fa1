import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingSet, type TrainingSet } from '../src/interactions.js';
import { evaluate } from '../src/metrics.js';
import { AlsRecommender } from '../src/models/als.js';
import { BlendRecommender } from '../src/models/blend.js';
import { BprRecommender } from '../src/models/bpr.js';
import { EaseRecommender } from '../src/models/ease.js';
import { ItemKnnRecommender } from '../src/models/item-knn.js';
import { PopularityRecommender, TrendingRecommender } from '../src/models/popularity.js';
import { deserializeModel, createModel } from '../src/models/registry.js';
import type { Recommender, TrainingProgress } from '../src/models/types.js';
import { readArtifactHeader } from '../src/core/artifact.js';
import { recommend } from '../src/serving/recommend.js';
import { splitTrainingSet } from '../src/split.js';
import { DAY, HOUR, plantedData, T0 } from './factories.js';

const planted = plantedData();
const data = buildTrainingSet(planted.interactions);
const { train, test } = splitTrainingSet(data, { seed: 42 });

const factories: Record<string, () => Recommender> = {
  popularity: () => new PopularityRecommender(),
  trending: () => new TrendingRecommender(),
  'item-knn': () => new ItemKnnRecommender(),
  bpr: () => new BprRecommender({ factors: 16, epochs: 30, learningRate: 0.05 }),
  als: () => new AlsRecommender({ factors: 16, iterations: 8, reg: 1, alpha: 10 }),
  ease: () => new EaseRecommender({ lambda: 20 }),
};

const fitted: Record<string, Recommender> = {};
const ndcg: Record<string, number> = {};
beforeAll(async () => {
  for (const [name, make] of Object.entries(factories)) {
    const m = make();
    await m.fit(train);
    fitted[name] = m;
    ndcg[name] = evaluate((u) => m.scoreUser(u), train, test, { k: 10 }).ndcg;
  }
});

describe('models on planted topic structure', () => {
  it.each(['item-knn', 'bpr', 'als', 'ease'])('%s beats popularity by a clear margin', (name) => {
    expect(ndcg[name]!).toBeGreaterThan(ndcg.popularity! + 0.1);
  });

  it('reports per-epoch progress with a finite, falling BPR loss', async () => {
    const seen: TrainingProgress[] = [];
    await new BprRecommender({ factors: 8, epochs: 5 }).fit(train, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((p) => p.epochs === 5 && Number.isFinite(p.loss))).toBe(true);
    expect(seen[4]!.loss).toBeLessThan(seen[0]!.loss);
  });

  it('ALS trains the same whatever the unit of the weights (stars, decayed fractions)', async () => {
    const scaled = {
      ...train,
      positives: { ...train.positives, values: train.positives.values.map((v) => v * 5) },
    };
    const a = new AlsRecommender({ factors: 8, iterations: 3 });
    const b = new AlsRecommender({ factors: 8, iterations: 3 });
    await a.fit(train);
    await b.fit(scaled);
    expect(b.weightScale).toBeCloseTo(a.weightScale * 5, 4);
    const sa = a.scoreUser(3);
    const sb = b.scoreUser(3);
    for (let i = 0; i < sa.length; i++) expect(sb[i]).toBeCloseTo(sa[i]!, 3);
    const back = deserializeModel(b.serialize()) as AlsRecommender;
    expect(back.weightScale).toBe(b.weightScale);
    expect(Array.from(back.scoreUser({ items: [1, 2], weights: [5, 10] }))).toEqual(
      Array.from(b.scoreUser({ items: [1, 2], weights: [5, 10] })),
    );
  });

  it('stops training when the signal is aborted', async () => {
    const controller = new AbortController();
    const fit = new AlsRecommender({ factors: 4, iterations: 50 }).fit(train, {
      signal: controller.signal,
      onProgress: (p) => p.epoch === 2 && controller.abort(new Error('cancelled')),
    });
    await expect(fit).rejects.toThrow('cancelled');
  });
});

describe('artifacts', () => {
  it.each(Object.keys(factories))('%s: serialize → deserialize gives identical scores', (name) => {
    const m = fitted[name]!;
    const buf = m.serialize();
    const header = readArtifactHeader(buf);
    expect(header.algorithm).toBe(m.metadata.algorithm);
    expect(header.version).toBe(m.metadata.version);
    expect(header.params).toEqual(JSON.parse(JSON.stringify(m.metadata.params)));
    const back = deserializeModel(buf);
    expect(back.itemIds).toEqual(m.itemIds);
    for (const u of [0, 5, 77]) expect(back.scoreUser(u)).toEqual(m.scoreUser(u));
    const history = { items: [1, 2, 3] };
    expect(back.scoreUser(history)).toEqual(m.scoreUser(history));
    expect(back.similarItems(3, 5)).toEqual(m.similarItems(3, 5));
  });

  it('refuses a buffer that is not an artifact', () => {
    expect(() => deserializeModel(Buffer.from('hello world'))).toThrow(/not a recommender model artifact/i);
  });

  it('creates unfitted models from a job spec', () => {
    const m = createModel({ algorithm: 'bpr', params: { factors: 8 } });
    expect(m.metadata.algorithm).toBe('bpr');
    expect(m.metadata.params.factors).toBe(8);
    expect(m.fitted).toBe(false);
    expect(() => m.scoreUser(0)).toThrow(/not fitted/);
  });
});

describe('fold-in', () => {
  // A reader of topic 0 (u0) switches to topic 2: fold in a fresh history of topic-2 items.
  const topicOf = (itemIndex: number, model: Recommender) =>
    planted.itemTopic[Number(model.itemIds[itemIndex]!.slice(1))];
  it.each(['bpr', 'als', 'item-knn', 'ease'])(
    '%s: a fresh history moves recommendations to the new interest',
    (name) => {
      const m = fitted[name]!;
      const before = recommend(m, 0, { k: 10 }).map((r) => topicOf(r.index, m));
      expect(before.filter((t) => t === 2).length).toBeLessThanOrEqual(2);
      const topic2 = m.itemIds
        .map((_, i) => i)
        .filter((i) => topicOf(i, m) === 2)
        .slice(0, 6);
      const after = recommend(m, { items: topic2 }, { k: 10 }).map((r) => topicOf(r.index, m));
      expect(after.filter((t) => t === 2).length).toBeGreaterThanOrEqual(6);
    },
  );

  it('BPR fold-in of a known reader’s own history recommends much like the trained vector', () => {
    const m = fitted.bpr!;
    let overlap = 0;
    for (const u of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const trained = new Set(recommend(m, u, { k: 10 }).map((r) => r.index));
      const folded = recommend(m, m.userHistory(u), { k: 10 });
      overlap += folded.filter((r) => trained.has(r.index)).length;
    }
    expect(overlap / 8).toBeGreaterThanOrEqual(6);
  });

  it('ALS fold-in of a known reader’s own history reproduces the trained vector', () => {
    const m = fitted.als as AlsRecommender;
    const trained = m.scoreUser(3);
    const folded = m.scoreUser(m.userHistory(3));
    let num = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i < trained.length; i++) {
      num += trained[i]! * folded[i]!;
      a += trained[i]! ** 2;
      b += folded[i]! ** 2;
    }
    expect(num / Math.sqrt(a * b)).toBeGreaterThan(0.95);
  });
});

describe('negative events', () => {
  it('keeps hidden items out of training and pushes them down when serving', async () => {
    const base = plantedData({ users: 40 }).interactions;
    const target = recommendTarget(base);
    const withHide = [
      ...base,
      { readerId: 'u0', itemId: target, eventType: 'hide', timestamp: T0 + 400 * DAY },
    ];
    const set = buildTrainingSet(withHide);
    const m = new ItemKnnRecommender();
    await m.fit(set);
    const u0 = set.userIndex.get('u0')!;
    const hidden = set.itemIndex.get(target)!;
    expect([
      ...set.positives.indices.subarray(set.positives.indptr[u0]!, set.positives.indptr[u0 + 1]!),
    ]).not.toContain(hidden);
    // Even when history is not excluded, the hidden item ranks last.
    const all = recommend(m, u0, { k: set.itemIds.length, excludeHistory: false });
    expect(all[all.length - 1]!.itemId).toBe(target);
    // A fold-in history with a negative weight does the same.
    const folded = recommend(
      m,
      { items: [hidden, 1, 2], weights: [-1, 1, 1] },
      { k: set.itemIds.length, excludeHistory: false },
    );
    expect(folded[folded.length - 1]!.itemId).toBe(target);
  });
});

describe('time-decayed popularity and trending', () => {
  const at = (item: string, hoursAgo: number, n: number, now: number) =>
    Array.from({ length: n }, (_, k) => ({
      readerId: `r${item}${k}`,
      itemId: item,
      eventType: 'read',
      timestamp: now - hoursAgo * HOUR - k,
    }));
  const now = T0 + 30 * DAY;
  // "steady": 40 reads spread over the last month; "burst": 8 reads in the last two hours.
  const events = [
    ...Array.from({ length: 40 }, (_, k) => at('steady', k * 18, 1, now))
      .flat()
      .map((e, k) => ({ ...e, readerId: `s${k}` })),
    ...at('burst', 1, 8, now),
    ...at('old', 24 * 25, 30, now),
  ];
  let set: TrainingSet;
  beforeAll(() => {
    set = buildTrainingSet(events, { now });
  });

  it('ranks the most-read item first without decay and the recent one first with a short half-life', async () => {
    const plain = new PopularityRecommender();
    await plain.fit(set);
    const decayed = new PopularityRecommender({ halfLifeDays: 1 });
    await decayed.fit(set);
    const top = (m: Recommender) => recommend(m, { items: [] }, { k: 1 })[0]!.itemId;
    expect(top(plain)).toBe('steady');
    expect(top(decayed)).toBe('burst');
  });

  it('puts a burst above a steady seller in trending', async () => {
    const t = new TrendingRecommender();
    await t.fit(set);
    const order = recommend(t, { items: [] }, { k: 3 }).map((r) => r.itemId);
    expect(order[0]).toBe('burst');
    expect(order[2]).toBe('old');
  });
});

describe('blend', () => {
  it('uses popularity for empty histories and personal models for long ones, and round-trips', async () => {
    const blend = new BlendRecommender({
      pop: new PopularityRecommender(),
      knn: new ItemKnnRecommender(),
      bpr: new BprRecommender({ factors: 16, epochs: 30, learningRate: 0.05 }),
    });
    await blend.fit(train);
    const empty = blend.scoreUser({ items: [] });
    const popZ = fitted.popularity!.scoreUser({ items: [] });
    const top = (s: Float32Array) => [...s.keys()].sort((a, b) => s[b]! - s[a]!).slice(0, 5);
    expect(top(empty)).toEqual(top(popZ));
    const r = evaluate((u) => blend.scoreUser(u), train, test, { k: 10 });
    expect(r.ndcg).toBeGreaterThan(ndcg.popularity! + 0.1);
    const back = deserializeModel(blend.serialize());
    expect(back.scoreUser(4)).toEqual(blend.scoreUser(4));
  });

  it('learns bucket weights on a validation split', async () => {
    const blend = new BlendRecommender(
      { pop: new PopularityRecommender(), knn: new ItemKnnRecommender() },
      { learnWeights: true, buckets: [{ weights: { pop: 1, knn: 0 } }] },
    );
    await blend.fit(train);
    // Starting from popularity only, the search must give item-kNN weight.
    expect(blend.buckets[0]!.weights.knn).toBeGreaterThan(0);
    expect(blend.learned[0]!.ndcg).toBeGreaterThan(0);
  });
});

function recommendTarget(events: { readerId: string; itemId: string }[]): string {
  // An item u0 has not read but that item-kNN would likely suggest: the most read item overall.
  const read = new Set(events.filter((e) => e.readerId === 'u0').map((e) => e.itemId));
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
  return [...counts.entries()].filter(([id]) => !read.has(id)).sort((a, b) => b[1] - a[1])[0]![0];
}
