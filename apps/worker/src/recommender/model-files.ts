import {
  buildModelIndex,
  DEFAULT_EXACT_BELOW,
  encodeArtifactReference,
  hasItemVectors,
  loadVectorIndex,
  resolveArtifact,
  sha256Hex,
  type Recommender,
  type VectorIndex,
  type VectorIndexBuildOptions,
} from '@media-ai/recommender';
import { putContentAddressed } from '@media-ai/storage';
import { getStorage } from '../lib/deps.js';

/*
 * Files of a recommender model version in storage: the artifact when it is too large for its
 * database row, and the vector index of a large catalogue. Both are content-addressed
 * (`<newsroom>/recommender/{models,indexes}/<aa>/<sha256>.{mrec,mann}`): the same bytes are stored
 * once, and a reader can check what it loaded.
 */

/**
 * Artifacts above this size go to storage and the row keeps a reference: node-postgres reads a bytea as
 * a hex string twice its size, and V8 strings end at 512 MiB.
 */
export const INLINE_ARTIFACT_LIMIT = 64 * 2 ** 20;

/** What a model version records about its vector index (in `params.vectorIndex`). */
export type StoredVectorIndex = {
  storageKey: string;
  sha256: string;
  bytes: number;
  kind: 'hnsw';
  items: number;
  dim: number;
  buildSeconds: number;
  connectivity: number;
  expansionSearch: number;
};

/** Index settings from RecommenderConfig.params.vectorIndex / the job's params.vectorIndex. */
export interface VectorIndexSettings {
  /** Catalogues with fewer items are scored exactly (no index). Default 50,000. */
  exactBelow?: number;
  connectivity?: number;
  expansionAdd?: number;
  expansionSearch?: number;
}

/** The bytes to keep in the row's `artifact`: the artifact itself, or a reference to its stored copy. */
export async function artifactForRow(
  newsroomId: string,
  artifact: Buffer,
  inlineLimit = INLINE_ARTIFACT_LIMIT,
): Promise<Uint8Array<ArrayBuffer>> {
  if (artifact.length <= inlineLimit) return new Uint8Array(artifact);
  const stored = await putContentAddressed(
    getStorage(),
    `${newsroomId}/recommender/models`,
    artifact,
    'mrec',
  );
  return new Uint8Array(
    encodeArtifactReference({
      storageKey: stored.key,
      sha256: stored.sha256,
      bytes: stored.bytes,
      kind: 'model',
    }),
  );
}

/** The model artifact behind a row's `artifact` (read from storage when the row holds a reference). */
export function modelBytes(artifact: Uint8Array): Promise<Buffer> {
  return resolveArtifact(artifact, (key) => getStorage().readBuffer(key));
}

/**
 * Builds the HNSW index of a factor model with at least `exactBelow` items and stores it; null for
 * smaller catalogues (served by an exact scan) and for models without item vectors.
 */
export async function buildAndStoreIndex(
  newsroomId: string,
  model: Recommender,
  settings: VectorIndexSettings = {},
): Promise<StoredVectorIndex | null> {
  const exactBelow = settings.exactBelow ?? DEFAULT_EXACT_BELOW;
  if (!hasItemVectors(model) || model.itemIds.length < exactBelow) return null;
  const options: VectorIndexBuildOptions = {
    kind: 'hnsw',
    connectivity: settings.connectivity ?? 16,
    expansionAdd: settings.expansionAdd ?? 64,
    expansionSearch: settings.expansionSearch ?? 128,
  };
  const t0 = performance.now();
  const index = buildModelIndex(model, options)!;
  const buildSeconds = Math.round((performance.now() - t0) / 10) / 100;
  const stored = await putContentAddressed(
    getStorage(),
    `${newsroomId}/recommender/indexes`,
    index.serialize(),
    'mann',
  );
  return {
    storageKey: stored.key,
    sha256: stored.sha256,
    bytes: stored.bytes,
    kind: 'hnsw',
    items: index.size,
    dim: index.dim,
    buildSeconds,
    connectivity: options.connectivity!,
    expansionSearch: options.expansionSearch!,
  };
}

/** The stored index a model version names in `params.vectorIndex`, or null when it has none. */
export async function loadStoredIndex(params: unknown): Promise<VectorIndex | null> {
  const stored = (params as { vectorIndex?: StoredVectorIndex } | null)?.vectorIndex;
  if (!stored?.storageKey) return null;
  const bytes = await getStorage().readBuffer(stored.storageKey);
  if (sha256Hex(bytes) !== stored.sha256)
    throw new Error(`Vector index ${stored.storageKey} does not match its checksum: retrain the model`);
  return loadVectorIndex(bytes);
}
