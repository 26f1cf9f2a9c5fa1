import { Arg, Authorized, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';

@ObjectType('ApiUsage', { description: 'Use of the compatible HTTP APIs by one key on one UTC day' })
export class ApiUsageGQL {
  @Field(() => String, { description: 'UTC day, YYYY-MM-DD' }) day!: string;
  @Field(() => ID, { description: 'The API key (ApiClient) that made the requests' }) clientId!: string;
  @Field(() => String, { description: 'e.g. openai.audio.transcriptions, libretranslate.translate' })
  operation!: string;
  @Field(() => String, { description: 'What quantity counts: characters or audio_seconds' }) unit!: string;
  @Field(() => Int) requests!: number;
  @Field(() => Float) quantity!: number;
}

@Resolver()
export class ApiUsageResolver {
  @Authorized(...Roles.editor)
  @Query(() => [ApiUsageGQL], {
    description:
      "The newsroom's use of the OpenAI- and LibreTranslate-compatible endpoints, per key, day and operation (written every few seconds)",
  })
  async apiUsage(
    @Arg('since', () => GraphQLDateTime, { nullable: true }) since: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<ApiUsageGQL[]> {
    const from = since ?? new Date(Date.now() - 30 * 24 * 3600_000);
    const rows = await authed(ctx).db.apiUsage.findMany({
      where: { day: { gte: new Date(from.toISOString().slice(0, 10)) } },
      orderBy: [{ day: 'desc' }, { operation: 'asc' }, { clientId: 'asc' }],
      take: 1000,
    });
    return rows.map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      clientId: r.clientId,
      operation: r.operation,
      unit: r.unit,
      requests: r.requests,
      quantity: r.quantity,
    }));
  }
}
