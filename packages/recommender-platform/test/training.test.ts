import { describe, expect, it } from 'vitest';
import { gateDecision } from '@media-ai/db';
import { createModel, TwoTowerRecommender, type CatalogItem, type Interaction } from '@media-ai/recommender';
import {
  catalogItemFromRow,
  effectiveEventWeights,
  foldInHistory,
  interactionFromRow,
  modelSpec,
  trainAndValidate,
  trainingSetOf,
} from '../src/index.js';

const DAY = 86_400_000;
const YEARS_AGO = Date.UTC(1998, 0, 1);

/** Readers in two taste groups, each rating a few of their group's 12 items; timestamps from 1998. */
function ratings(): Interaction[] {
  const out: Interaction[] = [];
  for (let u = 0; u < 60; u++) {
    const group = u % 2;
    for (let k = 0; k < 8; k++) {
      const item = group * 12 + ((u * 5 + k * 7) % 12);
      out.push({
        readerId: `u${u}`,
        itemId: `m${item}`,
        eventType: 'rating',
        weight: 1 + ((u + k) % 5),
        timestamp: YEARS_AGO + (u * 8 + k) * DAY,
      });
    }
  }
  return out;
}

const settings = (halfLifeDays: number | null) => ({
  eventWeights: effectiveEventWeights({}),
  halfLifeDays,
});

describe('rows → engine', () => {
  it('trains on a years-old rating import with the default weights, with or without decay', () => {
    for (const halfLife of [14, null]) {
      const data = trainingSetOf(ratings(), settings(halfLife));
      expect(data.userIds).toHaveLength(60);
      expect(data.positives.indices.length).toBe(480);
      expect(Math.min(...data.positives.values)).toBeGreaterThan(0);
    }
  });

  it('no decay keeps each rating’s weight as it is; decay weighs the newest most', () => {
    const flat = trainingSetOf(ratings(), settings(null));
    const u = flat.userIndex.get('u0')!;
    const values = Array.from(
      flat.positives.values.subarray(flat.positives.indptr[u]!, flat.positives.indptr[u + 1]!),
    );
    expect(values.sort()).toEqual([1, 1, 2, 2, 3, 3, 4, 5].map(Number).sort());
    const decayed = trainingSetOf(ratings(), settings(1));
    const last = decayed.userIndex.get('u59')!;
    const first = decayed.userIndex.get('u0')!;
    const maxOf = (r: number) =>
      Math.max(
        ...decayed.positives.values.subarray(decayed.positives.indptr[r]!, decayed.positives.indptr[r + 1]!),
      );
    expect(maxOf(last)).toBeGreaterThan(maxOf(first) * 1000);
  });

  it('aggregates a reader’s rows into a fold-in history, negatives apart', () => {
    const at = (d: number) => new Date(YEARS_AGO + d * DAY);
    const rows = [
      { readerId: 'r', contentId: 'a', eventType: 'click', weight: null, occurredAt: at(1) },
      { readerId: 'r', contentId: 'a', eventType: 'read', weight: null, occurredAt: at(2) },
      { readerId: 'r', contentId: 'b', eventType: 'hide', weight: null, occurredAt: at(3) },
      { readerId: 'r', contentId: 'c', eventType: 'impression', weight: null, occurredAt: at(4) },
    ];
    expect(interactionFromRow(rows[0]!)).toEqual({
      readerId: 'r',
      itemId: 'a',
      eventType: 'click',
      timestamp: at(1).getTime(),
    });
    expect(foldInHistory(rows, settings(null))).toEqual([
      { itemId: 'b', weight: -4 },
      { itemId: 'a', weight: 3 },
    ]);
    expect(
      catalogItemFromRow({
        id: 'a',
        title: 'T',
        body: 'x'.repeat(1000),
        tags: ['t'],
        category: null,
        publishedAt: null,
        type: 'ARTICLE',
        language: 'en',
      }).text,
    ).toHaveLength(400);
  });
});

