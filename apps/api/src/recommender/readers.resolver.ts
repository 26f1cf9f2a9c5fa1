import { Arg, Authorized, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { ContentItemGQL } from '../content/content.types.js';

/* Read-only lookups for editors: find a reader by id, and what they read (the dashboard's Recommendations page). */

@ObjectType('ReaderSummary')
class ReaderSummaryGQL {
  @Field(() => String, { description: "The reader's id in your systems" })
  readerId!: string;

  @Field(() => Int, { description: 'How many events (reads, clicks…) are stored for the reader' })
  events!: number;
}

@ObjectType('ReaderEvent')
class ReaderEventGQL {
  @Field(() => String)
  eventType!: string;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  @Field(() => ContentItemGQL)
  content!: unknown;
}

@Resolver()
export class ReaderLookupResolver {
  @Authorized(...Roles.editor)
  @Query(() => [ReaderSummaryGQL], {
    description: 'Readers whose id starts with the search text, in id order (at most 50)',
  })
  async readers(
    @Arg('search', () => String, { defaultValue: '' }) search: string,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<ReaderSummaryGQL[]> {
    const c = authed(ctx);
    const rows = await c.db.reader.findMany({
      where: search ? { externalId: { startsWith: search } } : {},
      orderBy: { externalId: 'asc' },
      take: Math.max(1, Math.min(first, 50)),
      select: { externalId: true, _count: { select: { interactions: true } } },
    });
    return rows.map((r) => ({ readerId: r.externalId, events: r._count.interactions }));
  }

  @Authorized(...Roles.editor)
  @Query(() => [ReaderEventGQL], {
    description:
      "A reader's most recent events, newest first, with the item each was about (empty for an unknown reader)",
  })
  async readerHistory(
    @Arg('readerId', () => String) readerId: string,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<ReaderEventGQL[]> {
    const c = authed(ctx);
    const reader = await c.db.reader.findFirst({ where: { externalId: readerId }, select: { id: true } });
    if (!reader) return [];
    return c.db.interaction.findMany({
      where: { readerId: reader.id },
      orderBy: { occurredAt: 'desc' },
      take: Math.max(1, Math.min(first, 100)),
      select: { eventType: true, occurredAt: true, content: true },
    });
  }
}
