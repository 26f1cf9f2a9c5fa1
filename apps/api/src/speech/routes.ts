import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import { readSpeakers } from '@media-ai/speech';
import type { Services } from '../common/services.js';
import { contentDisposition } from '../common/content-disposition.js';
import { currentSegments } from '@media-ai/speech-platform';
import { CAPTION_CONTENT_TYPES, CAPTION_FORMATS, isCaptionFormat, renderCaptions } from './captions.js';

/**
 * GET /v1/transcripts/:id/captions.srt | .vtt | .txt: a transcript as subtitles or plain text, with
 * any API key of the transcript's newsroom (the synthesized audio downloads as an asset through
 * /v1/assets/:id/content). Mounted by app.ts through routes.ts.
 */
export function speechRoutes(services: Services): Router {
  const router = Router();
  router.get(
    '/v1/transcripts/:id/captions.:format',
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const client = await services.auth.requireClient(req.headers.authorization, res);
        const id = String(req.params.id);
        const format = String(req.params.format);
        if (!isCaptionFormat(format)) {
          throw new DomainError(
            'NOT_FOUND',
            `No captions.${format}; use one of ${CAPTION_FORMATS.map((f) => `captions.${f}`).join(', ')}`,
          );
        }
        if (!/^[0-9a-f-]{36}$/i.test(id))
          throw new DomainError('BAD_USER_INPUT', 'The transcript id is malformed');
        const transcript = await services.tenantDb(client.newsroomId).transcript.findFirst({
          where: { id },
          select: {
            segments: true,
            editedSegments: true,
            speakers: true,
            asset: { select: { filename: true } },
          },
        });
        if (!transcript) throw new DomainError('NOT_FOUND', `Transcript ${id} was not found`);
        // The editor's corrected version when there is one.
        const body = renderCaptions(currentSegments(transcript), format, readSpeakers(transcript.speakers));
        const stem = transcript.asset.filename.replace(/\.[^.]*$/, '') || id;
        res.setHeader('content-type', CAPTION_CONTENT_TYPES[format]);
        res.setHeader('content-disposition', contentDisposition(`${stem}.${format}`));
        res.send(body);
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
