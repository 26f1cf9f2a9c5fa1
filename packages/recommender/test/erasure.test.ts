import { describe, expect, it } from 'vitest';
import { buildTrainingSet } from '../src/interactions.js';
import { AlsRecommender } from '../src/models/als.js';
import { BlendRecommender } from '../src/models/blend.js';
import { ItemKnnRecommender } from '../src/models/item-knn.js';
import { PopularityRecommender } from '../src/models/popularity.js';
import { deserializeModel } from '../src/models/registry.js';
import type { Recommender } from '../src/models/types.js';
import { plantedData } from './factories.js';

const data = buildTrainingSet(plantedData().interactions);

const models: Record<string, () => Recommender> = {
  als: () => new AlsRecommender({ factors: 8, iterations: 4 }),
  'item-knn': () => new ItemKnnRecommender(),
  blend: () =>
    new BlendRecommender({
      popularity: new PopularityRecommender(),
      als: new AlsRecommender({ factors: 8, iterations: 4 }),
    }),
};

describe('erasure from a stored model', () => {
  for (const [name, make] of Object.entries(models)) {
    it(`${name}: a forgotten reader leaves no id, history or vector in the artifact; others are untouched`, async () => {
      const model = make();
      await model.fit(data);
      const gone = model.userIds[3]!;
      const kept = 7;
      const keptScores = model.scoreUser(kept);
      expect(model.forgetUsers([gone, 'never-trained'])).toBe(1);
      const stored = deserializeModel(model.serialize());
      expect(stored.userIds).not.toContain(gone);
      // Nothing of them is kept in the stored bytes.
      expect(model.serialize().includes(Buffer.from(JSON.stringify(gone)))).toBe(false);
      expect(Array.from(stored.userHistory(3).items)).toEqual([]);
      expect(Array.from(stored.scoreUser(kept))).toEqual(Array.from(keptScores));
      expect(stored.userHistory(kept).items.length).toBeGreaterThan(0);
      // Forgetting again finds nothing.
      expect(stored.forgetUsers([gone])).toBe(0);
    });
  }
});
