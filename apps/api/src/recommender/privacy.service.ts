import type { Db, TenantDb } from '@media-ai/db';
import { indexOfUsers } from '@media-ai/recommender';
import { activeModels } from './model-cache.js';
import { findReader } from './serving.service.js';

export const ARTIFACT_NOTE =
  'Interactions and ReaderEmbedding rows are deleted. Serving never uses vectors learned for a reader (it folds in their current interactions from the database), so they are served as an unknown reader at once, and the next training leaves them out. Stored model artifacts trained before the deletion still hold a learned vector keyed by the deleted internal reader id (no longer linked to the external id) until those versions are deleted; retrain and delete old versions to remove them.';

/** Deletes a reader with their interactions and embeddings (cascade). */
export async function deleteReader(
  db: TenantDb,
  readerId: string,
  forgetHot: (externalId: string) => Promise<void>,
) {
  const reader = await findReader(db, readerId);
  if (!reader) return { deleted: false, interactionsDeleted: 0, embeddingsDeleted: 0, note: ARTIFACT_NOTE };
  const [interactions, embeddings] = await Promise.all([
    db.interaction.count({ where: { readerId: reader.id } }),
    db.readerEmbedding.count({ where: { readerId: reader.id } }),
  ]);
  await db.reader.delete({ where: { id: reader.id } });
  await forgetHot(reader.externalId);
  return {
    deleted: true,
    interactionsDeleted: interactions,
    embeddingsDeleted: embeddings,
    note: ARTIFACT_NOTE,
  };
}

/** Everything held about a reader, as JSON. */
export async function exportReader(db: TenantDb, rootDb: Db, newsroomId: string, readerId: string) {
  const reader = await findReader(db, readerId);
  if (!reader) {
    return {
      reader: null,
      interactions: [],
      embeddings: [],
      models: [],
      note: `No reader "${readerId}" is held by this newsroom`,
    };
  }
  const [interactions, embeddings, served] = await Promise.all([
    db.interaction.findMany({
      where: { readerId: reader.id },
      orderBy: { occurredAt: 'asc' },
      select: {
        eventId: true,
        contentId: true,
        eventType: true,
        weight: true,
        occurredAt: true,
        createdAt: true,
      },
    }),
    db.readerEmbedding.findMany({ where: { readerId: reader.id } }),
    activeModels.get(rootDb, newsroomId),
  ]);
  const active = served && indexOfUsers(served.model).has(reader.id);
  return {
    reader: { id: reader.id, externalId: reader.externalId, createdAt: reader.createdAt },
    interactions,
    embeddings: embeddings.map((e) => ({
      modelVersionId: e.modelVersionId,
      vector: Array.from(new Float32Array(new Uint8Array(e.vector).buffer)),
    })),
    models: served
      ? [
          {
            modelVersionId: served.id,
            version: served.version,
            algorithm: served.algorithm,
            status: 'ACTIVE',
            holdsLearnedVector: !!active,
          },
        ]
      : [],
    note: 'Recommendations are computed on request from the interactions above; none are stored per reader except in batch feed files.',
  };
}
