import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { IsOptional, Length, Matches } from 'class-validator';
import { DomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';

export const MAX_EVENTS_PER_CALL = 10_000;

@InputType()
export class InteractionInput {
  @Field(() => String, { description: 'Your id for this event; sending it again is a no-op' })
  @Length(1, 200, { message: 'eventId must be 1 to 200 characters' })
  eventId!: string;
  @Field(() => String, { description: "The reader's id in your systems" })
  @Length(1, 200, { message: 'readerId must be 1 to 200 characters' })
  readerId!: string;
  @Field(() => ID, { nullable: true, description: 'Platform content id (or give contentExternalId)' })
  @IsOptional()
  contentId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() contentExternalId?: string;
  @Field(() => String, { description: 'view, click, read, share, like, hide, dislike ...' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'eventType must be lower-case letters, digits or _ (e.g. "click")' })
  eventType!: string;
  @Field(() => Float, { nullable: true, description: 'Overrides the weight of the event type' }) weight?: number;
  @Field(() => GraphQLDateTime) occurredAt!: Date;
}

@ObjectType()
export class RejectedEvent {
  @Field(() => Int) index!: number;
  @Field(() => String) eventId!: string;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class IngestResult {
  @Field(() => Int, { description: 'New events stored' }) accepted!: number;
  @Field(() => Int, { description: 'Events already stored earlier (same eventId)' }) duplicates!: number;
  @Field(() => [RejectedEvent]) rejected!: RejectedEvent[];
}

export async function ingestInteractions(db: TenantDb, events: InteractionInput[]): Promise<IngestResult> {
  if (events.length > MAX_EVENTS_PER_CALL) {
    throw new DomainError('BAD_USER_INPUT', `At most ${MAX_EVENTS_PER_CALL} events per call; split the batch`);
  }
  const rejected: RejectedEvent[] = [];
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = [...new Set(events.map((e) => e.contentId).filter((x): x is string => !!x && uuid.test(x)))];
  const extIds = [...new Set(events.map((e) => e.contentExternalId).filter((x): x is string => !!x))];
  const [byId, byExt] = await Promise.all([
    ids.length ? db.contentItem.findMany({ where: { id: { in: ids } }, select: { id: true } }) : [],
    extIds.length ? db.contentItem.findMany({ where: { externalId: { in: extIds } }, select: { id: true, externalId: true } }) : [],
  ]);
  const known = new Set(byId.map((c) => c.id));
  const ext = new Map(byExt.map((c) => [c.externalId!, c.id]));
  const valid: { e: InteractionInput; contentId: string }[] = [];
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

@Resolver()
export class InteractionResolver {
  @Authorized(...Roles.any)
  @Mutation(() => IngestResult, {
    description: `Stores reading events, up to ${MAX_EVENTS_PER_CALL} per call; idempotent by eventId`,
  })
  async ingestInteractions(
    @Arg('events', () => [InteractionInput]) events: InteractionInput[],
    @Ctx() ctx: Context,
  ): Promise<IngestResult> {
    return ingestInteractions(authed(ctx).db, events);
  }
}
