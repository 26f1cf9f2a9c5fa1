// pnpm bench:recommendations — the recommendations a product app asks for on every page view, under
// load, beside a bare Apollo + pg query in the same run.
//
// A synthetic newsroom (10,000 items, 8,000 readers with clustered tastes) is loaded through the
// CLI's import code, a model is trained by the real worker job through GraphQL, every reader is asked
// once (their history becomes hot), then autocannon drives `recommendations` at 50 connections, each
// request for another reader. The bare anchor (../shared/anchors/apollo-bare.mjs) runs right after in
// the same run and the table prints each ratio.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPrisma, createSqlPool, migrateDatabase, TenantSql } from '@media-ai/db';
import { createApiClient } from '../src/auth/api-keys.js';
import { importContent, importEvents } from '../src/importers/import.js';
import type { ContentRow, EventRow } from '../src/importers/formats.js';
import { startPlatformProcess, stopProcess } from './lib/processes.js';
import { anchorsSource, installAnchors, loadAutocannon, runApolloAnchor } from './lib/anchors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench_rec';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4360);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const READERS = Number(process.env.BENCH_READERS ?? 8_000);
const EVENTS_PER_READER = 40;
const CLUSTERS = 40;
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ALGORITHM = process.env.BENCH_ALGORITHM ?? 'als';
const PREFIX = `benchrec${Date.now() % 100000}`;

/** A small deterministic generator, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function* contentRows(): AsyncIterable<ContentRow> {
  const now = Date.now();
  for (let i = 0; i < ITEMS; i++) {
    yield {
      externalId: `item${i}`,
      title: `Article ${i} about topic ${i % CLUSTERS}`,
      body: 'Lorem ipsum dolor sit amet. '.repeat(30),
      category: `section${i % 12}`,
      tags: [`topic${i % CLUSTERS}`],
      publishedAt: new Date(now - (ITEMS - i) * 60_000),
    };
  }
}

/** Readers follow one of CLUSTERS tastes (80% of their reads), with a popularity skew inside each. */
async function* eventRows(): AsyncIterable<EventRow> {
  const rand = rng(42);
  const perCluster = Math.ceil(ITEMS / CLUSTERS);
  const now = Date.now();
  for (let r = 0; r < READERS; r++) {
    const cluster = r % CLUSTERS;
    for (let e = 0; e < EVENTS_PER_READER; e++) {
      const inCluster = rand() < 0.8;
      const rank = Math.floor(Math.pow(rand(), 2.5) * perCluster);
      const item = inCluster ? cluster + CLUSTERS * rank : Math.floor(Math.pow(rand(), 3) * ITEMS);
      yield {
        eventId: `r${r}e${e}`,
        readerId: `reader${r}`,
        contentExternalId: `item${Math.min(item, ITEMS - 1)}`,
        eventType: rand() < 0.3 ? 'read' : 'click',
        occurredAt: new Date(now - (EVENTS_PER_READER - e) * 3_600_000),
      };
    }
  }
}

