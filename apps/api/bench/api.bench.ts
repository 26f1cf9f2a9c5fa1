// pnpm bench:api — the platform's hot paths beside the bare stack, in the same run.
//
// The bare anchors (../shared/anchors: bare Apollo + pg, raw unnest INSERT) are copied to a temporary
// folder, installed with `npm ci` and run first; then the platform API is started (NODE_ENV=production,
// its own Redis) and loaded the same way the anchor is: the autocannon CLI as a separate process,
// 50 connections, POST JSON, a warm-up that is discarded, then the measured run. Every row prints its
// ratio to the bare figure it is compared with.
//
// Rows are a table of scenarios (SCENARIOS below): adding one is adding an entry.
// Env: BENCH_DATABASE_URL, BENCH_ONLY=id,id (run some scenarios), BENCH_SECONDS (10), BENCH_WARMUP (3),
// BENCH_CONNECTIONS (50), BENCH_CPU_PROF=<dir> (write a V8 CPU profile of the API), MEDIAAI_ANCHORS_DIR.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createPrisma, migrateDatabase, type Db } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { createApiClient } from '../src/auth/api-keys.js';
import { startPlatformProcess, stopProcess } from './lib/processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const PORT = 4350;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const CPU_PROF = process.env.BENCH_CPU_PROF;
const ANCHORS = process.env.MEDIAAI_ANCHORS_DIR ?? path.resolve(root, '../shared/anchors');
const PREFIX = `bench${Date.now() % 100000}`;
const AUTOCANNON = path.join(root, 'apps/api/node_modules/.bin/autocannon');

// ---------------------------------------------------------------- measurements

interface Measure {
  /** Throughput in the row's unit. */
  rate: number;
  unit: string;
  p50?: number;
  p99?: number;
  errors: number;
  /** Per request, counted in a separate sequential phase. */
  dbQueries?: number;
  redisCommands?: number;
  notes?: string;
}

interface Bench {
  db: Db;
  newsroomId: string;
  keys: { admin: string; app: string };
  api: { url: string; redis: Redis; dbName: string };
}

interface Scenario {
  id: string;
  /** The row as printed. */
  label: string;
  /** Which bare figure it is compared with: an anchor script and the first cell of its row. */
  bare?: { script: 'apollo-bare.mjs' | 'pg-insert.mjs'; row: string; column: 'req/s' | 'rows/s inserted' };
  goal?: string;
  /** Needs the API running (false: runs after the API is stopped). */
  api: boolean;
  run(b: Bench): Promise<Measure>;
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

function autocannon(
  url: string,
  body: string,
  headers: string[],
  seconds: number,
): Promise<AutocannonResult> {
  const args = [
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
  ];
  for (const h of headers) args.push('-H', h);
  args.push('-b', body, '-j', url);
  return new Promise((resolve, reject) => {
    const p = spawn(AUTOCANNON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon exited ${code}: ${err.slice(-400)}`));
      }
    });
  });
}

/**
 * Database statements (transactions of the bench database) and Redis round trips per request, counted
 * over a sequential phase. PostgreSQL backends flush their statistics up to 10 s after they go idle,
 * hence the waits. Redis is the bench's own: MONITOR sees every command a client sends (commands run
 * inside a Lua script are marked "lua" and are not round trips); the background (queue event
 * listeners) is measured over the first wait and subtracted.
 */
async function countPerRequest(b: Bench, send: () => Promise<unknown>, n = 200) {
  const stats = new pg.Client({ connectionString: DB });
  await stats.connect();
  const xacts = async () => {
    await new Promise((r) => setTimeout(r, 11_000));
    await stats.query('SELECT pg_stat_clear_snapshot()');
    const r = await stats.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
      [b.api.dbName],
    );
    return Number(r.rows[0].n) - 2; // this connection's own two statements
  };
  let trips = 0;
  const monitor = await b.api.redis.monitor();
  monitor.on('monitor', (_time: string, _args: string[], source: string) => {
    if (source !== 'lua') trips++;
  });
  const tIdle = performance.now();
  const x0 = await xacts();
  const idleRate = trips / (performance.now() - tIdle);
  const t0 = performance.now();
  const trips0 = trips;
  for (let i = 0; i < n; i++) await send();
  const busyTrips = trips - trips0;
  const busyMs = performance.now() - t0;
  const x1 = await xacts();
  monitor.disconnect();
  await stats.end();
  return {
    dbQueries: Math.max(0, (x1 - x0) / n),
    redisCommands: Math.max(0, (busyTrips - idleRate * busyMs) / n),
  };
}

/** A GraphQL query loaded by autocannon exactly as the anchor loads its own. */
function graphqlScenario(
  id: string,
  label: string,
  query: string,
  bare: Scenario['bare'],
  goal: string,
  check: (data: Record<string, unknown>) => void,
  key: keyof Bench['keys'] = 'app',
): Scenario {
  return {
    id,
    label,
    bare,
    goal,
    api: true,
    async run(b) {
      const url = `${b.api.url}/graphql`;
      const body = JSON.stringify({ query });
      const auth = `authorization=Bearer ${b.keys[key]}`;
      const send = async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${b.keys[key]}` },
          body,
        });
        const j = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (res.status !== 200 || j.errors)
          throw new Error(`${id}: ${res.status} ${JSON.stringify(j).slice(0, 300)}`);
        return j.data!;
      };
      check(await send());
      const counts = await countPerRequest(b, send);
      await autocannon(url, body, [auth], WARMUP);
      const a = await autocannon(url, body, [auth], SECONDS);
      return {
        rate: a.requests.average,
        unit: 'req/s',
        p50: a.latency.p50,
        p99: a.latency.p99,
        errors: a.errors + a.timeouts + a.non2xx,
        ...counts,
      };
    },
  };
}

