import type { HandlerEntry } from '@media-ai/jobs';

/** Handlers of the content area's jobs (one per job in packages/jobs/src/definitions/content.ts). */
export const contentHandlers: HandlerEntry[] = [];
