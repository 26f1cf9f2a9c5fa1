// One newsroom behind a running API and worker, as the end-to-end benchmarks use it: the database is
// created when missing and migrated, the newsroom and an editor key made, the processes started.
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createPrisma, migrateDatabase, type Db } from '@media-ai/db';
import { createApiClient } from '../../src/auth/api-keys.js';
import { startPlatformProcess } from './processes.js';

export interface BenchPlatformOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  dataDir: string;
  port: number;
  /** WORKER_QUEUES of the one worker process, e.g. `video:1`. */
  workerQueues: string;
  /** The newsroom's slug (made unique) and name. */
  slug: string;
  name: string;
  /** Settings both processes get beside the common ones (e.g. a provider's base URL). */
  env?: Record<string, string>;
  logLevel?: string;
}

export interface BenchPlatform {
  db: Db;
  newsroomId: string;
  /** An EDITOR key of the newsroom. */
  key: string;
  /** Started processes, API first: stop them (reversed) with stopProcess. */
  procs: ChildProcess[];
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** Polls `job(id)` until COMPLETED (resolves with the fields) or FAILED (rejects with its error). */
  waitJob(id: string, fields?: string): Promise<any>;
}

/** Creates the database when it does not exist, then applies the migrations. */
export async function ensureMigratedDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  try {
    const dbName = url.split('/').pop()!;
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount) {
      await admin.query(`CREATE DATABASE "${dbName}"`);
    }
  } finally {
    await admin.end();
  }
  await migrateDatabase(url);
}

/**
 * Starts the platform for one benchmark. The processes already started are in `procs` when a later
 * step fails, so the caller's cleanup can stop them.
 */
export async function startBenchPlatform(
  o: BenchPlatformOptions,
  procs: ChildProcess[] = [],
): Promise<BenchPlatform> {
  await ensureMigratedDatabase(o.databaseUrl);
  const db = createPrisma(o.databaseUrl);
  const newsroom = await db.newsroom.create({ data: { slug: `${o.slug}-${Date.now()}`, name: o.name } });
  const { key } = await createApiClient(db, { newsroomId: newsroom.id, name: 'bench', role: 'EDITOR' });
  const env = {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    MEDIAAI_QUEUE_PREFIX: o.queuePrefix,
    MEDIAAI_DATA_DIR: o.dataDir,
    LOG_LEVEL: o.logLevel ?? 'info',
    ...o.env,
  };
  procs.push(
    await startPlatformProcess(
      'apps/api/src/main.ts',
      { ...env, PORT: String(o.port), HOST: '127.0.0.1' },
      'API listening',
    ),
  );
  procs.push(
    await startPlatformProcess('apps/worker/src/main.ts', { ...env, WORKER_QUEUES: o.workerQueues }, 'worker serving'),
  );

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`http://127.0.0.1:${o.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const waitJob = async (id: string, fields = 'status result error startedAt finishedAt') => {
    for (;;) {
      const { job } = await gql(`query($id: ID!) { job(id: $id) { ${fields} } }`, { id });
      if (job.status === 'COMPLETED') return job;
      if (job.status === 'FAILED') throw new Error(`job ${id} failed: ${job.error}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { db, newsroomId: newsroom.id, key, procs, gql, waitJob };
}
