import type { HandlerEntry } from '@media-ai/jobs';

/** Handlers of the speech area's jobs (one per job in packages/jobs/src/definitions/speech.ts). */
export const speechHandlers: HandlerEntry[] = [];
