import {
  Arg,
  Authorized,
  Ctx,
  Field,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Resolver,
} from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ingestInteractions, MAX_EVENTS_PER_CALL } from './ingest.service.js';
import { interactionsStored } from '../recommender/serving.service.js';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';

/**
 * One reading event. Its fields are checked event by event when the batch is stored (a malformed event
 * is rejected with its index and the reason, the others are stored), not by the argument validator.
 */
@InputType()
export class InteractionInput {
  @Field(() => String, { description: 'Your id for this event; sending it again is a no-op' })
  eventId!: string;
  @Field(() => String, { description: "The reader's id in your systems" })
  readerId!: string;
  @Field(() => ID, { nullable: true, description: 'Platform content id (or give contentExternalId)' })
  contentId?: string;
  @Field(() => String, { nullable: true }) contentExternalId?: string;
  @Field(() => String, { description: 'view, click, read, share, like, hide, dislike ...' })
  eventType!: string;
  @Field(() => Float, { nullable: true, description: 'Overrides the weight of the event type' })
  weight?: number;
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

@Resolver()
export class InteractionResolver {
  @Authorized(...Roles.any)
  @Mutation(() => IngestResult, {
    description: `Stores reading events, up to ${MAX_EVENTS_PER_CALL} per call; idempotent by eventId. An event that cannot be stored (unknown content, a malformed field) is listed in rejected with the reason; the others are stored`,
  })
  async ingestInteractions(
    @Arg('events', () => [InteractionInput]) events: InteractionInput[],
    @Ctx() ctx: Context,
  ): Promise<IngestResult> {
    const c = authed(ctx);
    return ingestInteractions(c.sql, events, (stored) =>
      interactionsStored(
        { db: c.db, newsroomId: c.client.newsroomId, serving: c.services.recommender },
        stored,
      ),
    );
  }
}
