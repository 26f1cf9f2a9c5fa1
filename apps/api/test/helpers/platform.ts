import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig, type Config } from '@media-ai/config';
import { createPrisma, type Db, type Role } from '@media-ai/db';
import { startApi, type ApiServer } from '../../src/app.js';
import { createApiClient } from '../../src/auth/api-keys.js';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    PORT: '0',
    MEDIAAI_QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    MEDIAAI_DATA_DIR: path.join(os.tmpdir(), `mediaai-test-${randomBytes(4).toString('hex')}`),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests send many requests without a key from one address; the per-IP limit has its own test.
    MEDIAAI_ANON_RATE_LIMIT_PER_MINUTE: '100000',
    // Suites share one test database under different queue prefixes: no reconciler unless a test asks.
    MEDIAAI_RECONCILE_MS: '0',
    ...overrides,
  });
}

export const silentLog = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestNewsroom {
  id: string;
  keys: Record<'admin' | 'editor' | 'app', string>;
}

export async function createNewsroom(db: Db, name = 'Test Newsroom'): Promise<TestNewsroom> {
  const newsroom = await db.newsroom.create({
    data: { slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(4).toString('hex')}`, name },
  });
  const keys = {} as TestNewsroom['keys'];
  for (const role of ['ADMIN', 'EDITOR', 'APP'] as Role[]) {
    const { key } = await createApiClient(db, { newsroomId: newsroom.id, name: `${role} key`, role });
    keys[role.toLowerCase() as keyof TestNewsroom['keys']] = key;
  }
  return { id: newsroom.id, keys };
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

export class TestApi {
  constructor(
    readonly server: ApiServer,
    readonly db: Db,
  ) {}

  get url() {
    return this.server.url;
  }

  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    key?: string,
  ): Promise<GqlResult<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GqlResult<T>;
    return { ...body, status: res.status };
  }

  /** Like gql but fails the test on any error. */
  async ok<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    key: string,
  ): Promise<T> {
    const r = await this.gql<T>(query, variables, key);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data!;
  }

  ws(key: string): Client {
    return createClient({
      url: this.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
  }
}

export async function startTestApi(
  config: Config = testConfig(),
): Promise<TestApi & { config: Config; close(): Promise<void> }> {
  const db = createPrisma(config.DATABASE_URL!);
  const server = await startApi(config, silentLog(), { db });
  const api = new TestApi(server, db);
  return Object.assign(api, {
    config,
    async close() {
      await server.close();
      await db.$disconnect();
    },
  });
}

/** Uploads bytes as an asset (POST /v1/assets, multipart) and returns its id. */
export async function uploadAsset(
  api: TestApi,
  key: string,
  body: Buffer,
  filename: string,
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)]), filename);
  const res = await fetch(`${api.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const json = (await res.json()) as { id: string };
  if (res.status >= 300)
    throw new Error(`upload of ${filename} failed: ${res.status} ${JSON.stringify(json)}`);
  return json.id;
}

/** Polls a job through GraphQL until it completes or fails. */
export async function finishedJob(api: TestApi, key: string, jobId: string, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const { job } = await api.ok(
      `query($id: ID!) { job(id: $id) { id type status progress result error errorCode attempts } }`,
      { id: jobId },
      key,
    );
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${job.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
