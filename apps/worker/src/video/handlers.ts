import { handle, type HandlerEntry } from '@media-ai/jobs';

/*
 * Handlers of the video area's jobs (declared in packages/jobs/src/definitions/video.ts). Both run
 * sandboxed on the `video` queue, so long videos never hold up photo analysis or transcription. The
 * keyframes go through the vision area's analysis and the audio through the speech area's
 * transcription as steps of the video job (their job functions, run in this thread).
 */
export const videoHandlers: HandlerEntry[] = [
  handle('video.analyze', async (payload, ctx) =>
    (await import('./analyze.js')).runVideoAnalyze(payload, ctx),
  ),
  handle('video.clip', async (payload, ctx) => (await import('./clip.js')).runVideoClip(payload, ctx)),
];
