import type { RecommenderConfig, TenantDb } from '@media-ai/db';
import type { QueueSet } from '@media-ai/jobs';
import {
  configUpdate,
  effectiveEventWeights,
  loadConfigRow,
  retrainSchedulerId,
  settingsFromRow,
  type RecommenderSettings,
} from '@media-ai/recommender-platform';
import { DomainError } from '@media-ai/core';
import type { RecommenderConfigInput } from './recommender.types.js';

/**
 * The newsroom's RecommenderConfig (created with the defaults on first use), with the event weights
 * in force: the built-in ones under the newsroom's own.
 */
export async function getConfig(db: TenantDb, newsroomId: string): Promise<RecommenderConfig> {
  return withEffectiveWeights(await loadConfigRow(db, newsroomId));
}

const withEffectiveWeights = (row: RecommenderConfig): RecommenderConfig => ({
  ...row,
  eventWeights: effectiveEventWeights(row.eventWeights),
});

/** What serving reads from the config: the effective event weights, decay and category cap. */
export type ServingConfig = Pick<RecommenderSettings, 'eventWeights' | 'halfLifeDays' | 'categoryCap'>;
export const servingConfig = (row: RecommenderConfig): ServingConfig => settingsFromRow(row);

/**
 * Updates the config (checked by the recommender platform); a retrainCron registers (or replaces) a
 * BullMQ job scheduler that enqueues `recommender.train` on the recommender queue, an empty one
 * removes it.
 */
export async function setConfig(
  db: TenantDb,
  queues: QueueSet,
  newsroomId: string,
  input: RecommenderConfigInput,
): Promise<RecommenderConfig> {
  const data = configUpdate(input);
  await getConfig(db, newsroomId);
  const cron = input.retrainCron?.trim();
  const queue = queues.get('recommender');
  if (cron) {
    try {
      await queue.upsertJobScheduler(
        retrainSchedulerId(newsroomId),
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
    await queue.removeJobScheduler(retrainSchedulerId(newsroomId));
  }
  return withEffectiveWeights(
    await db.recommenderConfig.update({
      where: { newsroomId },
      data: { ...data, ...(cron !== undefined ? { retrainCron: cron || null } : {}) },
    }),
  );
}
