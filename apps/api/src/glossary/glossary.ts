import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { DomainError } from '@media-ai/core';
import type { Prisma } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { ConnectionType, PageArgs, paginate } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';

@ObjectType('GlossaryTerm')
export class GlossaryTermGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) term!: string;
  @Field(() => String, { description: 'ISO 639-1 code, or empty for any language' }) language!: string;
  @Field(() => String, { nullable: true }) preferredSpelling!: string | null;
  @Field(() => Boolean) doNotTranslate!: boolean;
  @Field(() => GraphQLJSON, { description: 'Required translations, e.g. {"es": "Casa Blanca"}' })
  translations!: unknown;
  @Field(() => String, { nullable: true }) pronunciation!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const GlossaryConnection = ConnectionType(GlossaryTermGQL, 'GlossaryTerm');

@InputType()
export class GlossaryTermInput {
  @Field(() => String) @Length(1, 200, { message: 'term must be 1 to 200 characters' }) term!: string;
  @Field(() => String, { nullable: true, defaultValue: '' })
  @Matches(/^([a-z]{2,3})?$/, { message: 'language must be an ISO 639 code such as "en", or empty' })
  language?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) preferredSpelling?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) doNotTranslate?: boolean;
  @Field(() => GraphQLJSON, { nullable: true }) translations?: Record<string, string> | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[A-Z]{1,3}[0-2]?( [A-Z]{1,3}[0-2]?)*$/, {
    message: 'pronunciation must be CMU phones separated by spaces, e.g. "K EH1 N AH0 D IY0"',
  })
  pronunciation?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(1000) notes?: string | null;
}

function checkTranslations(t: unknown): Record<string, string> {
  if (t === null || t === undefined) return {};
  if (typeof t !== 'object' || Array.isArray(t))
    throw new DomainError('BAD_USER_INPUT', 'translations must be an object like {"es": "..."}');
  for (const [k, v] of Object.entries(t)) {
    if (!/^[a-z]{2,3}$/.test(k) || typeof v !== 'string' || !v) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `translations: "${k}" must be a language code mapped to a non-empty string`,
      );
    }
  }
  return t as Record<string, string>;
}

@Resolver(() => GlossaryTermGQL)
export class GlossaryResolver {
  @Authorized(...Roles.any)
  @Query(() => GlossaryConnection, { description: 'The newsroom glossary shared by every AI area' })
  glossaryTerms(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, { nullable: true }) search: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const { db } = authed(ctx);
    const where: Prisma.GlossaryTermWhereInput = search
      ? { term: { contains: search, mode: 'insensitive' } }
      : {};
    return paginate(
      page,
      (q) => db.glossaryTerm.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => db.glossaryTerm.count({ where }),
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => GlossaryTermGQL, {
    description: 'Creates the term, or updates it if the term and language exist',
  })
  upsertGlossaryTerm(@Arg('input', () => GlossaryTermInput) input: GlossaryTermInput, @Ctx() ctx: Context) {
    const { db, client } = authed(ctx);
    const translations = checkTranslations(input.translations);
    const data = {
      preferredSpelling: input.preferredSpelling ?? null,
      doNotTranslate: input.doNotTranslate ?? false,
      translations,
      pronunciation: input.pronunciation ?? null,
      notes: input.notes ?? null,
    };
    return db.glossaryTerm.upsert({
      where: {
        newsroomId_term_language: {
          newsroomId: client.newsroomId,
          term: input.term,
          language: input.language ?? '',
        },
      },
      create: {
        term: input.term,
        language: input.language ?? '',
        ...data,
      },
      update: data,
    });
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean)
  async deleteGlossaryTerm(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const { db } = authed(ctx);
    const n = await db.glossaryTerm.deleteMany({ where: { id } });
    if (!n.count) throw new DomainError('NOT_FOUND', `Glossary term ${id} was not found`);
    return true;
  }
}
