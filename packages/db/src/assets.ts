import { hashBuffer, putContentAddressed, type HashedFile, type Storage } from '@media-ai/storage';

import type { MediaAsset, Prisma } from './generated/prisma/client.js';
import type { TenantDb } from './tenant.js';

/**
 * Where the API serves a derived file of an asset (thumbnail, poster, sprite sheet, WebVTT track,
 * preview) to any key of its newsroom. Derived files that point at each other (a thumbnails track at
 * its sprite sheet) are written with it, so the links resolve wherever the track is read from.
 */
export const derivativeContentPath = (assetId: string, kind: string) =>
  `/v1/assets/${assetId}/derivatives/${kind}/content`;

export interface NewAsset {
  /** The bytes: a buffer, or a local file already hashed (it is moved into storage). */
  source: Buffer | HashedFile;
  /** Storage folder, e.g. `<newsroom>` for uploads or `<newsroom>/derived/speech/audio`. */
  prefix: string;
  ext: string;
  filename: string;
  mimeType: string;
  kind: string;
  uploadedById?: string | null;
  metadata?: Prisma.InputJsonValue;
}

/**
 * Stores a media asset by content: the object is keyed by its sha256 and the row is unique per
 * newsroom and checksum, so the same bytes stored twice (even at the same time) give one asset,
 * returned with `duplicate: true`. A failed row write leaves no object behind.
 */
export async function storeMediaAsset(
  db: TenantDb,
  storage: Storage,
  a: NewAsset,
): Promise<{ asset: MediaAsset; duplicate: boolean }> {
  const checksum = Buffer.isBuffer(a.source) ? hashBuffer(a.source).sha256 : a.source.sha256;
  const existing = await db.mediaAsset.findFirst({ where: { checksum } });
  if (existing) return { asset: existing, duplicate: true };
  const stored = await putContentAddressed(storage, a.prefix, a.source, a.ext);
  try {
    const data = {
      storageKey: stored.key,
      filename: a.filename,
      mimeType: a.mimeType,
      kind: a.kind,
      sizeBytes: BigInt(stored.bytes),
      checksum,
      uploadedById: a.uploadedById ?? null,
      ...(a.metadata !== undefined ? { metadata: a.metadata } : {}),
    };
    const asset = await db.mediaAsset.create({ data });
    return { asset, duplicate: false };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      // The same bytes were stored concurrently: point at that asset.
      const other = await db.mediaAsset.findFirstOrThrow({ where: { checksum } });
      if (other.storageKey !== stored.key) await storage.delete(stored.key);
      return { asset: other, duplicate: true };
    }
    // The object may already serve a row written at the same time; delete it only when it does not.
    if (!(await db.mediaAsset.count({ where: { storageKey: stored.key } }))) await storage.delete(stored.key);
    throw error;
  }
}
