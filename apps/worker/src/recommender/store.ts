import { modelRegistry, type Prisma, type TenantDb } from '@media-ai/db';
import type { CatalogItem, Interaction } from '@media-ai/recommender';
import {
  AREA,
  catalogItemFromRow,
  catalogSelect,
  interactionFromRow,
  interactionSelect,
  MODEL_NAME,
} from '@media-ai/recommender-platform';

/*
 * Data access of the recommender jobs: interactions, catalogue and the model registry. The mapping of
 * rows to the engine and the configuration live in @media-ai/recommender-platform.
 */

/** Every interaction of the newsroom (deleted readers' are gone with them), oldest first. */
export async function loadInteractions(db: TenantDb): Promise<Interaction[]> {
  const out: Interaction[] = [];
  const pageSize = 50_000;
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.interaction.findMany({
      select: { id: true, ...interactionSelect },
      orderBy: { id: 'asc' },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    for (const r of rows) out.push(interactionFromRow(r));
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1]!.id;
  }
  return out;
}

/** Content features for the models that use them (two-tower) and for editorial post-processing. */
export async function loadCatalog(db: TenantDb, ids?: string[]): Promise<CatalogItem[]> {
  const rows = await db.contentItem.findMany({
    where: ids ? { id: { in: ids } } : { status: 'PUBLISHED' },
    select: { ...catalogSelect, body: true },
  });
  return rows.map(catalogItemFromRow);
}

export async function activeVersion(db: TenantDb) {
  return db.modelVersion.findFirst({ where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' } });
}

const RECOMMENDER = { area: AREA, name: MODEL_NAME };

/** A TRAINING row for this job (reused on a retry), numbered after the newsroom's latest version. */
export function createTrainingVersion(
  db: TenantDb,
  newsroomId: string,
  jobId: string,
  algorithm: string,
  params: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  return modelRegistry(db, newsroomId).startTraining(RECOMMENDER, jobId, {
    algorithm,
    params: params as Prisma.InputJsonValue,
  });
}

/** Atomically retires the ACTIVE version and activates this one (the registry's lock). */
export async function activate(db: TenantDb, newsroomId: string, id: string): Promise<void> {
  await modelRegistry(db, newsroomId).activate(AREA, id);
}
