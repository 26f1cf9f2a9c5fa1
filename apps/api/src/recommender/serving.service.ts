import { DomainError } from '@media-ai/core';
import type { ContentItem, TenantDb } from '@media-ai/db';
import {
  applyEditorialRules,
  coldStartRecommendations,
  explain,
  historyFromIds,
  indexOfItems,
  recommend,
  recommendWithIndex,
  scoreNewItems,
  type CatalogItem,
  type CatalogLookup,
  type Candidate,
  type EditorialItem,
  type EditorialRules,
  type Recommender,
} from '@media-ai/recommender';
import { catalogItemFromRow, foldInHistory } from '@media-ai/recommender-platform';
import { getConfig, servingConfig, type ServingConfig } from './config.service.js';
import { rulesInForce } from './editorial.service.js';
import type { Arm } from './experiment-counters.js';
import { armOf } from './experiment-stats.js';
import { runningExperiment, type RunningExperiment } from './experiments.service.js';
import {
  HISTORY_LIMIT,
  type HistoryEvent,
  type IngestedEvent,
  type ReaderHistory,
} from './reader-history.js';
import type { RecommenderServing } from './serving-state.js';
import { activeModels, type Fallback, type ServedModel } from './model-cache.js';
import type { RecommendationFilter, RecommendationList, RecommendedItem } from './recommender.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NEW_WITHIN_MS = 48 * 3_600_000;

export interface ServingDeps {
  db: TenantDb;
  newsroomId: string;
  serving: RecommenderServing;
}

/** What the cached values of a newsroom are read with. */
type CacheDeps = Pick<ServingDeps, 'db' | 'newsroomId' | 'serving'>;

type ReaderEvent = ReturnType<typeof foldInHistory>[number];

/** A reader by the id the client uses (externalId), or by the platform id. */
export async function findReader(db: TenantDb, readerId: string) {
  const byExternal = await db.reader.findFirst({ where: { externalId: readerId } });
  if (byExternal) return byExternal;
  if (UUID.test(readerId)) {
    return db.reader.findFirst({ where: { id: readerId } });
  }
  return null;
}

/** A reader addressed by the platform id (rare: clients use their own ids), read from PostgreSQL. */
async function historyByPlatformId(db: TenantDb, readerId: string): Promise<ReaderHistory> {
  const rows = await db.interaction.findMany({
    where: { readerId },
    select: { contentId: true, eventType: true, weight: true, occurredAt: true },
    orderBy: { occurredAt: 'desc' },
    take: HISTORY_LIMIT,
  });
  const events = rows.reverse().map((r) => ({
    itemId: r.contentId,
    eventType: r.eventType,
    weight: r.weight,
    at: r.occurredAt.getTime(),
  }));
  return { events, seen: new Set(events.map((e) => e.itemId)) };
}

/**
 * The reader's recent events aggregated like training data (the recommender platform's
 * `foldInHistory`: event weights, decay, negatives), oldest first: the fold-in history. New
 * interactions count at once: ingest appends them to the hot history.
 */
function aggregateHistory(events: HistoryEvent[], config: ServingConfig, now: number): ReaderEvent[] {
  return foldInHistory(
    events.map((e) => ({
      readerId: 'reader',
      itemId: e.itemId,
      eventType: e.eventType,
      ...(e.weight !== null ? { weight: e.weight } : {}),
      timestamp: e.at,
    })),
    config,
    { now },
  );
}

