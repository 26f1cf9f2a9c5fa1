import type { Csr } from './core/csr.js';
import { TrainingSetBuilder } from './training-set-builder.js';

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

/** Interactions → training set: de-duplication, event weights, time decay, negatives apart. */
export function buildTrainingSet(
  interactions: Iterable<Interaction>,
  options: TrainingSetOptions = {},
): TrainingSet {
  const builder = new TrainingSetBuilder(options);
  for (const it of interactions) builder.add(it.readerId, it.itemId, it.eventType, it.weight, it.timestamp);
  return builder.build();
}

/** Number of positive entries. */
export function countPositives(data: TrainingSet): number {
  return data.positives.indices.length;
}