describe('training', () => {
  it('serves a model refitted on all interactions and reports the validated twin’s figures', async () => {
    const data = trainingSetOf(ratings(), settings(null));
    const progress: number[] = [];
    const out = await trainAndValidate({
      data,
      spec: modelSpec('item-knn', {}, settings(null)),
      validationFraction: 0.25,
      onProgress: (p) => progress.push(p.fraction),
    });
    // The served model knows every pair; the validated one misses the held-out quarter.
    const u = data.userIndex.get('u3')!;
    const served = out.model.userHistory(out.model.userIds.indexOf('u3'));
    const validated = out.validated.userHistory(out.validated.userIds.indexOf('u3'));
    expect(served.items.length).toBe(data.positives.indptr[u + 1]! - data.positives.indptr[u]!);
    expect(validated.items.length).toBe(6);
    expect(out.metrics.ndcg).toBeGreaterThan(0.3);
    expect(out.metrics.users).toBe(60);
    expect(out.activeNdcg).toBeNull();
    // Nothing active: the gate's evidence pairs each validation reader with the popularity baseline.
    expect(out.comparison.against).toBe('popularity baseline');
    expect(out.comparison.candidate).toHaveLength(60);
    expect(out.comparison.reference).toHaveLength(60);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(out.comparison.candidate)).toBeCloseTo(out.metrics.ndcg, 3);
    expect(mean(out.comparison.candidate)).toBeGreaterThan(mean(out.comparison.reference));
    // 60 readers are too few for the registry to activate it, however much better it is.
    const gate = gateDecision(out.comparison);
    expect(gate.passed).toBe(false);
    expect(gate.reason).toMatch(
      /validated on 60 reader\(s\); activation needs at least 100 held-out readers/,
    );
    expect(progress.at(-1)).toBeGreaterThan(0.9);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('measures the active recipe refitted on the same split, so a weaker challenger loses', async () => {
    const data = trainingSetOf(ratings(), settings(null));
    const out = await trainAndValidate({
      data,
      spec: modelSpec('popularity', {}, settings(null)),
      active: modelSpec('item-knn', {}, settings(null)),
      activeLabel: 'recommender v1 (item-knn)',
    });
    expect(out.activeNdcg).not.toBeNull();
    expect(out.metrics.ndcg).toBeLessThan(out.activeNdcg!);
    expect(out.comparison.against).toBe('recommender v1 (item-knn)');
    const active = out.comparison.reference.reduce((a, b) => a + b, 0) / out.comparison.reference.length;
    expect(active).toBeCloseTo(out.activeNdcg!, 3);
    // A fitted model is evaluated as it is.
    const fitted = createModel({ algorithm: 'popularity' });
    await fitted.fit(data);
    const again = await trainAndValidate({
      data,
      spec: modelSpec('item-knn', {}, settings(null)),
      active: fitted,
    });
    expect(again.metrics.ndcg).toBeGreaterThan(again.activeNdcg!);
  });

  it('serves a two-tower model on ids alone unless its item features beat that on validation', async () => {
    const data = trainingSetOf(ratings(), settings(null));
    // Features with no signal: the words and categories are unrelated to the two taste groups.
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const catalog: CatalogItem[] = data.itemIds.map((itemId, n) => ({
      itemId,
      title: `${words[(n * 7) % 6]} ${words[(n * 5 + 1) % 6]}`,
      category: words[(n * 11) % 6]!,
      tags: [],
    }));
    const out = await trainAndValidate({
      data,
      spec: modelSpec(
        'two-tower',
        { dim: 8, featureDim: 8, hidden: 8, hashBuckets: 64, epochs: 8, batchSize: 64 },
        settings(null),
      ),
      catalog,
    });
    const compared = out.selection.compared!;
    expect(compared.map((c) => c.variant)).toEqual(['ids + item features', 'ids only']);
    expect(out.metrics.ndcg).toBe(Math.max(...compared.map((c) => c.ndcg)));
    const served = out.model as TwoTowerRecommender;
    expect(served.settings.useContent).toBe(out.selection.chosen === 'ids + item features');
    if (out.selection.chosen === 'ids only') expect(out.selection.newItems).toBeUndefined();
  }, 120_000);
});
