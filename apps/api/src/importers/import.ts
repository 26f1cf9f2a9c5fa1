import type { Db } from '@media-ai/db';
import { forNewsroom } from '@media-ai/db';
import { ingestInteractions } from '../interactions/ingest.service.js';
import type { IngestedEvent } from '../recommender/reader-history.js';
import type { ContentRow, EventRow } from './formats.js';

export interface ImportProgress {
  (done: number, note?: string): void;
}

/** Upserts content by externalId in batches; returns how many rows were new. */
export async function importContent(
  db: Db,
  newsroomId: string,
  rows: AsyncIterable<ContentRow>,
  onProgress?: ImportProgress,
) {
  const tdb = forNewsroom(db, newsroomId);
  let batch: ContentRow[] = [];
  let done = 0;
  let created = 0;
  const flush = async () => {
    if (!batch.length) return;
    const r = await tdb.contentItem.createMany({
      data: batch.map((c) => ({
        externalId: c.externalId,
        type: c.type ?? 'ARTICLE',
        title: c.title.slice(0, 1000),
        body: c.body ?? '',
        category: c.category ?? null,
        tags: c.tags ?? [],
        language: c.language ?? null,
        url: c.url ?? null,
        publishedAt: c.publishedAt ?? null,
        source: c.source ?? null,
        status: 'PUBLISHED',
      })),
      skipDuplicates: true,
    });
    created += r.count;
    done += batch.length;
    batch = [];
    onProgress?.(done);
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return { read: done, created };
}

export async function importEvents(
  db: Db,
  newsroomId: string,
  rows: AsyncIterable<EventRow>,
  onProgress?: ImportProgress,
  onStored?: (events: IngestedEvent[]) => Promise<void>,
) {
  const tdb = forNewsroom(db, newsroomId);
  let batch: EventRow[] = [];
  const totals = { read: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const flush = async () => {
    if (!batch.length) return;
    const r = await ingestInteractions(tdb, newsroomId, batch, onStored);
    totals.read += batch.length;
    totals.accepted += r.accepted;
    totals.duplicates += r.duplicates;
    totals.rejected += r.rejected.length;
    batch = [];
    onProgress?.(totals.read);
  };
  let seen = new Set<string>();
  for await (const row of rows) {
    if (seen.has(row.eventId)) {
      totals.duplicates++;
      continue;
    }
    seen.add(row.eventId);
    batch.push(row);
    if (batch.length >= 5000) {
      await flush();
      seen = new Set();
    }
  }
  await flush();
  return totals;
}
