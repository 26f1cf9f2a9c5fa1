import type { Db, TenantSql } from '@media-ai/db';
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

/** Event batches written at once: parsing the next batch overlaps the statements of the last. */
const EVENT_BATCHES_IN_FLIGHT = 2;

export async function importEvents(
  sql: TenantSql,
  rows: AsyncIterable<EventRow>,
  onProgress?: ImportProgress,
  onStored?: (events: IngestedEvent[]) => Promise<void>,
) {
  let batch: EventRow[] = [];
  const totals = { read: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const write = ingestInteractions(sql, rows, onStored).then((r) => {
      totals.read += rows.length;
      totals.accepted += r.accepted;
      totals.duplicates += r.duplicates;
      totals.rejected += r.rejected.length;
      onProgress?.(totals.read);
    });
    const tracked: Promise<void> = write
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= EVENT_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    // A failed batch stops the import (the batches before it are stored; re-running it stores the rest).
    if (failure) throw failure.error;
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
  await Promise.all(inFlight);
  if (failure) throw (failure as { error: unknown }).error;
  return totals;
}
