import type { HandlerEntry } from '@media-ai/jobs';

/** Handlers of the recommender area's jobs (one per job in packages/jobs/src/definitions/recommender.ts). */
export const recommenderHandlers: HandlerEntry[] = [];