async function concurrentLoad(concurrency: number, seconds: number, request: () => Promise<number>) {
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
    unitsPerSec: units / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

// ---------------------------------------------------------------- the rows

const SCENARIOS: Scenario[] = [
  graphqlScenario(
    'me',
    'trivial authed query `{ me { name } }` (APP key)',
    '{ me { name } }',
    { script: 'apollo-bare.mjs', row: 'hello', column: 'req/s' },
    '≥ 75% of bare `{ hello }`',
    (d) => {
      if (!(d.me as { name?: string })?.name) throw new Error('me.name missing');
    },
  ),
  graphqlScenario(
    'content',
    '`contentItems(first: 20)` id title body publishedAt (APP key)',
    '{ contentItems(first: 20, filter: { orderBy: \"publishedAt\" }) { edges { node { id title body publishedAt } } } }',
    { script: 'apollo-bare.mjs', row: 'items(first: 20)', column: 'req/s' },
    '≥ 50% of bare `items(first: 20)`, p99 ≤ 2× bare',
    (d) => {
      const n = (d.contentItems as { edges: unknown[] }).edges.length;
      if (n !== 20) throw new Error(`contentItems returned ${n} rows`);
    },
  ),
  {
    id: 'ingest',
    label: '`ingestInteractions`, 1,000 events a call, 4 concurrent',
    bare: {
      script: 'pg-insert.mjs',
      row: 'ON CONFLICT DO NOTHING, new ids|1,000',
      column: 'rows/s inserted',
    },
    goal: '≥ 25% of raw',
    api: true,
    async run(b) {
      const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted duplicates } }`;
      let seq = 0;
      const r = await concurrentLoad(4, SECONDS, async () => {
        const events = Array.from({ length: 1000 }, () => {
          const i = seq++;
          return {
            eventId: `ev${i}`,
            readerId: `r${i % 5000}`,
            contentExternalId: `b${i % 2000}`,
            eventType: 'click',
            occurredAt: new Date(1.79e12 + i * 1000).toISOString(),
          };
        });
        const res = await fetch(`${b.api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${b.keys.app}` },
          body: JSON.stringify({ query: INGEST, variables: { e: events } }),
        });
        const j = (await res.json()) as {
          data?: { ingestInteractions: { accepted: number } };
          errors?: unknown;
        };
        if (!j.data) throw new Error(JSON.stringify(j.errors));
        return j.data.ingestInteractions.accepted;
      });
      return { rate: r.unitsPerSec, unit: 'events/s', p50: r.p50, p99: r.p99, errors: r.errors };
    },
  },
  {
    id: 'ingest-cli',
    label: '`pnpm mediaai import interactions`, JSON Lines, 5,000 events a statement',
    bare: {
      script: 'pg-insert.mjs',
      row: 'ON CONFLICT DO NOTHING, new ids|10,000',
      column: 'rows/s inserted',
    },
    goal: '≥ 25% of raw',
    api: false,
    async run(b) {
      const n = Number(process.env.BENCH_IMPORT_EVENTS ?? 50_000);
      const file = path.join(os.tmpdir(), `mediaai-bench-events-${process.pid}.jsonl`);
      const lines = Array.from({ length: n }, (_, i) =>
        JSON.stringify({
          eventId: `cli${i}`,
          readerId: `r${i % 5000}`,
          contentExternalId: `b${i % 2000}`,
          eventType: 'click',
          occurredAt: new Date(1.8e12 + i * 1000).toISOString(),
        }),
      );
      fs.writeFileSync(file, lines.join('\n') + '\n');
      try {
        const t0 = performance.now();
        const out = execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(root, 'apps/api/src/cli/main.ts'),
            'import',
            'interactions',
            file,
            '--newsroom',
            'bench',
          ],
          {
            cwd: root,
            env: {
              ...process.env,
              NODE_ENV: 'production',
              DATABASE_URL: DB,
              REDIS_URL: redisUrlOf(b.api.redis),
              MEDIAAI_QUEUE_PREFIX: PREFIX,
            },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        const wallS = (performance.now() - t0) / 1000;
        const accepted = Number(/"accepted":(\d+)/.exec(out)?.[1]);
        if (accepted !== n) throw new Error(`import accepted ${accepted} of ${n} events: ${out.slice(-300)}`);
        // The CLI's own rate (reading the file and storing); the wall time adds the process start.
        const rate = Number(/\((\d+) rows\/s\)/.exec(out)?.[1]);
        return {
          rate,
          unit: 'events/s',
          errors: 0,
          notes: `${n.toLocaleString('en-US')} events, ${wallS.toFixed(1)} s with process start`,
        };
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
  },
  {
    id: 'jobs',
    label: 'no-op jobs end to end, 1 worker process (concurrency 16)',
    goal: 'see the jobs rows of docs/performance.md',
    api: false,
    async run(b) {
      const redis = redisConnection(redisUrlOf(b.api.redis));
      const queues = new QueueSet(redis, PREFIX);
      const jobs = new JobService(b.db, queues, redis);
      const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
      const t0 = performance.now();
      const ids: string[] = [];
      for (let i = 0; i < JOBS; i++) ids.push((await jobs.enqueue(b.newsroomId, 'platform.noop', {})).id);
      const enqueueS = (performance.now() - t0) / 1000;
      const worker = await startProcess(
        'apps/worker/src/main.ts',
        { WORKER_QUEUES: 'platform:16', LOG_LEVEL: 'info', REDIS_URL: redisUrlOf(b.api.redis) },
        'worker serving',
      );
      const ready = performance.now();
      for (;;) {
        const done = await b.db.job.count({ where: { id: { in: ids }, status: 'COMPLETED' } });
        if (done === JOBS) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const processS = (performance.now() - ready) / 1000;
      await stopProcess(worker);
      await queues.close();
      redis.disconnect();
      return {
        rate: JOBS / processS,
        unit: 'jobs/s',
        errors: 0,
        notes: `enqueue ${(JOBS / enqueueS).toFixed(0)} jobs/s one by one`,
      };
    },
  },
];

// ---------------------------------------------------------------- processes

function startProcess(entry: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  const base = { DATABASE_URL: DB, MEDIAAI_QUEUE_PREFIX: PREFIX, NODE_ENV: 'production' };
  return startPlatformProcess(entry, { ...base, LOG_LEVEL: 'warn', ...env }, readyText, {
    ...(CPU_PROF && entry.includes('apps/api') ? { cpuProfile: { dir: CPU_PROF } } : {}),
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const redisUrlOf = (r: Redis) => `redis://127.0.0.1:${r.options.port}`;

/** A Redis of the bench's own, so its command counts are the platform's alone. */
async function startRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const p = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return { url, stop: () => p.kill('SIGTERM') };
    } catch {
      r.disconnect();
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  p.kill('SIGKILL');
  throw new Error('redis-server did not start (is it installed?)');
}

// ---------------------------------------------------------------- anchors

type AnchorTable = { headers: string[]; rows: string[][] };

/** Copies the anchors to a temporary folder (reused while its lockfile is unchanged) and installs them. */
function prepareAnchors(): string | null {
  if (!fs.existsSync(path.join(ANCHORS, 'apollo-bare.mjs'))) {
    console.error(`[bench] no bare anchors at ${ANCHORS}: rows print without a bare figure`);
    return null;
  }
  const lock = fs.readFileSync(path.join(ANCHORS, 'package-lock.json'));
  const dir = path.join(
    os.tmpdir(),
    `mediaai-anchors-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`,
  );
  if (!fs.existsSync(path.join(dir, 'node_modules/.bin/autocannon'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(ANCHORS, dir, {
      recursive: true,
      filter: (s) => !s.includes('node_modules') && !s.includes('/results'),
    });
    console.error(`[bench] npm ci in ${dir}`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return dir;
}

function runAnchor(dir: string, script: string, env: Record<string, string>): AnchorTable {
  console.error(`[bench] bare anchor: node ${script}`);
  const out = execFileSync(process.execPath, [script], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.split('\n').filter((l) => l.startsWith('|') && !/^\|[-| :]+\|$/.test(l));
  const cells = lines.map((l) =>
    l
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim()),
  );
  return { headers: cells[0] ?? [], rows: cells.slice(1) };
}

function bareFigure(tables: Map<string, AnchorTable>, bare: NonNullable<Scenario['bare']>) {
  const t = tables.get(bare.script);
  if (!t) return null;
  // Cells compared without thousands separators: the anchors print batch sizes as 1000.
  const plain = (c: string | undefined) => c?.replace(/,/g, '');
  const want = bare.row.split('|');
  const row = t.rows.find((r) => want.every((w, i) => plain(r[i]) === plain(w)));
  if (!row) return null;
  const num = (h: string) => Number(row[t.headers.indexOf(h)]?.replace(/,/g, ''));
  return { rate: num(bare.column), p99: num('p99 ms') };
}

// ---------------------------------------------------------------- main

async function setupDatabase() {
  const dbName = new URL(DB).pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  console.error('[bench] migrating the bench database');
  await migrateDatabase(DB);
  const db = createPrisma(DB);
  const n = await db.newsroom.create({
    data: { slug: 'bench', name: 'Bench', maxOpenJobs: 1_000_000, maxJobsPerDay: 10_000_000 },
  });
  const keys = {
    admin: (
      await createApiClient(db, {
        newsroomId: n.id,
        name: 'bench admin',
        role: 'ADMIN',
        rateLimitPerMinute: 10_000_000,
      })
    ).key,
    app: (
      await createApiClient(db, {
        newsroomId: n.id,
        name: 'bench app',
        role: 'APP',
        rateLimitPerMinute: 10_000_000,
      })
    ).key,
  };
  // The anchor's shape: 10,000 rows, title ~40 chars, body 1 KiB, newest first by publishedAt.
  const body = 'lorem ipsum dolor sit amet '.repeat(38).slice(0, 1024);
  for (let b = 0; b < 10_000; b += 2000) {
    await db.contentItem.createMany({
      data: Array.from({ length: 2000 }, (_, k) => {
        const i = b + k;
        return {
          newsroomId: n.id,
          externalId: `b${i}`,
          title: `Bench article number ${i} with a title`.slice(0, 40),
          body,
          category: ['news', 'sports', 'culture'][i % 3],
          tags: ['bench'],
          status: 'PUBLISHED' as const,
          publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        };
      }),
    });
  }
  await db.$executeRawUnsafe('ANALYZE "ContentItem"');
  return { db, newsroomId: n.id, keys, dbName };
}

async function main() {
  const chosen = SCENARIOS.filter((s) => !ONLY || ONLY.includes(s.id));
  const { db, newsroomId, keys, dbName } = await setupDatabase();

  const anchors = new Map<string, AnchorTable>();
  const dir = prepareAnchors();
  if (dir) {
    const scripts = new Set(chosen.flatMap((s) => (s.bare ? [s.bare.script] : [])));
    for (const script of scripts)
      anchors.set(
        script,
        runAnchor(dir, script, {
          CONNECTIONS: String(CONNECTIONS),
          DURATION: String(SECONDS),
          WARMUP: String(WARMUP),
          PHASE_SECONDS: String(Math.max(3, Math.round(SECONDS / 2))),
        }),
      );
  }

  const redis = await startRedis();
  const results = new Map<string, Measure | Error>();
  try {
    const apiScenarios = chosen.filter((s) => s.api);
    const apiRedis = new Redis(redis.url);
    let apiProc: ChildProcess | null = null;
    if (apiScenarios.length) {
      console.error('[bench] starting the API (NODE_ENV=production)');
      apiProc = await startProcess(
        'apps/api/src/main.ts',
        { PORT: String(PORT), LOG_LEVEL: 'info', REDIS_URL: redis.url },
        'API listening',
      );
    }
    const bench: Bench = {
      db,
      newsroomId,
      keys,
      api: { url: `http://127.0.0.1:${PORT}`, redis: apiRedis, dbName },
    };
    for (const s of apiScenarios) {
      console.error(`[bench] ${s.id}: ${s.label}`);
      results.set(s.id, await s.run(bench).catch((e: Error) => e));
    }
    if (apiProc) await stopProcess(apiProc);
    for (const s of chosen.filter((x) => !x.api)) {
      console.error(`[bench] ${s.id}: ${s.label}`);
      results.set(s.id, await s.run(bench).catch((e: Error) => e));
    }
    apiRedis.disconnect();
  } finally {
    redis.stop();
    await db.$disconnect();
  }

  const f = (n: number | undefined, d = 0) =>
    n === undefined || !Number.isFinite(n)
      ? ''
      : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `API benchmark, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load generator, API, PostgreSQL and Redis on one machine; autocannon -c ${CONNECTIONS}, ${WARMUP} s warm-up + ${SECONDS} s measured; bare anchors run first in the same run${dir ? '' : ' (absent: no bare figures)'}`,
    '',
    '| row | bare | platform | ratio | bare p99 ms | platform p50 / p99 ms | DB queries / req | Redis round trips / req | errors | goal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of chosen) {
    const m = results.get(s.id);
    if (m instanceof Error || !m) {
      lines.push(
        `| ${s.label} | | failed: ${String(m?.message ?? 'no result').slice(0, 200)} | | | | | | | ${s.goal ?? ''} |`,
      );
      continue;
    }
    const bare = s.bare ? bareFigure(anchors, s.bare) : null;
    lines.push(
      `| ${s.label} | ${bare ? `${f(bare.rate)} ${s.bare!.column.replace(' inserted', '')}` : ''} | ${f(m.rate)} ${m.unit}${m.notes ? ` (${m.notes})` : ''} | ${bare ? `${((100 * m.rate) / bare.rate).toFixed(0)}%` : ''} | ${bare && Number.isFinite(bare.p99) ? f(bare.p99) : ''} | ${m.p50 !== undefined ? `${f(m.p50)} / ${f(m.p99)}` : ''} | ${f(m.dbQueries, 1)} | ${f(m.redisCommands, 1)} | ${m.errors} | ${s.goal ?? ''} |`,
    );
  }
  const table = lines.join('\n');
  console.log(table);
  if (!ONLY) fs.writeFileSync(path.join(here, 'RESULTS.md'), table + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
