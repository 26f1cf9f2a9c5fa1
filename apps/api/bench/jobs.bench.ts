// pnpm bench:jobs — no-op jobs through the user's path (GraphQL enqueueJobs and the CLI, real worker
// processes, every job row and its progress kept), beside bare BullMQ (../shared/anchors) in the same
// run on the same Redis, with ratios; plus PostgreSQL transactions and Redis commands per job.
//   BENCH_JOBS (20000)  BENCH_BATCH (1000 a call)  BENCH_CONCURRENCY (50, worker concurrency)
//   BENCH_PROFILE=1: CPU profiles of the API and the worker (node --cpu-prof), summarised at the end.
//   BENCH_REDIS_URL: a Redis to use; by default a private redis-server is started when one is installed,
//   so that the command counts are this benchmark's alone.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { createPrisma, migrateDatabase } from '@media-ai/db';
import { createApiClient } from '../src/auth/api-keys.js';
import { anchorsSource, installAnchors } from './lib/anchors.js';
import { startPlatformProcess, stopProcess } from './lib/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench_jobs';
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CONC = Number(process.env.BENCH_CONCURRENCY ?? 50);
const PROFILE = process.env.BENCH_PROFILE === '1';
const PORT = 4360 + Math.floor(Math.random() * 30);
const PREFIX = `bjobs${Date.now() % 100000}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'media-ai-jobs-bench-'));
const profileDir = path.join(tmp, 'profiles');
const run = promisify(execFile);
const log = (m: string) => console.error(`[bench:jobs] ${m}`);

let REDIS = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let privateRedis: ChildProcess | undefined;

async function startPrivateRedis(): Promise<void> {
  if (process.env.BENCH_REDIS_URL) return;
  const port = 6500 + Math.floor(Math.random() * 400);
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const ok = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    setTimeout(() => resolve(true), 300);
  });
  if (!ok) {
    log(`no redis-server binary: using ${REDIS} (command counts include other clients)`);
    return;
  }
  privateRedis = child;
  REDIS = `redis://127.0.0.1:${port}`;
  const r = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 20 });
  await r.connect();
  await r.ping();
  r.disconnect();
  log(`private Redis on port ${port}`);
}

function startProcess(
  entry: string,
  env: Record<string, string>,
  readyText: string,
  name: string,
): Promise<ChildProcess> {
  const base = { NODE_ENV: 'production', DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX };
  return startPlatformProcess(entry, { ...base, LOG_LEVEL: 'info', ...env }, readyText, {
    ...(PROFILE ? { cpuProfile: { dir: profileDir, name } } : {}),
  });
}

