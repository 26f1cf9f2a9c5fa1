import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MediaAsset, TenantDb } from '@media-ai/db';
import { PermanentJobError } from '@media-ai/jobs';
import { isVideoError } from '@media-ai/video';
import { getStorage } from '../lib/deps.js';

/** The video asset, refused when missing or not a video. */
export async function loadVideoAsset(db: TenantDb, assetId: string): Promise<MediaAsset> {
  const asset = await db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!asset) {
    throw new PermanentJobError(
      `Asset ${assetId} does not exist in this newsroom (was it deleted?)`,
      'NOT_FOUND',
    );
  }
  if (asset.kind !== 'video') {
    throw new PermanentJobError(
      `Asset ${assetId} is not a video (it is ${asset.kind}, ${asset.mimeType}); upload an MP4, MOV, WebM or MKV file`,
    );
  }
  return asset;
}

/** Runs `work` on a local copy of the asset's file (ffmpeg seeks in files, not streams), then deletes it. */
export async function withLocalCopy<T>(
  asset: MediaAsset,
  work: (file: string, head: Uint8Array) => Promise<T>,
): Promise<T> {
  const storage = getStorage();
  if (!(await storage.exists(asset.storageKey))) {
    throw new PermanentJobError(
      `The file of asset ${asset.id} is missing from storage; upload it again`,
      'NOT_FOUND',
    );
  }
  const file = path.join(await storage.tempDir(), `video-${randomUUID()}${path.extname(asset.storageKey)}`);
  try {
    await pipeline(storage.read(asset.storageKey), createWriteStream(file));
    return await work(file, await readHead(file));
  } finally {
    await rm(file, { force: true });
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start: 0, end: 63 }) as AsyncIterable<Buffer>)
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A refused video fails at once with the package's code and message; an engine failure is retried. */
export function asJobError(error: unknown): unknown {
  if (isVideoError(error) && !error.retryable && error.code !== 'CANCELLED')
    return new PermanentJobError(error.message, error.code);
  return error;
}
