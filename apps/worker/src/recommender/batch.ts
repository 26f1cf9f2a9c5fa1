import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  applyEditorialRules,
  batchRecommend,
  catalogLookup,
  deserializeModel,
  indexOfUsers,
  recommendWithIndex,
  type EditorialRules,
} from '@media-ai/recommender';
import { getStorage } from '../lib/deps.js';
import { loadSettings } from '@media-ai/recommender-platform';
import { loadStoredIndex, modelBytes } from './model-files.js';
import { activeVersion, loadCatalog } from './store.js';

/**
 * Top-N for every reader the ACTIVE model knows and who still exists (deleted readers are left out),
 * with blocks, embargoes and the category cap applied, into `${newsroomId}/feeds/<jobId>.jsonl`.
 * Lines are streamed to a temp file (one reader's line in memory at a time) that is then moved into
 * storage. A model with a stored vector index is served through it.
 */
export async function runBatch(
  payload: PayloadOf<'recommender.batch-recommend'>,
  ctx: JobContext,
): Promise<ResultOf<'recommender.batch-recommend'>> {
  const first = payload.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > 200)
    throw new PermanentJobError('first must be an integer from 1 to 200');
  const db = ctx.db;
  const version = await activeVersion(db);
  if (!version?.artifact) return { status: 'no-model', readers: 0 };
  ctx.progress(0.01, 'loading the model');
  const model = deserializeModel(await modelBytes(version.artifact));
  const index = await loadStoredIndex(version.params);
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
  const catalog = catalogLookup(await loadCatalog(db, { withBody: false }));
  // Items that may not be served at all (unpublished, deleted, blocked) filter the index search.
  const unservable = index
    ? (() => {
        const blocked = new Set(editorial.blockedItemIds);
        const out = new Uint8Array(model.itemIds.length);
        model.itemIds.forEach((id, i) => {
          if (!catalog(id) || blocked.has(id)) out[i] = 1;
        });
        return out;
      })()
    : null;

  const versionField = `"modelVersion":${JSON.stringify({ id: version.id, version: version.version })}`;
  const storage = getStorage();
  const tmp = path.join(await storage.tempDir(), `feed-${ctx.jobId}.jsonl`);
  const out = createWriteStream(tmp);
  let lines = 0;
  try {
    ctx.progress(0.05, `recommending for ${users.length} readers${index ? ' through the vector index' : ''}`);
    const k = Math.min(model.itemIds.length, first * 3);
    await batchRecommend(model, {
      k,
      users,
      signal: ctx.signal,
      progressEvery: 1000,
      ...(index && unservable
        ? {
            rank: (u: number) =>
              recommendWithIndex(model, index, u, { k, filter: (i) => unservable[i] === 1 }),
          }
        : {}),
      // Only published items that still exist; then the editorial rules.
      postProcess: (_readerId, recs) =>
        applyEditorialRules(
          recs.filter((r) => catalog(r.itemId)),
          editorial,
          { now: now.getTime(), catalog },
          first,
        ),
      // The engine's line (a JSON object) with the reader's external id and the version appended.
      write: async (line, readerId) => {
        const text = `${line.slice(0, -1)},"readerExternalId":${JSON.stringify(external.get(readerId))},${versionField}}`;
        lines++;
        if (!out.write(text + '\n')) await once(out, 'drain');
      },
      onProgress: ({ done, total }) =>
        ctx.progress(0.05 + 0.9 * (done / Math.max(1, total)), `${done}/${total} readers`),
    });
    out.end();
    await once(out, 'close');
    const storageKey = `${ctx.newsroomId}/feeds/${ctx.jobId}.jsonl`;
    await storage.putFile(storageKey, tmp);
    ctx.progress(1, `wrote ${lines} lines`);
    return {
      status: 'written',
      storageKey,
      downloadPath: `/v1/recommender/feeds/${ctx.jobId}`,
      readers: lines,
      modelVersionId: version.id,
      version: version.version,
      algorithm: version.algorithm,
    };
  } finally {
    out.destroy();
    await rm(tmp, { force: true });
  }
}
