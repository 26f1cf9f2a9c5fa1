import type { JobContext } from '@media-ai/jobs';
import { configureTfBackend } from '@media-ai/vision';
import type { MediaAsset, TenantDb } from '@media-ai/db';
import { checkImageAsset } from '@media-ai/vision-platform/worker';
import { getStorage, workerConfig } from '../lib/deps.js';

/*
 * Imported only when a vision job runs (handlers.ts loads the job modules lazily), so the worker's
 * main thread and the sandbox threads of other queues never load sharp or tfjs. Models are
 * module-level singletons of @media-ai/vision: loaded once per sandbox thread, kept warm.
 */

let configured = false;

/** Chooses the tfjs backend from TFJS_BACKEND once per thread, before the first model loads. */
export function ensureVisionRuntime(): void {
  if (configured) return;
  configured = true;
  configureTfBackend(workerConfig().TFJS_BACKEND);
}

/** The asset and its bytes; a missing or non-image asset is bad input (the job fails at once). */
export async function loadImageAsset(
  db: TenantDb,
  assetId: string,
): Promise<{ asset: MediaAsset; bytes: Buffer }> {
  const asset = checkImageAsset(await db.mediaAsset.findUnique({ where: { id: assetId } }), assetId);
  return { asset, bytes: await getStorage().readBuffer(asset.storageKey) };
}

/** Stops the job between stages when it was cancelled or its worker is shutting down. */
export function throwIfAborted(ctx: JobContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('Aborted');
}
