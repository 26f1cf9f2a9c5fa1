import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import { derivativeContentPath } from '@media-ai/db';
import { chaptersVtt, thumbnailsVtt, type Chapter, type SpriteLayout } from '@media-ai/video';
import type { Services } from '../common/services.js';

/** The stored WebVTT tracks of an analysed video (written by video.analyze), by track name. */
const TRACKS: Record<string, string> = { thumbnails: 'thumbnails-vtt', chapters: 'chapters-vtt' };

/**
 * WebVTT tracks of an analysed video, for players, with any key of its newsroom:
 * GET /v1/assets/:id/thumbnails.vtt (scrubbing previews; each cue names a tile of the sprite sheet at its
 * derivative path, /v1/assets/:id/derivatives/thumbnails/content) and GET /v1/assets/:id/chapters.vtt.
 * Both are stored derivatives (thumbnails-vtt, chapters-vtt), also served at their derivative paths;
 * a video analysed before they were stored gets them built from its analysis.
 */
export function videoRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/assets/:id/:track.vtt', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = await services.auth.requireClient(req.headers.authorization, res);
      const assetId = String(req.params.id);
      const track = String(req.params.track);
      if (!/^[0-9a-f-]{36}$/i.test(assetId))
        throw new DomainError('BAD_USER_INPUT', 'The asset id is malformed');
      const kind = TRACKS[track];
      if (!kind) throw new DomainError('NOT_FOUND', 'Tracks are thumbnails.vtt and chapters.vtt');
      const db = services.tenantDb(client.newsroomId);
      res.setHeader('content-type', 'text/vtt; charset=utf-8');
      const stored = await db.derivative.findFirst({ where: { assetId, kind } });
      if (stored) {
        res.setHeader('content-length', String(stored.sizeBytes));
        services.storage.read(stored.storageKey).on('error', next).pipe(res);
        return;
      }
      const analysis = await db.videoAnalysis.findUnique({ where: { assetId } });
      if (!analysis)
        throw new DomainError('NOT_FOUND', `Video ${assetId} has not been analysed: run analyzeVideo`);
      if (track === 'chapters') {
        res.send(chaptersVtt(analysis.chapters as unknown as Chapter[]));
        return;
      }
      if (!analysis.thumbnails)
        throw new DomainError('NOT_FOUND', `Video ${assetId} has no thumbnails track`);
      res.send(
        thumbnailsVtt(
          analysis.thumbnails as unknown as SpriteLayout,
          analysis.durationSec,
          derivativeContentPath(assetId, 'thumbnails'),
        ),
      );
    } catch (error) {
      res.removeHeader('content-type');
      next(error);
    }
  });
  return router;
}
