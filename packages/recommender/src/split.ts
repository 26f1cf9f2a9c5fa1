import { createRng, shuffle } from './core/rng.js';
import type { TrainingSet } from './interactions.js';

export interface SplitOptions {
  /** Fraction of each reader's positives held out. Default 0.25. */
  testFraction?: number;
  /** 'random': per-reader random sample (seeded); 'time': each reader's latest positives. Default 'random'. */
  method?: 'random' | 'time';
  /** Seed for the random split. Default 42. */
  seed?: number;
  /** Readers with fewer positives keep them all in training. Default 2. */
  minPositives?: number;
}

export interface Split {
  train: TrainingSet;
  test: TrainingSet;
}

/**
 * Splits positives per reader into train and test sets that share the id maps. Negatives stay in the
 * training set. Each reader's held-out count is round(n × testFraction).
 */
export function splitTrainingSet(data: TrainingSet, options: SplitOptions = {}): Split {
  const fraction = options.testFraction ?? 0.25;
  const method = options.method ?? 'random';
  const minPositives = options.minPositives ?? 2;
  const rng = createRng(options.seed ?? 42);
  const { positives, positiveTimes } = data;
  const testMask = new Uint8Array(positives.indices.length);

  for (let u = 0; u < positives.rows; u++) {
    const start = positives.indptr[u]!;
    const n = positives.indptr[u + 1]! - start;
    if (n < minPositives) continue;
    const nTest = Math.min(n - 1, Math.round(n * fraction));
    if (nTest <= 0) continue;
    const order = Int32Array.from({ length: n }, (_, k) => start + k);
    if (method === 'random') {
      shuffle(order, rng);
    } else {
      // Latest first; ties broken by position for determinism.
      order.sort((a, b) => positiveTimes[b]! - positiveTimes[a]! || b - a);
    }
    for (let k = 0; k < nTest; k++) testMask[order[k]!] = 1;
  }
  return { train: subset(data, testMask, 0), test: subset(data, testMask, 1, true) };
}

function subset(data: TrainingSet, mask: Uint8Array, keep: 0 | 1, dropNegatives = false): TrainingSet {
  const p = data.positives;
  let count = 0;
  for (let k = 0; k < mask.length; k++) if (mask[k] === keep) count++;
  const indptr = new Int32Array(p.rows + 1);
  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  const times = new Float64Array(count);
  let out = 0;
  for (let u = 0; u < p.rows; u++) {
    for (let k = p.indptr[u]!; k < p.indptr[u + 1]!; k++) {
      if (mask[k] !== keep) continue;
      indices[out] = p.indices[k]!;
      values[out] = p.values[k]!;
      times[out] = data.positiveTimes[k]!;
      out++;
    }
    indptr[u + 1] = out;
  }
  const negatives = dropNegatives
    ? {
        rows: p.rows,
        cols: p.cols,
        indptr: new Int32Array(p.rows + 1),
        indices: new Int32Array(0),
        values: new Float32Array(0),
      }
    : data.negatives;
  return {
    ...data,
    positives: { rows: p.rows, cols: p.cols, indptr, indices, values },
    positiveTimes: times,
    negatives,
  };
}
