import type { HandlerEntry } from '@media-ai/jobs';

/** Handlers of the vision area's jobs (one per job in packages/jobs/src/definitions/vision.ts). */
export const visionHandlers: HandlerEntry[] = [];
