import type { JobContext, PayloadOf, ResultOf } from '@media-ai/jobs';
import { redisConnection, servingInvalidationChannel } from '@media-ai/jobs';
import { deserializeModel } from '@media-ai/recommender';
import { workerConfig } from '../lib/deps.js';
import { artifactForRow, modelBytes } from './model-files.js';

/**
 * Erasure of deleted readers from what recommender jobs stored: every model version's artifact (their
 * id, training history and learned vector; see Recommender.forgetUsers) and every batch feed line.
 * API processes are told to reload the rewritten models. Safe to run again: a second pass finds nothing.
 */
export async function runErase(
  payload: PayloadOf<'recommender.erase-readers'>,
  ctx: JobContext,
): Promise<ResultOf<'recommender.erase-readers'>> {
  const readers = new Set(payload.readerIds);
  const versions = await ctx.db.modelVersion.findMany({
    where: { area: 'recommender', artifactBytes: { gt: 0 } },
    select: { id: true, version: true },
    orderBy: { version: 'asc' },
  });
  const feeds = await ctx.db.job.findMany({
    where: { type: 'recommender.batch-recommend', status: 'COMPLETED' },
    select: { id: true, result: true },
  });
  const steps = versions.length + feeds.length;
  let done = 0;
  let modelVersionsChanged = 0;
  for (const v of versions) {
    ctx.signal.throwIfAborted();
    // One artifact in memory at a time.
    const row = await ctx.db.modelVersion.findFirst({ where: { id: v.id }, select: { artifact: true } });
    if (row?.artifact) {
      // Large models live in storage (the row holds a reference): the rewritten one is stored anew.
      const model = deserializeModel(await modelBytes(row.artifact));
      if (model.forgetUsers(readers) > 0) {
        const bytes = model.serialize();
        await ctx.db.modelVersion.update({
          where: { id: v.id },
          data: { artifact: await artifactForRow(ctx.newsroomId, bytes), artifactBytes: bytes.length },
        });
        modelVersionsChanged++;
      }
    }
    ctx.progress(++done / Math.max(1, steps), `model v${v.version} checked`);
  }
  let feedsChanged = 0;
  for (const f of feeds) {
    ctx.signal.throwIfAborted();
    const key = (f.result as { storageKey?: string } | null)?.storageKey;
    if (key && (await ctx.storage.exists(key))) {
      const lines = (await ctx.storage.readBuffer(key)).toString('utf8').split('\n').filter(Boolean);
      const kept = lines.filter((l) => !readers.has((JSON.parse(l) as { readerId: string }).readerId));
      if (kept.length !== lines.length) {
        await ctx.storage.putBuffer(key, Buffer.from(kept.map((l) => `${l}\n`).join('')));
        feedsChanged++;
      }
    }
    ctx.progress(++done / Math.max(1, steps), 'batch feed checked');
  }
  if (modelVersionsChanged) {
    const config = workerConfig();
    const redis = redisConnection(config.REDIS_URL);
    try {
      await redis.publish(
        servingInvalidationChannel(config.MEDIAAI_QUEUE_PREFIX),
        JSON.stringify({ newsroomId: ctx.newsroomId, models: true }),
      );
    } finally {
      redis.disconnect();
    }
  }
  return { status: 'erased', modelVersionsChecked: versions.length, modelVersionsChanged, feedsChanged };
}
