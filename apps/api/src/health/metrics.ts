import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueSet } from '@media-ai/jobs';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'mediaai_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'mediaai_graphql_errors_total',
    help: 'GraphQL errors by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(queues: QueueSet) {
    collectDefaultMetrics({ register: this.registry, prefix: 'mediaai_api_' });
    new Gauge({
      name: 'mediaai_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        await Promise.all(
          queues.all().map(async (q) => {
            const counts = await q.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'failed',
              'completed',
              'prioritized',
            );
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
          }),
        );
      },
    });
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.requests.startTimer();
      res.on('finish', () => {
        end({ method: req.method, route: routeLabel(req, res), status: String(res.statusCode) });
      });
      next();
    };
  }
}

/**
 * The route pattern of a request (`/v1/assets/:id/content`), never its raw path: one series per
 * route, not one per id or per 404 probe.
 */
export function routeLabel(req: Request, res: Response): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  // Mounted apps and routers answered without a route of their own (GraphQL, bull-board, the dashboard).
  for (const mount of ['/graphql', '/admin/queues', '/dashboard']) {
    if (req.baseUrl === mount || req.originalUrl.startsWith(mount)) return mount;
  }
  return res.statusCode === 404 ? 'unmatched' : 'other';
}
