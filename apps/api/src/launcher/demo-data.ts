import fs from 'node:fs/promises';
import path from 'node:path';
import { sharedDataDir } from '@media-ai/core';
import type { Config } from '@media-ai/config';
import { forNewsroom, TenantSql, type Db, type SqlPool } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { AREA, MODEL_NAME } from '@media-ai/recommender-platform';
import { createApiClient } from '../auth/api-keys.js';
import { readContent, readEvents, type ContentRow, type EventRow } from '../importers/formats.js';
import { importContent, importEvents } from '../importers/import.js';

const DEMO_SLUG = 'demo';

/** A few articles written for the demo, used when the shared data folder is absent. */
const BUILTIN: ContentRow[] = [
  {
    externalId: 'demo-1',
    title: 'City council approves new cycling lanes downtown',
    body: 'The city council voted 7 to 2 on Tuesday to approve 12 kilometres of protected cycling lanes. The mayor said construction will start in March.',
    category: 'local',
    tags: ['transport', 'council'],
  },
  {
    externalId: 'demo-2',
    title: 'Storm warning issued for the coast this weekend',
    body: 'The national weather service issued an amber warning for winds of up to 110 km/h on Saturday. Ferries may be cancelled.',
    category: 'weather',
    tags: ['storm'],
  },
  {
    externalId: 'demo-3',
    title: 'Local team wins regional football final 3-1',
    body: 'Goals from Silva, Okafor and Jensen sealed a 3-1 win in front of 8,400 supporters on Sunday.',
    category: 'sports',
    tags: ['football'],
  },
  {
    externalId: 'demo-4',
    title: 'Tech company reports 12% rise in quarterly revenue',
    body: 'Revenue rose 12% to 4.2 billion dollars in the third quarter, beating analyst expectations of 3.9 billion.',
    category: 'business',
    tags: ['earnings'],
  },
  {
    externalId: 'demo-5',
    title: 'New exhibition of Nordic photography opens at the museum',
    body: 'More than 200 photographs from five countries are on show until the end of January.',
    category: 'culture',
    tags: ['photography', 'museum'],
  },
  {
    externalId: 'demo-6',
    title: 'Hospital waiting times fall for the third month in a row',
    body: 'The median wait for planned surgery fell to 41 days in October, down from 48 in July, the health board said.',
    category: 'health',
    tags: ['hospitals'],
  },
];

async function* list<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}

function builtinEvents(): EventRow[] {
  const out: EventRow[] = [];
  const t0 = Date.UTC(2026, 10, 1);
  for (let r = 0; r < 40; r++) {
    for (let k = 0; k < 4; k++) {
      const item = BUILTIN[(r + k * ((r % 3) + 1)) % BUILTIN.length];
      out.push({
        eventId: `demo-${r}-${k}`,
        readerId: `reader-${r}`,
        contentExternalId: item.externalId!,
        eventType: k === 0 ? 'read' : 'click',
        occurredAt: new Date(t0 + (r * 4 + k) * 3600_000),
      });
    }
  }
  return out;
}

/**
 * Creates the demo newsroom once (content, readers and interactions from the MIND sample when
 * ../shared/data is there, a built-in handful otherwise) and returns its admin key, kept in the
 * data folder so every start can print it.
 */
export async function ensureDemoData(
  db: Db,
  pool: SqlPool,
  dataDir: string,
  log: (msg: string) => void,
): Promise<{ newsroomId: string; adminKey: string }> {
  const keyFile = path.join(dataDir, 'demo-admin-key.txt');
  let newsroom = await db.newsroom.findUnique({ where: { slug: DEMO_SLUG } });
  const savedKey = await fs.readFile(keyFile, 'utf8').then(
    (s) => s.trim(),
    () => null,
  );
  if (newsroom && savedKey) return { newsroomId: newsroom.id, adminKey: savedKey };
  if (!newsroom) newsroom = await db.newsroom.create({ data: { slug: DEMO_SLUG, name: 'Demo Newsroom' } });
  const { key } = await createApiClient(db, { newsroomId: newsroom.id, name: 'demo admin', role: 'ADMIN' });
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(keyFile, key + '\n', { mode: 0o600 });

  const mind = sharedDataDir('recsys/mind-small-sample');
  if (mind) {
    log('loading demo data: MIND sample (news and reading behaviour)');
    const c = await importContent(db, newsroom.id, readContent(path.join(mind, 'news.tsv')));
    // MIND is from November 2019: move its clock so the latest event is now, as in a live newsroom
    // (recommendations decay old reading with a half-life).
    const events: EventRow[] = [];
    for await (const ev of readEvents(path.join(mind, 'behaviors.tsv'))) events.push(ev);
    const latest = events.reduce((m, ev) => Math.max(m, ev.occurredAt.getTime()), 0);
    const shift = Date.now() - latest;
    for (const ev of events) ev.occurredAt = new Date(ev.occurredAt.getTime() + shift);
    const e = await importEvents(new TenantSql(pool, newsroom.id), list(events));
    log(`demo data: ${c.created} articles, ${e.accepted} interactions`);
  } else {
    log('loading built-in demo data (../shared/data is absent)');
    await importContent(db, newsroom.id, list(BUILTIN));
    await importEvents(new TenantSql(pool, newsroom.id), list(builtinEvents()));
  }
  return { newsroomId: newsroom.id, adminKey: key };
}

/**
 * Gives the demo newsroom its first recommender model without making the start wait: when it has
 * no ACTIVE model, no training queued or running and no trained version yet, a `recommender.train`
 * job is enqueued (the newsroom's configured algorithm) and the worker trains it in the background;
 * the registry's gate activates it when it beats the popularity baseline. A version the gate kept as
 * CANDIDATE is not retrained at every start: its reason is printed instead.
 */
export async function ensureFirstRecommenderModel(
  db: Db,
  config: Pick<Config, 'REDIS_URL' | 'MEDIAAI_QUEUE_PREFIX' | 'MEDIAAI_GPU_FALLBACK_MS'>,
  newsroomId: string,
  log: (msg: string) => void,
): Promise<'active' | 'training' | 'candidate' | 'queued'> {
  const tdb = forNewsroom(db, newsroomId);
  const active = await tdb.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
    select: { version: true },
  });
  if (active) return 'active';
  const open = await tdb.job.findFirst({
    where: { type: 'recommender.train', status: { in: ['QUEUED', 'ACTIVE'] } },
    select: { id: true },
  });
  if (open) return 'training';
  const candidate = await tdb.modelVersion.findFirst({
    where: { area: AREA, name: MODEL_NAME, status: 'CANDIDATE' },
    orderBy: { version: 'desc' },
    select: { version: true, notes: true },
  });
  if (candidate) {
    log(
      `demo recommender: v${candidate.version} is a CANDIDATE (${candidate.notes ?? 'not activated'}); ` +
        'popular and trending items until an admin activates a version',
    );
    return 'candidate';
  }
  const redis = redisConnection(config.REDIS_URL);
  const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
  try {
    const service = new JobService(db, queues, redis, { gpuFallbackMs: config.MEDIAAI_GPU_FALLBACK_MS });
    const job = await service.enqueue(newsroomId, 'recommender.train', {});
    log(
      `demo recommender: first model training in the worker (job ${job.id}); cold start until it is active`,
    );
  } finally {
    await queues.close();
    redis.disconnect();
  }
  return 'queued';
}
