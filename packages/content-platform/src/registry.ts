import { DomainError } from '@media-ai/core';
import type { ModelVersion, TenantDb } from '@media-ai/db';
import { CONTENT_AREA } from './models.js';

/**
 * Makes a content model version the one that serves: it becomes ACTIVE and the version of the same model
 * that was ACTIVE becomes RETIRED, in one transaction (every process picks the new one on its next request).
 */
export async function activateContentModel(
  db: TenantDb,
  id: string,
): Promise<Omit<ModelVersion, 'artifact'>> {
  const row = await db.modelVersion.findFirst({ where: { id }, omit: { artifact: true } });
  if (!row) throw new DomainError('NOT_FOUND', `Model version ${id} was not found`);
  if (row.area !== CONTENT_AREA) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Model version ${id} belongs to the ${row.area} area; activateContentModel switches content models (summary-scorer, topic-classifier)`,
    );
  }
  if (row.status === 'ACTIVE') return row;
  if (row.status !== 'CANDIDATE' && row.status !== 'RETIRED') {
    throw new DomainError(
      'CONFLICT',
      `Model version ${row.name} v${row.version} is ${row.status.toLowerCase()}; only CANDIDATE or RETIRED versions with a trained artifact can be activated`,
    );
  }
  if (!row.artifactBytes) {
    throw new DomainError('CONFLICT', `Model version ${row.name} v${row.version} has no artifact to serve`);
  }
  return db.$transaction(async (tx) => {
    await tx.modelVersion.updateMany({
      where: { area: CONTENT_AREA, name: row.name, status: 'ACTIVE', id: { not: row.id } },
      data: { status: 'RETIRED' },
    });
    return tx.modelVersion.update({
      where: { id: row.id },
      data: { status: 'ACTIVE', activatedAt: new Date() },
      omit: { artifact: true },
    });
  });
}
