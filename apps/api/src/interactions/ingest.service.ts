import { DomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
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

export async function ingestInteractions(
  db: TenantDb,
  newsroomId: string,
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
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = [...new Set(events.map((e) => e.contentId).filter((x): x is string => !!x && uuid.test(x)))];
  const extIds = [...new Set(events.map((e) => e.contentExternalId).filter((x): x is string => !!x))];
  const [byId, byExt] = await Promise.all([
    ids.length ? db.contentItem.findMany({ where: { id: { in: ids } }, select: { id: true } }) : [],
    extIds.length
      ? db.contentItem.findMany({
          where: { externalId: { in: extIds } },
          select: { id: true, externalId: true },
        })
      : [],
  ]);
  const known = new Set(byId.map((c) => c.id));
  const ext = new Map(byExt.map((c) => [c.externalId!, c.id]));
  const valid: { e: InteractionEvent; contentId: string }[] = [];
  const seen = new Set<string>();
  events.forEach((e, index) => {
    const contentId = e.contentId
      ? known.has(e.contentId)
        ? e.contentId
        : null
      : e.contentExternalId
        ? (ext.get(e.contentExternalId) ?? null)
        : null;
    if (!e.contentId && !e.contentExternalId)
      rejected.push({ index, eventId: e.eventId, reason: 'give contentId or contentExternalId' });
    else if (!contentId)
      rejected.push({
        index,
        eventId: e.eventId,
        reason: `unknown content ${e.contentId ?? e.contentExternalId}`,
      });
    else if (e.weight !== undefined && e.weight !== null && !Number.isFinite(e.weight))
      rejected.push({ index, eventId: e.eventId, reason: 'weight must be a finite number' });
    else if (seen.has(e.eventId))
      rejected.push({ index, eventId: e.eventId, reason: 'eventId repeated within the batch' });
    else {
      seen.add(e.eventId);
      valid.push({ e, contentId });
    }
  });
  if (!valid.length) return { accepted: 0, duplicates: 0, rejected };
  const readerExt = [...new Set(valid.map((v) => v.e.readerId))];
  // Bulk statements over unnest() arrays: one round trip each, whatever the batch size. The
  // newsroom id is bound explicitly, as the tenant-scoped client would do.
  const readers = await db.$queryRawUnsafe<{ id: string; externalId: string }[]>(
    `WITH ins AS (
       INSERT INTO "Reader" ("id", "newsroomId", "externalId")
       SELECT gen_random_uuid(), $1::uuid, x FROM unnest($2::text[]) AS x
       ON CONFLICT ("newsroomId", "externalId") DO NOTHING
       RETURNING "id", "externalId")
     SELECT "id"::text, "externalId" FROM ins
     UNION ALL
     SELECT "id"::text, "externalId" FROM "Reader" WHERE "newsroomId" = $1::uuid AND "externalId" = ANY($2::text[])`,
    newsroomId,
    readerExt,
  );
  const readerIds = new Map(readers.map((r) => [r.externalId, r.id]));
  // A reader inserted by a concurrent batch that committed during our statement is neither
  // returned by our INSERT (conflict) nor visible to its snapshot: read those again.
  const missing = readerExt.filter((r) => !readerIds.has(r));
  if (missing.length) {
    const late = await db.reader.findMany({
      where: { externalId: { in: missing } },
      select: { id: true, externalId: true },
    });
    for (const r of late) readerIds.set(r.externalId, r.id);
  }
  const inserted = await db.$queryRawUnsafe<{ eventId: string }[]>(
    `INSERT INTO "Interaction" ("id", "newsroomId", "eventId", "readerId", "contentId", "eventType", "weight", "occurredAt")
     SELECT gen_random_uuid(), $1::uuid, e, r::uuid, c::uuid, t, w, o
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[]) AS u(e, r, c, t, w, o)
     ON CONFLICT ("newsroomId", "eventId") DO NOTHING
     RETURNING "eventId"`,
    newsroomId,
    valid.map((v) => v.e.eventId),
    valid.map((v) => readerIds.get(v.e.readerId)!),
    valid.map((v) => v.contentId),
    valid.map((v) => v.e.eventType),
    valid.map((v) => (v.e.weight === undefined ? null : v.e.weight)),
    valid.map((v) => new Date(v.e.occurredAt).toISOString()),
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
          at: new Date(v.e.occurredAt).getTime(),
        })),
    );
  }
  return { accepted: inserted.length, duplicates: valid.length - inserted.length, rejected };
}
