import { DomainError } from '@media-ai/core';
import type { ContentItem, TenantDb, TenantSql } from '@media-ai/db';
import { paginate, type PageArgs } from '../common/pagination.js';
import type { ContentFilter, ContentInput, ContentPatch } from './content.types.js';

/** A filter as SQL over "ContentItem" (newsroom `$1`), its values appended to `values`. */
function contentConditions(f: ContentFilter | undefined, values: unknown[]): string[] {
  const where = ['"newsroomId" = $1'];
  const bind = (v: unknown) => `$${values.push(v) + 1}`;
  if (!f) return where;
  if (f.search) {
    const like = bind(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`("title" ILIKE ${like} OR "body" ILIKE ${like})`);
  }
  if (f.types?.length) where.push(`"type" = ANY(${bind(f.types)}::"ContentType"[])`);
  if (f.statuses?.length) where.push(`"status" = ANY(${bind(f.statuses)}::"ContentStatus"[])`);
  if (f.category) where.push(`"category" = ${bind(f.category)}`);
  if (f.language) where.push(`"language" = ${bind(f.language)}`);
  if (f.tag) where.push(`${bind(f.tag)} = ANY("tags")`);
  // Stored as UTC without a zone.
  const utc = (d: Date) => `(${bind(d.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  if (f.publishedSince) where.push(`"publishedAt" >= ${utc(f.publishedSince)}`);
  if (f.publishedBefore) where.push(`"publishedAt" < ${utc(f.publishedBefore)}`);
  return where;
}

const ORDER_COLUMNS = { createdAt: '"createdAt"', publishedAt: '"publishedAt"' } as const;

export class ContentService {
  constructor(
    private readonly db: TenantDb,
    private readonly sql: TenantSql,
  ) {}

  /**
   * A page of the newsroom's content, newest first, in one statement through node-postgres: the page
   * is the API's most frequent read, and Prisma's query compilation would cost more than the query.
   * Keyset paging on (order column desc, id desc), nulls first as PostgreSQL orders them descending.
   */
  list(args: PageArgs, filter?: ContentFilter) {
    const sql = this.sql;
    const order = ORDER_COLUMNS[filter?.orderBy ?? 'createdAt'];
    return paginate(
      args,
      (q) => {
        const values: unknown[] = [];
        const where = contentConditions(filter, values);
        if (q.cursor) {
          const c = `$${values.push(q.cursor.id) + 1}::uuid`;
          const at = `(SELECT ${order} FROM "ContentItem" WHERE "newsroomId" = $1 AND "id" = ${c})`;
          where.push(`EXISTS (SELECT 1 FROM "ContentItem" WHERE "newsroomId" = $1 AND "id" = ${c})`);
          where.push(
            `(CASE WHEN ${at} IS NULL THEN ${order} IS NOT NULL OR "id" < ${c}
                   ELSE ${order} < ${at} OR (${order} = ${at} AND "id" < ${c}) END)`,
          );
        }
        const limit = `$${values.push(q.take) + 1}`;
        return sql.rows<ContentItem>(
          `SELECT * FROM "ContentItem" WHERE ${where.join(' AND ')} ORDER BY ${order} DESC, "id" DESC LIMIT ${limit}`,
          values,
        );
      },
      async () => {
        const values: unknown[] = [];
        const where = contentConditions(filter, values);
        const [row] = await sql.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM "ContentItem" WHERE ${where.join(' AND ')}`,
          values,
        );
        return row?.n ?? 0;
      },
    );
  }

  async get(id: string) {
    const item = await this.db.contentItem.findUnique({ where: { id } });
    if (!item) throw new DomainError('NOT_FOUND', `Content item ${id} was not found`);
    return item;
  }

  private async checkAsset(assetId: string | null | undefined) {
    if (!assetId) return;
    const asset = await this.db.mediaAsset.findUnique({ where: { id: assetId } });
    if (!asset)
      throw new DomainError('BAD_USER_INPUT', `assetId ${assetId} is not an asset of this newsroom`);
  }

  async create(input: ContentInput) {
    await this.checkAsset(input.assetId);
    try {
      return await this.db.contentItem.create({
        data: {
          ...input,
          body: input.body ?? '',
          tags: input.tags ?? [],
        },
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') {
        throw new DomainError(
          'CONFLICT',
          `A content item with externalId "${input.externalId}" already exists`,
        );
      }
      throw e;
    }
  }

  async update(id: string, patch: ContentPatch) {
    await this.get(id);
    await this.checkAsset(patch.assetId);
    const data = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    return this.db.contentItem.update({ where: { id }, data });
  }

  async delete(id: string) {
    await this.get(id);
    await this.db.contentItem.delete({ where: { id } });
    return true;
  }
}
