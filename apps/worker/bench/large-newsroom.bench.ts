// pnpm bench:large-newsroom — a synthetic large newsroom (default 10M interactions, 1M items, 100k
// readers) generated in SQL in a bench database, then the real `recommender.train` and
// `recommender.batch-recommend` jobs run by a worker process. Prints time and the worker's peak RSS
// (VmHWM from /proc/<pid>/status, sampled) for each job.
//
// Env: BENCH_DATABASE_URL (default postgresql://root@127.0.0.1:5432/mediaai_bench_large),
// LARGE_EVENTS, LARGE_ITEMS, LARGE_READERS, LARGE_ALGORITHM (default bpr), LARGE_PARAMS (JSON params
// for the training job), LARGE_REGENERATE=1 (rebuild the data even when the newsroom exists),
// LARGE_SKIP_BATCH=1, LARGE_GENERATE_ONLY=1, REDIS_URL.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPrisma, forNewsroom, migrateDatabase, modelRegistry } from '@media-ai/db';
import {
  batchRecommend,
  deserializeModel,
  loadVectorIndex,
  recommendWithIndex,
  resolveArtifact,
} from '@media-ai/recommender';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { startPlatformProcess } from '../../api/bench/lib/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench_large';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = Number(process.env.LARGE_EVENTS ?? 10_000_000);
const ITEMS = Number(process.env.LARGE_ITEMS ?? 1_000_000);
const READERS = Number(process.env.LARGE_READERS ?? 100_000);
const ALGORITHM = process.env.LARGE_ALGORITHM ?? 'bpr';
const PARAMS = JSON.parse(process.env.LARGE_PARAMS ?? '{}') as Record<string, unknown>;
const PREFIX = `large${Date.now() % 100000}`;
const TOPICS = 50;
const GiB = 2 ** 30;

const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function ensureDatabase(): Promise<void> {
  const name = new URL(DB).pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await migrateDatabase(DB);
}

/**
 * Readers follow one of 50 topics: 80% of their events fall on their topic's items, 20% anywhere;
 * within both, item popularity is skewed (rank ~ U³) and reader activity too. Events: 65% view,
 * 20% click, 10% read, 4% share, 1% hide, over the last 90 days.
 */
