import {
  readerHistoryKeys,
  redisConnection,
  retentionPolicyOf,
  type JobContext,
  type PayloadOf,
  type ResultOf,
} from '@media-ai/jobs';
import { getJobService, workerConfig } from '../lib/deps.js';

type Result = ResultOf<'platform.retention'>;

const BATCH = 5_000;
const DAY_MS = 86_400_000;

/**
 * Enforces the newsroom's retention policy (Newsroom.settings.retention): reader interactions that
 * happened before the cut-off are deleted, and the hot serving histories of their readers dropped (they
 * reload from PostgreSQL without them); faces not assigned to anyone and detected before the cut-off are
 * deleted with their descriptors, and a vision.erase-faces job rewrites the analyses of their assets.
 * Everything else is left as it is. Runs daily from the newsroom's schedule; safe to run again.
 */
export async function runRetention(
  _payload: PayloadOf<'platform.retention'>,
  ctx: JobContext,
): Promise<Result> {
  const newsroom = await ctx.db.newsroom.findFirst({ select: { settings: true } });
  const policy = retentionPolicyOf(newsroom?.settings);
  const now = Date.now();
  const out: Result = {
    status: policy.interactionsDays || policy.unnamedFacesDays ? 'enforced' : 'no-policy',
    cutoffs: {},
    interactionsDeleted: 0,
    readersRefreshed: 0,
    unnamedFacesDeleted: 0,
    eraseJobId: null,
  };

  if (policy.interactionsDays) {
    const cutoff = new Date(now - policy.interactionsDays * DAY_MS);
    out.cutoffs.interactions = cutoff.toISOString();
    const where = { occurredAt: { lt: cutoff } };
    const total = await ctx.db.interaction.count({ where });
    const readers = new Set<string>();
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await ctx.db.interaction.findMany({
        where,
        select: { id: true, readerId: true },
        take: BATCH,
      });
      if (batch.length === 0) break;
      for (const i of batch) readers.add(i.readerId);
      out.interactionsDeleted += (
        await ctx.db.interaction.deleteMany({ where: { id: { in: batch.map((i) => i.id) } } })
      ).count;
      ctx.progress(
        0.5 * (out.interactionsDeleted / Math.max(1, total)),
        `${out.interactionsDeleted} interactions deleted`,
      );
    }
    out.readersRefreshed = await dropHotHistories(ctx, [...readers]);
  }
  ctx.progress(0.5, 'Interactions done');

  if (policy.unnamedFacesDays) {
    const cutoff = new Date(now - policy.unnamedFacesDays * DAY_MS);
    out.cutoffs.unnamedFaces = cutoff.toISOString();
    const where = { personId: null, createdAt: { lt: cutoff } };
    const total = await ctx.db.face.count({ where });
    const assets = new Set<string>();
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await ctx.db.face.findMany({ where, select: { id: true, assetId: true }, take: BATCH });
      if (batch.length === 0) break;
      for (const f of batch) assets.add(f.assetId);
      // personId: null again, so a face named meanwhile stays.
      out.unnamedFacesDeleted += (
        await ctx.db.face.deleteMany({ where: { id: { in: batch.map((f) => f.id) }, personId: null } })
      ).count;
      ctx.progress(
        0.5 + 0.45 * (out.unnamedFacesDeleted / Math.max(1, total)),
        `${out.unnamedFacesDeleted} unnamed faces deleted`,
      );
    }
    if (assets.size > 0) {
      const job = await getJobService().enqueue(
        ctx.newsroomId,
        'vision.erase-faces',
        { assetIds: [...assets] },
        { exemptFromQuota: true, idempotencyKey: `retention:${ctx.jobId}` },
      );
      out.eraseJobId = job.id;
    }
  }
  ctx.progress(
    1,
    `${out.interactionsDeleted} interactions, ${out.unnamedFacesDeleted} unnamed faces deleted`,
  );
  return out;
}

/** Drops the hot serving histories of readers who lost events (they reload from PostgreSQL). */
async function dropHotHistories(ctx: JobContext, readerIds: string[]): Promise<number> {
  if (readerIds.length === 0) return 0;
  const config = workerConfig();
  const redis = redisConnection(config.REDIS_URL);
  let dropped = 0;
  try {
    for (let i = 0; i < readerIds.length; i += 1000) {
      const readers = await ctx.db.reader.findMany({
        where: { id: { in: readerIds.slice(i, i + 1000) } },
        select: { externalId: true },
      });
      const keys = readers.flatMap((r) =>
        readerHistoryKeys(config.MEDIAAI_QUEUE_PREFIX, ctx.newsroomId, r.externalId),
      );
      if (keys.length) await redis.del(...keys);
      dropped += readers.length;
    }
  } finally {
    redis.disconnect();
  }
  return dropped;
}
