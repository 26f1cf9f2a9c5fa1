import { DomainError } from '@media-ai/core';
import type { TenantSql } from '@media-ai/db';
import type { IngestedEvent } from '../recommender/reader-history.js';

export const MAX_EVENTS_PER_CALL = 10_000;

export interface InteractionEvent {
  eventId: string;
  readerId: string;
  contentId?: string | null;
  contentExternalId?: string | null;
  eventType: string;
  weight?: number | null;
  occurredAt: Date;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: { index: number; eventId: string; reason: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_ID_LENGTH = 200;
/** The newsroom's readers among the external ids `$2`. */
const READERS_BY_EXTERNAL_ID = `SELECT "id", "externalId" FROM "Reader" WHERE "newsroomId" = $1::uuid AND "externalId" = ANY($2::text[])`;

/** Why one event cannot be stored, or null when its fields are well-formed. */
function malformed(e: InteractionEvent): string | null {
  if (typeof e.eventId !== 'string' || !e.eventId.length || e.eventId.length > MAX_ID_LENGTH)
    return `eventId must be 1 to ${MAX_ID_LENGTH} characters`;
  if (typeof e.readerId !== 'string' || !e.readerId.length || e.readerId.length > MAX_ID_LENGTH)
    return `readerId must be 1 to ${MAX_ID_LENGTH} characters`;
  if (typeof e.eventType !== 'string' || !EVENT_TYPE.test(e.eventType))
    return 'eventType must be lower-case letters, digits or _ (e.g. "click")';
  if (!e.contentId && !e.contentExternalId) return 'give contentId or contentExternalId';
  if (e.weight !== undefined && e.weight !== null && !Number.isFinite(e.weight))
    return 'weight must be a finite number';
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime()))
    return 'occurredAt must be an ISO 8601 date-time';
  return null;
}

/**
 * Stores reading events: each is checked on its own (a malformed event or unknown content is rejected
 * with its index and the reason, the rest are stored), readers new to the newsroom are created, and
 * events already stored (same eventId) are counted as duplicates. Three statements whatever the batch
 * size, through node-postgres: one reads the content the batch names, one creates and reads its
 * readers, one inserts the events.
 */
export async function ingestInteractions(
  sql: TenantSql,
  events: InteractionEvent[],
  /** Told of the events actually stored (not duplicates): serving learns them at once. */
  onStored?: (events: IngestedEvent[]) => Promise<void>,
): Promise<IngestOutcome> {
  if (events.length > MAX_EVENTS_PER_CALL) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `At most ${MAX_EVENTS_PER_CALL} events per call; split the batch`,
    );
  }
  const rejected: IngestOutcome['rejected'] = [];
  const ids = new Set<string>();
  const extIds = new Set<string>();
  for (const e of events) {
    if (e.contentId) {
      if (UUID.test(e.contentId)) ids.add(e.contentId);
    } else if (e.contentExternalId) extIds.add(e.contentExternalId);
  }
  const content =
    ids.size || extIds.size
      ? await sql.rows<{ id: string; externalId: string | null }>(
          `SELECT "id"::text AS "id", "externalId" FROM "ContentItem"
           WHERE "newsroomId" = $1 AND ("id" = ANY($2::uuid[]) OR "externalId" = ANY($3::text[]))`,
          [[...ids], [...extIds]],
        )
      : [];
  const known = new Set<string>();
  const ext = new Map<string, string>();
  for (const c of content) {
    known.add(c.id);
    if (c.externalId !== null) ext.set(c.externalId, c.id);
  }
  const valid: { e: InteractionEvent; contentId: string }[] = [];
  const seen = new Set<string>();
  events.forEach((e, index) => {
    const problem = malformed(e);
    const contentId = problem
      ? null
      : e.contentId
        ? known.has(e.contentId.toLowerCase())
          ? e.contentId.toLowerCase()
          : null
        : (ext.get(e.contentExternalId!) ?? null);
    const reason =
      problem ??
      (!contentId
        ? `unknown content ${e.contentId ?? e.contentExternalId}`
        : seen.has(e.eventId)
          ? 'eventId repeated within the batch'
          : null);
    if (reason) rejected.push({ index, eventId: String(e.eventId ?? ''), reason });
    else {
      seen.add(e.eventId);
      valid.push({ e, contentId: contentId! });
    }
  });
  if (!valid.length) return { accepted: 0, duplicates: 0, rejected };
  const readerExt = [...new Set(valid.map((v) => v.e.readerId))];
  // Known readers are read, and only the others inserted: most batches name readers seen before, and
  // an INSERT that meets its conflict costs PostgreSQL twice a read.
  const readers = await sql.rows<{ id: string; externalId: string }>(
    `WITH known AS (${READERS_BY_EXTERNAL_ID}),
     ins AS (
       INSERT INTO "Reader" ("id", "newsroomId", "externalId")
       SELECT gen_random_uuid(), $1::uuid, x FROM unnest($2::text[]) AS x
       WHERE x NOT IN (SELECT "externalId" FROM known)
       ON CONFLICT ("newsroomId", "externalId") DO NOTHING
       RETURNING "id", "externalId")
     SELECT "id"::text AS "id", "externalId" FROM known
     UNION ALL
     SELECT "id"::text AS "id", "externalId" FROM ins`,
    [readerExt],
  );
  const readerIds = new Map(readers.map((r) => [r.externalId, r.id]));
  // A reader inserted by a concurrent batch that committed during our statement is neither
  // returned by our INSERT (conflict) nor visible to its snapshot: read those again.
  const missing = readerExt.filter((r) => !readerIds.has(r));
  if (missing.length) {
    const late = await sql.rows<{ id: string; externalId: string }>(READERS_BY_EXTERNAL_ID, [missing]);
    for (const r of late) readerIds.set(r.externalId, r.id);
  }
  const inserted = await sql.rows<{ eventId: string }>(
    `INSERT INTO "Interaction" ("id", "newsroomId", "eventId", "readerId", "contentId", "eventType", "weight", "occurredAt")
     SELECT gen_random_uuid(), $1::uuid, e, r::uuid, c::uuid, t, w, (o::timestamptz AT TIME ZONE 'UTC')
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[]) AS u(e, r, c, t, w, o)
     ON CONFLICT ("newsroomId", "eventId") DO NOTHING
     RETURNING "eventId"`,
    [
      valid.map((v) => v.e.eventId),
      valid.map((v) => readerIds.get(v.e.readerId)!),
      valid.map((v) => v.contentId),
      valid.map((v) => v.e.eventType),
      valid.map((v) => (v.e.weight === undefined ? null : v.e.weight)),
      valid.map((v) => v.e.occurredAt.toISOString()),
    ],
  );
  if (onStored && inserted.length) {
    const stored = new Set(inserted.map((r) => r.eventId));
    await onStored(
      valid
        .filter((v) => stored.has(v.e.eventId))
        .map((v) => ({
          readerExternalId: v.e.readerId,
          itemId: v.contentId,
          eventType: v.e.eventType,
          weight: v.e.weight ?? null,
          at: v.e.occurredAt.getTime(),
        })),
    );
  }
  return { accepted: inserted.length, duplicates: valid.length - inserted.length, rejected };
}
