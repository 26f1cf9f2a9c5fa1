/**
 * Item and reader vectors for the vector-index benchmark, shaped like a trained factor model's.
 *
 * 'trained': BPR (d = 64, with item bias) is fitted on ML-100k; each synthetic item is a trained item
 * vector (drawn by its popularity) plus Gaussian noise of half the per-dimension spread of the trained
 * vectors, its bias the parent's plus noise; queries are trained reader vectors plus the same noise.
 * 'clustered' (no data needed): 2,000 Gaussian cluster centres, items = centre + noise with a
 * log-normal norm scale (popular items have longer vectors), queries = mixes of 1–3 centres.
 */
import { BprRecommender, buildTrainingSet, loadMovieLens100k, sharedDataPath } from '../src/index.js';
import { createRng, type Rng } from '../src/core/rng.js';

export interface AnnData {
  source: string;
  dim: number;
  items: Float32Array;
  bias: Float32Array | null;
  queries: Float32Array[];
}

const gaussian = (rng: Rng) => rng.normal();

export async function trainedFactorData(
  numItems: number,
  numQueries: number,
  seed = 7,
): Promise<AnnData | null> {
  const ml = sharedDataPath('recsys', 'ml-100k');
  if (!ml.available) return null;
  const movielens = loadMovieLens100k(ml.path);
  const data = buildTrainingSet(
    movielens.interactions.map((i) => ({ ...i, weight: undefined })),
    { eventWeights: { rating: 1 } },
  );
  const model = new BprRecommender({ factors: 64, epochs: 30 });
  await model.fit(data);
  const dim = model.dim;
  const nTrained = model.itemIds.length;
  const V = model.itemFactors;
  const B = model.itemBias;
  const spread = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < nTrained; i++) {
      s += V[i * dim + d]!;
      s2 += V[i * dim + d]! ** 2;
    }
    spread[d] = Math.sqrt(Math.max(0, s2 / nTrained - (s / nTrained) ** 2));
  }
  let biasSpread = 0;
  if (B) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < nTrained; i++) {
      s += B[i]!;
      s2 += B[i]! ** 2;
    }
    biasSpread = Math.sqrt(Math.max(0, s2 / nTrained - (s / nTrained) ** 2));
  }
  // Parents drawn by popularity, as a real catalogue has many items near the popular ones.
  const popularity = new Float64Array(nTrained);
  const h = data.positives;
  for (let k = 0; k < h.indices.length; k++) popularity[h.indices[k]!]! += 1;
  const cumulative = new Float64Array(nTrained);
  let total = 0;
  for (let i = 0; i < nTrained; i++) cumulative[i] = total += popularity[i]! + 1;
  const rng = createRng(seed);
  const pick = () => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = nTrained - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const items = new Float32Array(numItems * dim);
  const bias = B ? new Float32Array(numItems) : null;
  for (let i = 0; i < numItems; i++) {
    const p = pick();
    for (let d = 0; d < dim; d++) items[i * dim + d] = V[p * dim + d]! + 0.5 * spread[d]! * gaussian(rng);
    if (bias && B) bias[i] = B[p]! + 0.5 * biasSpread * gaussian(rng);
  }
  const U = model.userFactors;
  const queries: Float32Array[] = [];
  for (let q = 0; q < numQueries; q++) {
    const u = rng.int(model.userIds.length);
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = U[u * dim + d]! * (1 + 0.25 * gaussian(rng));
    queries.push(v);
  }
  return { source: 'BPR d=64 on ML-100k, items perturbed from trained items', dim, items, bias, queries };
}

export function clusteredData(numItems: number, numQueries: number, dim = 64, seed = 7): AnnData {
  const rng = createRng(seed);
  const numCenters = 2000;
  const centers = new Float32Array(numCenters * dim);
  for (let k = 0; k < centers.length; k++) centers[k] = gaussian(rng) / Math.sqrt(dim);
  const items = new Float32Array(numItems * dim);
  for (let i = 0; i < numItems; i++) {
    const c = rng.int(numCenters);
    const scale = Math.exp(0.4 * gaussian(rng));
    for (let d = 0; d < dim; d++)
      items[i * dim + d] = scale * (centers[c * dim + d]! + (0.6 * gaussian(rng)) / Math.sqrt(dim));
  }
  const queries: Float32Array[] = [];
  for (let q = 0; q < numQueries; q++) {
    const v = new Float32Array(dim);
    const parts = 1 + rng.int(3);
    for (let p = 0; p < parts; p++) {
      const c = rng.int(numCenters);
      for (let d = 0; d < dim; d++) v[d]! += centers[c * dim + d]! / parts;
    }
    for (let d = 0; d < dim; d++) v[d]! += (0.3 * gaussian(rng)) / Math.sqrt(dim);
    queries.push(v);
  }
  return { source: 'clustered synthetic (2,000 centres, log-normal norms)', dim, items, bias: null, queries };
}
