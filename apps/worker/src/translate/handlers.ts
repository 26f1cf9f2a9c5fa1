import { handle, type HandlerEntry } from '@media-ai/jobs';

/** Handlers of the translate area's jobs (one per job in packages/jobs/src/definitions/translate.ts). */
export const translateHandlers: HandlerEntry[] = [
  handle('translate.content', async (payload, ctx) => {
    // loaded in the sandbox thread only: language models and Apertium pipelines stay out of the main thread
    const { translateContent } = await import('./translate-content.js');
    return translateContent(payload, ctx);
  }),
];
