import http from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({
    name: 'mediaai_worker_jobs_total',
    help: 'Jobs finished by this worker, by queue, type and outcome',
    labelNames: ['queue', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'mediaai_worker_job_duration_seconds',
    help: 'Job run time on this worker',
    labelNames: ['queue', 'type'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mediaai_worker_' });
  }

  serve(port: number, host = '127.0.0.1'): http.Server {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      void this.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': this.registry.contentType }).end(text);
      });
    });
    server.listen(port, host);
    return server;
  }
}
