import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import type { Derivative, MediaAsset, TenantDb } from '@media-ai/db';
import { putContentAddressed, type Storage } from '@media-ai/storage';
import type { Services } from '../common/services.js';
import { answeredNotModified } from '../common/http-cache.js';

/** Thumbnail sizes (long side in pixels) a grid asks for. */
export const THUMBNAIL_SIZES = { small: 256, medium: 768 } as const;
export type ThumbnailSize = keyof typeof THUMBNAIL_SIZES;

export const thumbnailPath = (assetId: string, size: ThumbnailSize) =>
  `/v1/assets/${assetId}/thumbnails/${size}`;

/** Derivative.kind of a grid thumbnail: thumb-small, thumb-medium. */
export const thumbnailKind = (size: ThumbnailSize) => `thumb-${size}`;
export const isGridThumbnail = (kind: string) => kind.startsWith('thumb-');

/** An asset's bytes never change, so neither do its thumbnails: browsers keep them for a year. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * GET /v1/assets/:id/thumbnails/small | medium: a WebP thumbnail of an image asset, made at upload and stored
 * as a derivative (thumb-small, thumb-medium), served from storage with an ETag (its content hash) and an
 * immutable Cache-Control; If-None-Match answers 304. An image stored without them gets them on first request.
 */
export function thumbnailRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/assets/:id/thumbnails/:size', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = await services.auth.requireClient(req.headers.authorization, res);
      const assetId = String(req.params.id);
      const size = String(req.params.size);
      if (!(size in THUMBNAIL_SIZES))
        throw new DomainError(
          'NOT_FOUND',
          `No thumbnail size "${size}"; use ${Object.keys(THUMBNAIL_SIZES).join(' or ')}`,
        );
      if (!/^[0-9a-f-]{36}$/i.test(assetId))
        throw new DomainError('BAD_USER_INPUT', 'The asset id is malformed');
      const db = services.tenantDb(client.newsroomId);
      const kind = thumbnailKind(size as ThumbnailSize);
      let thumb = await db.derivative.findFirst({ where: { assetId, kind } });
      if (!thumb) {
        // Images uploaded before thumbnails were made at upload, and stored by other paths.
        const asset = await db.mediaAsset.findFirst({ where: { id: assetId } });
        if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
        if (asset.kind !== 'image')
          throw new DomainError(
            'NOT_FOUND',
            `Asset ${assetId} is ${asset.kind}; thumbnails are made of images`,
          );
        thumb = (await makeThumbnails(services.storage, db, client.newsroomId, asset)).find(
          (t) => t.kind === kind,
        )!;
      }
      const etag = `"${thumb.storageKey
        .split('/')
        .pop()!
        .replace(/\.\w+$/, '')}"`;
      if (answeredNotModified(req, res, etag, IMMUTABLE)) return;
      res.setHeader('content-type', thumb.mimeType);
      res.setHeader('content-length', String(thumb.sizeBytes));
      services.storage.read(thumb.storageKey).on('error', next).pipe(res);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/**
 * Makes and stores the thumbnails an image lacks (every size of THUMBNAIL_SIZES, as WebP derivatives
 * thumb-small and thumb-medium), largest first, each smaller one from the one before: the original is
 * decoded once. Returns the rows of every size. Two callers at once both make them; the same bytes land
 * on the same key and the row is upserted.
 */
export async function makeThumbnails(
  storage: Storage,
  db: TenantDb,
  newsroomId: string,
  asset: Pick<MediaAsset, 'id' | 'storageKey'>,
): Promise<Derivative[]> {
  const kinds = (Object.keys(THUMBNAIL_SIZES) as ThumbnailSize[]).map(thumbnailKind);
  const have = await db.derivative.findMany({ where: { assetId: asset.id, kind: { in: kinds } } });
  const sizes = (Object.entries(THUMBNAIL_SIZES) as [ThumbnailSize, number][]).sort((a, b) => b[1] - a[1]);
  if (have.length === sizes.length) return have;
  const { makeThumbnail } = await import('@media-ai/vision');
  let from: Buffer = await storage.readBuffer(asset.storageKey);
  const rows = [...have];
  for (const [size, side] of sizes) {
    const made = await makeThumbnail(from, { size: side });
    from = made.buffer;
    const kind = thumbnailKind(size);
    if (have.some((h) => h.kind === kind)) continue;
    const stored = await putContentAddressed(storage, `${newsroomId}/derived`, made.buffer, made.format);
    const row = {
      storageKey: stored.key,
      mimeType: made.contentType,
      width: made.width,
      height: made.height,
      sizeBytes: stored.bytes,
    };
    rows.push(
      await db.derivative.upsert({
        where: { assetId_kind: { assetId: asset.id, kind } },
        create: { assetId: asset.id, kind, ...row },
        update: row,
      }),
    );
  }
  return rows;
}
