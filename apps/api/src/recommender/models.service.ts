import { modelRegistry, type TenantDb } from '@media-ai/db';
import { modelSelect } from '../models/models.js';
import { AREA, MODEL_NAME } from '@media-ai/recommender-platform';
import { activeModels } from './model-cache.js';

const RECOMMENDER = { area: AREA, name: MODEL_NAME };

/** Atomically retires the ACTIVE recommender version and activates this one; serving reloads at once. */
export async function activateVersion(db: TenantDb, newsroomId: string, id: string) {
  const registry = modelRegistry(db, newsroomId);
  await registry.get(AREA, id, MODEL_NAME);
  const row = await registry.activate(AREA, id);
  activeModels.invalidate(newsroomId);
  return row;
}

/** Back to a given earlier version, or to the one active before the current one. */
export async function rollback(db: TenantDb, newsroomId: string, toVersionId: string | undefined) {
  const row = await modelRegistry(db, newsroomId).rollback(RECOMMENDER, toVersionId);
  activeModels.invalidate(newsroomId);
  return row;
}

export async function activeVersionRow(db: TenantDb) {
  return db.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
    select: modelSelect,
  });
}
