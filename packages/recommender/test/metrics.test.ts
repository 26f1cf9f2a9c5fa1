import { describe, expect, it } from 'vitest';
import { auc, evaluate, rankingMetrics } from '../src/metrics.js';
import { buildTrainingSet } from '../src/interactions.js';

describe('ranking metrics', () => {
  it('matches hand-computed precision, recall, nDCG and AP at 5', () => {
    // Hits at ranks 1 and 3; 3 relevant items in all.
    const m = rankingMetrics([10, 11, 12, 13, 14], new Set([10, 12, 99]), 5);
    expect(m.precision).toBeCloseTo(2 / 5, 10);
    expect(m.recall).toBeCloseTo(2 / 3, 10);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m.ndcg).toBeCloseTo(dcg / idcg, 10);
    expect(m.ap).toBeCloseTo((1 / 1 + 2 / 3) / 3, 10);
  });

  it('caps the ideal DCG and AP denominator at k', () => {
    const m = rankingMetrics([1, 2], new Set([1, 2, 3, 4, 5]), 2);
    expect(m.ndcg).toBeCloseTo(1, 10);
    expect(m.ap).toBeCloseTo(1, 10);
    expect(m.recall).toBeCloseTo(2 / 5, 10);
  });

  it('scores a list without hits as zero', () => {
    expect(rankingMetrics([7, 8, 9], new Set([1]), 3)).toEqual({ precision: 0, recall: 0, ndcg: 0, ap: 0 });
  });

  it('computes AUC with ties counted half', () => {
    expect(auc([3, 4], [1, 2])).toBe(1);
    expect(auc([1], [2])).toBe(0);
    expect(auc([1], [1])).toBe(0.5);
    expect(auc([2, 0], [1])).toBe(0.5);
  });
});

describe('evaluate', () => {
  const ev = (r: string, i: string) => ({ readerId: r, itemId: i, eventType: 'read', timestamp: 1 });
  const train = buildTrainingSet([ev('a', 'x'), ev('b', 'y'), ev('a', 'z'), ev('b', 'w')], {
    catalogItemIds: ['v'],
  });
  // Test set on the same id maps: a → y, b → x.
  const test = {
    ...train,
    positives: {
      ...train.positives,
      indptr: Int32Array.from([0, 1, 2]),
      indices: Int32Array.from([1, 0]),
      values: Float32Array.from([1, 1]),
    },
  };

  it('excludes training items from the ranking and reports coverage', () => {
    // Scores favour training items (x, z for a), which must be skipped.
    const score = () => Float32Array.from([10, 5, 9, 1, 0]);
    const r = evaluate(score, train, test, { k: 1 });
    // a: x, z excluded → y (hit). b: y, w excluded → x (hit).
    expect(r.precision).toBe(1);
    expect(r.users).toBe(2);
    expect(r.coverage).toBeCloseTo(2 / 5, 10);
    // Per reader, for the activation gate's paired bootstrap: both readers hit at rank 1.
    const progress: [number, number][] = [];
    const per = evaluate(score, train, test, {
      k: 1,
      perUser: true,
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect([...per.perUser!.users]).toEqual([0, 1]);
    expect([...per.perUser!.ndcg]).toEqual([1, 1]);
    expect(progress.at(-1)).toEqual([2, 2]);
    expect(r.perUser).toBeUndefined();
  });
});
