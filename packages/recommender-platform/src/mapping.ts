import {
  buildTrainingSet,
  type CatalogItem,
  type Interaction,
  type TrainingSet,
} from '@media-ai/recommender';
import type { RecommenderSettings } from './config.js';

/*
 * Rows of the database ↔ the engine's inputs, written once for training, evaluation, batch and
 * serving, so the model sees the same weights, decay and ids everywhere.
 */

/** The columns of an `Interaction` row the engine needs. */
export interface InteractionRow {
  readerId: string;
  contentId: string;
  eventType: string;
  weight: number | null;
  occurredAt: Date;
}

/** Select clause for {@link InteractionRow}. */
export const interactionSelect = {
  readerId: true,
  contentId: true,
  eventType: true,
  weight: true,
  occurredAt: true,
} as const;

export function interactionFromRow(r: InteractionRow): Interaction {
  return {
    readerId: r.readerId,
    itemId: r.contentId,
    eventType: r.eventType,
    ...(r.weight !== null ? { weight: r.weight } : {}),
    timestamp: r.occurredAt.getTime(),
  };
}

/**
 * Interactions → the engine's training set with the newsroom's weights and decay. Decay is measured
 * from the newest interaction, not the clock: only relative ages matter to a model, and years-old
 * data (an imported archive) would otherwise decay to nothing. `now` sets the reference instead
 * (what is "recent" for trending).
 */
export function trainingSetOf(
  interactions: Iterable<Interaction>,
  settings: Pick<RecommenderSettings, 'eventWeights' | 'halfLifeDays'>,
  options: { catalogItemIds?: Iterable<string>; now?: number } = {},
): TrainingSet {
  return buildTrainingSet(interactions, {
    ...(options.now !== undefined ? { now: options.now } : {}),
    eventWeights: settings.eventWeights,
    ...(settings.halfLifeDays !== null ? { halfLifeDays: settings.halfLifeDays } : {}),
    ...(options.catalogItemIds ? { catalogItemIds: options.catalogItemIds } : {}),
  });
}

/** One item of a reader's fold-in history: aggregated weight, negative for hidden/disliked items. */
export interface HistoryEvent {
  itemId: string;
  weight: number;
}

/**
 * A reader's interaction rows → the fold-in history (aggregated exactly like training data: event
 * weights, decay, negatives apart), oldest first. Decay is measured from `now` when given (serving:
 * the clock), else from the reader's newest event.
 */
export function foldInHistory(
  rows: readonly InteractionRow[] | readonly Interaction[],
  settings: Pick<RecommenderSettings, 'eventWeights' | 'halfLifeDays'>,
  options: { now?: number } = {},
): HistoryEvent[] {
  if (!rows.length) return [];
  const interactions = (rows as readonly (InteractionRow | Interaction)[]).map((r) =>
    'contentId' in r ? { ...interactionFromRow(r), readerId: 'reader' } : { ...r, readerId: 'reader' },
  );
  const data = trainingSetOf(interactions, settings, options);
  const events: (HistoryEvent & { time: number })[] = [];
  const p = data.positives;
  for (let k = 0; k < p.indices.length; k++) {
    events.push({ itemId: data.itemIds[p.indices[k]!]!, weight: p.values[k]!, time: data.positiveTimes[k]! });
  }
  const n = data.negatives;
  for (let k = 0; k < n.indices.length; k++) {
    events.push({ itemId: data.itemIds[n.indices[k]!]!, weight: -n.values[k]!, time: 0 });
  }
  return events.sort((a, b) => a.time - b.time).map(({ itemId, weight }) => ({ itemId, weight }));
}

/** The columns of a `ContentItem` row the engine's catalogue needs (body optional). */
export interface ContentRow {
  id: string;
  title: string;
  body?: string;
  tags: string[];
  category: string | null;
  publishedAt: Date | null;
  type: string;
  language: string | null;
}

/** Select clause for {@link ContentRow} without the body (serving). */
export const catalogSelect = {
  id: true,
  title: true,
  tags: true,
  category: true,
  publishedAt: true,
  type: true,
  language: true,
} as const;

/** A content row → a catalogue item; features read at most the first 400 characters of the body. */
export function catalogItemFromRow(r: ContentRow): CatalogItem {
  return {
    itemId: r.id,
    title: r.title,
    ...(r.body !== undefined ? { text: r.body.slice(0, 400) } : {}),
    tags: r.tags,
    ...(r.category ? { category: r.category } : {}),
    ...(r.publishedAt ? { publishedAt: r.publishedAt.getTime() } : {}),
    contentType: r.type,
    ...(r.language ? { language: r.language } : {}),
  };
}
