import { DomainError } from '@media-ai/core';
import type { ContentItem, Db, TenantDb } from '@media-ai/db';
import {
  applyEditorialRules,
  coldStartRecommendations,
  explain,
  historyFromIds,
  indexOfItems,
  recommend,
  type CatalogLookup,
  type Candidate,
  type EditorialItem,
  type EditorialRules,
  type Recommender,
} from '@media-ai/recommender';
import {
  catalogItemFromRow,
  catalogSelect,
  foldInHistory,
  interactionSelect,
  type HistoryEvent,
} from '@media-ai/recommender-platform';
import { getConfig, servingConfig } from './config.service.js';
import { rulesInForce } from './editorial.service.js';
import { activeModels, type Fallback, type ServedModel } from './model-cache.js';
import type { RecommendationFilter, RecommendationList, RecommendedItem } from './recommender.types.js';

const HISTORY_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NEW_WITHIN_MS = 48 * 3_600_000;

export interface ServingDeps {
  db: TenantDb;
  rootDb: Db;
  newsroomId: string;
}

/** A reader by the id the client uses (externalId), or by the platform id. */
export async function findReader(db: TenantDb, readerId: string) {
  const byExternal = await db.reader.findFirst({ where: { externalId: readerId } });
  if (byExternal) return byExternal;
  if (UUID.test(readerId)) {
    return db.reader.findFirst({ where: { id: readerId } });
  }
  return null;
}

/**
 * The reader's recent events, aggregated like training data by `foldInHistory` (event weights,
 * decay, negatives): the fold-in history. Read on every request, so new interactions count at once.
 */
function historyRows(db: TenantDb, where: { readerId: string } | { reader: { externalId: string } }) {
  return db.interaction.findMany({
    where,
    select: interactionSelect,
    orderBy: { occurredAt: 'desc' },
    take: HISTORY_LIMIT,
  });
}

/** Every item a reader with a long history has seen (the fold-in reads only the recent part). */
async function seenItemIds(db: TenantDb, readerId: string): Promise<string[]> {
  const rows = await db.interaction.findMany({
    where: { readerId },
    select: { contentId: true },
    distinct: ['contentId'],
  });
  return rows.map((r) => r.contentId);
}

/** Catalogue entries of published items (light columns), as a lookup. */
async function catalogOf(db: TenantDb, ids: Iterable<string>) {
  const list = [...new Set(ids)];
  const rows = list.length
    ? await db.contentItem.findMany({
        where: { id: { in: list }, status: 'PUBLISHED' },
        select: catalogSelect,
      })
    : [];
  const items = new Map(rows.map((r) => [r.id, catalogItemFromRow(r)]));
  const lookup: CatalogLookup = (id) => items.get(id);
  return { has: (id: string) => items.has(id), lookup };
}

