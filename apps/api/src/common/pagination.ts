import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { DomainError } from '@media-ai/core';

export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, at most ${MAX_PAGE_SIZE}` })
  @Min(1, { message: 'first must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `first must be at most ${MAX_PAGE_SIZE}` })
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  @IsOptional()
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** A number, or a promise made by a getter only when totalCount is selected (a count is a second query). */
  totalCount: number | Promise<number>;
}

/** A Relay connection type for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class Conn {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Matches for the filter, across all pages' }) totalCount!: number;
  }
  return Conn;
}

export const encodeCursor = (id: string) => Buffer.from(`c:${id}`).toString('base64url');
export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString();
  if (!raw.startsWith('c:'))
    throw new DomainError('BAD_USER_INPUT', 'after is not a cursor returned by this API');
  return raw.slice(2);
}

/**
 * Keyset pagination over (createdAt desc, id desc) with Prisma's cursor: fetches first+1 rows to
 * know whether another page exists. The count runs only when the query selects totalCount.
 */
export async function paginate<T extends { id: string }>(
  args: PageArgs,
  fetch: (q: { take: number; skip?: number; cursor?: { id: string } }) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  const first = Math.min(args.first, MAX_PAGE_SIZE);
  const cursor = args.after ? { id: decodeCursor(args.after) } : undefined;
  const rows = await fetch({ take: first + 1, ...(cursor ? { cursor, skip: 1 } : {}) });
  let counted: Promise<number> | null = null;
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: page.length ? encodeCursor(page[page.length - 1].id) : null,
    },
    get totalCount() {
      return (counted ??= count());
    },
  };
}
