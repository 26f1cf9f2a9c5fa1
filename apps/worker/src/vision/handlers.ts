import { handle, type HandlerEntry } from '@media-ai/jobs';

/*
 * Handlers of the vision area's jobs (declared in packages/jobs/src/definitions/vision.ts). All run
 * sandboxed; each job module is imported on first use, so sharp, tfjs and the models load only in
 * the sandbox threads of the vision queue, once per thread, and stay warm between jobs.
 */
export const visionHandlers: HandlerEntry[] = [
  handle('vision.analyze', async (payload, ctx) => (await import('./analyze.js')).runAnalyze(payload, ctx)),
  handle('vision.derivatives', async (payload, ctx) =>
    (await import('./derivatives.js')).runDerivatives(payload, ctx),
  ),
  handle('vision.enhance', async (payload, ctx) =>
    (await import('./derivatives.js')).runEnhance(payload, ctx),
  ),
  handle('vision.enrol', async (payload, ctx) => (await import('./enrol.js')).runEnrol(payload, ctx)),
  handle('vision.cluster-faces', async (_payload, ctx) => (await import('./enrol.js')).runClusterFaces(ctx)),
  handle('vision.erase-faces', async (payload, ctx) =>
    (await import('./erase.js')).runEraseFaces(payload, ctx),
  ),
];
