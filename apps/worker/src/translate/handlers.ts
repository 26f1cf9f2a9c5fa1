import type { HandlerEntry } from '@media-ai/jobs';

/** Handlers of the translate area's jobs (one per job in packages/jobs/src/definitions/translate.ts). */
export const translateHandlers: HandlerEntry[] = [];