async function redisCommands(): Promise<number> {
  const r = new Redis(REDIS);
  const info = await r.info('stats');
  r.disconnect();
  // Less the INFO call itself and the connection's handshake.
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function pgTransactions(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(r.rows[0]!.n);
}

/** CPU milliseconds (user + system) a process has used so far, from /proc (0 once it is gone). */
function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Where a phase's CPU went: the API, the worker, the bench database's PostgreSQL backends and Redis,
 * read from /proc before and after (robust to other work on the machine, unlike a rate).
 */
async function cpuMeter(client: pg.Client, procs: { api?: ChildProcess; worker?: ChildProcess }) {
  const backends = async () =>
    (
      await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid);
  const redisPid = privateRedis?.pid;
  const snapshot = async () => {
    const pgPids = await backends();
    return {
      api: cpuMsOf(procs.api?.pid),
      worker: cpuMsOf(procs.worker?.pid),
      redis: cpuMsOf(redisPid),
      pg: new Map(pgPids.map((pid) => [pid, cpuMsOf(pid)])),
    };
  };
  const before = await snapshot();
  return async (jobs: number) => {
    const after = await snapshot();
    let pgMs = 0;
    for (const [pid, ms] of after.pg) pgMs += ms - (before.pg.get(pid) ?? 0);
    const per = (ms: number) => Math.round((1000 * ms) / jobs);
    return {
      api: per(after.api - before.api),
      worker: per(after.worker - before.worker),
      pg: per(pgMs),
      redis: redisPid ? per(after.redis - before.redis) : undefined,
    };
  };
}

/** Waits until every job of the newsroom is in a final state; returns the worker-side window. */
async function waitAllDone(client: pg.Client, newsroomId: string, total: number, timeoutMs = 600_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.query<{ done: string; failed: string }>(
      `SELECT count(*) FILTER (WHERE status = 'COMPLETED') AS done, count(*) FILTER (WHERE status = 'FAILED') AS failed
         FROM "Job" WHERE "newsroomId" = $1`,
      [newsroomId],
    );
    const done = Number(r.rows[0]!.done);
    const failed = Number(r.rows[0]!.failed);
    if (done + failed >= total) return { done, failed };
    if (Date.now() > end) throw new Error(`only ${done} of ${total} jobs completed in time`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function window(client: pg.Client, newsroomId: string) {
  const r = await client.query<{ first_start: Date; last_finish: Date; first_created: Date; kept: string }>(
    `SELECT min("startedAt") AS first_start, max("finishedAt") AS last_finish, min("createdAt") AS first_created,
            count(*) FILTER (WHERE status = 'COMPLETED' AND progress = 1 AND result IS NOT NULL AND attempts = 1) AS kept
       FROM "Job" WHERE "newsroomId" = $1`,
    [newsroomId],
  );
  const row = r.rows[0]!;
  return {
    drainS: (row.last_finish.getTime() - row.first_start.getTime()) / 1000,
    firstCreated: row.first_created.getTime(),
    lastFinish: row.last_finish.getTime(),
    kept: Number(row.kept),
  };
}

interface BareRow {
  addBulkPerS: number;
  drainPerS: number;
}

async function runBareBullmq(): Promise<BareRow | { skipped: string }> {
  const src = anchorsSource();
  if ('reason' in src) return { skipped: src.reason };
  const dir = await installAnchors(src.dir);
  const u = new URL(REDIS);
  const { stdout } = await run(process.execPath, ['bullmq-bare.mjs'], {
    cwd: dir,
    env: {
      ...process.env,
      REDIS_HOST: u.hostname,
      REDIS_PORT: u.port || '6379',
      JOBS: String(JOBS),
      CONCURRENCY: String(CONC),
      LAT_JOBS: '100',
    },
    maxBuffer: 10 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('| 1 worker process'));
  if (!line) return { skipped: `could not read bullmq-bare's table:\n${stdout}` };
  const cells = line.split('|').map((c) => c.trim());
  const jobs = Number(cells[2]!.replace(/,/g, ''));
  const addS = Number(cells[3]);
  return { addBulkPerS: jobs / addS, drainPerS: Number(cells[5]!.replace(/,/g, '')) };
}

/** The functions with the most self time in a .cpuprofile, as "share% name (file)". */
function summariseProfile(file: string, top = 12): string[] {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: {
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
      hitCount?: number;
    }[];
  };
  const self = new Map<string, number>();
  let total = 0;
  for (const n of prof.nodes) {
    const hits = n.hitCount ?? 0;
    total += hits;
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const where = url.includes('node_modules')
      ? url.slice(url.lastIndexOf('node_modules/') + 13).replace(/^\.pnpm\/[^/]+\/node_modules\//, '')
      : path.relative(root, url) || url;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where ? `(${where}:${n.callFrame.lineNumber + 1})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

async function main() {
  await startPrivateRedis();
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });
  await admin.connect();
  const dbName = new URL(DB).pathname.slice(1);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${dbName.replace(/"/g, '')}"`);
  await admin.end();
  log('migrating the bench database...');
  await migrateDatabase(DB);
  const db = createPrisma(DB);
  const stats = new pg.Client({ connectionString: DB });
  await stats.connect();
  const newsroom = (slug: string) =>
    db.newsroom.create({
      data: { slug: `${slug}-${PREFIX}`, name: slug, maxOpenJobs: 10_000_000, maxJobsPerDay: 100_000_000 },
    });
  const n1 = await newsroom('jobs-bulk');
  const n2 = await newsroom('jobs-e2e');
  const n3 = await newsroom('jobs-cli');
  const key = async (newsroomId: string) =>
    (
      await createApiClient(db, {
        newsroomId,
        name: 'bench',
        role: 'EDITOR',
        rateLimitPerMinute: 10_000_000,
      })
    ).key;
  const k1 = await key(n1.id);
  const k2 = await key(n2.id);

  log('starting the API...');
  const api = await startProcess('apps/api/src/main.ts', { PORT: String(PORT) }, 'API listening', 'api');
  const url = `http://127.0.0.1:${PORT}/graphql`;
  const ENQUEUE_JOBS = `mutation($jobs: [EnqueueJobInput!]!) { enqueueJobs(jobs: $jobs) { id } }`;
  const enqueue = async (apiKey: string, count: number) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        query: ENQUEUE_JOBS,
        variables: {
          jobs: Array.from({ length: count }, () => ({ type: 'platform.noop', payload: { steps: 1 } })),
        },
      }),
    });
    const body = (await res.json()) as { data?: { enqueueJobs: unknown[] }; errors?: unknown[] };
    if (!body.data || body.errors) throw new Error(`enqueueJobs failed: ${JSON.stringify(body.errors)}`);
    return body.data.enqueueJobs.length;
  };
  await enqueue(k1, 10); // warm-up (schema, connections); counted in the drain below
  const workerEnv = { WORKER_QUEUES: `platform:${CONC}`, LOG_LEVEL: 'info' };

  // A) bulk enqueue through GraphQL, no worker running.
  log(`A) enqueueJobs: ${JOBS} jobs in calls of ${BATCH}...`);
  const pgA = await pgTransactions(stats);
  const rA = await redisCommands();
  const cpuA = await cpuMeter(stats, { api });
  const a0 = performance.now();
  let queued = 0;
  while (queued < JOBS) queued += await enqueue(k1, Math.min(BATCH, JOBS - queued));
  const cpuPerJobA = await cpuA(JOBS);
  const enqueueS = (performance.now() - a0) / 1000;
  const pgPerJobEnqueue = ((await pgTransactions(stats)) - pgA) / JOBS;
  const redisPerJobEnqueue = ((await redisCommands()) - rA) / JOBS;

  // B) drain by one worker process.
  log(`B) one worker process (concurrency ${CONC}) drains them...`);
  const worker1 = await startProcess('apps/worker/src/main.ts', workerEnv, 'worker serving', 'worker-drain');
  const pgB = await pgTransactions(stats);
  const rB = await redisCommands();
  const cpuB = await cpuMeter(stats, { worker: worker1 });
  const doneB = await waitAllDone(stats, n1.id, JOBS + 10);
  const cpuPerJobB = await cpuB(JOBS + 10);
  const pgPerJobDrain = ((await pgTransactions(stats)) - pgB) / (JOBS + 10);
  const redisPerJobDrain = ((await redisCommands()) - rB) / (JOBS + 10);
  const wB = await window(stats, n1.id);

  // C) end to end: enqueue through GraphQL while the worker runs, with a subscriber on the API.
  log('C) end to end: enqueueJobs while the worker runs, one GraphQL subscriber...');
  let events = 0;
  const ws = createClient({
    url: `ws://127.0.0.1:${PORT}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${k2}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.subscribe(
      { query: 'subscription { jobProgress { jobId status progress } }' },
      { next: () => void events++, error: reject, complete: () => undefined },
    );
    ws.on('connected', () => setTimeout(resolve, 200));
  });
  const c0 = Date.now();
  const cpuC = await cpuMeter(stats, { api, worker: worker1 });
  queued = 0;
  while (queued < JOBS) queued += await enqueue(k2, Math.min(BATCH, JOBS - queued));
  const doneC = await waitAllDone(stats, n2.id, JOBS);
  const cpuPerJobC = await cpuC(JOBS);
  const wC = await window(stats, n2.id);
  const e2eS = (wC.lastFinish - c0) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  await ws.dispose();
  await stopProcess(worker1);
  await stopProcess(api);

  // D) the CLI: a JSON Lines file, no worker running.
  log('D) pnpm mediaai jobs enqueue-bulk...');
  const file = path.join(tmp, 'jobs.jsonl');
  fs.writeFileSync(
    file,
    Array.from({ length: JOBS }, () => JSON.stringify({ type: 'platform.noop', payload: { steps: 1 } })).join(
      '\n',
    ),
  );
  const d0 = performance.now();
  const cli = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'apps/api/src/cli/main.ts'),
      'jobs',
      'enqueue-bulk',
      file,
      '--newsroom',
      n3.slug,
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  const cliWallS = (performance.now() - d0) / 1000;
  const cliRate = Number(/\((\d+) jobs\/s\)/.exec(cli.stdout)?.[1] ?? NaN);
  const cliRows = await db.job.count({ where: { newsroomId: n3.id } });

  // E) bare BullMQ on the same Redis.
  log('E) bare BullMQ (../shared/anchors/bullmq-bare.mjs)...');
  const rE = await redisCommands();
  const bare = await runBareBullmq().catch((e: Error) => ({ skipped: `bullmq-bare failed: ${e.message}` }));
  // bullmq-bare runs 2 × JOBS jobs (one and two worker processes) and 120 single ones.
  const redisPerJobBare = ((await redisCommands()) - rE) / (2 * JOBS + 120);

  const ratio = (x: number, y: number | undefined) => (y ? `${((100 * x) / y).toFixed(0)}%` : 'n/a');
  const bareDrain = 'skipped' in bare ? undefined : bare.drainPerS;
  const bareAdd = 'skipped' in bare ? undefined : bare.addBulkPerS;
  const drainRate = (JOBS + 10) / wB.drainS;
  const lines = [
    `Jobs benchmark (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, API, worker, PostgreSQL, Redis and load on one machine; ${JOBS} no-op jobs, worker concurrency ${CONC})`,
    '',
    '| path | platform | bare BullMQ | platform / bare | notes |',
    '|---|---|---|---|---|',
    `| bulk enqueue, GraphQL enqueueJobs (${BATCH} a call) | ${(JOBS / enqueueS).toFixed(0)} jobs/s | addBulk ${bareAdd?.toFixed(0) ?? 'n/a'} jobs/s | ${ratio(JOBS / enqueueS, bareAdd)} | rows created, quota and ids checked, queued |`,
    `| bulk enqueue, CLI enqueue-bulk | ${cliRate.toFixed(0)} jobs/s | addBulk ${bareAdd?.toFixed(0) ?? 'n/a'} jobs/s | ${ratio(cliRate, bareAdd)} | ${cliRows} rows; ${cliWallS.toFixed(1)} s with process start |`,
    `| drain, 1 worker process | ${drainRate.toFixed(0)} jobs/s | ${bareDrain?.toFixed(0) ?? 'n/a'} jobs/s | ${ratio(drainRate, bareDrain)} | ${doneB.done} completed, ${doneB.failed} failed; ${wB.kept} rows with progress 1, result, attempts 1 |`,
    `| end to end: enqueueJobs → worker → row COMPLETED | ${(JOBS / e2eS).toFixed(0)} jobs/s | ${bareDrain?.toFixed(0) ?? 'n/a'} jobs/s (drain) | ${ratio(JOBS / e2eS, bareDrain)} | ${doneC.done} completed, ${doneC.failed} failed; ${wC.kept} rows kept; ${events} events relayed to 1 subscriber |`,
    '',
    '| per job | PostgreSQL transactions | Redis commands (with those inside BullMQ scripts) |',
    '|---|---|---|',
    `| bare BullMQ (addBulk, run, remove on complete) | 0 | ${'skipped' in bare ? 'n/a' : redisPerJobBare.toFixed(2)} |`,
    `| enqueue (enqueueJobs, ${BATCH} a call) | ${pgPerJobEnqueue.toFixed(3)} | ${redisPerJobEnqueue.toFixed(2)} |`,
    `| run (worker: start, progress, end, events) | ${pgPerJobDrain.toFixed(3)} | ${redisPerJobDrain.toFixed(2)} |`,
    '',
    '| CPU per job (µs, from /proc; other work on the machine does not count) | API | worker | PostgreSQL (bench database) | Redis |',
    '|---|---|---|---|---|',
    `| bulk enqueue, GraphQL enqueueJobs | ${cpuPerJobA.api} | | ${cpuPerJobA.pg} | ${cpuPerJobA.redis ?? 'n/a (shared Redis)'} |`,
    `| drain, 1 worker process | | ${cpuPerJobB.worker} | ${cpuPerJobB.pg} | ${cpuPerJobB.redis ?? 'n/a (shared Redis)'} |`,
    `| end to end (enqueueJobs, run, events relayed to 1 subscriber) | ${cpuPerJobC.api} | ${cpuPerJobC.worker} | ${cpuPerJobC.pg} | ${cpuPerJobC.redis ?? 'n/a (shared Redis)'} |`,
    '',
    'skipped' in bare ? `bare BullMQ skipped: ${bare.skipped}` : '',
  ];
  if (PROFILE) {
    for (const proc of fs.existsSync(profileDir) ? fs.readdirSync(profileDir) : []) {
      // The main thread's profile is the largest one of the process.
      const files = fs
        .readdirSync(path.join(profileDir, proc))
        .map((f) => path.join(profileDir, proc, f))
        .sort((x, y) => fs.statSync(y).size - fs.statSync(x).size);
      if (!files[0]) continue;
      lines.push(
        '',
        `CPU profile of the ${proc} process (self time, top functions):`,
        ...summariseProfile(files[0]),
      );
    }
  }
  console.log(lines.join('\n'));
  if (PROFILE) console.log(`\nprofiles: ${profileDir}`);
  fs.writeFileSync(path.join(root, 'apps/api/bench/jobs-results.md'), lines.join('\n') + '\n');

  // Clean up this run's queues and rows.
  const r = new Redis(REDIS);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  r.disconnect();
  await db.newsroom.deleteMany({ where: { id: { in: [n1.id, n2.id, n3.id] } } });
  await stats.end();
  await db.$disconnect();
}

main().then(
  () => {
    privateRedis?.kill('SIGTERM');
    process.exit(0);
  },
  (e) => {
    console.error(e);
    privateRedis?.kill('SIGTERM');
    process.exit(1);
  },
);
