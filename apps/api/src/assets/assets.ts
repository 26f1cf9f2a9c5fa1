import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { DomainError } from '@media-ai/core';
import type { MediaAsset } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { ConnectionType, PageArgs, paginate } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { THUMBNAIL_SIZES, thumbnailPath, type ThumbnailSize } from './thumbnails.js';

@ObjectType('MediaAsset')
export class MediaAssetGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) filename!: string;
  @Field(() => String, { description: 'Sniffed from the bytes' }) mimeType!: string;
  @Field(() => String, { description: 'image, audio or video' }) kind!: string;
  @Field(() => String, { description: 'SHA-256 of the bytes' }) checksum!: string;
  @Field(() => GraphQLJSON) metadata!: unknown;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@ObjectType('Thumbnail')
export class ThumbnailGQL {
  @Field(() => String, { description: 'small or medium' }) size!: string;
  @Field(() => Int, { description: 'Long side in pixels, at most' }) maxSide!: number;
  @Field(() => String, { description: 'GET with your API key (WebP)' }) url!: string;
}

export const MediaAssetConnection = ConnectionType(MediaAssetGQL, 'MediaAsset');

@Resolver(() => MediaAssetGQL)
export class AssetResolver {
  @Authorized(...Roles.any)
  @Query(() => MediaAssetConnection)
  assets(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => String, { nullable: true }) kind: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const { db } = authed(ctx);
    const where = kind ? { kind } : {};
    return paginate(
      page,
      (q) => db.mediaAsset.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => db.mediaAsset.count({ where }),
    );
  }

  @Authorized(...Roles.any)
  @Query(() => MediaAssetGQL)
  async asset(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const a = await authed(ctx).loaders.asset.load(id);
    if (!a) throw new DomainError('NOT_FOUND', `Asset ${id} was not found`);
    return a;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { description: 'Size in bytes (a string: files can exceed 2^31)' })
  sizeBytes(@Root() a: MediaAsset): string {
    return a.sizeBytes.toString();
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [ThumbnailGQL], {
    description:
      'Thumbnails of an image (empty for other kinds), made at upload (older images: on first request); cached by browsers for a year',
  })
  thumbnails(@Root() a: MediaAsset): ThumbnailGQL[] {
    if (a.kind !== 'image') return [];
    return (Object.entries(THUMBNAIL_SIZES) as [ThumbnailSize, number][]).map(([size, maxSide]) => ({
      size,
      maxSide,
      url: thumbnailPath(a.id, size),
    }));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { description: 'GET with your API key to download the original' })
  downloadPath(@Root() a: MediaAsset): string {
    return `/v1/assets/${a.id}/content`;
  }
}
