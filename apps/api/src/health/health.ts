import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { Redis } from 'ioredis';
import type { Db } from '@media-ai/db';
import type { Context } from '../common/context.js';
import { Roles } from '../auth/roles.js';

@ObjectType()
export class Health {
  @Field(() => Boolean) database!: boolean;
  @Field(() => Boolean) redis!: boolean;
  @Field(() => String) version!: string;
}

export async function checkHealth(db: Db, redis: Redis): Promise<Health> {
  const [database, redisOk] = await Promise.all([
    db.$queryRawUnsafe('SELECT 1').then(
      () => true,
      () => false,
    ),
    redis.ping().then(
      (r) => r === 'PONG',
      () => false,
    ),
  ]);
  return { database, redis: redisOk, version: process.env.npm_package_version ?? '0.1.0' };
}

@Resolver()
export class HealthResolver {
  @Authorized(...Roles.any)
  @Query(() => Health)
  health(@Ctx() ctx: Context) {
    return checkHealth(ctx.services.db, ctx.services.redis);
  }
}
