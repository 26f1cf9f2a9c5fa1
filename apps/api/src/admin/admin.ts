import {
  Arg,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { IsOptional, IsUrl, Length, Max, Min } from 'class-validator';
import { checkOutboundUrl, DomainError } from '@media-ai/core';
import { Role } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';
import { createApiClient, MAX_RATE_LIMIT } from '../auth/api-keys.js';

registerEnumType(Role, { name: 'Role' });

@ObjectType('ApiClient')
export class ApiClientGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart' })
  keyPrefix!: string;
  @Field(() => String, { nullable: true }) webhookUrl!: string | null;
  @Field(() => Int) rateLimitPerMinute!: number;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiClientGQL) client!: ApiClientGQL;
  @Field(() => String, { description: 'Shown once; only its hash is kept' }) key!: string;
  @Field(() => String, { description: 'Verifies webhook signatures (HMAC-SHA256)' }) webhookSecret!: string;
}

@InputType()
export class ApiKeyInput {
  @Field(() => String) @Length(1, 100, { message: 'name must be 1 to 100 characters' }) name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'webhookUrl must be an http(s) URL' })
  webhookUrl?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Requests a minute; by default 6000 for APP keys, 1200 for EDITOR and ADMIN keys',
  })
  @IsOptional()
  @Min(1, { message: 'rateLimitPerMinute must be at least 1' })
  @Max(MAX_RATE_LIMIT, { message: `rateLimitPerMinute must be at most ${MAX_RATE_LIMIT}` })
  rateLimitPerMinute?: number;
}

@ObjectType('Newsroom')
export class NewsroomGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) maxOpenJobs!: number;
  @Field(() => Int) maxJobsPerDay!: number;
}

@ObjectType()
export class Me {
  @Field(() => ID) clientId!: string;
  @Field(() => String) name!: string;
  @Field(() => Role) role!: Role;
  /** Read only when asked for: `{ me { name } }` costs no query. */
  @Field(() => NewsroomGQL) newsroom!: NewsroomGQL | Promise<NewsroomGQL>;
}

@Resolver()
export class AdminResolver {
  @Authorized(...Roles.any)
  @Query(() => Me, { description: 'Who this API key is' })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const c = authed(ctx);
    // A getter: the field is read, and the newsroom queried, only when the query selects it.
    return {
      clientId: c.client.id,
      name: c.client.name,
      role: c.client.role,
      get newsroom() {
        return c.db.newsroom.findUniqueOrThrow({ where: { id: c.client.newsroomId } });
      },
    };
  }

  @Authorized(...Roles.admin)
  @Query(() => [ApiClientGQL])
  apiClients(@Ctx() ctx: Context) {
    return authed(ctx).db.apiClient.findMany({ orderBy: { createdAt: 'desc' } });
  }

  @Authorized(...Roles.admin)
  @Mutation(() => CreatedApiKey)
  async createApiKey(
    @Arg('input', () => ApiKeyInput) input: ApiKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiKey> {
    const c = authed(ctx);
    if (input.webhookUrl) await checkOutboundUrl(input.webhookUrl, 'webhookUrl');
    const { client, key } = await createApiClient(c.rootDb, { ...input, newsroomId: c.client.newsroomId });
    return { client, key, webhookSecret: client.webhookSecret! };
  }

  @Authorized(...Roles.admin)
  @Mutation(() => ApiClientGQL)
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const { db } = authed(ctx);
    const row = await db.apiClient.findUnique({ where: { id } });
    if (!row) throw new DomainError('NOT_FOUND', `API client ${id} was not found`);
    const revoked = await db.apiClient.update({ where: { id }, data: { revokedAt: new Date() } });
    await authed(ctx).services.auth.changed(id);
    return revoked;
  }

  @Authorized(...Roles.admin)
  @Mutation(() => ApiClientGQL, {
    description:
      'Sets how many requests a minute an API key of your newsroom may make (every API process at once)',
  })
  async setApiKeyRateLimit(
    @Arg('id', () => ID) id: string,
    @Arg('rateLimitPerMinute', () => Int) rateLimitPerMinute: number,
    @Ctx() ctx: Context,
  ) {
    if (
      !Number.isInteger(rateLimitPerMinute) ||
      rateLimitPerMinute < 1 ||
      rateLimitPerMinute > MAX_RATE_LIMIT
    )
      throw new DomainError('BAD_USER_INPUT', `rateLimitPerMinute must be between 1 and ${MAX_RATE_LIMIT}`);
    const { db, services } = authed(ctx);
    const row = await db.apiClient.findUnique({ where: { id } });
    if (!row) throw new DomainError('NOT_FOUND', `API client ${id} was not found`);
    const updated = await db.apiClient.update({ where: { id }, data: { rateLimitPerMinute } });
    await services.auth.changed(id);
    return updated;
  }

  @Authorized(...Roles.admin)
  @Mutation(() => NewsroomGQL, { description: 'Sets the job quotas of your newsroom' })
  setNewsroomQuotas(
    @Arg('maxOpenJobs', () => Int) maxOpenJobs: number,
    @Arg('maxJobsPerDay', () => Int) maxJobsPerDay: number,
    @Ctx() ctx: Context,
  ) {
    if (maxOpenJobs < 1 || maxJobsPerDay < 1)
      throw new DomainError('BAD_USER_INPUT', 'Quotas must be at least 1');
    const c = authed(ctx);
    return c.db.newsroom.update({ where: { id: c.client.newsroomId }, data: { maxOpenJobs, maxJobsPerDay } });
  }
}
