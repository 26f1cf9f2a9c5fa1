import { describe, expect, it } from 'vitest';
import { rowIndices } from '../src/core/csr.js';
import { buildTrainingSet, type Interaction } from '../src/interactions.js';
import { splitTrainingSet } from '../src/split.js';
import { TrainingSetBuilder } from '../src/training-set-builder.js';
import { createRng } from '../src/core/rng.js';
import { DAY, plantedData, T0 } from './factories.js';

const ev = (
  readerId: string,
  itemId: string,
  eventType: string,
  timestamp = T0,
  weight?: number,
): Interaction => ({
  readerId,
  itemId,
  eventType,
  timestamp,
  weight,
});

describe('buildTrainingSet', () => {
  it('weights events by type and counts repeated events of one type once', () => {
    const data = buildTrainingSet(
      [
        ev('r', 'a', 'view', T0),
        ev('r', 'a', 'view', T0 + 1),
        ev('r', 'a', 'share', T0),
        ev('r', 'b', 'view'),
      ],
      { eventWeights: { view: 1, share: 4 } },
    );
    const a = data.itemIndex.get('a')!;
    const b = data.itemIndex.get('b')!;
    const values = new Map([...rowIndices(data.positives, 0)].map((i, k) => [i, data.positives.values[k]!]));
    expect(values.get(a)).toBe(5);
    expect(values.get(b)).toBe(1);
  });

  it("sums repeats with duplicates: 'sum' and multiplies by an event's own weight", () => {
    const data = buildTrainingSet([ev('r', 'a', 'view', T0, 0.5), ev('r', 'a', 'view', T0 + 1, 0.5)], {
      eventWeights: { view: 2 },
      duplicates: 'sum',
    });
    expect(data.positives.values[0]).toBeCloseTo(2, 6);
  });

  it('halves the weight of an event one half-life old', () => {
    const data = buildTrainingSet([ev('r', 'old', 'read', T0), ev('r', 'new', 'read', T0 + 7 * DAY)], {
      eventWeights: { read: 1 },
      halfLifeDays: 7,
    });
    const row = new Map(
      [...rowIndices(data.positives, 0)].map((i, k) => [data.itemIds[i], data.positives.values[k]]),
    );
    expect(row.get('new')).toBeCloseTo(1, 6);
    expect(row.get('old')).toBeCloseTo(0.5, 6);
  });

  it('keeps hidden/disliked items out of the positives and records them as negatives', () => {
    const data = buildTrainingSet([
      ev('r', 'a', 'read'),
      ev('r', 'a', 'hide'),
      ev('r', 'b', 'read'),
      ev('r', 'c', 'dislike'),
    ]);
    const pos = [...rowIndices(data.positives, 0)].map((i) => data.itemIds[i]);
    const neg = [...rowIndices(data.negatives, 0)].map((i) => data.itemIds[i]);
    expect(pos).toEqual(['b']);
    expect(neg.sort()).toEqual(['a', 'c']);
  });

  it('drops event types without weight and indexes catalogue items without events', () => {
    const data = buildTrainingSet([ev('r', 'a', 'impression'), ev('r', 'b', 'read')], {
      catalogItemIds: ['new'],
    });
    expect(data.itemIds).toEqual(['b', 'new']);
    expect(data.positives.cols).toBe(2);
  });
});

describe('splitTrainingSet', () => {
  const data = buildTrainingSet(plantedData({ users: 40 }).interactions);

  it('holds out a quarter of each reader, reproducibly for a seed', () => {
    const a = splitTrainingSet(data, { seed: 42 });
    const b = splitTrainingSet(data, { seed: 42 });
    const c = splitTrainingSet(data, { seed: 7 });
    expect(a.test.positives.indices).toEqual(b.test.positives.indices);
    expect(a.test.positives.indices).not.toEqual(c.test.positives.indices);
    for (let u = 0; u < data.positives.rows; u++) {
      const n = data.positives.indptr[u + 1]! - data.positives.indptr[u]!;
      const held = a.test.positives.indptr[u + 1]! - a.test.positives.indptr[u]!;
      expect(held).toBe(Math.round(n * 0.25));
      const train = new Set(rowIndices(a.train.positives, u));
      for (const i of rowIndices(a.test.positives, u)) expect(train.has(i)).toBe(false);
    }
  });

  it('holds out the latest positives with the time split', () => {
    const s = splitTrainingSet(data, { method: 'time', testFraction: 0.25 });
    for (let u = 0; u < data.positives.rows; u++) {
      let lastTrain = -Infinity;
      for (let p = s.train.positives.indptr[u]!; p < s.train.positives.indptr[u + 1]!; p++) {
        lastTrain = Math.max(lastTrain, s.train.positiveTimes[p]!);
      }
      for (let p = s.test.positives.indptr[u]!; p < s.test.positives.indptr[u + 1]!; p++) {
        expect(s.test.positiveTimes[p]!).toBeGreaterThanOrEqual(lastTrain);
      }
    }
  });
});

