import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '@media-ai/config';
import type { Db, TenantDb, TenantSql } from '@media-ai/db';
import type { JobService, QueueSet } from '@media-ai/jobs';
import type { Storage } from '@media-ai/storage';
import type { JobPubSub } from '../jobs/progress-bridge.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { RecommenderServing } from '../recommender/serving-state.js';
import type { UsageMeter } from '../compat/usage.js';

/** Process-wide dependencies, created once at start and passed to what uses them. */
export interface Services {
  auth: Authenticator;
  config: Config;
  /** The root client: for what comes before a newsroom is known (authentication, health, admin). */
  db: Db;
  /** The database as one newsroom sees it (made once per newsroom and kept). */
  tenantDb(newsroomId: string): TenantDb;
  /** Hand-written statements bound to one newsroom, over node-postgres (the content page, ingest). */
  tenantSql(newsroomId: string): TenantSql;
  redis: Redis;
  queues: QueueSet;
  jobs: JobService;
  storage: Storage;
  pubsub: JobPubSub;
  recommender: RecommenderServing;
  /** Usage accounting of the compatible APIs (OpenAI audio, LibreTranslate). */
  usage: UsageMeter;
  log: Logger;
}