/** Full content rows of a page, in its order. */
async function contentRows(db: TenantDb, ids: string[]): Promise<Map<string, ContentItem>> {
  const rows = ids.length ? await db.contentItem.findMany({ where: { id: { in: ids } } }) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

function filtersOf(f: RecommendationFilter | undefined): NonNullable<EditorialRules['filters']> {
  return {
    ...(f?.contentTypes?.length ? { contentTypes: f.contentTypes } : {}),
    ...(f?.categories?.length ? { categories: f.categories } : {}),
    ...(f?.language ? { languages: [f.language] } : {}),
    ...(f?.publishedSince ? { publishedSince: f.publishedSince.getTime() } : {}),
    excludeSeen: f?.excludeSeen ?? true,
  };
}

function modelRef(s: ServedModel | null) {
  return s ? { id: s.id, version: s.version, algorithm: s.algorithm, engineVersion: s.engineVersion } : null;
}

/** The newest published items (a freshness slot for brand-new content no model knows yet). */
function freshItemRows(db: TenantDb, now: number) {
  return db.contentItem.findMany({
    where: { status: 'PUBLISHED', publishedAt: { gte: new Date(now - NEW_WITHIN_MS), lte: new Date(now) } },
    orderBy: { publishedAt: 'desc' },
    select: { id: true },
    take: 20,
  });
}

export async function recommendationsFor(
  deps: ServingDeps,
  readerId: string,
  first: number,
  filter: RecommendationFilter | undefined,
): Promise<RecommendationList> {
  const t0 = performance.now();
  const { db, rootDb, newsroomId } = deps;
  const now = Date.now();
  // One round of independent queries; the history is found by the client's reader id directly.
  const [configRow, served, rules, byExternal, freshRows] = await Promise.all([
    getConfig(db, newsroomId),
    activeModels.get(rootDb, newsroomId),
    rulesInForce(db, new Date(now)),
    historyRows(db, { reader: { externalId: readerId } }),
    freshItemRows(db, now),
  ]);
  const config = servingConfig(configRow);
  let rows = byExternal;
  if (!rows.length && UUID.test(readerId)) rows = await historyRows(db, { readerId });
  const history: HistoryEvent[] = foldInHistory(rows, config);
  const seen = new Set(history.map((e) => e.itemId));
  if (rows.length >= HISTORY_LIMIT) for (const id of await seenItemIds(db, rows[0]!.readerId)) seen.add(id);
  const fallback = await activeModels.fallback(rootDb, newsroomId, config.eventWeights, config.halfLifeDays);
  const filters = filtersOf(filter);
  const poolSize = Math.max(100, first * 8);

  let candidates: Candidate[] = [];
  let explainModel: Recommender = fallback.popularity;
  let foldIn = { items: [] as number[], weights: [] as number[] };
  let personal = false;
  if (served) {
    const h = historyFromIds(served.model, history);
    if (h.items.length > 0 && Array.from(h.weights ?? []).some((w) => w > 0)) {
      personal = true;
      explainModel = served.model;
      foldIn = { items: Array.from(h.items), weights: Array.from(h.weights ?? []) };
      const excludeSeen = filters.excludeSeen ?? true;
      candidates = recommend(served.model, h, {
        k: poolSize,
        excludeHistory: excludeSeen,
        ...(excludeSeen ? { excludeItemIds: seen } : {}),
      });
    }
  }
  if (!personal) candidates = coldStart(fallback, served, seen, poolSize);

  // Brand-new items no model has seen get a slot near the top (3rd place unless rules say otherwise).
  const known = served ? indexOfItems(served.model) : new Map<string, number>();
  const fresh = freshRows.map((r) => r.id).filter((id) => !known.has(id));
  const freshIds = new Set<string>();
  const candidateIds = new Set(candidates.map((c) => c.itemId));
  const slotScore = candidates.length >= 3 ? candidates[2]!.score : (candidates.at(-1)?.score ?? 0);
  for (const id of fresh) {
    if (candidateIds.has(id) || (filters.excludeSeen && seen.has(id))) continue;
    freshIds.add(id);
    candidates.push({ itemId: id, score: slotScore });
    if (freshIds.size >= 1) break;
  }

  // History items too: explanations name them and read their categories.
  const historyIds = history
    .filter((e) => e.weight > 0)
    .slice(-50)
    .map((e) => e.itemId);
  const { has, lookup } = await catalogOf(db, [
    ...candidates.map((c) => c.itemId),
    ...(rules.pins ?? []).map((p) => p.itemId),
    ...historyIds,
  ]);
  const page = applyEditorialRules(
    candidates.filter((c) => has(c.itemId)),
    {
      ...rules,
      pins: (rules.pins ?? []).filter((p) => has(p.itemId)),
      ...(config.categoryCap > 0 ? { maxPerCategory: config.categoryCap } : {}),
      filters,
    },
    { now, catalog: lookup, seen },
    first,
  );
  const reasons = explain(page, {
    model: explainModel,
    history: foldIn,
    catalog: lookup,
    now,
    trendingItemIds: fallback.trendingIds,
  });
  const rowsById = await contentRows(
    db,
    page.map((p) => p.itemId),
  );
  const items = page
    .filter((item) => rowsById.has(item.itemId))
    .map((item) => toItem(item, reasons[page.indexOf(item)]!, rowsById.get(item.itemId)!, freshIds));
  return {
    items,
    modelVersion: personal ? modelRef(served) : null,
    coldStart: !personal,
    tookMs: round(performance.now() - t0),
  };
}

function coldStart(
  fallback: Fallback,
  served: ServedModel | null,
  seen: Set<string>,
  k: number,
): Candidate[] {
  if (fallback.popularity.itemIds.length > 0) {
    const index = indexOfItems(fallback.popularity);
    const exclude = [...seen].map((id) => index.get(id)).filter((i): i is number => i !== undefined);
    return coldStartRecommendations({
      k,
      popularity: fallback.popularity,
      trending: fallback.trending,
      exclude,
    });
  }
  // No recent interactions at all: what the active model finds popular, if there is one.
  if (served) return recommend(served.model, { items: [] }, { k });
  return [];
}

const round = (x: number) => Math.round(x * 100) / 100;

function toItem(
  item: EditorialItem,
  reason: { kind: string; text: string; relatedItemId?: string },
  content: ContentItem,
  freshIds: Set<string>,
): RecommendedItem {
  let text = reason.text;
  let kind: string = reason.kind;
  if (item.pinned) {
    text = 'Editor’s pick';
    kind = 'editors-pick';
  } else if (freshIds.has(item.itemId) && reason.kind !== 'new-in-category') {
    text = content.category ? `New in ${content.category}` : 'New';
    kind = 'new';
  }
  return {
    content,
    score: Number.isFinite(item.score) ? item.score : 0,
    reason: text,
    reasonKind: kind,
    relatedContentId: kind === 'because-you-read' ? (reason.relatedItemId ?? null) : null,
    pinned: !!item.pinned,
    boosted: !!item.boosted,
  };
}

/** Items like one content item by the active model; trending in its category when the model has none. */
export async function similarTo(
  deps: ServingDeps,
  contentId: string,
  first: number,
): Promise<RecommendedItem[]> {
  const { db, rootDb, newsroomId } = deps;
  const now = Date.now();
  const [source, served, rules, configRow] = await Promise.all([
    db.contentItem.findFirst({ where: { id: contentId } }),
    activeModels.get(rootDb, newsroomId),
    rulesInForce(db, new Date(now)),
    getConfig(db, newsroomId),
  ]);
  if (!source) throw new DomainError('NOT_FOUND', `Content ${contentId} was not found in this newsroom`);
  const index = served ? indexOfItems(served.model).get(contentId) : undefined;
  let candidates: Candidate[];
  let similar = false;
  if (served && index !== undefined) {
    similar = true;
    candidates = served.model.similarItems(index, Math.max(50, first * 5)).map((s) => ({
      itemId: served.model.itemIds[s.index]!,
      score: s.score,
    }));
  } else {
    const config = servingConfig(configRow);
    const fallback = await activeModels.fallback(
      rootDb,
      newsroomId,
      config.eventWeights,
      config.halfLifeDays,
    );
    candidates = coldStartRecommendations({
      k: 500,
      popularity: fallback.popularity,
      trending: fallback.trending,
    });
  }
  const { has, lookup } = await catalogOf(
    db,
    candidates.map((c) => c.itemId),
  );
  const page = applyEditorialRules(
    candidates.filter((c) => has(c.itemId) && c.itemId !== contentId),
    {
      blockedItemIds: rules.blockedItemIds ?? [],
      embargoes: rules.embargoes ?? [],
      ...(similar || !source.category ? {} : { filters: { categories: [source.category] } }),
    },
    { now, catalog: lookup },
    first,
  );
  const rowsById = await contentRows(
    db,
    page.map((p) => p.itemId),
  );
  return page
    .filter((p) => rowsById.has(p.itemId))
    .map((p) => ({
      content: rowsById.get(p.itemId)!,
      score: p.score,
      reason: similar
        ? `Similar to ${source.title}`
        : source.category
          ? `Popular in ${source.category}`
          : 'Popular with readers',
      reasonKind: similar ? 'similar' : source.category ? 'popular-in-category' : 'popular',
      relatedContentId: similar ? contentId : null,
      pinned: false,
      boosted: false,
    }));
}

/** Items with a burst of recent activity (on-the-fly trending of the last 30 days' interactions). */
export async function trendingNow(
  deps: ServingDeps,
  first: number,
  category: string | undefined,
): Promise<RecommendedItem[]> {
  const { db, rootDb, newsroomId } = deps;
  const now = Date.now();
  const [configRow, rules] = await Promise.all([getConfig(db, newsroomId), rulesInForce(db, new Date(now))]);
  const config = servingConfig(configRow);
  const fallback = await activeModels.fallback(rootDb, newsroomId, config.eventWeights, config.halfLifeDays);
  if (!fallback.trending.itemIds.length) return [];
  const candidates = coldStartRecommendations({
    k: 500,
    trending: fallback.trending,
    popularity: fallback.popularity,
    trendingWeight: 0.8,
  });
  const { has, lookup } = await catalogOf(
    db,
    candidates.map((c) => c.itemId),
  );
  const page = applyEditorialRules(
    candidates.filter((c) => has(c.itemId)),
    {
      blockedItemIds: rules.blockedItemIds ?? [],
      embargoes: rules.embargoes ?? [],
      ...(category ? { filters: { categories: [category] } } : {}),
    },
    { now, catalog: lookup },
    first,
  );
  const rowsById = await contentRows(
    db,
    page.map((p) => p.itemId),
  );
  return page
    .filter((p) => rowsById.has(p.itemId))
    .map((p) => ({
      content: rowsById.get(p.itemId)!,
      score: p.score,
      reason: fallback.trendingIds.has(p.itemId)
        ? 'Trending now'
        : category
          ? `Popular in ${category}`
          : 'Popular with readers',
      reasonKind: fallback.trendingIds.has(p.itemId) ? 'trending' : 'popular',
      relatedContentId: null,
      pinned: false,
      boosted: false,
    }));
}
