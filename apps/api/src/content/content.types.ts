import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ArrayMaxSize, IsIn, IsOptional, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { ContentStatus, ContentType } from '@media-ai/db';
import { ConnectionType } from '../common/pagination.js';

registerEnumType(ContentType, { name: 'ContentType' });
registerEnumType(ContentStatus, { name: 'ContentStatus' });

@ObjectType('ContentItem')
export class ContentItemGQL {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => ContentType) type!: ContentType;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => String, { nullable: true }) language!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => ContentStatus) status!: ContentStatus;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedAt!: Date | null;
  @Field(() => String, { nullable: true }) source!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => ID, { nullable: true }) assetId!: string | null;
  @Field(() => ID, { nullable: true }) originalId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const ContentConnection = ConnectionType(ContentItemGQL, 'Content');

const LANG = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

@InputType()
export class ContentInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) externalId?: string | null;
  @Field(() => ContentType, { nullable: true }) type?: ContentType;
  @Field(() => String) @Length(1, 1000, { message: 'title must be 1 to 1000 characters' }) title!: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2_000_000, { message: 'body must be at most 2,000,000 characters' })
  body?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(10_000) summary?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(LANG, { message: 'language must be an ISO 639 code such as "en" or "pt-BR"' })
  language?: string | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100, { message: 'at most 100 tags' })
  @MaxLength(100, { each: true, message: 'each tag must be at most 100 characters' })
  tags?: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) category?: string | null;
  @Field(() => ContentStatus, { nullable: true }) status?: ContentStatus;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedAt?: Date | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) source?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_tld: false }, { message: 'url must be an absolute URL' })
  url?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() assetId?: string | null;
}

@InputType()
export class ContentPatch {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 1000) title?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2_000_000) body?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(10_000) summary?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(LANG, { message: 'language must be an ISO 639 code such as "en" or "pt-BR"' })
  language?: string | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(100) tags?: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) category?: string | null;
  @Field(() => ContentStatus, { nullable: true }) status?: ContentStatus;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedAt?: Date | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) source?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsUrl({ require_tld: false }) url?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() assetId?: string | null;
}

@InputType()
export class ContentFilter {
  @Field(() => String, { nullable: true, description: 'Words to find in the title or body' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
  @Field(() => [ContentType], { nullable: true }) types?: ContentType[];
  @Field(() => [ContentStatus], { nullable: true }) statuses?: ContentStatus[];
  @Field(() => String, { nullable: true }) category?: string;
  @Field(() => String, { nullable: true }) language?: string;
  @Field(() => String, { nullable: true }) tag?: string;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedSince?: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) publishedBefore?: Date;
  @Field(() => String, { nullable: true, description: 'createdAt (default) or publishedAt' })
  @IsOptional()
  @IsIn(['createdAt', 'publishedAt'], { message: 'orderBy must be createdAt or publishedAt' })
  orderBy?: 'createdAt' | 'publishedAt';
}
