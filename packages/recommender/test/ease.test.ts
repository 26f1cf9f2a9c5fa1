import { describe, expect, it } from 'vitest';
import { invertSpd } from '../src/core/spd-inverse.js';
import { createRng } from '../src/core/rng.js';
import { buildTrainingSet } from '../src/interactions.js';
import { EaseRecommender } from '../src/models/ease.js';
import { deserializeModel } from '../src/models/registry.js';
import { plantedData } from './factories.js';

describe('EASE', () => {
  it('inverts a symmetric positive-definite matrix', () => {
    const n = 37;
    const rng = createRng(3);
    const x = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += x[i * n + k]! * x[j * n + k]!;
        a[i * n + j] = s;
      }
    const inv = invertSpd(a, n);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    expect(worst).toBeLessThan(1e-8);
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });

  it('has a zero diagonal, scores a fold-in like the known reader, and keeps only the most-read items dense', async () => {
    const data = buildTrainingSet(plantedData().interactions);
    const m = new EaseRecommender({ lambda: 20 });
    await m.fit(data);
    const n = m.dense.length;
    expect(n).toBe(data.itemIds.length);
    for (let r = 0; r < n; r++) expect(m.weights[r * n + r]).toBe(0);
    expect(Array.from(m.scoreUser(m.userHistory(5)))).toEqual(Array.from(m.scoreUser(5)));
    expect(m.similarItems(0, 5)).toHaveLength(5);
    expect(m.itemSimilarity(0, m.similarItems(0, 1)[0]!.index)).toBeCloseTo(1, 5);

    const small = new EaseRecommender({ lambda: 20, maxItems: 10 });
    await small.fit(data);
    expect(small.dense.length).toBe(10);
    const counts = new Map<number, number>();
    for (const i of data.positives.indices) counts.set(i, (counts.get(i) ?? 0) + 1);
    const tenth = [...counts.values()].sort((a, b) => b - a)[9]!;
    for (const i of small.dense) expect(counts.get(i)!).toBeGreaterThanOrEqual(tenth);
    const scores = small.scoreUser(0);
    const outside = [...Array(data.itemIds.length).keys()].filter((i) => !small.dense.includes(i));
    for (const i of outside) expect(scores[i]).toBe(0);

    const back = deserializeModel(small.serialize()) as EaseRecommender;
    expect(back.metadata).toEqual(small.metadata);
    expect(Array.from(back.scoreUser({ items: [1, 2, 3] }))).toEqual(
      Array.from(small.scoreUser({ items: [1, 2, 3] })),
    );
    expect(back.itemSimilarity(small.dense[0]!, small.dense[1]!)).toBe(
      small.itemSimilarity(small.dense[0]!, small.dense[1]!),
    );
  });

  it('refuses a lambda that is not positive', async () => {
    const data = buildTrainingSet(plantedData().interactions);
    await expect(new EaseRecommender({ lambda: 0 }).fit(data)).rejects.toThrow(/lambda must be positive/);
  });
});
