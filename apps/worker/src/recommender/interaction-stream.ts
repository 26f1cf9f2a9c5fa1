import pg from 'pg';
import type { TrainingSetBuilder } from '@media-ai/recommender';
import { workerConfig } from '../lib/deps.js';

/*
 * A newsroom's interactions read in one consistent snapshot through a server-side cursor, page by
 * page, straight into a TrainingSetBuilder's typed columns: memory holds one page of rows at a time,
 * never the whole history as objects. Event types that weigh nothing are left out in SQL.
 */

export interface StreamProgress {
  read: number;
  total: number;
}

export interface StreamOptions {
  /** Rows per FETCH. Default 50,000. */
  pageSize?: number;
  onProgress?: (p: StreamProgress) => void;
  signal?: AbortSignal;
}

/** Adds every interaction of the newsroom to `builder`; returns the number of rows read. */
export async function streamInteractions(
  newsroomId: string,
  builder: TrainingSetBuilder,
  options: StreamOptions = {},
): Promise<number> {
  const url = workerConfig().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the worker cannot read interactions');
  const pageSize = options.pageSize ?? 50_000;
  const types = builder.countedEventTypes();
  const where = types
    ? `"newsroomId" = $1::uuid AND "eventType" = ANY($2::text[])`
    : `"newsroomId" = $1::uuid`;
  const params: unknown[] = types ? [newsroomId, types] : [newsroomId];
  const client = new pg.Client({ connectionString: url, application_name: 'mediaai-recommender-train' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const count = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "Interaction" WHERE ${where}`,
      params,
    );
    const total = Number(count.rows[0]?.n ?? 0);
    await client.query(
      `DECLARE training_events NO SCROLL CURSOR FOR
         SELECT "readerId"::text, "contentId"::text, "eventType", "weight",
                (extract(epoch FROM "occurredAt") * 1000)::float8
         FROM "Interaction" WHERE ${where}`,
      params,
    );
    let read = 0;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const page = await client.query<[string, string, string, number | null, number]>({
        text: `FETCH ${pageSize} FROM training_events`,
        rowMode: 'array',
      });
      for (const [reader, item, type, weight, at] of page.rows) builder.add(reader, item, type, weight, at);
      read += page.rows.length;
      options.onProgress?.({ read, total: Math.max(total, read) });
      if (page.rows.length < pageSize) break;
    }
    await client.query('COMMIT');
    return read;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}
