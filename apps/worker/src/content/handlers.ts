import { handle, type HandlerEntry } from '@media-ai/jobs';

// The modules are imported in the sandbox thread on first use: models, tfjs and wink stay out of the main thread.

/** Handlers of the content area's jobs (one per job in packages/jobs/src/definitions/content.ts). */
export const contentHandlers: HandlerEntry[] = [
  handle('content.generate', async (payload, ctx) => {
    const { runGenerate } = await import('./generate.js');
    return runGenerate(payload, ctx);
  }),
  handle('content.generate-batch', async (payload, ctx) => {
    const { runGenerateBatch } = await import('./generate.js');
    return runGenerateBatch(payload, ctx);
  }),
  handle('content.train-summary-scorer', async (payload, ctx) => {
    const { runTrainSummaryScorer } = await import('./train.js');
    return runTrainSummaryScorer(payload, ctx);
  }),
  handle('content.train-topic-classifier', async (payload, ctx) => {
    const { runTrainTopicClassifier } = await import('./train.js');
    return runTrainTopicClassifier(payload, ctx);
  }),
];
