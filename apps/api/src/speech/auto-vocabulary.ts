import type { TenantDb } from '@media-ai/db';
import type { JobService } from '@media-ai/jobs';

/** The content the vocabulary build reads (apps/worker/src/speech/vocabulary.ts): English or unlabelled. */
const VOCABULARY_TEXT = {
  OR: [{ language: null }, { language: '' }, { language: { startsWith: 'en' } }],
  NOT: { body: '' },
};

/**
 * Queues `speech.build-vocabulary` once the newsroom has `minArticles` English (or unlabelled) content items,
 * and again at 2×, 4× … as many (one job per step: the idempotency key names the step). Whether a build
 * serves is the registry's gate (100+ held-out sentences beating the general model). Returns the step
 * queued, or null when below the first step or turned off (0).
 */
export async function autoBuildVocabulary(
  db: TenantDb,
  jobs: JobService,
  newsroomId: string,
  minArticles: number,
): Promise<number | null> {
  if (!(minArticles > 0)) return null;
  const count = await db.contentItem.count({ where: VOCABULARY_TEXT });
  if (count < minArticles) return null;
  const step = minArticles * 2 ** Math.floor(Math.log2(count / minArticles));
  await jobs.enqueue(
    newsroomId,
    'speech.build-vocabulary',
    {},
    { requesterId: null, idempotencyKey: `speech-vocabulary:auto:${step}` },
  );
  return step;
}