async function generate(client: pg.Client, newsroomId: string): Promise<number> {
  const t0 = performance.now();
  await client.query(`SELECT setseed(0.42)`);
  // Bulk load without per-row foreign-key triggers (this is a bench database of our own).
  await client.query(`SET session_replication_role = replica`).catch(() => undefined);
  log(`content: ${ITEMS.toLocaleString('en')} published items`);
  await client.query(
    `INSERT INTO "ContentItem" (id, "newsroomId", "externalId", title, body, category, tags, status, "publishedAt", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, 'c' || g, 'Synthetic article ' || g, '', 'topic-' || (g % ${TOPICS}),
            ARRAY['t' || (g % ${TOPICS})], 'PUBLISHED', now() - ((g % 365) || ' days')::interval, now()
     FROM generate_series(0, $2::int - 1) g`,
    [newsroomId, ITEMS],
  );
  log(`readers: ${READERS.toLocaleString('en')}`);
  await client.query(
    `INSERT INTO "Reader" (id, "newsroomId", "externalId")
     SELECT gen_random_uuid(), $1::uuid, 'r' || g FROM generate_series(0, $2::int - 1) g`,
    [newsroomId, READERS],
  );
  await client.query(`DROP TABLE IF EXISTS large_items, large_readers`);
  await client.query(
    `CREATE UNLOGGED TABLE large_items AS
       SELECT substr("externalId", 2)::int AS n, id FROM "ContentItem" WHERE "newsroomId" = $1::uuid`,
    [newsroomId],
  );
  await client.query(
    `CREATE UNLOGGED TABLE large_readers AS
       SELECT substr("externalId", 2)::int AS n, id FROM "Reader" WHERE "newsroomId" = $1::uuid`,
    [newsroomId],
  );
  await client.query(`CREATE UNIQUE INDEX ON large_items (n); CREATE UNIQUE INDEX ON large_readers (n)`);
  await client.query(`ANALYZE large_items; ANALYZE large_readers`);
  // Secondary indexes and the primary key are dropped for the bulk load and rebuilt once at the end
  // (sorted builds instead of ~50M random index-page updates).
  const indexes = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Interaction' AND indexname <> 'Interaction_pkey'`,
  );
  for (const ix of indexes.rows) await client.query(`DROP INDEX "${ix.indexname}"`);
  await client.query(`ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_pkey"`);
  const chunk = 1_000_000;
  const perTopic = Math.floor(ITEMS / TOPICS);
  for (let start = 0; start < EVENTS; start += chunk) {
    const end = Math.min(EVENTS, start + chunk);
    await client.query(
      `INSERT INTO "Interaction" (id, "newsroomId", "eventId", "readerId", "contentId", "eventType", weight, "occurredAt")
       SELECT gen_random_uuid(), $1::uuid, 'e' || e.g, r.id, i.id, e.type, NULL, e.at
       FROM (
         SELECT g, reader,
                CASE WHEN random() < 0.8
                     THEN (reader % ${TOPICS}) + ${TOPICS} * floor(${perTopic} * power(random(), 3))::int
                     ELSE floor(${ITEMS} * power(random(), 3))::int END AS item,
                CASE WHEN u < 0.65 THEN 'view' WHEN u < 0.85 THEN 'click' WHEN u < 0.95 THEN 'read'
                     WHEN u < 0.99 THEN 'share' ELSE 'hide' END AS type,
                now() - random() * interval '90 days' AS at
         FROM (SELECT g, floor(${READERS} * power(random(), 2))::int AS reader, random() AS u
               FROM generate_series($2::int, $3::int - 1) g) s
       ) e
       JOIN large_readers r ON r.n = e.reader
       JOIN large_items i ON i.n = LEAST(e.item, ${ITEMS - 1})`,
      [newsroomId, start, end],
    );
    log(`interactions: ${end.toLocaleString('en')} / ${EVENTS.toLocaleString('en')}`);
  }
  await client.query(`DROP TABLE large_items, large_readers`);
  log('rebuilding the interaction indexes');
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_pkey" PRIMARY KEY (id)`);
  for (const ix of indexes.rows) await client.query(ix.indexdef);
  await client.query(`SET session_replication_role = origin`).catch(() => undefined);
  await client.query(`ANALYZE "Interaction"`);
  return (performance.now() - t0) / 1000;
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const base = { DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX };
  return startPlatformProcess(
    'apps/worker/src/main.ts',
    { ...base, LOG_LEVEL: 'info', ...env },
    'worker serving',
  );
}

