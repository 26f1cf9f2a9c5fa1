import { handle, type HandlerEntry } from '@media-ai/jobs';

/*
 * Handlers of the recommender area's jobs (declared in packages/jobs/src/definitions/recommender.ts).
 * All run sandboxed; the job modules (and the recommender package) are imported on first use, so
 * they load only in the recommender queue's sandbox threads.
 */
export const recommenderHandlers: HandlerEntry[] = [
  handle('recommender.train', async (payload, ctx) => (await import('./train.js')).runTrain(payload, ctx)),
  handle('recommender.evaluate', async (payload, ctx) =>
    (await import('./train.js')).runEvaluate(payload, ctx),
  ),
  handle('recommender.batch-recommend', async (payload, ctx) =>
    (await import('./batch.js')).runBatch(payload, ctx),
  ),
  handle('recommender.erase-readers', async (payload, ctx) =>
    (await import('./erase.js')).runErase(payload, ctx),
  ),
];
