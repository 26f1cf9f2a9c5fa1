import type { TenantDb } from '@media-ai/db';
import type { Storage } from '@media-ai/storage';
import {
  deserializeModel,
  PopularityRecommender,
  TrendingRecommender,
  topK,
  type EventWeights,
  type Recommender,
  loadVectorIndex,
  resolveArtifact,
  sha256Hex,
  type VectorIndex,
} from '@media-ai/recommender';

import {
  AREA,
  interactionFromRow,
  interactionSelect,
  MODEL_NAME,
  trainingSetOf,
} from '@media-ai/recommender-platform';

/** How often serving checks which version is ACTIVE (activation through this API reloads at once). */
const CHECK_EVERY_MS = 3_000;
/** How long the on-the-fly popularity/trending of recent interactions is reused. */
const FALLBACK_TTL_MS = 60_000;
const RECENT_DAYS = 30;
const RECENT_LIMIT = 200_000;

export interface ServedModel {
  id: string;
  newsroomId: string;
  version: number;
  algorithm: string;
  engineVersion: string;
  model: Recommender;
  /** The vector index of a large catalogue (trained with one), or null: scored exactly. */
  index: VectorIndex | null;
}

export interface Fallback {
  popularity: PopularityRecommender;
  trending: TrendingRecommender;
  trendingIds: Set<string>;
  builtAt: number;
}

interface Entry {
  checkedAt: number;
  served: ServedModel | null;
  loading?: Promise<ServedModel | null>;
  fallback?: Fallback;
  fallbackLoading?: Promise<Fallback>;
}

/**
 * The ACTIVE recommender of each newsroom, deserialized once and kept in memory keyed by version id;
 * the active id is checked at most every few seconds and the model reloaded when it changed. Also
 * keeps the cold-start models (popularity and trending of recent interactions), rebuilt every minute.
 */
export class ActiveModelCache {
  private readonly entries = new Map<string, Entry>();
  /** Where large artifacts and vector indexes are kept (the API process's storage). */
  private storage: Storage | null = null;
  private readonly versions = new Map<string, ServedModel>();
  private readonly versionLoading = new Map<string, Promise<ServedModel | null>>();

  async get(db: TenantDb, newsroomId: string): Promise<ServedModel | null> {
    const entry = this.entry(newsroomId);
    // With no model yet, look every time (one indexed query): a newsroom's first model, activated by
    // a worker, is served at once. A newer version replacing a served one is picked up within seconds.
    if (entry.served && Date.now() - entry.checkedAt < CHECK_EVERY_MS) return entry.served;
    entry.loading ??= this.refresh(db, newsroomId, entry).finally(() => (entry.loading = undefined));
    return entry.loading;
  }

  useStorage(storage: Storage): void {
    this.storage = storage;
  }

  /** Any version by id (an experiment's arms), kept while it is asked for; null without a usable model. */
  async version(db: TenantDb, id: string): Promise<ServedModel | null> {
    const entry = this.versions.get(id);
    if (entry) return entry;
    let loading = this.versionLoading.get(id);
    if (!loading) {
      loading = loadVersion(db, id, this.storage).finally(() => this.versionLoading.delete(id));
      this.versionLoading.set(id, loading);
    }
    const served = await loading;
    if (served) {
      this.versions.set(id, served);
      // A few versions at most are in experiments at once.
      while (this.versions.size > 8) this.versions.delete(this.versions.keys().next().value!);
    }
    return served;
  }

  /** Drops every deserialized version of a newsroom (their stored artifacts were rewritten). */
  forget(newsroomId: string): void {
    this.entries.delete(newsroomId);
    for (const [id, v] of this.versions) if (v.newsroomId === newsroomId) this.versions.delete(id);
  }

  /** Forget the checked state, so the next request loads the current ACTIVE version. */
  invalidate(newsroomId: string): void {
    const entry = this.entries.get(newsroomId);
    if (entry) entry.checkedAt = 0;
  }

