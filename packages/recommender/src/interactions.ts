import type { Csr } from './core/csr.js';

/** One reader event, as the platform logs it. Timestamps are milliseconds since the epoch. */
export interface Interaction {
  readerId: string;
  itemId: string;
  eventType: string;
  /** Multiplies the event type's weight (e.g. a dwell-time factor); 1 when absent. */
  weight?: number;
  timestamp: number;
}

/**
 * Weight per event type. Negative weights mark hidden/disliked items: such a (reader, item) pair is
 * excluded from the positives and kept as a negative, which serving pushes down.
 */
export type EventWeights = Record<string, number>;

export const DEFAULT_EVENT_WEIGHTS: EventWeights = {
  impression: 0,
  view: 1,
  click: 1,
  read: 2,
  complete: 3,
  like: 4,
  share: 4,
  bookmark: 4,
  // An explicit rating (e.g. a MovieLens import): the event's own weight carries the stars.
  rating: 1,
  hide: -4,
  dislike: -4,
};

export interface TrainingSetOptions {
  eventWeights?: EventWeights;
  /** Weight for event types missing from the map; 0 drops them. Default 0. */
  unknownEventWeight?: number;
  /** Exponential decay half-life in days, relative to `now`. Undefined: no decay. */
  halfLifeDays?: number;
  /** Reference time for decay; defaults to the latest timestamp in the data (deterministic). */
  now?: number;
  /**
   * How repeated events of the same type on the same (reader, item) count: 'latest' keeps only the
   * latest one (a re-read is not twice the interest), 'sum' keeps them all. Default 'latest'.
   */
  duplicates?: 'latest' | 'sum';
  /** Extra item ids to index even without interactions (new catalogue items). */
  catalogItemIds?: Iterable<string>;
}

/**
 * Interactions aggregated into a reader × item matrix, with the id ↔ index maps the models keep.
 * `positives` values are the aggregated (decayed) weights, `positiveTimes` the latest event time per
 * entry; `negatives` holds pairs with a negative event (value = |weight|).
 */
export interface TrainingSet {
  userIds: string[];
  itemIds: string[];
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  positives: Csr;
  positiveTimes: Float64Array;
  negatives: Csr;
  now: number;
}

const DAY_MS = 86_400_000;

export function decayFactor(ageMs: number, halfLifeDays: number | undefined): number {
  if (halfLifeDays === undefined || !(halfLifeDays > 0)) return 1;
  return Math.pow(0.5, Math.max(0, ageMs) / (halfLifeDays * DAY_MS));
}

interface PairAcc {
  weight: number;
  negative: number;
  time: number;
}

/** Interactions → training set: de-duplication, event weights, time decay, negatives apart. */
export function buildTrainingSet(
  interactions: Iterable<Interaction>,
  options: TrainingSetOptions = {},
): TrainingSet {
  const eventWeights = options.eventWeights ?? DEFAULT_EVENT_WEIGHTS;
  const unknownWeight = options.unknownEventWeight ?? 0;
  const duplicates = options.duplicates ?? 'latest';

  const list = Array.isArray(interactions) ? (interactions as Interaction[]) : [...interactions];
  let now = options.now ?? -Infinity;
  if (options.now === undefined) for (const it of list) if (it.timestamp > now) now = it.timestamp;
  if (!Number.isFinite(now)) now = 0;

  // De-duplicate: one event per (reader, item, type) unless duplicates === 'sum'.
  const events = new Map<string, Interaction>();
  let serial = 0;
  for (const it of list) {
    const key =
      duplicates === 'latest' ? `${it.readerId}\u0000${it.itemId}\u0000${it.eventType}` : String(serial++);
    const prev = events.get(key);
    if (!prev || it.timestamp > prev.timestamp) events.set(key, it);
  }

  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const indexOf = (map: Map<string, number>, ids: string[], id: string): number => {
    let idx = map.get(id);
    if (idx === undefined) {
      idx = ids.length;
      map.set(id, idx);
      ids.push(id);
    }
    return idx;
  };

  const perUser: Map<number, PairAcc>[] = [];
  for (const it of events.values()) {
    const base = eventWeights[it.eventType] ?? unknownWeight;
    if (base === 0) continue;
    const u = indexOf(userIndex, userIds, it.readerId);
    const i = indexOf(itemIndex, itemIds, it.itemId);
    const w = base * (it.weight ?? 1) * decayFactor(now - it.timestamp, options.halfLifeDays);
    const row = (perUser[u] ??= new Map());
    let acc = row.get(i);
    if (!acc) row.set(i, (acc = { weight: 0, negative: 0, time: -Infinity }));
    if (w < 0) acc.negative += -w;
    else acc.weight += w;
    if (it.timestamp > acc.time) acc.time = it.timestamp;
  }
  if (options.catalogItemIds) for (const id of options.catalogItemIds) indexOf(itemIndex, itemIds, id);

  const numUsers = userIds.length;
  const numItems = itemIds.length;
  const pos = {
    indptr: new Int32Array(numUsers + 1),
    indices: [] as number[],
    values: [] as number[],
    times: [] as number[],
  };
  const neg = { indptr: new Int32Array(numUsers + 1), indices: [] as number[], values: [] as number[] };
  for (let u = 0; u < numUsers; u++) {
    const row = perUser[u];
    if (row) {
      const items = [...row.keys()].sort((a, b) => a - b);
      for (const i of items) {
        const acc = row.get(i)!;
        if (acc.negative > 0) {
          neg.indices.push(i);
          neg.values.push(acc.negative);
        } else if (acc.weight > 0) {
          pos.indices.push(i);
          pos.values.push(acc.weight);
          pos.times.push(acc.time);
        }
      }
    }
    pos.indptr[u + 1] = pos.indices.length;
    neg.indptr[u + 1] = neg.indices.length;
  }
  return {
    userIds,
    itemIds,
    userIndex,
    itemIndex,
    positives: {
      rows: numUsers,
      cols: numItems,
      indptr: pos.indptr,
      indices: Int32Array.from(pos.indices),
      values: Float32Array.from(pos.values),
    },
    positiveTimes: Float64Array.from(pos.times),
    negatives: {
      rows: numUsers,
      cols: numItems,
      indptr: neg.indptr,
      indices: Int32Array.from(neg.indices),
      values: Float32Array.from(neg.values),
    },
    now,
  };
}

/** Number of positive entries. */
export function countPositives(data: TrainingSet): number {
  return data.positives.indices.length;
}
