import { modelRegistry, type Prisma, type TenantDb } from '@media-ai/db';
import type { CatalogItem } from '@media-ai/recommender';
import { AREA, catalogItemFromRow, catalogSelect, MODEL_NAME } from '@media-ai/recommender-platform';

/*
 * Data access of the recommender jobs: interactions, catalogue and the model registry. The mapping of
 * rows to the engine and the configuration live in @media-ai/recommender-platform.
 */

/**
 * Content features for the models that use them (two-tower) and for editorial post-processing. Read in
 * pages, so that only one page of article bodies is in memory at a time (each item keeps at most the
 * start of its body as features); `withBody: false` reads no bodies at all (the batch feed's filters
 * need only categories and dates).
 */
export async function loadCatalog(
  db: TenantDb,
  options: { ids?: string[]; withBody?: boolean } = {},
): Promise<CatalogItem[]> {
  const out: CatalogItem[] = [];
  const pageSize = 10_000;
  const select = { ...catalogSelect, ...(options.withBody === false ? {} : { body: true }) };
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.contentItem.findMany({
      where: options.ids ? { id: { in: options.ids } } : { status: 'PUBLISHED' },
      select,
      orderBy: { id: 'asc' },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    for (const r of rows) out.push(catalogItemFromRow(r));
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1]!.id;
  }
  return out;
}

export async function activeVersion(db: TenantDb) {
  return db.modelVersion.findFirst({ where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' } });
}

export const RECOMMENDER_MODEL = { area: AREA, name: MODEL_NAME };

/** A TRAINING row for this job (reused on a retry), numbered after the newsroom's latest version. */
export function createTrainingVersion(
  db: TenantDb,
  newsroomId: string,
  jobId: string,
  algorithm: string,
  params: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  return modelRegistry(db, newsroomId).startTraining(RECOMMENDER_MODEL, jobId, {
    algorithm,
    params: params as Prisma.InputJsonValue,
  });
}
