import { handle, type HandlerEntry } from '@media-ai/jobs';

/*
 * Handlers of the speech area's jobs (declared in packages/jobs/src/definitions/speech.ts). All run
 * sandboxed; each job module is imported on first use, so @media-ai/speech and its warm engines
 * (pocketsphinx decoders, the synthesizer) live only in the sandbox threads of the speech queue.
 */
export const speechHandlers: HandlerEntry[] = [
  handle('speech.transcribe', async (payload, ctx) =>
    (await import('./transcribe.js')).runTranscribe(payload, ctx),
  ),
  handle('speech.synthesize', async (payload, ctx) =>
    (await import('./synthesize.js')).runSynthesize(payload, ctx),
  ),
  handle('speech.build-vocabulary', async (payload, ctx) =>
    (await import('./vocabulary.js')).runBuildVocabulary(payload, ctx),
  ),
];