/** Content rows (cached per process) and a catalogue lookup of the published ones among them. */
async function catalogOf(deps: ServingDeps, ids: Iterable<string>) {
  const rows = await deps.serving.cache.contentRows(deps.db, ids);
  const items = new Map<string, CatalogItem>();
  for (const [id, row] of rows) if (row.status === 'PUBLISHED') items.set(id, catalogItemFromRow(row));
  const lookup: CatalogLookup = (id) => items.get(id);
  return { has: (id: string) => items.has(id), lookup, rows };
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

/** The newsroom's serving config, cached (changes through the API invalidate it at once). */
export function cachedConfig(deps: CacheDeps): Promise<ServingConfig> {
  return deps.serving.cache.get(deps.newsroomId, 'config', async () =>
    servingConfig(await getConfig(deps.db, deps.newsroomId)),
  );
}

function cachedRules(deps: CacheDeps): Promise<EditorialRules> {
  return deps.serving.cache.get(deps.newsroomId, 'rules', () => rulesInForce(deps.db, new Date()));
}

/** The newest published items (a freshness slot for brand-new content no model knows yet). */
function cachedFreshIds(deps: ServingDeps): Promise<string[]> {
  return deps.serving.cache.get(deps.newsroomId, 'fresh', async () => {
    const now = Date.now();
    const rows = await deps.db.contentItem.findMany({
      where: { status: 'PUBLISHED', publishedAt: { gte: new Date(now - NEW_WITHIN_MS), lte: new Date(now) } },
      orderBy: { publishedAt: 'desc' },
      select: { id: true },
      take: 20,
    });
    return rows.map((r) => r.id);
  });
}

export async function recommendationsFor(
  deps: ServingDeps,
  readerId: string,
  first: number,
  filter: RecommendationFilter | undefined,
): Promise<RecommendationList> {
  const t0 = performance.now();
  const { db, newsroomId } = deps;
  const now = Date.now();
  // Everything but the reader's history is cached in this process; the history is one Redis round trip.
  const [config, active, rules, readerHistory, freshIdList, experiment] = await Promise.all([
    cachedConfig(deps),
    activeModels.get(db, newsroomId),
    cachedRules(deps),
    deps.serving.history.read(db, newsroomId, readerId),
    cachedFreshIds(deps),
    cachedExperiment(deps),
  ]);
  // In an experiment each reader is served by their arm's version, by a stable hash of their id.
  let served = active;
  let arm: Arm | null = null;
  if (experiment) {
    arm = armOf(experiment.id, readerId, experiment.trafficShare);
    served = await activeModels.version(
      db,
      arm === 'candidate' ? experiment.candidateVersionId : experiment.controlVersionId,
    );
    if (!served) {
      served = active;
      arm = null;
    }
  }
  let hot = readerHistory;
  if (!hot.events.length && UUID.test(readerId)) hot = await historyByPlatformId(db, readerId);
  const history = aggregateHistory(hot.events, config, now);
  const seen = hot.seen;
  const fallback = await activeModels.fallback(db, newsroomId, config.eventWeights, config.halfLifeDays);
  const filters = filtersOf(filter);
  const excludeSeen = filters.excludeSeen ?? true;
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
      // Ranked once per reader state: the key changes with the version, a new event or the seen set.
      const last = hot.events.at(-1);
      const key = `${served.id}|${readerId}|${hot.events.length}|${last?.at ?? 0}|${last?.itemId ?? ''}|${seen.size}|${excludeSeen ? 1 : 0}|${poolSize}`;
      const cached = deps.serving.candidates.get(key);
      if (cached) {
        const ids = served.model.itemIds;
        candidates = Array.from(cached.indices, (i, r) => ({ itemId: ids[i]!, score: cached.scores[r]! }));
      } else {
        const index = indexOfItems(served.model);
        // Every item the reader ever read is left out, not only those in the recent history.
        const exclude: number[] = [];
        if (excludeSeen)
          for (const id of seen) {
            const i = index.get(id);
            if (i !== undefined) exclude.push(i);
          }
        // A large catalogue is searched through its vector index (over-fetched, then filtered).
        const ranked = served.index
          ? recommendWithIndex(served.model, served.index, h, {
              k: poolSize,
              excludeHistory: excludeSeen,
              exclude,
            })
          : recommend(served.model, h, { k: poolSize, excludeHistory: excludeSeen, exclude });
        deps.serving.candidates.set(key, ranked);
        candidates = ranked;
      }
    }
  }
  if (!personal) candidates = coldStart(fallback, served, excludeSeen ? seen : new Set(), poolSize);

  // Brand-new items no model has seen: ranked among the candidates by the two-tower item tower where
  // its validation beat the heuristic (scoreNewItems), else one slot near the top (3rd place unless
  // rules say otherwise).
  const known = served ? indexOfItems(served.model) : new Map<string, number>();
  const fresh = freshIdList.filter((id) => !known.has(id));
  const freshIds = new Set<string>();
  const candidateIds = new Set(candidates.map((c) => c.itemId));
  if (personal && served && fresh.length) {
    const unseen = fresh.filter((id) => !candidateIds.has(id) && !(excludeSeen && seen.has(id)));
    const { lookup: freshLookup } = await catalogOf(deps, unseen);
    const items = unseen.map(freshLookup).filter((c): c is CatalogItem => c !== undefined);
    const scores = scoreNewItems(served.model, foldIn, items, now);
    if (scores) {
      items.forEach((it, n) => {
        freshIds.add(it.itemId);
        candidates.push({ itemId: it.itemId, score: scores[n]! });
      });
      candidates.sort((a, b) => b.score - a.score);
      fresh.length = 0;
    }
  }
  const slotScore = candidates.length >= 3 ? candidates[2]!.score : (candidates.at(-1)?.score ?? 0);
  for (const id of fresh) {
    if (candidateIds.has(id) || (excludeSeen && seen.has(id))) continue;
    freshIds.add(id);
    candidates.push({ itemId: id, score: slotScore });
    if (freshIds.size >= 1) break;
  }

  // History items too: explanations name them and read their categories.
  const historyIds = history
    .filter((e) => e.weight > 0)
    .slice(-50)
    .map((e) => e.itemId);
  const { has, lookup, rows } = await catalogOf(deps, [
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
  const items = page
    .map((item, i) => ({ item, reason: reasons[i]!, row: rows.get(item.itemId) }))
    .filter((x) => x.row !== undefined)
    .map((x) => toItem(x.item, x.reason, x.row!, freshIds));
  // Only personal lists count for an experiment: cold start is the same on both arms.
  const inExperiment = experiment && arm && personal ? { experimentId: experiment.id, arm } : null;
  if (inExperiment)
    deps.serving.experiments.record(
      experiment!.id,
      arm!,
      readerId,
      items.map((i) => i.content.id),
    );
  return {
    items,
    modelVersion: personal ? modelRef(served) : null,
    coldStart: !personal,
    experiment: inExperiment,
    tookMs: round(performance.now() - t0),
  };
}

function cachedExperiment(deps: CacheDeps): Promise<RunningExperiment | null> {
  return deps.serving.cache.get(deps.newsroomId, 'experiment', () => runningExperiment(deps.db));
}

/**
 * What serving learns from newly stored interactions: the readers' hot histories, and, while an
 * experiment runs, clicks on items an arm showed them.
 */
export async function interactionsStored(deps: CacheDeps, events: IngestedEvent[]): Promise<void> {
  const [experiment, config] = await Promise.all([
    cachedExperiment(deps),
    cachedConfig(deps),
    deps.serving.history.append(deps.newsroomId, events),
  ]);
  if (!experiment) return;
  const byReader = new Map<string, { arm: Arm; items: string[] }>();
  for (const e of events) {
    if ((config.eventWeights[e.eventType] ?? 0) * (e.weight ?? 1) <= 0) continue;
    let entry = byReader.get(e.readerExternalId);
    if (!entry) {
      entry = { arm: armOf(experiment.id, e.readerExternalId, experiment.trafficShare), items: [] };
      byReader.set(e.readerExternalId, entry);
    }
    entry.items.push(e.itemId);
  }
  await deps.serving.experiments.clicks(experiment.id, byReader);
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
  const { db, newsroomId } = deps;
  const now = Date.now();
  const [sourceRows, served, rules, config] = await Promise.all([
    deps.serving.cache.contentRows(db, [contentId]),
    activeModels.get(db, newsroomId),
    cachedRules(deps),
    cachedConfig(deps),
  ]);
  const source = sourceRows.get(contentId);
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
    const fallback = await activeModels.fallback(db, newsroomId, config.eventWeights, config.halfLifeDays);
    candidates = coldStartRecommendations({
      k: 500,
      popularity: fallback.popularity,
      trending: fallback.trending,
    });
  }
  const {
    has,
    lookup,
    rows: rowsById,
  } = await catalogOf(
    deps,
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
  const { db, newsroomId } = deps;
  const now = Date.now();
  const [config, rules] = await Promise.all([cachedConfig(deps), cachedRules(deps)]);
  const fallback = await activeModels.fallback(db, newsroomId, config.eventWeights, config.halfLifeDays);
  if (!fallback.trending.itemIds.length) return [];
  const candidates = coldStartRecommendations({
    k: 500,
    trending: fallback.trending,
    popularity: fallback.popularity,
    trendingWeight: 0.8,
  });
  const {
    has,
    lookup,
    rows: rowsById,
  } = await catalogOf(
    deps,
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
