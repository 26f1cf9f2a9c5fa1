import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildModelIndex,
  buildVectorIndex,
  ExactVectorIndex,
  HnswVectorIndex,
  loadVectorIndex,
  readVectorIndexHeader,
  recommendWithIndex,
} from '../src/index.js';
import { createRng } from '../src/core/rng.js';
import { buildTrainingSet } from '../src/interactions.js';
import { BprRecommender } from '../src/models/bpr.js';
import { ItemKnnRecommender } from '../src/models/item-knn.js';
import { recommend } from '../src/serving/recommend.js';
import { plantedData } from './factories.js';

/** Clustered vectors with varied norms and a bias: what a factor model's items look like. */
function clustered(n: number, dim: number, seed = 5) {
  const rng = createRng(seed);
  const centers = Float32Array.from({ length: 50 * dim }, () => rng.normal());
  const vectors = new Float32Array(n * dim);
  const bias = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(50);
    const scale = Math.exp(0.3 * rng.normal());
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = scale * (centers[c * dim + d]! + 0.5 * rng.normal());
    bias[i] = 0.5 * rng.normal();
  }
  const queries = Array.from({ length: 40 }, () => {
    const c = rng.int(50);
    return Float32Array.from({ length: dim }, (_, d) => centers[c * dim + d]! + 0.3 * rng.normal());
  });
  return { vectors, bias, queries };
}

describe('vector index', () => {
  const dim = 16;
  const n = 6000;
  const { vectors, bias, queries } = clustered(n, dim);
  const exact = new ExactVectorIndex(vectors, dim, bias);
  let hnsw: HnswVectorIndex;
  beforeAll(() => {
    hnsw = HnswVectorIndex.build(vectors, dim, { bias, expansionSearch: 64 });
  });

  it('scans exactly below the threshold and builds an HNSW graph above it', () => {
    expect(buildVectorIndex(vectors, dim, { bias }).kind).toBe('exact');
    expect(buildVectorIndex(vectors, dim, { bias, exactBelow: 1000 }).kind).toBe('hnsw');
  });

  it('finds the exact top-10 by inner product plus bias (recall ≥ 0.95) with true scores', () => {
    let hits = 0;
    for (const q of queries) {
      const truth = exact.search(q, 10);
      const got = hnsw.search(q, 10);
      const want = new Set(truth.indices);
      for (const i of got.indices) if (want.has(i)) hits++;
      // Scores are the real inner products, best first.
      const i0 = got.indices[0]!;
      let s = bias[i0]!;
      for (let d = 0; d < dim; d++) s += vectors[i0 * dim + d]! * q[d]!;
      expect(got.scores[0]).toBeCloseTo(s, 3);
      for (let r = 1; r < got.scores.length; r++)
        expect(got.scores[r]!).toBeLessThanOrEqual(got.scores[r - 1]!);
    }
    expect(hits / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('never returns filtered items and still fills k when the filter removes most of the best ones', () => {
    const q = queries[0]!;
    // Leave out the exact top 200: the index has to widen its search past the first candidates.
    const top = new Set(exact.search(q, 200).indices);
    const filter = (i: number) => top.has(i) || i % 3 === 0;
    const got = hnsw.search(q, 10, { filter });
    expect(got.indices.length).toBe(10);
    for (const i of got.indices) expect(filter(i)).toBe(false);
    const truth = new Set(exact.search(q, 10, { filter }).indices);
    expect([...got.indices].filter((i) => truth.has(i)).length).toBeGreaterThanOrEqual(8);
  });

  it('round-trips through bytes (both kinds) with the same answers', () => {
    for (const index of [exact, hnsw]) {
      const bytes = index.serialize();
      expect(readVectorIndexHeader(bytes)).toEqual({ kind: index.kind, size: n, dim });
      const loaded = loadVectorIndex(bytes);
      for (const q of queries.slice(0, 5))
        expect([...loaded.search(q, 10).indices]).toEqual([...index.search(q, 10).indices]);
    }
  });

  it('refuses bytes that are not an index and queries of the wrong dimension', () => {
    expect(() => loadVectorIndex(Buffer.from('not an index at all'))).toThrow(/Not a vector index/);
    expect(() => hnsw.search(new Float32Array(dim + 1), 10)).toThrow(/dims/);
    expect(() => buildVectorIndex(vectors, dim, { metric: 'l2' as 'ip' })).toThrow(/use "ip"/);
  });
});

describe('serving a factor model through its index', () => {
  const planted = plantedData({ users: 120, itemsPerTopic: 30 });
  const data = buildTrainingSet(planted.interactions);
  const model = new BprRecommender({ factors: 16, epochs: 20 });
  beforeAll(async () => {
    await model.fit(data);
  });

  it('gives the same lists as exact recommend(), history excluded, for known readers and fold-in', () => {
    const index = buildModelIndex(model)!;
    expect(index.kind).toBe('exact');
    // One build thread and a thorough build: the graph is the same on every run.
    const graph = buildModelIndex(model, {
      kind: 'hnsw',
      expansionAdd: 200,
      expansionSearch: 200,
      threads: 1,
    })!;
    for (let u = 0; u < 20; u++) {
      const want = recommend(model, u, { k: 10 }).map((r) => r.itemId);
      expect(recommendWithIndex(model, index, u, { k: 10 }).map((r) => r.itemId)).toEqual(want);
      // 120 items and a wide search: the graph finds the exact list.
      expect(recommendWithIndex(model, graph, u, { k: 10 }).map((r) => r.itemId)).toEqual(want);
      const seen = new Set(model.userHistory(u).items as number[]);
      for (const r of recommendWithIndex(model, graph, u, { k: 10 })) expect(seen.has(r.index)).toBe(false);
    }
    const history = { items: [0, 1, 2], weights: [1, 1, 1] };
    expect(recommendWithIndex(model, index, history, { k: 5 }).map((r) => r.itemId)).toEqual(
      recommend(model, history, { k: 5 }).map((r) => r.itemId),
    );
  });

  it('applies exclusions (blocked items) and says which models it cannot serve', () => {
    const index = buildModelIndex(model)!;
    const blocked = recommend(model, 0, { k: 3 }).map((r) => r.index);
    const got = recommendWithIndex(model, index, 0, { k: 10, exclude: blocked });
    expect(got).toHaveLength(10);
    for (const r of got) expect(blocked).not.toContain(r.index);
    const knn = new ItemKnnRecommender();
    expect(buildModelIndex(knn)).toBeNull();
    expect(() => recommendWithIndex(knn, index, 0, { k: 5 })).toThrow(/no item vectors/);
  });
});
