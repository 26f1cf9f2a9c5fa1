import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingSet } from '../src/interactions.js';
import { auc } from '../src/metrics.js';
import { deserializeModel } from '../src/models/registry.js';
import { TwoTowerRecommender } from '../src/models/two-tower.js';
import { ItemKnnRecommender } from '../src/models/item-knn.js';
import { newItemEvidence, scoreNewItems } from '../src/serving/new-items.js';
import { splitTrainingSet } from '../src/split.js';
import type { TrainingProgress } from '../src/models/types.js';
import { initTf } from '../src/tf.js';
import { plantedData } from './factories.js';

// 4 topics × 15 items; the last 3 items of each topic are "new": no reader has touched them.
const planted = plantedData({ users: 120, itemsPerTopic: 15, readsPerUser: 10, seed: 11 });
const isNew = (itemId: string) => Number(itemId.slice(1)) % 15 >= 12;
const newItems = planted.items.filter((it) => isNew(it.itemId));
const data = buildTrainingSet(planted.interactions.filter((e) => !isNew(e.itemId)));

const params = {
  dim: 16,
  featureDim: 16,
  hidden: 16,
  hashBuckets: 512,
  epochs: 12,
  batchSize: 128,
  learningRate: 0.02,
  reg: 0.001,
  contentShare: 0.5,
};
const model = new TwoTowerRecommender(params, planted.items);
const progress: TrainingProgress[] = [];

beforeAll(async () => {
  await model.fit(data, { onProgress: (p) => progress.push(p) });
});

describe('two-tower (tfjs)', () => {
  it('trains on the wasm backend with per-epoch progress', async () => {
    expect((await initTf('wasm')).backend).toBe('wasm');
    expect(model.backendUsed).toBe('wasm');
    expect(progress).toHaveLength(params.epochs);
    expect(progress[progress.length - 1]!.loss).toBeLessThan(progress[0]!.loss);
  });

  it('scores brand-new items from their features: own-topic new items first', () => {
    let total = 0;
    let readers = 0;
    for (let u = 0; u < data.userIds.length; u += 3) {
      const topic = planted.userTopic[Number(data.userIds[u]!.slice(1))]!;
      const scores = model.scoreNewItems(u, newItems);
      const own: number[] = [];
      const other: number[] = [];
      newItems.forEach((it, n) =>
        (planted.itemTopic[Number(it.itemId.slice(1))] === topic ? own : other).push(scores[n]!),
      );
      total += auc(own, other);
      readers++;
    }
    // Random scoring gives 0.5.
    expect(total / readers).toBeGreaterThan(0.8);
  });

  it('adds new items to the catalogue without retraining', () => {
    const copy = deserializeModel(model.serialize()) as TwoTowerRecommender;
    const before = copy.itemIds.length;
    const idx = copy.addItems(newItems.slice(0, 2));
    expect(idx).toEqual([before, before + 1]);
    const scores = copy.scoreUser(0);
    expect(scores.length).toBe(before + 2);
    const direct = copy.scoreNewItems(0, newItems.slice(0, 2));
    expect(scores[before]).toBeCloseTo(direct[0]!, 4);
  });

  it('serialize → deserialize gives identical scores (no tfjs needed to serve)', () => {
    const back = deserializeModel(model.serialize()) as TwoTowerRecommender;
    expect(back.scoreUser(5)).toEqual(model.scoreUser(5));
    expect(back.scoreUser({ items: [0, 1, 2] })).toEqual(model.scoreUser({ items: [0, 1, 2] }));
    expect(back.scoreNewItems(5, newItems)).toEqual(model.scoreNewItems(5, newItems));
  });

  it('falls back to wasm, saying why, where WebGPU is unavailable', async () => {
    const r = await initTf('auto');
    if (r.backend === 'webgpu') {
      console.warn('WebGPU adapter present: fallback path not exercised');
      return;
    }
    expect(r.backend).toBe('wasm');
    expect(r.fallbackReason).toMatch(/webgpu|adapter/i);
    await initTf('wasm');
  });

  it('scores new items for serving only when validation opened the gate', async () => {
    const history = { items: [0, 1, 2] };
    const copy = deserializeModel(model.serialize()) as TwoTowerRecommender;
    expect(copy.newItemGate).toBeNull();
    expect(scoreNewItems(copy, history, newItems)).toBeNull();
    const knn = new ItemKnnRecommender();
    await knn.fit(data);
    expect(scoreNewItems(knn, history, newItems)).toBeNull();

    const { train, test } = splitTrainingSet(data, { seed: 3, testFraction: 0.3 });
    const fitted = new TwoTowerRecommender(params, planted.items);
    await fitted.fit(train);
    const evidence = newItemEvidence(fitted, train, test, planted.items);
    expect(evidence.users).toBeGreaterThan(50);
    expect(evidence.contentNdcg).toBeGreaterThan(0);
    expect(evidence.heuristicNdcg).toBeGreaterThan(0);
    expect(evidence.enabled).toBe(evidence.contentNdcg > evidence.heuristicNdcg);

    copy.newItemGate = { ...evidence, enabled: true };
    const back = deserializeModel(copy.serialize()) as TwoTowerRecommender;
    expect(back.newItemGate).toEqual(copy.newItemGate);
    const at = Date.UTC(2024, 0, 2);
    expect(scoreNewItems(back, history, newItems, at)).toEqual(back.scoreNewItems(history, newItems, at));
    back.newItemGate = { ...evidence, enabled: false };
    expect(scoreNewItems(back, history, newItems, at)).toBeNull();
  });
});
