import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  applyEditorialRules,
  batchRecommend,
  catalogLookup,
  deserializeModel,
  indexOfUsers,
  type EditorialRules,
} from '@media-ai/recommender';
import { getStorage } from '../lib/deps.js';
import { loadSettings } from '@media-ai/recommender-platform';
import { activeVersion, loadCatalog, tenant } from './store.js';

/**
 * Top-N for every reader the ACTIVE model knows and who still exists (deleted readers are left out),
 * with blocks, embargoes and the category cap applied, into `${newsroomId}/feeds/<jobId>.jsonl`.
 */
export async function runBatch(
  payload: PayloadOf<'recommender.batch-recommend'>,
  ctx: JobContext,
): Promise<ResultOf<'recommender.batch-recommend'>> {
  const first = payload.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 200)
    throw new PermanentJobError('first must be an integer from 1 to 200');
  const db = tenant(ctx.newsroomId);
  const version = await activeVersion(db);
  if (!version?.artifact) return { status: 'no-model', readers: 0 };
  const model = deserializeModel(Buffer.from(version.artifact));
  const config = await loadSettings(db, ctx.newsroomId);

  const readers = await db.reader.findMany({ select: { id: true, externalId: true } });
  const external = new Map(readers.map((r) => [r.id, r.externalId]));
  const userIndex = indexOfUsers(model);
  const users = readers.map((r) => userIndex.get(r.id)).filter((u): u is number => u !== undefined);

  const now = new Date();
  const rules = await db.editorialRule.findMany({
    where: { kind: { in: ['BLOCK', 'EMBARGO'] } },
    select: { contentId: true, kind: true, startsAt: true, endsAt: true },
  });
  const live = (r: { startsAt: Date | null; endsAt: Date | null }) =>
    (!r.startsAt || r.startsAt <= now) && (!r.endsAt || r.endsAt > now);
  const editorial: EditorialRules = {
    blockedItemIds: rules.filter((r) => r.kind === 'BLOCK' && live(r)).map((r) => r.contentId),
    embargoes: rules
      .filter((r) => r.kind === 'EMBARGO' && r.endsAt)
      .map((r) => ({ itemId: r.contentId, until: r.endsAt!.getTime() })),
    ...(config.categoryCap > 0 ? { maxPerCategory: config.categoryCap } : {}),
  };
  const catalog = catalogLookup(await loadCatalog(db));

  const lines: string[] = [];
  ctx.progress(0.05, `recommending for ${users.length} readers`);
  await batchRecommend(model, {
    k: Math.min(model.itemIds.length, first * 3),
    users,
    signal: ctx.signal,
    progressEvery: 200,
    // Only published items that still exist; then the editorial rules.
    postProcess: (_readerId, recs) =>
      applyEditorialRules(
        recs.filter((r) => catalog(r.itemId)),
        editorial,
        { now: now.getTime(), catalog },
        first,
      ),
    write: (line) => {
      const parsed = JSON.parse(line) as { readerId: string };
      lines.push(
        JSON.stringify({
          ...parsed,
          readerExternalId: external.get(parsed.readerId),
          modelVersion: { id: version.id, version: version.version },
        }),
      );
    },
    onProgress: ({ done, total }) =>
      ctx.progress(0.05 + 0.9 * (done / Math.max(1, total)), `${done}/${total} readers`),
  });
  const storageKey = `${ctx.newsroomId}/feeds/${ctx.jobId}.jsonl`;
  await getStorage().putBuffer(storageKey, Buffer.from(lines.join('\n') + (lines.length ? '\n' : '')));
  ctx.progress(1, `wrote ${lines.length} lines`);
  return {
    status: 'written',
    storageKey,
    downloadPath: `/v1/recommender/feeds/${ctx.jobId}`,
    readers: lines.length,
    modelVersionId: version.id,
    version: version.version,
    algorithm: version.algorithm,
  };
}
