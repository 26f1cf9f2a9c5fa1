import {
  deserializeSentenceScorer,
  deserializeTopicClassifier,
  type SentenceScorerModel,
  type TopicClassifierModel,
} from '@media-ai/content-gen';
import type { TenantDb } from '@media-ai/db';

/** Model registry names (table ModelVersion, area 'content'). Persisted: never rename. */
export const CONTENT_AREA = 'content';
export const SUMMARY_SCORER = 'summary-scorer';
export const TOPIC_CLASSIFIER = 'topic-classifier';
export type ContentModelName = typeof SUMMARY_SCORER | typeof TOPIC_CLASSIFIER;

interface ModelTypes {
  [SUMMARY_SCORER]: SentenceScorerModel;
  [TOPIC_CLASSIFIER]: TopicClassifierModel;
}

export interface LoadedModel<M> {
  /** ModelVersion.id */
  id: string;
  version: number;
  model: M;
}

// Deserialised artifacts by ModelVersion id: a version's artifact never changes, so the id is the cache key.
const cache = new Map<string, LoadedModel<unknown>>();
const MAX_CACHED = 16;

function deserialize<N extends ContentModelName>(name: N, artifact: Uint8Array): ModelTypes[N] {
  const buf = Buffer.from(artifact);
  return (
    name === SUMMARY_SCORER ? deserializeSentenceScorer(buf) : deserializeTopicClassifier(buf)
  ) as ModelTypes[N];
}

/** A model version's artifact, deserialised once per process. */
export async function loadModelVersion<N extends ContentModelName>(
  db: TenantDb,
  name: N,
  id: string,
): Promise<LoadedModel<ModelTypes[N]> | null> {
  const hit = cache.get(id);
  if (hit) return hit as LoadedModel<ModelTypes[N]>;
  const row = await db.modelVersion.findFirst({
    where: { id, area: CONTENT_AREA, name },
    select: { id: true, version: true, artifact: true },
  });
  if (!row?.artifact) return null;
  const loaded: LoadedModel<ModelTypes[N]> = {
    id: row.id,
    version: row.version,
    model: deserialize(name, row.artifact),
  };
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(id, loaded);
  return loaded;
}

/** The newsroom's ACTIVE version of a content model, or null: one small query, the artifact from the cache. */
export async function activeContentModel<N extends ContentModelName>(
  db: TenantDb,
  name: N,
): Promise<LoadedModel<ModelTypes[N]> | null> {
  const active = await db.modelVersion.findFirst({
    where: { area: CONTENT_AREA, name, status: 'ACTIVE' },
    orderBy: { activatedAt: 'desc' },
    select: { id: true },
  });
  return active ? loadModelVersion(db, name, active.id) : null;
}

/** "summary-scorer@3": the identity stored with every output of a trained model. */
export const modelIdentity = (m: { name: string; version: string }) => `${m.name}@${m.version}`;