  async fallback(
    db: TenantDb,
    newsroomId: string,
    eventWeights: EventWeights,
    halfLifeDays: number | null,
  ): Promise<Fallback> {
    const entry = this.entry(newsroomId);
    const fresh = entry.fallback && Date.now() - entry.fallback.builtAt < FALLBACK_TTL_MS;
    if (!fresh) {
      entry.fallbackLoading ??= buildFallback(db, newsroomId, eventWeights, halfLifeDays)
        .then((f) => (entry.fallback = f))
        .finally(() => (entry.fallbackLoading = undefined));
    }
    // A stale one is served while the new one is built, so no request waits for a rebuild.
    if (entry.fallback) {
      entry.fallbackLoading?.catch(() => undefined);
      return entry.fallback;
    }
    return entry.fallbackLoading!;
  }

  private entry(newsroomId: string): Entry {
    let e = this.entries.get(newsroomId);
    if (!e) this.entries.set(newsroomId, (e = { checkedAt: 0, served: null }));
    return e;
  }

  private async refresh(db: TenantDb, newsroomId: string, entry: Entry): Promise<ServedModel | null> {
    const active = await db.modelVersion.findFirst({
      where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
      select: { id: true },
    });
    if (!active) {
      entry.served = null;
    } else if (entry.served?.id !== active.id) {
      entry.served = this.versions.get(active.id) ?? (await loadVersion(db, active.id, this.storage));
    }
    entry.checkedAt = Date.now();
    return entry.served;
  }
}

async function loadVersion(db: TenantDb, id: string, storage: Storage | null): Promise<ServedModel | null> {
  const row = await db.modelVersion.findUnique({
    where: { id },
    select: { id: true, newsroomId: true, version: true, algorithm: true, artifact: true, params: true },
  });
  if (!row?.artifact) return null;
  const read = (key: string) => {
    if (!storage) throw new Error(`Model version ${id} keeps files in storage, and no storage is configured`);
    return storage.readBuffer(key);
  };
  // Large models keep their artifact in storage (the row holds a checked reference).
  const model = deserializeModel(await resolveArtifact(row.artifact, read));
  let index: VectorIndex | null = null;
  const stored = (row.params as { vectorIndex?: { storageKey?: string; sha256?: string } } | null)
    ?.vectorIndex;
  if (stored?.storageKey) {
    const bytes = await read(stored.storageKey);
    if (sha256Hex(bytes) !== stored.sha256)
      throw new Error(`Vector index ${stored.storageKey} does not match its checksum: retrain the model`);
    index = loadVectorIndex(bytes);
  }
  return {
    id: row.id,
    newsroomId: row.newsroomId,
    version: row.version,
    algorithm: row.algorithm,
    engineVersion: model.metadata.version,
    model,
    index,
  };
}

async function buildFallback(
  db: TenantDb,
  newsroomId: string,
  eventWeights: EventWeights,
  halfLifeDays: number | null,
): Promise<Fallback> {
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000);
  const rows = await db.interaction.findMany({
    where: { occurredAt: { gte: since } },
    select: interactionSelect,
    orderBy: { occurredAt: 'desc' },
    take: RECENT_LIMIT,
  });
  const now = Date.now();
  // Decay is the popularity model's own (relative to now); the set itself is undecayed.
  const data = trainingSetOf(rows.map(interactionFromRow), { eventWeights, halfLifeDays: null }, { now });
  const popularity = new PopularityRecommender(halfLifeDays !== null ? { halfLifeDays } : {});
  const trending = new TrendingRecommender();
  await popularity.fit(data);
  await trending.fit(data);
  const top = topK(trending.scoreUser({ items: [] }), 50);
  const trendingIds = new Set<string>();
  top.indices.forEach((i, r) => {
    if (top.scores[r]! > 0) trendingIds.add(trending.itemIds[i]!);
  });
  return { popularity, trending, trendingIds, builtAt: now };
}

/** One per API process. */
export const activeModels = new ActiveModelCache();
