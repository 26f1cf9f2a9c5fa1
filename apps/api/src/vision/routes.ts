import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import type { Services } from '../common/services.js';
import { contentDisposition } from '../common/content-disposition.js';

/**
 * GET /v1/assets/:id/derivatives/:kind/content: downloads a derived file (thumbnail, crop,
 * conversion, enhancement) with any API key of the asset's newsroom, like the original's
 * /v1/assets/:id/content. Mounted by app.ts through src/routes.ts; errors go to the API's error handler.
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
  return router;
}
