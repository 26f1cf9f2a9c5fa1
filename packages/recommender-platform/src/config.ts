import { DomainError } from '@media-ai/core';
import type { Prisma, RecommenderConfig, TenantDb } from '@media-ai/db';
import { ALGORITHMS, DEFAULT_EVENT_WEIGHTS, type EventWeights } from '@media-ai/recommender';

/** A newsroom's recommender configuration as training and serving use it. */
export interface RecommenderSettings {
  /** The built-in weights overridden by the newsroom's own (a weight of 0 drops an event type). */
  eventWeights: EventWeights;
  /** Half-life of interaction weights in days; null = no time decay. */
  halfLifeDays: number | null;
  /** At most this many items of one category per list; 0 = no cap. */
  categoryCap: number;
  algorithm: string;
  params: Record<string, unknown>;
}

/**
 * The event weights in force: the built-in defaults (which include `rating`, what a MovieLens
 * import writes) with the newsroom's own weights on top.
 */
export function effectiveEventWeights(stored: unknown): EventWeights {
  const own = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as EventWeights) : {};
  return { ...DEFAULT_EVENT_WEIGHTS, ...own };
}

/** Stored half-life → the engine's: 0 (or less) means no decay. */
export function halfLifeOf(stored: number): number | null {
  return stored > 0 ? stored : null;
}

export function settingsFromRow(row: RecommenderConfig): RecommenderSettings {
  return {
    eventWeights: effectiveEventWeights(row.eventWeights),
    halfLifeDays: halfLifeOf(row.halfLifeDays),
    categoryCap: row.categoryCap,
    algorithm: row.algorithm,
    params: (row.params ?? {}) as Record<string, unknown>,
  };
}

/**
 * The newsroom's RecommenderConfig row, created with the defaults on first use. The stored
 * `eventWeights` are the newsroom's overrides only; the defaults apply below them.
 */
export async function loadConfigRow(db: TenantDb, newsroomId: string): Promise<RecommenderConfig> {
  const row = await db.recommenderConfig.findUnique({ where: { newsroomId } });
  if (row) return row;
  return db.recommenderConfig.upsert({
    where: { newsroomId },
    create: { eventWeights: {} },
    update: {},
  });
}

export async function loadSettings(db: TenantDb, newsroomId: string): Promise<RecommenderSettings> {
  return settingsFromRow(await loadConfigRow(db, newsroomId));
}

/** What an editor may change; `halfLifeDays` 0 or null turns time decay off. */
export interface RecommenderConfigChange {
  eventWeights?: Record<string, number>;
  halfLifeDays?: number | null;
  categoryCap?: number;
  algorithm?: string;
  params?: Record<string, unknown>;
}

/** Checks a change and returns the row update; a bad value throws BAD_USER_INPUT saying what to fix. */
export function configUpdate(change: RecommenderConfigChange): Prisma.RecommenderConfigUpdateInput {
  const data: Prisma.RecommenderConfigUpdateInput = {};
  if (change.eventWeights !== undefined) {
    const w = change.eventWeights as unknown;
    if (
      !w ||
      typeof w !== 'object' ||
      Array.isArray(w) ||
      !Object.entries(w).every(
        ([k, v]) => /^[a-z][a-z0-9_]{0,31}$/.test(k) && typeof v === 'number' && Number.isFinite(v),
      )
    ) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'eventWeights must map event types (lower-case, e.g. "click") to finite numbers, e.g. {"click": 1, "hide": -4}',
      );
    }
    data.eventWeights = w as Prisma.InputJsonValue;
  }
  if (change.halfLifeDays !== undefined) {
    const h = change.halfLifeDays;
    if (h !== null && !(Number.isFinite(h) && (h === 0 || (h >= 0.1 && h <= 3650)))) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'halfLifeDays must be from 0.1 to 3650 days, or 0 (or null) for no time decay',
      );
    }
    data.halfLifeDays = h ?? 0;
  }
  if (change.categoryCap !== undefined) {
    if (!Number.isInteger(change.categoryCap) || change.categoryCap < 0 || change.categoryCap > 100) {
      throw new DomainError('BAD_USER_INPUT', 'categoryCap must be an integer from 0 (no cap) to 100');
    }
    data.categoryCap = change.categoryCap;
  }
  if (change.algorithm !== undefined) {
    if (!(ALGORITHMS as readonly string[]).includes(change.algorithm)) {
      throw new DomainError('BAD_USER_INPUT', `algorithm must be one of ${ALGORITHMS.join(', ')}`);
    }
    data.algorithm = change.algorithm;
  }
  if (change.params !== undefined) {
    const p = change.params as unknown;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      throw new DomainError('BAD_USER_INPUT', 'params must be an object, e.g. {"factors": 64}');
    }
    data.params = p as Prisma.InputJsonValue;
  }
  return data;
}
