import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import { forNewsroom } from '@media-ai/db';
import { putContentAddressed } from '@media-ai/storage';
import type { Services } from '../common/services.js';

/** Thumbnail sizes (long side in pixels) a grid asks for. */
export const THUMBNAIL_SIZES = { small: 256, medium: 768 } as const;
export type ThumbnailSize = keyof typeof THUMBNAIL_SIZES;

export const thumbnailPath = (assetId: string, size: ThumbnailSize) =>
  `/v1/assets/${assetId}/thumbnails/${size}`;

/** An asset's bytes never change, so neither do its thumbnails: browsers keep them for a year. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * GET /v1/assets/:id/thumbnails/small | medium: a WebP thumbnail of an image asset, made the first time it
 * is asked for and stored as a derivative (thumb-small, thumb-medium), then served from storage with an ETag
 * (its content hash) and an immutable Cache-Control; If-None-Match answers 304.
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
      const db = forNewsroom(services.db, client.newsroomId);
      const kind = `thumb-${size}`;
      let thumb = await db.derivative.findFirst({ where: { assetId, kind } });
      if (!thumb) {
        const asset = await db.mediaAsset.findFirst({ where: { id: assetId } });
        if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
        if (asset.kind !== 'image')
          throw new DomainError(
            'NOT_FOUND',
            `Asset ${assetId} is ${asset.kind}; thumbnails are made of images`,
          );
        const { makeThumbnail } = await import('@media-ai/vision');
        const made = await makeThumbnail(await services.storage.readBuffer(asset.storageKey), {
          size: THUMBNAIL_SIZES[size as ThumbnailSize],
        });
        const stored = await putContentAddressed(
          services.storage,
          `${client.newsroomId}/derived`,
          made.buffer,
          made.format,
        );
        const row = {
          storageKey: stored.key,
          mimeType: made.contentType,
          width: made.width,
          height: made.height,
          sizeBytes: stored.bytes,
        };
        // Two first requests at once both make it; the same bytes land on the same key.
        thumb = await db.derivative.upsert({
          where: { assetId_kind: { assetId, kind } },
          create: { assetId, kind, ...row },
          update: row,
        });
      }
      const etag = `"${thumb.storageKey
        .split('/')
        .pop()!
        .replace(/\.\w+$/, '')}"`;
      res.setHeader('etag', etag);
      res.setHeader('cache-control', IMMUTABLE);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.setHeader('content-type', thumb.mimeType);
      res.setHeader('content-length', String(thumb.sizeBytes));
      services.storage.read(thumb.storageKey).on('error', next).pipe(res);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
