import { DomainError } from '@media-ai/core';
import type { Prisma, RecommenderConfig, TenantDb } from '@media-ai/db';
import type { QueueSet } from '@media-ai/jobs';
import { DEFAULT_EVENT_WEIGHTS, type EventWeights } from '@media-ai/recommender';
import type { RecommenderConfigInput } from './recommender.types.js';

export interface ServingConfig {
  eventWeights: EventWeights;
  halfLifeDays: number;
  categoryCap: number;
}

/** The newsroom's RecommenderConfig, created with the defaults on first use. */
export async function getConfig(db: TenantDb, newsroomId: string): Promise<RecommenderConfig> {
  const row = await db.recommenderConfig.findUnique({ where: { newsroomId } });
  if (row) return row;
  return db.recommenderConfig.upsert({
    where: { newsroomId },
    create: { newsroomId, eventWeights: DEFAULT_EVENT_WEIGHTS as Prisma.InputJsonValue },
    update: {},
  });
}

export function servingConfig(row: RecommenderConfig): ServingConfig {
  const weights = row.eventWeights as EventWeights;
  return {
    eventWeights: Object.keys(weights).length ? weights : DEFAULT_EVENT_WEIGHTS,
    halfLifeDays: row.halfLifeDays,
    categoryCap: row.categoryCap,
  };
}

export const schedulerId = (newsroomId: string) => `recommender-retrain:${newsroomId}`;

/**
 * Updates the config; a retrainCron registers (or replaces) a BullMQ job scheduler that enqueues
 * `recommender.train` on the recommender queue, an empty one removes it.
 */
export async function setConfig(
  db: TenantDb,
  queues: QueueSet,
  newsroomId: string,
  input: RecommenderConfigInput,
): Promise<RecommenderConfig> {
  if (input.eventWeights !== undefined) {
    const w = input.eventWeights as unknown;
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
  }
  if (
    input.params !== undefined &&
    (typeof input.params !== 'object' || input.params === null || Array.isArray(input.params))
  ) {
    throw new DomainError('BAD_USER_INPUT', 'params must be an object, e.g. {"factors": 64}');
  }
  await getConfig(db, newsroomId);
  const cron = input.retrainCron?.trim();
  const queue = queues.get('recommender');
  if (cron) {
    try {
      await queue.upsertJobScheduler(
        schedulerId(newsroomId),
        { pattern: cron },
        { name: 'recommender.train', data: { newsroomId, payload: { scheduled: true } } },
      );
    } catch (e) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `retrainCron "${cron}" is not a valid cron pattern (e.g. "0 3 * * *" for 03:00 daily): ${(e as Error).message}`,
      );
    }
  } else if (cron === '') {
    await queue.removeJobScheduler(schedulerId(newsroomId));
  }
  return db.recommenderConfig.update({
    where: { newsroomId },
    data: {
      ...(input.eventWeights !== undefined
        ? { eventWeights: input.eventWeights as Prisma.InputJsonValue }
        : {}),
      ...(input.halfLifeDays !== undefined ? { halfLifeDays: input.halfLifeDays } : {}),
      ...(input.categoryCap !== undefined ? { categoryCap: input.categoryCap } : {}),
      ...(input.algorithm !== undefined ? { algorithm: input.algorithm } : {}),
      ...(input.params !== undefined ? { params: input.params as Prisma.InputJsonValue } : {}),
      ...(cron !== undefined ? { retrainCron: cron || null } : {}),
    },
  });
}
