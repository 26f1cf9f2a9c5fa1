// The operator CLI: pnpm mediaai <command> ...  (talks to the database and Redis directly)
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '@media-ai/config';
import {
  createPrisma,
  createSqlPool,
  forNewsroom,
  migrateDatabase,
  TenantSql,
  type Db,
  type Role,
  type SqlPool,
} from '@media-ai/db';
import {
  isJobName,
  jobEventsChannel,
  jobRegistry,
  parseJobEvents,
  JobService,
  QueueSet,
  redisConnection,
  type JobName,
  type PayloadOf,
} from '@media-ai/jobs';
import { createApiClient, MAX_RATE_LIMIT } from '../auth/api-keys.js';
import { publishKeyChange } from '../auth/authenticate.js';
import { readPlatformFile } from '../launcher/runtime-file.js';
import { readContent, readEvents, type ContentFormat, type EventFormat } from '../importers/formats.js';
import { importContent, importEvents } from '../importers/import.js';
import { ReaderHistoryStore } from '../recommender/reader-history.js';
import { enqueueInBatches, readJobLines } from './jobs-bulk.js';

const HELP = `media-ai operator CLI

  pnpm mediaai db migrate                              apply the checked-in migrations (no Prisma CLI needed)
  pnpm mediaai newsroom create <slug> <name>           create a newsroom and print its admin key
  pnpm mediaai newsroom list
  pnpm mediaai keys create --newsroom <slug> --role admin|editor|app --name <name> [--rate-limit N]
  pnpm mediaai keys list --newsroom <slug>
  pnpm mediaai keys set-limit <key prefix or id> <requests a minute> --newsroom <slug>
  pnpm mediaai import content <file> --newsroom <slug> [--format mind-news|ml-items|csv|tsv|jsonl]
  pnpm mediaai import interactions <file> --newsroom <slug> [--format mind-behaviors|ml-ratings|csv|tsv|jsonl]
  pnpm mediaai jobs run <type> --newsroom <slug> [--payload '{...}'] [--no-follow]
  pnpm mediaai jobs enqueue-bulk <file.jsonl> --newsroom <slug> [--batch 1000]
      one job a line: {"type": "platform.noop", "payload": {...}, "idempotencyKey": "..."}
  pnpm mediaai jobs list --newsroom <slug> [--status FAILED] [--type t] [--limit 20]
  pnpm mediaai jobs types
  pnpm mediaai models list --newsroom <slug> [--area recommender]

Needs DATABASE_URL (and REDIS_URL for jobs); without it, the embedded database of a platform started
with pnpm start on this machine. Formats are guessed from file names when --format is omitted.`;

function parseRateLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RATE_LIMIT)
    fail(
      `the rate limit must be a whole number of requests a minute between 1 and ${MAX_RATE_LIMIT}, got "${text}"`,
    );
  return n;
}

function fail(msg: string): never {
  console.error(`error: ${msg}`);
  process.exit(1);
}

async function newsroomBySlug(db: Db, slug: string | undefined) {
  if (!slug) fail('--newsroom <slug> is required');
  const n = await db.newsroom.findUnique({ where: { slug } });
  if (!n) fail(`no newsroom "${slug}"; list them with: pnpm mediaai newsroom list`);
  return n;
}

