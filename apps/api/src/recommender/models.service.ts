import { DomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import { modelSelect } from '../models/models.js';
import { AREA, MODEL_NAME } from '@media-ai/recommender-platform';
import { activeModels } from './model-cache.js';

/** Atomically retires the ACTIVE recommender version and activates this one; serving reloads at once. */
export async function activateVersion(db: TenantDb, newsroomId: string, id: string) {
  const row = await db.modelVersion.findFirst({
    where: { id, area: AREA, name: MODEL_NAME },
    select: { id: true, version: true, status: true, artifactBytes: true },
  });
  if (!row) throw new DomainError('NOT_FOUND', `Recommender model version ${id} was not found`);
  if (row.status === 'TRAINING' || row.status === 'FAILED' || row.artifactBytes === 0) {
    throw new DomainError(
      'CONFLICT',
      `Version ${row.version} is ${row.status.toLowerCase()} and has no usable model; activate a CANDIDATE or RETIRED version`,
    );
  }
  await db.$transaction(async (tx) => {
    // Serialises concurrent activations of one newsroom (the worker takes the same lock).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`recommender-activate:${newsroomId}`}))`;
    await tx.modelVersion.updateMany({
      where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE', id: { not: id } },
      data: { status: 'RETIRED' },
    });
    await tx.modelVersion.update({ where: { id }, data: { status: 'ACTIVE', activatedAt: new Date() } });
  });
  activeModels.invalidate(newsroomId);
  return db.modelVersion.findFirstOrThrow({ where: { id }, select: modelSelect });
}

/** Back to a given earlier version, or to the one active before the current one. */
export async function rollback(db: TenantDb, newsroomId: string, toVersionId: string | undefined) {
  if (toVersionId) return activateVersion(db, newsroomId, toVersionId);
  const current = await db.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
    select: { id: true },
  });
  const previous = await db.modelVersion.findFirst({
    where: {
      area: AREA,
      name: MODEL_NAME,
      status: 'RETIRED',
      activatedAt: { not: null },
      ...(current ? { id: { not: current.id } } : {}),
    },
    orderBy: { activatedAt: 'desc' },
    select: { id: true },
  });
  if (!previous) {
    throw new DomainError(
      'CONFLICT',
      'There is no earlier active recommender version to roll back to; give toVersionId',
    );
  }
  return activateVersion(db, newsroomId, previous.id);
}

export async function activeVersionRow(db: TenantDb) {
  return db.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
    select: modelSelect,
  });
}
