import type { Csr } from './core/csr.js';
import {
  decayFactor,
  DEFAULT_EVENT_WEIGHTS,
  type TrainingSet,
  type TrainingSetOptions,
} from './interactions.js';

/** A typed array that grows by doubling: columns of events without one object per event. */
class Column<T extends Int32Array | Float32Array | Float64Array | Uint16Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The filled part, trimmed to its length (a copy only when there is slack worth returning). */
  trimmed(): T {
    return (this.length === this.data.length ? this.data : this.data.slice(0, this.length)) as T;
  }
}

/**
 * Builds a {@link TrainingSet} from events added one at a time, kept as compact typed columns
 * (reader and item ids dictionary-encoded once): memory grows by ~22 bytes an event plus the id
 * dictionaries, whatever the source (an array, a database cursor). Events whose type weighs 0 are
 * dropped as they arrive. Same semantics as `buildTrainingSet`: duplicates per (reader, item, type)
 * keep the latest event unless `duplicates: 'sum'`, weights decay with `halfLifeDays`, and pairs with
 * a negative event become negatives.
 */
export class TrainingSetBuilder {
  private readonly eventWeights: Record<string, number>;
  private readonly unknownWeight: number;
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private readonly userIds: string[] = [];
  private readonly itemIds: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly typeWeights: number[] = [];
  private readonly users = new Column((n) => new Int32Array(n));
  private readonly items = new Column((n) => new Int32Array(n));
  private readonly types = new Column((n) => new Uint16Array(n));
  private readonly weights = new Column((n) => new Float32Array(n));
  private readonly times = new Column((n) => new Float64Array(n));
  /** Events offered (including those of types that weigh 0) and their time range. */
  offered = 0;
  earliest = Infinity;
  latest = -Infinity;

  constructor(private readonly options: TrainingSetOptions = {}) {
    this.eventWeights = options.eventWeights ?? DEFAULT_EVENT_WEIGHTS;
    this.unknownWeight = options.unknownEventWeight ?? 0;
  }

  /**
   * The event types that count, so that a reader can leave the others out at the source; null when
   * every type counts (a non-zero weight for unknown types).
   */
  countedEventTypes(): string[] | null {
    if (this.unknownWeight !== 0) return null;
    return Object.entries(this.eventWeights)
      .filter(([, w]) => w !== 0 && Number.isFinite(w))
      .map(([t]) => t);
  }

  /** Events kept so far. */
  get size(): number {
    return this.users.length;
  }

  /** One event; `weight` null or undefined means 1. */
  add(
    readerId: string,
    itemId: string,
    eventType: string,
    weight: number | null | undefined,
    timestamp: number,
  ): void {
    this.offered++;
    if (timestamp < this.earliest) this.earliest = timestamp;
    if (timestamp > this.latest) this.latest = timestamp;
    let t = this.typeIndex.get(eventType);
    if (t === undefined) {
      t = this.typeWeights.length;
      this.typeIndex.set(eventType, t);
      this.typeWeights.push(this.eventWeights[eventType] ?? this.unknownWeight);
    }
    if (this.typeWeights[t] === 0) return;
    this.users.push(indexOf(this.userIndex, this.userIds, readerId));
    this.items.push(indexOf(this.itemIndex, this.itemIds, itemId));
    this.types.push(t);
    this.weights.push(weight ?? Number.NaN);
    this.times.push(timestamp);
  }

