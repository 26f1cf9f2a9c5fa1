import { loadConfig, type Config } from '@media-ai/config';
import { createPrisma, type Db } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { storageFromConfig, type Storage } from '@media-ai/storage';

/**
 * What job handlers use, created lazily once per thread (handlers run in the worker's main thread
 * or in a sandbox thread, each with its own connections).
 */
let config: Config | undefined;
let db: Db | undefined;
let storage: Storage | undefined;
let jobs: JobService | undefined;

/** The worker runtime sets its own config so main-thread handlers see the same settings as it. */
export function setWorkerConfig(c: Config): void {
  config = c;
}

/** Environment for sandbox threads, so they load exactly the worker's configuration. */
export function configEnv(c: Config): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(c)) {
    if (k === 'WORKER_QUEUES' || k === 'embeddedDatabase' || v === undefined) continue;
    env[k] = String(v);
  }
  return env;
}

export function workerConfig(): Config {
  return (config ??= loadConfig());
}

export function getDb(): Db {
  return (db ??= createPrisma(workerConfig().DATABASE_URL!, { poolSize: 3 }));
}

export function getStorage(): Storage {
  return (storage ??= storageFromConfig(workerConfig()));
}

/** For follow-up jobs enqueued by a handler. */
export function getJobService(): JobService {
  if (!jobs) {
    const c = workerConfig();
    const redis = redisConnection(c.REDIS_URL);
    jobs = new JobService(getDb(), new QueueSet(redis, c.MEDIAAI_QUEUE_PREFIX), redis, {
      gpuFallbackMs: c.MEDIAAI_GPU_FALLBACK_MS,
    });
  }
  return jobs;
}
