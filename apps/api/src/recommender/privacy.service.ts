import type { Job, TenantDb } from '@media-ai/db';
import { indexOfUsers } from '@media-ai/recommender';
import { activeModels } from './model-cache.js';
import { findReader } from './serving.service.js';

export const ARTIFACT_NOTE =
  'Interactions, embeddings and the hot history are deleted at once, so the reader is served as an unknown reader on every API process. The erasure job then removes their id, training history and learned vector from every stored model version and their lines from batch feeds (item-side parameters, which aggregate all readers, are renewed by the next training).';

export interface ErasureHooks {
  /** Drops the reader's hot serving history. */
  forgetHot(externalId: string): Promise<void>;
  /** Queues the erasure from stored models and feeds; returns the job. */
  eraseStored(readerIds: string[]): Promise<Job>;
}

/** Deletes a reader with their interactions and embeddings (cascade), then erases them everywhere else. */
export async function deleteReader(db: TenantDb, readerId: string, hooks: ErasureHooks) {
  const reader = await findReader(db, readerId);
  if (!reader)
    return {
      deleted: false,
      interactionsDeleted: 0,
      embeddingsDeleted: 0,
      erasureJob: null,
      note: ARTIFACT_NOTE,
    };
  const [interactions, embeddings] = await Promise.all([
    db.interaction.count({ where: { readerId: reader.id } }),
    db.readerEmbedding.count({ where: { readerId: reader.id } }),
  ]);
  await db.reader.delete({ where: { id: reader.id } });
  await hooks.forgetHot(reader.externalId);
  const erasureJob = await hooks.eraseStored([reader.id]);
  return {
    deleted: true,
    interactionsDeleted: interactions,
    embeddingsDeleted: embeddings,
    erasureJob,
    note: ARTIFACT_NOTE,
  };
}

/** Everything held about a reader, as JSON. */
export async function exportReader(db: TenantDb, newsroomId: string, readerId: string) {
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
    activeModels.get(db, newsroomId),
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