function bar(label: string) {
  return new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} {note}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      newsroom: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      format: { type: 'string' },
      payload: { type: 'string' },
      status: { type: 'string' },
      type: { type: 'string' },
      area: { type: 'string' },
      limit: { type: 'string' },
      'rate-limit': { type: 'string' },
      batch: { type: 'string' },
      'no-follow': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, cmd, ...rest] = positionals;
  if (values.help || !group) {
    console.log(HELP);
    return;
  }
  if (group === 'jobs' && cmd === 'types') {
    for (const d of Object.values(jobRegistry))
      console.log(`${d.name.padEnd(32)} ${d.queue.padEnd(12)} ${d.description}`);
    return;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    // The platform started without DATABASE_URL runs an embedded database; its launcher says where.
    const running = readPlatformFile(config.MEDIAAI_DATA_DIR);
    if (!running) {
      fail(
        `DATABASE_URL is not set and no platform runs on the embedded database in ${config.MEDIAAI_DATA_DIR}: start it (pnpm start) or set DATABASE_URL`,
      );
    }
    config.DATABASE_URL = running.databaseUrl;
  }
  if (group === 'db' && cmd === 'migrate') {
    const { applied } = await migrateDatabase(config.DATABASE_URL, (line) => console.log(line));
    if (applied.length === 0) console.log('nothing to apply');
    return;
  }
  const databaseUrl = config.DATABASE_URL;
  const db = createPrisma(databaseUrl, { poolSize: 4 });
  let pool: SqlPool | null = null;
  const sqlPool = () => (pool ??= createSqlPool(databaseUrl, { max: 2 }));
  try {
    if (group === 'newsroom' && cmd === 'create') {
      const [slug, ...name] = rest;
      if (!slug || !name.length) fail('usage: newsroom create <slug> <name>');
      const n = await db.newsroom.create({ data: { slug, name: name.join(' ') } });
      const { key } = await createApiClient(db, { newsroomId: n.id, name: 'admin', role: 'ADMIN' });
      console.log(`newsroom ${slug} (${n.id})\nadmin key (shown once): ${key}`);
    } else if (group === 'newsroom' && cmd === 'list') {
      for (const n of await db.newsroom.findMany({ orderBy: { createdAt: 'asc' } }))
        console.log(`${n.slug.padEnd(24)} ${n.name}`);
    } else if (group === 'keys' && cmd === 'create') {
      const n = await newsroomBySlug(db, values.newsroom);
      const role = (values.role ?? '').toUpperCase();
      if (!['ADMIN', 'EDITOR', 'APP'].includes(role)) fail('--role must be admin, editor or app');
      const rateLimitPerMinute =
        values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']);
      const { key, client } = await createApiClient(db, {
        newsroomId: n.id,
        name: values.name ?? `${role.toLowerCase()} key`,
        role: role as Role,
        rateLimitPerMinute,
      });
      console.log(
        `${role.toLowerCase()} key for ${n.slug}, ${client.rateLimitPerMinute} requests a minute (shown once): ${key}`,
      );
    } else if (group === 'keys' && cmd === 'list') {
      const n = await newsroomBySlug(db, values.newsroom);
      for (const c of await db.apiClient.findMany({
        where: { newsroomId: n.id },
        orderBy: { createdAt: 'asc' },
      }))
        console.log(
          `${c.keyPrefix}  ${c.id}  ${c.role.padEnd(6)} ${String(c.rateLimitPerMinute).padStart(8)}/min  ${c.revokedAt ? 'revoked' : 'active '}  ${c.name}`,
        );
    } else if (group === 'keys' && cmd === 'set-limit') {
      const [which, limitText] = rest;
      if (!which || !limitText)
        fail('usage: keys set-limit <key prefix or id> <requests a minute> --newsroom <slug>');
      const limit = parseRateLimit(limitText);
      const n = await newsroomBySlug(db, values.newsroom);
      const isId = /^[0-9a-f-]{36}$/i.test(which);
      const c = await db.apiClient.findFirst({
        where: { newsroomId: n.id, ...(isId ? { id: which } : { keyPrefix: which }) },
      });
      if (!c)
        fail(
          `no API key "${which}" in ${n.slug}; list them with: pnpm mediaai keys list --newsroom ${n.slug}`,
        );
      await db.apiClient.update({ where: { id: c.id }, data: { rateLimitPerMinute: limit } });
      // Running API processes hear of it at once (they otherwise trust their cache for a minute).
      const redis = redisConnection(config.REDIS_URL);
      await publishKeyChange(redis, config.MEDIAAI_QUEUE_PREFIX, c.id).catch(() =>
        console.error(
          'warning: Redis unreachable; running API processes apply the new limit within a minute',
        ),
      );
      redis.disconnect();
      console.log(`${c.keyPrefix} (${c.name}): ${limit} requests a minute`);
    } else if (group === 'import' && (cmd === 'content' || cmd === 'interactions')) {
      const file = rest[0];
      if (!file) fail(`usage: import ${cmd} <file> --newsroom <slug>`);
      const n = await newsroomBySlug(db, values.newsroom);
      const abs = path.resolve(file);
      const b = bar(`import ${cmd}`);
      const t0 = performance.now();
      b.start(0, 0, { note: '' });
      const onProgress = (done: number) => {
        b.setTotal(Math.max(done, b.getTotal()));
        b.update(done, { note: 'rows' });
      };
      const result =
        cmd === 'content'
          ? await importContent(
              db,
              n.id,
              readContent(abs, values.format as ContentFormat | undefined),
              onProgress,
            )
          : await withRedis(config.REDIS_URL, (redis) => {
              const hot = new ReaderHistoryStore(redis, config.MEDIAAI_QUEUE_PREFIX);
              return importEvents(
                new TenantSql(sqlPool(), n.id),
                readEvents(abs, values.format as EventFormat | undefined),
                onProgress,
                // Readers whose history an API process serves hot learn the imported events at once.
                (stored) => hot.append(n.id, stored),
              );
            });
      b.stop();
      const s = (performance.now() - t0) / 1000;
      console.log(JSON.stringify(result));
      console.log(`read ${result.read} rows in ${s.toFixed(1)} s (${Math.round(result.read / s)} rows/s)`);
    } else if (group === 'jobs' && cmd === 'run') {
      const type = rest[0];
      if (!type || !isJobName(type)) fail(`unknown job type "${type ?? ''}"; see: pnpm mediaai jobs types`);
      const n = await newsroomBySlug(db, values.newsroom);
      let payload: unknown = {};
      try {
        payload = values.payload ? JSON.parse(values.payload) : {};
      } catch {
        fail('--payload must be JSON, e.g. --payload \'{"steps": 10}\'');
      }
      const redis = redisConnection(config.REDIS_URL);
      const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
      const service = new JobService(db, queues, redis, {
        gpuFallbackMs: config.MEDIAAI_GPU_FALLBACK_MS,
        sql: sqlPool(),
      });
      const job = await service.enqueue(n.id, type as JobName, payload as PayloadOf<JobName>);
      console.log(`queued ${type} as job ${job.id}`);
      if (!values['no-follow']) await follow(db, config, job.id);
      await queues.close();
      redis.disconnect();
    } else if (group === 'jobs' && cmd === 'enqueue-bulk') {
      const file = rest[0];
      if (!file)
        fail('give the JSON Lines file: pnpm mediaai jobs enqueue-bulk jobs.jsonl --newsroom <slug>');
      const n = await newsroomBySlug(db, values.newsroom);
      const batch = Number(values.batch ?? 1000);
      if (!Number.isInteger(batch) || batch < 1) fail('--batch must be a positive whole number');
      let items: Awaited<ReturnType<typeof readJobLines>> = [];
      try {
        items = await readJobLines(path.resolve(file));
      } catch (e) {
        fail((e as Error).message);
      }
      const redis = redisConnection(config.REDIS_URL);
      const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
      const service = new JobService(db, queues, redis, {
        gpuFallbackMs: config.MEDIAAI_GPU_FALLBACK_MS,
        sql: sqlPool(),
      });
      const b = bar('queueing');
      b.start(items.length, 0, { note: '' });
      const t0 = performance.now();
      try {
        const r = await enqueueInBatches(service, n.id, items, batch, (done) => b.update(done));
        b.stop();
        const s = (performance.now() - t0) / 1000;
        console.log(`queued ${r.queued} jobs in ${s.toFixed(1)} s (${Math.round(r.queued / s)} jobs/s)`);
      } catch (e) {
        b.stop();
        fail((e as Error).message);
      } finally {
        await queues.close();
        redis.disconnect();
      }
    } else if (group === 'jobs' && cmd === 'list') {
      const n = await newsroomBySlug(db, values.newsroom);
      const jobs = await forNewsroom(db, n.id).job.findMany({
        where: {
          ...(values.status ? { status: values.status.toUpperCase() as never } : {}),
          ...(values.type ? { type: values.type } : {}),
        },
        orderBy: { createdAt: 'desc' },
        take: Number(values.limit ?? 20),
      });
      for (const j of jobs) {
        console.log(
          `${j.id}  ${j.type.padEnd(28)} ${j.status.padEnd(10)} ${(j.progress * 100).toFixed(0).padStart(3)}%  ${j.createdAt.toISOString()}  ${j.error ?? ''}`,
        );
      }
    } else if (group === 'models' && cmd === 'list') {
      const n = await newsroomBySlug(db, values.newsroom);
      const models = await forNewsroom(db, n.id).modelVersion.findMany({
        where: values.area ? { area: values.area } : {},
        select: { name: true, version: true, algorithm: true, status: true, metrics: true, createdAt: true },
        orderBy: [{ name: 'asc' }, { version: 'desc' }],
      });
      for (const m of models)
        console.log(
          `${m.name.padEnd(20)} v${String(m.version).padEnd(4)} ${m.algorithm.padEnd(14)} ${m.status.padEnd(10)} ${JSON.stringify(m.metrics)}`,
        );
    } else fail(`unknown command "${positionals.join(' ')}"\n\n${HELP}`);
  } finally {
    await (pool as SqlPool | null)?.end();
    await db.$disconnect();
  }
}

