import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import type { Services } from '../common/services.js';
import { contentDisposition } from '../common/content-disposition.js';

/**
 * GET /v1/recommender/feeds/:jobId: downloads the JSONL feed a recommender.batch-recommend job wrote,
 * with any API key of the job's newsroom. Mounted by app.ts through src/routes.ts.
 */
export function recommenderRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/recommender/feeds/:jobId', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = await services.auth.requireClient(req.headers.authorization, res);
      const jobId = String(req.params.jobId);
      if (!/^[0-9a-f-]{36}$/i.test(jobId)) throw new DomainError('BAD_USER_INPUT', 'The job id is malformed');
      const job = await services.tenantDb(client.newsroomId).job.findFirst({
        where: { id: jobId, type: 'recommender.batch-recommend' },
        select: { status: true, result: true },
      });
      if (!job) throw new DomainError('NOT_FOUND', `Batch recommendation job ${jobId} was not found`);
      const key = (job.result as { storageKey?: string } | null)?.storageKey;
      if (job.status !== 'COMPLETED' || !key) {
        throw new DomainError(
          'CONFLICT',
          `Job ${jobId} is ${job.status.toLowerCase()} and has no feed yet; wait until it completes`,
        );
      }
      res.setHeader('content-type', 'application/x-ndjson');
      res.setHeader(
        'content-disposition',
        contentDisposition(`recommendations-${jobId}.jsonl`, 'attachment'),
      );
      services.storage.read(key).on('error', next).pipe(res);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
