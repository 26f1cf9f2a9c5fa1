import { forNewsroom, type TenantDb } from '@media-ai/db';
import type { JobContext } from '@media-ai/jobs';
import { getDb, getStorage } from '../lib/deps.js';

/**
 * A handler's context: its job, progress, log, and the newsroom's database and storage (created on
 * first use, so a job that needs neither pays nothing). The same in the worker's thread and in sandboxes.
 */
export function handlerContext(c: Omit<JobContext, 'db' | 'storage'>): JobContext {
  let db: TenantDb | undefined;
  return {
    ...c,
    get db() {
      return (db ??= forNewsroom(getDb(), c.newsroomId));
    },
    get storage() {
      return getStorage();
    },
  };
}
