import { DomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';

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

export async function ingestInteractions(db: TenantDb, events: InteractionEvent[]): Promise<IngestOutcome> {
  if (events.length > MAX_EVENTS_PER_CALL) {
    throw new DomainError('BAD_USER_INPUT', `At most ${MAX_EVENTS_PER_CALL} events per call; split the batch`);
  }
  const rejected: IngestOutcome['rejected'] = [];
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = [...new Set(events.map((e) => e.contentId).filter((x): x is string => !!x && uuid.test(x)))];
  const extIds = [...new Set(events.map((e) => e.contentExternalId).filter((x): x is string => !!x))];
  const [byId, byExt] = await Promise.all([
    ids.length ? db.contentItem.findMany({ where: { id: { in: ids } }, select: { id: true } }) : [],
    extIds.length ? db.contentItem.findMany({ where: { externalId: { in: extIds } }, select: { id: true, externalId: true } }) : [],
  ]);
  const known = new Set(byId.map((c) => c.id));
  const ext = new Map(byExt.map((c) => [c.externalId!, c.id]));
  const valid: { e: InteractionEvent; contentId: string }[] = [];
  const seen = new Set<string>();
  events.forEach((e, index) => {
    const contentId = e.contentId ? (known.has(e.contentId) ? e.contentId : null) : e.contentExternalId ? ext.get(e.contentExternalId) ?? null : null;
    if (!e.contentId && !e.contentExternalId) rejected.push({ index, eventId: e.eventId, reason: 'give contentId or contentExternalId' });
    else if (!contentId) rejected.push({ index, eventId: e.eventId, reason: `unknown content ${e.contentId ?? e.contentExternalId}` });
    else if (e.weight !== undefined && e.weight !== null && !Number.isFinite(e.weight)) rejected.push({ index, eventId: e.eventId, reason: 'weight must be a finite number' });
    else if (seen.has(e.eventId)) rejected.push({ index, eventId: e.eventId, reason: 'eventId repeated within the batch' });
    else {
      seen.add(e.eventId);
      valid.push({ e, contentId });
    }
  });
  if (!valid.length) return { accepted: 0, duplicates: 0, rejected };
  const readerExt = [...new Set(valid.map((v) => v.e.readerId))];
  await db.reader.createMany({ data: readerExt.map((externalId) => ({ externalId })) as never, skipDuplicates: true });
  const readers = await db.reader.findMany({ where: { externalId: { in: readerExt } }, select: { id: true, externalId: true } });
  const readerIds = new Map(readers.map((r) => [r.externalId, r.id]));
  const created = await db.interaction.createMany({
    data: valid.map(({ e, contentId }) => ({
      eventId: e.eventId,
      readerId: readerIds.get(e.readerId)!,
      contentId,
      eventType: e.eventType,
      weight: e.weight ?? null,
      occurredAt: e.occurredAt,
    })) as never,
    skipDuplicates: true,
  });
  return { accepted: created.count, duplicates: valid.length - created.count, rejected };
}