/** CPU seconds (user + system, every thread) of a process so far: on a shared machine, the work done. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memoryOf(pid: number): { hwm: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

async function main() {
  log(`bench database ${new URL(DB).pathname.slice(1)}`);
  await ensureDatabase();
  const db = createPrisma(DB);
  const slug = `large-${EVENTS}-${ITEMS}-${READERS}`;
  let newsroom = await db.newsroom.findUnique({ where: { slug } });
  let generateSeconds: number | null = null;
  if (newsroom && process.env.LARGE_REGENERATE === '1') {
    await db.newsroom.delete({ where: { id: newsroom.id } });
    newsroom = null;
  }
  if (!newsroom) {
    newsroom = await db.newsroom.create({
      data: { slug, name: `Synthetic ${slug}`, maxOpenJobs: 1000, maxJobsPerDay: 100_000 },
    });
    const client = new pg.Client({ connectionString: DB });
    await client.connect();
    generateSeconds = await generate(client, newsroom.id);
    await client.end();
  } else {
    log(`reusing newsroom ${slug}`);
  }
  if (process.env.LARGE_GENERATE_ONLY === '1') {
    log(
      `generated in ${generateSeconds?.toFixed(0) ?? '0 (existing)'} s; LARGE_GENERATE_ONLY=1: not training`,
    );
    await db.$disconnect();
    return;
  }
  const counts = {
    events: await db.interaction.count({ where: { newsroomId: newsroom.id } }),
    items: await db.contentItem.count({ where: { newsroomId: newsroom.id } }),
    readers: await db.reader.count({ where: { newsroomId: newsroom.id } }),
  };
  // No decay: the synthetic history spans 90 days and should count whole.
  await db.recommenderConfig.upsert({
    where: { newsroomId: newsroom.id },
    create: { newsroomId: newsroom.id, algorithm: ALGORITHM },
    update: { algorithm: ALGORITHM },
  });

  const dataDir = path.join(os.tmpdir(), `mediaai-large-${process.pid}`);
  const worker = await startWorker({
    WORKER_QUEUES: 'recommender:1,recommender-gpu:1',
    MEDIAAI_DATA_DIR: dataDir,
    TFJS_BACKEND: 'wasm',
  });
  const pid = worker.pid!;
  const base = memoryOf(pid);
  log(`worker ${pid} serving; RSS at start ${(base.rss / 2 ** 20).toFixed(0)} MiB`);
  const redis = redisConnection(REDIS);
  const jobs = new JobService(db, new QueueSet(redis, PREFIX), redis);

  async function runJob(name: 'recommender.train' | 'recommender.batch-recommend', payload: object) {
    const t0 = performance.now();
    const cpu0 = cpuSecondsOf(pid);
    const job = await jobs.enqueue(newsroom!.id, name, payload as never);
    let last = '';
    let peakRss = 0;
    let row;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const m = memoryOf(pid);
      peakRss = Math.max(peakRss, m.rss);
      row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      const line = `${(row.progress * 100).toFixed(0)}% ${row.progressMessage ?? ''}`;
      if (line !== last) {
        log(
          `${name}: ${line} (RSS ${(m.rss / GiB).toFixed(2)} GiB, worker CPU ${(cpuSecondsOf(pid) - cpu0).toFixed(0)} s)`,
        );
        last = line;
      }
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(row.status)) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (row.status !== 'COMPLETED') throw new Error(`${name} ${row.status}: ${row.error}`);
    return {
      seconds,
      cpuSeconds: cpuSecondsOf(pid) - cpu0,
      peakRss,
      hwm: memoryOf(pid).hwm,
      result: row.result as Record<string, unknown>,
    };
  }

  const train = await runJob('recommender.train', { algorithm: ALGORITHM, params: PARAMS });
  // The batch feed serves the ACTIVE version: one the gate kept as CANDIDATE is activated as an admin
  // would (activateRecommenderModel), so that the feed's throughput is measured either way.
  let activatedByHand = false;
  if (process.env.LARGE_SKIP_BATCH !== '1' && train.result.status === 'candidate') {
    await modelRegistry(forNewsroom(db, newsroom.id), newsroom.id).activate(
      'recommender',
      String(train.result.modelVersionId),
    );
    activatedByHand = true;
    log('the gate kept the version as CANDIDATE: activated by hand for the batch feed');
  }
  const batch =
    process.env.LARGE_SKIP_BATCH === '1' ? null : await runJob('recommender.batch-recommend', { first: 20 });
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await redis.quit();

  // The engine alone on the same model and readers: batchRecommend in this process, lines discarded
  // (no database, no editorial filters, no storage), for the job's overhead ratio.
  let engine: { readers: number; seconds: number } | null = null;
  if (batch) {
    const version = await db.modelVersion.findUniqueOrThrow({
      where: { id: String(batch.result.modelVersionId) },
      select: { artifact: true, params: true },
    });
    const read = (key: string) =>
      Promise.resolve(readFileSync(path.join(dataDir, 'storage', 'objects', key)));
    const model = deserializeModel(await resolveArtifact(version.artifact!, read));
    const stored = (version.params as { vectorIndex?: { storageKey: string } }).vectorIndex;
    const index = stored ? loadVectorIndex(await read(stored.storageKey)) : null;
    const k = 60;
    const r = await batchRecommend(model, {
      k,
      write: () => undefined,
      ...(index ? { rank: (u: number) => recommendWithIndex(model, index, u, { k }) } : {}),
    });
    engine = { readers: r.users, seconds: r.seconds };
  }

  const gib = (b: number) => (b / GiB).toFixed(2);
  const tr = train.result;
  console.log(`\n# Large newsroom: training and batch top-N through the worker\n`);
  console.log(
    `${new Date().toISOString().slice(0, 16)}Z · Node ${process.version} · ${os.cpus().length} cores · ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at the end · ${counts.events.toLocaleString('en')} interactions, ` +
      `${counts.items.toLocaleString('en')} items, ${counts.readers.toLocaleString('en')} readers` +
      (generateSeconds !== null
        ? ` · generated in SQL in ${generateSeconds.toFixed(0)} s`
        : ' · existing data'),
  );
  console.log();
  console.log(
    '| job | wall s | worker CPU s | worker peak RSS (VmHWM) GiB | sampled peak RSS GiB | result |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| recommender.train (${ALGORITHM}${Object.keys(PARAMS).length ? ' ' + JSON.stringify(PARAMS) : ''}) | ` +
      `${train.seconds.toFixed(0)} | ${train.cpuSeconds.toFixed(0)} | ${gib(train.hwm)} | ${gib(train.peakRss)} | ${tr.status}, ` +
      `${String(tr.readers)} readers × ${String(tr.items)} items, nDCG@10 ${JSON.stringify((tr.metrics as { ndcg?: number })?.ndcg)} |`,
  );
  if (batch) {
    const key = batch.result.storageKey as string | undefined;
    const bytes = key ? statSync(path.join(dataDir, 'storage', 'objects', key)).size : 0;
    console.log(
      `| recommender.batch-recommend (first 20) | ${batch.seconds.toFixed(0)} | ${batch.cpuSeconds.toFixed(0)} | ${gib(batch.hwm)} | ` +
        `${gib(batch.peakRss)} | ${String(batch.result.readers)} readers, ${(bytes / 2 ** 20).toFixed(0)} MiB JSONL ` +
        `(${(Number(batch.result.readers) / batch.seconds).toFixed(0)} readers/s) |`,
    );
  }
  const phases = tr.phaseSeconds as Record<string, number> | undefined;
  if (phases) {
    console.log('\n| training phase | seconds |\n|---|---|');
    if (generateSeconds !== null)
      console.log(`| generate + import in SQL (bench only) | ${generateSeconds.toFixed(0)} |`);
    const names: Record<string, string> = {
      load: 'stream interactions into typed arrays',
      train: 'validation fit + baseline + refit on all data',
      index: 'vector index build + store',
      store: 'serialize + store artifact',
      register: 'registry (gate, activation)',
    };
    // In the job's order (the stored JSON does not keep it).
    for (const [k, label] of Object.entries(names)) {
      const v = phases[k];
      if (v !== undefined) console.log(`| ${label} | ${v.toFixed(1)} |`);
    }
  }
  if (tr.gate) console.log(`\nGate: ${String(tr.gate)}`);
  if (batch && engine) {
    const jobRate = Number(batch.result.readers) / batch.seconds;
    const engineRate = engine.readers / engine.seconds;
    console.log('\n| batch top-N | readers | seconds | readers/s |\n|---|---|---|---|');
    console.log(
      `| through the job queue (recommender.batch-recommend, first 20, filters, JSONL to storage) | ${String(batch.result.readers)} | ${batch.seconds.toFixed(1)} | ${jobRate.toFixed(0)} |`,
    );
    console.log(
      `| engine alone (batchRecommend, top 60, lines discarded) | ${engine.readers} | ${engine.seconds.toFixed(1)} | ${engineRate.toFixed(0)} |`,
    );
    console.log(`\nJob / engine throughput: ${(jobRate / engineRate).toFixed(2)}`);
    if (activatedByHand)
      console.log('The version was activated by hand for the feed (the gate kept it CANDIDATE).');
  }
  console.log(`\nWorker RSS at start: ${gib(base.rss)} GiB. VmHWM is the process's peak since it started.`);
  await db.$disconnect();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
