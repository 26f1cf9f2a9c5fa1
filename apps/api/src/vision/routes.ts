import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import type { Services } from '../common/services.js';
import { answeredNotModified } from '../common/http-cache.js';
import { contentDisposition } from '../common/content-disposition.js';

/**
 * GET /v1/assets/:id/derivatives/:kind/content: downloads a derived file (thumbnail, crop,
 * conversion, enhancement) with any API key of the asset's newsroom, like the original's
 * /v1/assets/:id/content. GET /v1/faces/:id/crop?size=192: a square WebP of one face (padded, inside
 * the picture), made from the original on request; browsers revalidate it (304) every time.
 * Mounted by app.ts through src/routes.ts; errors go to the API's error handler.
 */
export function visionRoutes(services: Services): Router {
  const router = Router();
  router.get(
    '/v1/assets/:id/derivatives/:kind/content',
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const client = await services.auth.requireClient(req.headers.authorization, res);
        const assetId = String(req.params.id);
        const kind = String(req.params.kind);
        if (!/^[0-9a-f-]{36}$/i.test(assetId))
          throw new DomainError('BAD_USER_INPUT', 'The asset id is malformed');
        const derivative = await services.tenantDb(client.newsroomId).derivative.findFirst({
          where: { assetId, kind },
        });
        if (!derivative) {
          throw new DomainError(
            'NOT_FOUND',
            `Asset ${assetId} has no ${kind} derivative; request it with requestDerivatives or enhanceAsset`,
          );
        }
        res.setHeader('content-type', derivative.mimeType);
        res.setHeader('content-length', String(derivative.sizeBytes));
        res.setHeader('content-disposition', contentDisposition(`${assetId}-${kind}`));
        services.storage.read(derivative.storageKey).on('error', next).pipe(res);
      } catch (error) {
        next(error);
      }
    },
  );
  router.get('/v1/faces/:id/crop', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = await services.auth.requireClient(req.headers.authorization, res);
      const faceId = String(req.params.id);
      if (!/^[0-9a-f-]{36}$/i.test(faceId))
        throw new DomainError('BAD_USER_INPUT', 'The face id is malformed');
      const size = req.query.size === undefined ? FACE_CROP_DEFAULT : Number(req.query.size);
      if (!Number.isInteger(size) || size < FACE_CROP_MIN || size > FACE_CROP_MAX)
        throw new DomainError(
          'BAD_USER_INPUT',
          `size must be a whole number of pixels from ${FACE_CROP_MIN} to ${FACE_CROP_MAX}`,
        );
      const db = services.tenantDb(client.newsroomId);
      const face = await db.face.findFirst({
        where: { id: faceId },
        select: { id: true, box: true, asset: { select: { storageKey: true, checksum: true } } },
      });
      if (!face) throw new DomainError('NOT_FOUND', `Face ${faceId} was not found`);
      const box = face.box as { x: number; y: number; width: number; height: number };
      const etag = `"${createHash('sha1')
        .update(`${face.asset.checksum}:${box.x},${box.y},${box.width},${box.height}:${size}`)
        .digest('hex')}"`;
      // A face is personal data: browsers keep the crop but ask again each time (an unchanged face
      // answers 304 without a crop being made; an erased one 404 at once).
      if (answeredNotModified(req, res, etag, 'private, no-cache')) return;
      const { cropSquare } = await import('@media-ai/vision');
      const crop = await cropSquare(await services.storage.readBuffer(face.asset.storageKey), box, { size });
      res.setHeader('content-type', crop.contentType);
      res.setHeader('content-length', String(crop.buffer.length));
      res.end(crop.buffer);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** Face crops: 2x the largest face the dashboard draws (96 px) by default. */
const FACE_CROP_DEFAULT = 192;
const FACE_CROP_MIN = 16;
const FACE_CROP_MAX = 512;