function startProcess(entry: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the platform's processes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const base = { NODE_ENV: 'production', DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX };
  return startPlatformProcess(entry, { ...base, LOG_LEVEL: 'info', ...env }, readyText, { nodeArgs });
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

const RECS = `query($r: String!) { recommendations(readerId: $r, first: 10) { coldStart tookMs modelVersion { version } items { reason content { id title category publishedAt } } } }`;

async function main() {
  const anchors = anchorsSource();
  const dbName = new URL(DB).pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  console.error('migrating the bench database...');
  await migrateDatabase(DB);
  const db = createPrisma(DB);
  const n = await db.newsroom.create({
    data: { slug: 'bench-rec', name: 'Bench recommendations', maxOpenJobs: 1000, maxJobsPerDay: 100_000 },
  });
  const { key } = await createApiClient(db, {
    newsroomId: n.id,
    name: 'product app',
    role: 'ADMIN',
    rateLimitPerMinute: 100_000_000,
  });
  console.error(`importing ${ITEMS} items and ${READERS * EVENTS_PER_READER} events (the CLI's import)...`);
  let t = performance.now();
  await importContent(db, n.id, contentRows());
  const pool = createSqlPool(DB, { max: 2 });
  const imported = await importEvents(new TenantSql(pool, n.id), eventRows());
  await pool.end();
  const importSeconds = (performance.now() - t) / 1000;
  console.error(`  ${JSON.stringify(imported)} in ${importSeconds.toFixed(1)} s`);

  console.error('starting the API and a worker...');
  const api = await startProcess('apps/api/src/main.ts', { PORT: String(PORT) }, 'API listening');
  const worker = await startProcess(
    'apps/worker/src/main.ts',
    { WORKER_QUEUES: 'recommender:1' },
    'worker serving',
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

  try {
    console.error(`training ${ALGORITHM} through GraphQL and the worker...`);
    t = performance.now();
    const job = (
      await post(`mutation($i: TrainRecommenderInput) { trainRecommender(input: $i) { id } }`, {
        i: { algorithm: ALGORITHM },
      })
    ).trainRecommender;
    for (;;) {
      const j = (await post(`query($id: ID!) { job(id: $id) { status error result } }`, { id: job.id })).job;
      if (j.status === 'FAILED') throw new Error(`training failed: ${j.error}`);
      if (j.status === 'COMPLETED') {
        if (j.result.status !== 'activated')
          throw new Error(`model not activated: ${JSON.stringify(j.result)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const trainSeconds = (performance.now() - t) / 1000;

    console.error('every reader once (their history becomes hot)...');
    const readers = Array.from({ length: READERS }, (_, r) => `reader${r}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let k = next++; k < readers.length; k = next++) {
          const r = (await post(RECS, { r: readers[k] })).recommendations;
          if (r.coldStart) throw new Error('a known reader got cold start');
        }
      }),
    );
    const server: number[] = [];
    for (let k = 0; k < 500; k++)
      server.push((await post(RECS, { r: readers[(k * 7) % readers.length] })).recommendations.tookMs);

    let platform: { rps: number; p50: number; p99: number; errors: number } | null = null;
    let bare: { rps: number; p50: number; p99: number } | null = null;
    if ('dir' in anchors) {
      const dir = await installAnchors(anchors.dir);
      const autocannon = await loadAutocannon(dir);
      let i = 0;
      const opts = {
        url,
        connections: CONNECTIONS,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              body: JSON.stringify({ query: RECS, variables: { r: readers[i++ % readers.length] } }),
            }),
          },
        ],
      };
      console.error(`recommendations: autocannon -c ${CONNECTIONS}, 3 s warm-up + ${DURATION} s...`);
      await autocannon({ ...opts, duration: 3 });
      const r = await autocannon({ ...opts, duration: DURATION });
      platform = {
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
      };
      console.error('bare Apollo + pg anchor...');
      const rows = await runApolloAnchor(dir, { DURATION: String(DURATION), PORT: String(PORT + 1) });
      const items = rows.find((x) => x.name.startsWith('items'));
      if (!items || !(items.reqPerSec > 0))
        throw new Error(`the bare anchor gave no figure: ${JSON.stringify(rows)}`);
      bare = { rps: items.reqPerSec, p50: items.p50, p99: items.p99 };
    } else {
      console.log(
        `note: ${anchors.reason}; the load row needs autocannon from the anchors, so it is skipped too`,
      );
    }

    console.log(`\n## Recommendations under load (${ITEMS} items, ${READERS} readers, ${ALGORITHM})\n`);
    console.log(`import ${importSeconds.toFixed(1)} s; training job ${trainSeconds.toFixed(1)} s`);
    console.log(
      `server time per call (tookMs, 500 calls one at a time): p50 ${percentile(server, 50).toFixed(2)} ms, p99 ${percentile(server, 99).toFixed(2)} ms\n`,
    );
    console.log('| path | req/s | p50 ms | p99 ms | errors |');
    console.log('|---|---:|---:|---:|---:|');
    if (platform)
      console.log(
        `| recommendations(first: 10), 50 connections | ${platform.rps.toFixed(0)} | ${platform.p50} | ${platform.p99} | ${platform.errors} |`,
      );
    if (bare)
      console.log(
        `| bare Apollo + pg items(first: 20), same run | ${bare.rps.toFixed(0)} | ${bare.p50} | ${bare.p99} | |`,
      );
    if (platform && bare) {
      console.log(
        `\nratio: ${(platform.rps / bare.rps).toFixed(2)}x the bare query's req/s (goal >= 0.50); p99 ${(platform.p99 / bare.p99).toFixed(2)}x bare (goal <= 2.0)`,
      );
    }
  } finally {
    await Promise.all([stopProcess(api), stopProcess(worker)]);
    await db.$disconnect();
  }
}

await main();
process.exit(0);
