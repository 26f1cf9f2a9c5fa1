import { forNewsroom, type Prisma } from '@media-ai/db';
import type { CatalogItem, Interaction } from '@media-ai/recommender';
import {
  activationLockKey,
  AREA,
  catalogItemFromRow,
  catalogSelect,
  interactionFromRow,
  interactionSelect,
  MODEL_NAME,
} from '@media-ai/recommender-platform';
import { getDb } from '../lib/deps.js';

/*
 * Data access of the recommender jobs: interactions, catalogue and the model registry. The mapping of
 * rows to the engine and the configuration live in @media-ai/recommender-platform.
 */

export type Tenant = ReturnType<typeof forNewsroom>;

export function tenant(newsroomId: string): Tenant {
  return forNewsroom(getDb(), newsroomId);
}

/** Every interaction of the newsroom (deleted readers' are gone with them), oldest first. */
export async function loadInteractions(db: Tenant): Promise<Interaction[]> {
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
export async function loadCatalog(db: Tenant, ids?: string[]): Promise<CatalogItem[]> {
  const rows = await db.contentItem.findMany({
    where: ids ? { id: { in: ids } } : { status: 'PUBLISHED' },
    select: { ...catalogSelect, body: true },
  });
  return rows.map(catalogItemFromRow);
}

export async function activeVersion(db: Tenant) {
  return db.modelVersion.findFirst({ where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' } });
}

/** A TRAINING row for this job (reused on a retry), numbered after the newsroom's latest version. */
export async function createTrainingVersion(
  db: Tenant,
  newsroomId: string,
  jobId: string,
  algorithm: string,
  params: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  const existing = await db.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, trainingJobId: jobId },
    select: { id: true, version: true },
  });
  if (existing) {
    await db.modelVersion.update({
      where: { id: existing.id },
      data: { status: 'TRAINING', algorithm, params: params as Prisma.InputJsonValue },
    });
    return existing;
  }
  for (let attempt = 0; ; attempt++) {
    const last = await db.modelVersion.findFirst({
      where: { name: MODEL_NAME },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    try {
      return await db.modelVersion.create({
        data: {
          newsroomId,
          area: AREA,
          name: MODEL_NAME,
          version: (last?.version ?? 0) + 1,
          algorithm,
          params: params as Prisma.InputJsonValue,
          status: 'TRAINING',
          trainingJobId: jobId,
        },
        select: { id: true, version: true },
      });
    } catch (e) {
      // Two trainings numbered at once: take the next number.
      if ((e as { code?: string }).code !== 'P2002' || attempt >= 5) throw e;
    }
  }
}

/** Atomically retires the ACTIVE version and activates this one. */
export async function activate(db: Tenant, newsroomId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${activationLockKey(newsroomId)}))`;
    await tx.modelVersion.updateMany({
      where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE', id: { not: id } },
      data: { status: 'RETIRED' },
    });
    await tx.modelVersion.update({ where: { id }, data: { status: 'ACTIVE', activatedAt: new Date() } });
  });
}
