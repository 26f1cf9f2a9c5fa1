import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import { forNewsroom } from '@media-ai/db';
import { chaptersVtt, thumbnailsVtt, type Chapter, type SpriteLayout } from '@media-ai/video';
import type { Services } from '../common/services.js';

/**
 * WebVTT tracks of an analysed video, for players: GET /v1/assets/:id/thumbnails.vtt (scrubbing previews;
 * cues point at the sprite sheet derivative, relative to the track) and GET /v1/assets/:id/chapters.vtt.
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
      if (track !== 'thumbnails' && track !== 'chapters') {
        throw new DomainError('NOT_FOUND', 'Tracks are thumbnails.vtt and chapters.vtt');
      }
      const analysis = await forNewsroom(services.db, client.newsroomId).videoAnalysis.findUnique({
        where: { assetId },
      });
      if (!analysis)
        throw new DomainError('NOT_FOUND', `Video ${assetId} has not been analysed: run analyzeVideo`);
      let body: string;
      if (track === 'chapters') body = chaptersVtt(analysis.chapters as unknown as Chapter[]);
      else {
        if (!analysis.thumbnails)
          throw new DomainError('NOT_FOUND', `Video ${assetId} has no thumbnails track`);
        body = thumbnailsVtt(
          analysis.thumbnails as unknown as SpriteLayout,
          analysis.durationSec,
          'derivatives/thumbnails/content',
        );
      }
      res.setHeader('content-type', 'text/vtt; charset=utf-8');
      res.send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
