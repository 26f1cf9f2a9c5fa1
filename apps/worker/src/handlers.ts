import { jobRegistry, type HandlerEntry, type JobName } from '@media-ai/jobs';
import { platformHandlers } from './platform/handlers.js';
import { recommenderHandlers } from './recommender/handlers.js';
import { contentHandlers } from './content/handlers.js';
import { speechHandlers } from './speech/handlers.js';
import { visionHandlers } from './vision/handlers.js';
import { translateHandlers } from './translate/handlers.js';
import { videoHandlers } from './video/handlers.js';
import { graphicsHandlers } from './graphics/handlers.js';

/** Every feature's handlers. Adding an area = adding its list here. */
export const allHandlers: HandlerEntry[] = [
  ...platformHandlers,
  ...recommenderHandlers,
  ...contentHandlers,
  ...speechHandlers,
  ...visionHandlers,
  ...translateHandlers,
  ...videoHandlers,
  ...graphicsHandlers,
];

/** Checks that every registered job has exactly one handler and no handler names an unknown job. */
export function indexHandlers(entries: HandlerEntry[]): Map<JobName, HandlerEntry> {
  const map = new Map<JobName, HandlerEntry>();
  const problems: string[] = [];
  for (const e of entries) {
    if (!(e.name in jobRegistry)) problems.push(`a handler names unknown job "${e.name}"`);
    else if (map.has(e.name)) problems.push(`job "${e.name}" has two handlers`);
    else map.set(e.name, e);
  }
  for (const name of Object.keys(jobRegistry) as JobName[]) {
    if (!map.has(name)) problems.push(`job "${name}" has no handler`);
  }
  if (problems.length) throw new Error(`The worker cannot start: ${problems.join('; ')}`);
  return map;
}
