import { describe, expect, it } from 'vitest';
import { loadMovieLens100k } from '../src/datasets/movielens.js';
import { buildTrainingSet } from '../src/interactions.js';
import { evaluate } from '../src/metrics.js';
import { BprRecommender } from '../src/models/bpr.js';
import { PopularityRecommender } from '../src/models/popularity.js';
import { sharedDataPath } from '../src/paths.js';
import { splitTrainingSet } from '../src/split.js';

const ml = sharedDataPath('recsys', 'ml-100k');
if (!ml.available) console.warn(`Skipping the ML-100k quality test: ${ml.reason}`);

describe('quality on MovieLens 100K', () => {
  it.skipIf(!ml.available)('BPR reaches nDCG@10 > 0.38 on the per-user 75/25 split (seed 42)', async () => {
    const { interactions } = loadMovieLens100k(ml.path);
    const data = buildTrainingSet(
      interactions.map((i) => ({ ...i, weight: undefined })),
      { eventWeights: { rating: 1 } },
    );
    const { train, test } = splitTrainingSet(data, { seed: 42 });
    const bpr = new BprRecommender();
    await bpr.fit(train);
    const pop = new PopularityRecommender();
    await pop.fit(train);
    const r = evaluate((u) => bpr.scoreUser(u), train, test, { k: 10 });
    const p = evaluate((u) => pop.scoreUser(u), train, test, { k: 10 });
    expect(r.ndcg).toBeGreaterThan(0.38);
    expect(r.precision).toBeGreaterThan(0.34);
    expect(p.ndcg).toBeLessThan(0.3);
  });
});
