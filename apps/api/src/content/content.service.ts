import { DomainError } from '@media-ai/core';
import type { Prisma, TenantDb } from '@media-ai/db';
import { paginate, type PageArgs } from '../common/pagination.js';
import type { ContentFilter, ContentInput, ContentPatch } from './content.types.js';

export function contentWhere(f: ContentFilter | undefined): Prisma.ContentItemWhereInput {
  if (!f) return {};
  const where: Prisma.ContentItemWhereInput = {};
  if (f.search) {
    where.OR = [
      { title: { contains: f.search, mode: 'insensitive' } },
      { body: { contains: f.search, mode: 'insensitive' } },
    ];
  }
  if (f.types?.length) where.type = { in: f.types };
  if (f.statuses?.length) where.status = { in: f.statuses };
  if (f.category) where.category = f.category;
  if (f.language) where.language = f.language;
  if (f.tag) where.tags = { has: f.tag };
  if (f.publishedSince || f.publishedBefore) {
    where.publishedAt = {
      ...(f.publishedSince ? { gte: f.publishedSince } : {}),
      ...(f.publishedBefore ? { lt: f.publishedBefore } : {}),
    };
  }
  return where;
}

export class ContentService {
  constructor(private readonly db: TenantDb) {}

  list(args: PageArgs, filter?: ContentFilter) {
    const where = contentWhere(filter);
    const orderField = filter?.orderBy ?? 'createdAt';
    return paginate(
      args,
      (q) =>
        this.db.contentItem.findMany({ where, orderBy: [{ [orderField]: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.contentItem.count({ where }),
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
