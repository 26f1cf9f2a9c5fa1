import { parseJobTimeouts, type JobDefinition } from './define.js';
import { platformJobs } from './definitions/platform.js';
import { recommenderJobs } from './definitions/recommender.js';
import { contentJobs } from './definitions/content.js';
import { speechJobs } from './definitions/speech.js';
import { visionJobs } from './definitions/vision.js';
import { translateJobs } from './definitions/translate.js';
import { videoJobs } from './definitions/video.js';
import { graphicsJobs } from './definitions/graphics.js';

/** Every job the platform runs. Job names and queue names are persisted data: never rename them. */
export const jobRegistry = {
  ...platformJobs,
  ...recommenderJobs,
  ...contentJobs,
  ...speechJobs,
  ...visionJobs,
  ...translateJobs,
  ...videoJobs,
  ...graphicsJobs,
} as const;

export type JobRegistry = typeof jobRegistry;
export type JobName = keyof JobRegistry;
export type PayloadOf<N extends JobName> = NonNullable<JobRegistry[N]['types']>['payload'];
export type ResultOf<N extends JobName> = NonNullable<JobRegistry[N]['types']>['result'];

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(jobRegistry, name);
}

export function jobDefinition(name: JobName): JobDefinition<unknown, unknown> {
  return jobRegistry[name] as JobDefinition<unknown, unknown>;
}

/** The `MEDIAAI_JOB_TIMEOUTS` overrides, checked against the registry (throws naming what to fix). */
export function jobTimeoutOverrides(spec: string): Map<string, number> {
  return parseJobTimeouts(spec, new Set(Object.keys(jobRegistry)));
}
