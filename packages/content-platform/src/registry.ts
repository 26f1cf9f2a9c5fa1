import { modelRegistry, type TenantDb, type VersionRow } from '@media-ai/db';
import { CONTENT_AREA } from './models.js';

/**
 * Makes a content model version (summary-scorer, topic-classifier) the one that serves: it becomes
 * ACTIVE and the version of the same model that was ACTIVE becomes RETIRED, under the registry's lock
 * (every process picks the new one on its next request).
 */
export function activateContentModel(db: TenantDb, newsroomId: string, id: string): Promise<VersionRow> {
  return modelRegistry(db, newsroomId).activate(CONTENT_AREA, id);
}