  /** The training set of every event added. The builder should not be used afterwards. */
  build(): TrainingSet {
    const n = this.users.length;
    const U = this.users.data;
    const I = this.items.data;
    const T = this.types.data;
    const W = this.weights.data;
    const TS = this.times.data;
    let now = this.options.now ?? this.latest;
    if (!Number.isFinite(now)) now = 0;
    if (this.options.catalogItemIds)
      for (const id of this.options.catalogItemIds) indexOf(this.itemIndex, this.itemIds, id);
    const numUsers = this.userIds.length;
    const numItems = this.itemIds.length;

    // Order events by (reader, item), arrival order kept within a pair: two stable counting sorts.
    const byItem = countingOrder(I, n, numItems, null);
    const order = countingOrder(U, n, numUsers, byItem);

    const latestOnly = (this.options.duplicates ?? 'latest') === 'latest';
    const halfLife = this.options.halfLifeDays;
    const typeWeights = Float64Array.from(this.typeWeights);
    const bestTime = new Float64Array(typeWeights.length);
    const bestEvent = new Int32Array(typeWeights.length).fill(-1);
    const usedTypes: number[] = [];

    const pos = {
      indptr: new Int32Array(numUsers + 1),
      indices: new Column((m) => new Int32Array(m)),
      values: new Column((m) => new Float32Array(m)),
      times: new Column((m) => new Float64Array(m)),
    };
    const neg = {
      indptr: new Int32Array(numUsers + 1),
      indices: new Column((m) => new Int32Array(m)),
      values: new Column((m) => new Float32Array(m)),
    };
    let acc = 0;
    let negative = 0;
    let time = -Infinity;
    const take = (e: number) => {
      const w = typeWeights[T[e]!]! * (Number.isNaN(W[e]!) ? 1 : W[e]!) * decayFactor(now - TS[e]!, halfLife);
      if (w < 0) negative += -w;
      else acc += w;
      if (TS[e]! > time) time = TS[e]!;
    };
    let k = 0;
    for (let u = 0; u < numUsers; u++) {
      while (k < n && U[order[k]!] === u) {
        const item = I[order[k]!]!;
        let end = k;
        while (end < n && U[order[end]!] === u && I[order[end]!] === item) end++;
        acc = 0;
        negative = 0;
        time = -Infinity;
        if (latestOnly) {
          // The latest event of each type (the first of equal times), as a re-read is not twice the interest.
          for (let p = k; p < end; p++) {
            const e = order[p]!;
            const t = T[e]!;
            if (bestEvent[t] === -1) {
              usedTypes.push(t);
              bestEvent[t] = e;
              bestTime[t] = TS[e]!;
            } else if (TS[e]! > bestTime[t]!) {
              bestEvent[t] = e;
              bestTime[t] = TS[e]!;
            }
          }
          for (const t of usedTypes) {
            take(bestEvent[t]!);
            bestEvent[t] = -1;
          }
          usedTypes.length = 0;
        } else {
          for (let p = k; p < end; p++) take(order[p]!);
        }
        if (negative > 0) {
          neg.indices.push(item);
          neg.values.push(negative);
        } else if (acc > 0) {
          pos.indices.push(item);
          pos.values.push(acc);
          pos.times.push(time);
        }
        k = end;
      }
      pos.indptr[u + 1] = pos.indices.length;
      neg.indptr[u + 1] = neg.indices.length;
    }
    const csr = (m: {
      indptr: Int32Array;
      indices: Column<Int32Array>;
      values: Column<Float32Array>;
    }): Csr => ({
      rows: numUsers,
      cols: numItems,
      indptr: m.indptr,
      indices: m.indices.trimmed(),
      values: m.values.trimmed(),
    });
    return {
      userIds: this.userIds,
      itemIds: this.itemIds,
      userIndex: this.userIndex,
      itemIndex: this.itemIndex,
      positives: csr(pos),
      positiveTimes: pos.times.trimmed(),
      negatives: csr(neg),
      now,
    };
  }
}

function indexOf(map: Map<string, number>, ids: string[], id: string): number {
  let idx = map.get(id);
  if (idx === undefined) {
    idx = ids.length;
    map.set(id, idx);
    ids.push(id);
  }
  return idx;
}

/**
 * Event positions ordered by `keys` (0..numKeys-1), stable: equal keys keep the order of `input`
 * (or of the positions themselves when `input` is null).
 */
function countingOrder(keys: Int32Array, n: number, numKeys: number, input: Int32Array | null): Int32Array {
  const start = new Int32Array(numKeys + 1);
  for (let e = 0; e < n; e++) start[keys[e]! + 1]!++;
  for (let key = 0; key < numKeys; key++) start[key + 1]! += start[key]!;
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const e = input ? input[p]! : p;
    out[start[keys[e]!]!++] = e;
  }
  return out;
}