/** Follows a job with a progress bar until it ends; exits non-zero if it failed. */
async function follow(db: Db, config: ReturnType<typeof loadConfig>, jobId: string) {
  const events = redisConnection(config.REDIS_URL, true);
  const channel = jobEventsChannel(config.MEDIAAI_QUEUE_PREFIX);
  await events.subscribe(channel);
  const b = bar(jobId.slice(0, 8));
  b.start(100, 0, { note: 'queued' });
  events.on('message', (_ch: string, message: string) => {
    for (const e of parseJobEvents(message)) {
      if (e.jobId === jobId && e.status === 'ACTIVE') {
        b.update(Math.round(e.progress * 100), { note: e.message ?? '' });
      }
    }
  });
  for (;;) {
    const row = await db.job.findUnique({ where: { id: jobId } });
    if (row && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(row.status)) {
      b.update(row.status === 'COMPLETED' ? 100 : Math.round(row.progress * 100), {
        note: row.status.toLowerCase(),
      });
      b.stop();
      events.disconnect();
      if (row.status !== 'COMPLETED') fail(`job ${row.status.toLowerCase()}: ${row.error ?? ''}`);
      console.log(JSON.stringify(row.result, null, 2));
      return;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) fail(e.message);
  fail((e as Error).message);
});

async function withRedis<T>(
  url: string,
  use: (redis: ReturnType<typeof redisConnection>) => Promise<T>,
): Promise<T> {
  const redis = redisConnection(url);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}