/** The aggregation spelled out with one object per event, to check the columnar builder against. */
function referenceSet(
  list: Interaction[],
  weights: Record<string, number>,
  halfLifeDays: number,
  now: number,
) {
  const latest = new Map<string, Interaction>();
  for (const it of list) {
    const key = `${it.readerId}|${it.itemId}|${it.eventType}`;
    const prev = latest.get(key);
    if (!prev || it.timestamp > prev.timestamp) latest.set(key, it);
  }
  const pairs = new Map<string, { pos: number; neg: number }>();
  for (const it of latest.values()) {
    const base = weights[it.eventType] ?? 0;
    if (base === 0) continue;
    const w = base * (it.weight ?? 1) * Math.pow(0.5, (now - it.timestamp) / (halfLifeDays * DAY));
    const key = `${it.readerId}|${it.itemId}`;
    const acc = pairs.get(key) ?? { pos: 0, neg: 0 };
    if (w < 0) acc.neg -= w;
    else acc.pos += w;
    pairs.set(key, acc);
  }
  return pairs;
}

describe('TrainingSetBuilder', () => {
  it('streams events into the same set as the per-event aggregation (duplicates, negatives, decay)', () => {
    const rng = createRng(21);
    const types = ['impression', 'view', 'read', 'share', 'hide'];
    const weights = { impression: 0, view: 1, read: 2, share: 4, hide: -4 };
    const list: Interaction[] = [];
    for (let n = 0; n < 4000; n++) {
      list.push(
        ev(
          `r${rng.int(60)}`,
          `i${rng.int(80)}`,
          types[rng.int(types.length)]!,
          T0 + rng.int(30) * DAY,
          rng.next() < 0.3 ? 0.5 + rng.next() : undefined,
        ),
      );
    }
    const now = T0 + 31 * DAY;
    const builder = new TrainingSetBuilder({ eventWeights: weights, halfLifeDays: 7, now });
    expect(builder.countedEventTypes()?.sort()).toEqual(['hide', 'read', 'share', 'view']);
    for (const it of list) builder.add(it.readerId, it.itemId, it.eventType, it.weight ?? null, it.timestamp);
    expect(builder.offered).toBe(4000);
    expect(builder.size).toBe(list.filter((it) => it.eventType !== 'impression').length);
    const data = builder.build();
    const reference = referenceSet(list, weights, 7, now);
    let checked = 0;
    for (const [key, acc] of reference) {
      const [r, i] = key.split('|') as [string, string];
      const u = data.userIndex.get(r)!;
      const j = data.itemIndex.get(i)!;
      const find = (m: typeof data.positives) => {
        for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) if (m.indices[p] === j) return m.values[p]!;
        return 0;
      };
      if (acc.neg > 0) {
        expect(find(data.negatives)).toBeCloseTo(acc.neg, 4);
        expect(find(data.positives)).toBe(0);
      } else if (acc.pos > 0) expect(find(data.positives)).toBeCloseTo(acc.pos, 4);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    expect(data.positives.indices.length + data.negatives.indices.length).toBe(
      [...reference.values()].filter((a) => a.neg > 0 || a.pos > 0).length,
    );
    // Rows are sorted by item index, as the models expect.
    for (let u = 0; u < data.userIds.length; u++) {
      const row = rowIndices(data.positives, u);
      for (let p = 1; p < row.length; p++) expect(row[p]!).toBeGreaterThan(row[p - 1]!);
    }
  });
});
