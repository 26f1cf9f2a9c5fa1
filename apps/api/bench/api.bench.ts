// pnpm bench:api — GraphQL throughput and latency under concurrent load, interaction ingest, and
// end-to-end queue throughput with one and two worker processes. Prints a markdown table.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPrisma, migrateDatabase } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { createApiClient } from '../src/auth/api-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = 4350;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PREFIX = `bench${Date.now() % 100000}`;

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function startProcess(entry: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: DB,
      REDIS_URL: REDIS,
      MEDIAAI_QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes(readyText)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (c) => reject(new Error(`${entry} exited ${c}: ${out.slice(-500)}`)));
  });
}

async function load(concurrency: number, seconds: number, request: () => Promise<number>) {
  const latencies: number[] = [];
  let units = 0;
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const s = performance.now();
        try {
          // (not `units += await ...`: that reads units before the await and loses concurrent updates)
          const got = await request();
          units += got;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return {
    rps: latencies.length / elapsed,
    unitsPerSec: units / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    n: latencies.length,
  };
}

async function main() {
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS mediaai_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE mediaai_bench');
  await admin.end();
  console.error('migrating bench database...');
  await migrateDatabase(DB);
  const db = createPrisma(DB);
  const n = await db.newsroom.create({
    data: { slug: 'bench', name: 'Bench', maxOpenJobs: 1_000_000, maxJobsPerDay: 10_000_000 },
  });
  const { key } = await createApiClient(db, {
    newsroomId: n.id,
    name: 'bench',
    role: 'ADMIN',
    rateLimitPerMinute: 10_000_000,
  });
  await db.contentItem.createMany({
    data: Array.from({ length: 2000 }, (_, i) => ({
      newsroomId: n.id,
      externalId: `b${i}`,
      title: `Bench article ${i}`,
      body: 'Lorem ipsum '.repeat(40),
      category: ['news', 'sports', 'culture'][i % 3],
      tags: ['bench'],
      status: 'PUBLISHED' as const,
    })),
  });

  console.error('starting the API...');
  const api = await startProcess(
    'apps/api/src/main.ts',
    { PORT: String(PORT), LOG_LEVEL: 'info' },
    'API listening',
  );
  const url = `http://127.0.0.1:${PORT}/graphql`;
  const post = async (query: string, variables: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[]; data?: any };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const LIST = `query($f: ContentFilter) { contentItems(first: 20, filter: $f) { totalCount edges { node { id title category tags publishedAt } } pageInfo { hasNextPage endCursor } } }`;
  await post(LIST, {});
  const rows: string[] = [];
  console.error(`content list query, ${SECONDS}s...`);
  for (const conc of [1, 16]) {
    const r = await load(conc, SECONDS, async () => (await post(LIST, { f: { category: 'sports' } }), 1));
    rows.push(
      `| contentItems(first: 20), ${conc} concurrent | ${r.rps.toFixed(0)} req/s | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | | ${r.errors} |`,
    );
  }
  console.error(`interaction ingest, ${SECONDS}s...`);
  const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted duplicates } }`;
  let seq = 0;
  for (const [conc, batch] of [
    [1, 1000],
    [4, 1000],
  ] as const) {
    const r = await load(conc, SECONDS, async () => {
      const events = Array.from({ length: batch }, () => {
        const i = seq++;
        return {
          eventId: `ev${i}`,
          readerId: `r${i % 5000}`,
          contentExternalId: `b${i % 2000}`,
          eventType: 'click',
          occurredAt: new Date(1.79e12 + i * 1000).toISOString(),
        };
      });
      const d = await post(INGEST, { e: events });
      return d.ingestInteractions.accepted as number;
    });
    rows.push(
      `| ingestInteractions, ${batch} events a call, ${conc} concurrent | ${r.rps.toFixed(1)} calls/s | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.unitsPerSec.toFixed(0)} events/s | ${r.errors} |`,
    );
  }
  api.kill('SIGTERM');

  const redis = redisConnection(REDIS);
  const queues = new QueueSet(redis, PREFIX);
  const jobs = new JobService(db, queues, redis);
  const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
  for (const workers of [1, 2]) {
    console.error(`queue: ${JOBS} no-op jobs, ${workers} worker process(es)...`);
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await jobs.enqueue(n.id, 'platform.noop', {})).id);
    const enqueueS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const procs = await Promise.all(
      Array.from({ length: workers }, () =>
        startProcess(
          'apps/worker/src/main.ts',
          { WORKER_QUEUES: 'platform:16', LOG_LEVEL: 'info' },
          'worker serving',
        ),
      ),
    );
    const ready = performance.now();
    for (;;) {
      const done = await db.job.count({ where: { id: { in: ids }, status: 'COMPLETED' } });
      if (done === JOBS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const processS = (performance.now() - ready) / 1000;
    rows.push(
      `| no-op jobs, ${workers} worker process${workers > 1 ? 'es' : ''} (concurrency 16 each) | ${(JOBS / processS).toFixed(0)} jobs/s processed | | | enqueue ${(JOBS / enqueueS).toFixed(0)} jobs/s; ${JOBS} jobs in ${processS.toFixed(1)} s (worker start ${((ready - t1) / 1000).toFixed(1)} s excluded) | 0 |`,
    );
    await Promise.all(
      procs.map(
        (p) =>
          new Promise((r) => {
            p.once('exit', r);
            p.kill('SIGTERM');
          }),
      ),
    );
  }
  await queues.close();
  redis.disconnect();
  await db.$disconnect();

  const table = [
    `API benchmark (${new Date().toISOString().slice(0, 10)}, 2-core machine, API and load generator on the same machine, ${SECONDS}s per row)`,
    '',
    '| workload | throughput | p50 ms | p99 ms | notes | errors |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(table);
  await fs.writeFile(path.join(root, 'apps/api/bench/RESULTS.md'), table + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
