import DataLoader from 'dataloader';
import type {
  Derivative,
  Face,
  ImageAnalysis,
  AssetTag,
  ModerationReview,
  Person,
  TenantDb,
} from '@media-ai/db';
import type { AuthedContext } from '../common/context.js';

/*
 * Batch loaders for the fields of AssetVision, one set per request (keyed on the request's
 * context), so a page of assets costs one query per field rather than one per asset.
 */

export type FaceWithPerson = Face & { person: Person | null };

export interface VisionLoaders {
  analyses: DataLoader<string, ImageAnalysis[]>;
  tags: DataLoader<string, AssetTag[]>;
  faces: DataLoader<string, FaceWithPerson[]>;
  moderation: DataLoader<string, ModerationReview | null>;
  derivatives: DataLoader<string, Derivative[]>;
}

function grouped<T>(load: (ids: string[]) => Promise<T[]>, key: (row: T) => string) {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
    return ids.map((id) => map.get(id) ?? []);
  });
}

function create(db: TenantDb): VisionLoaders {
  return {
    analyses: grouped(
      (ids) => db.imageAnalysis.findMany({ where: { assetId: { in: ids } }, orderBy: { kind: 'asc' } }),
      (r) => r.assetId,
    ),
    tags: grouped(
      (ids) =>
        db.assetTag.findMany({
          where: { assetId: { in: ids } },
          orderBy: [{ confidence: 'desc' }, { id: 'asc' }],
        }),
      (r) => r.assetId,
    ),
    faces: grouped(
      (ids) =>
        db.face.findMany({
          where: { assetId: { in: ids } },
          include: { person: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      (r) => r.assetId,
    ),
    moderation: new DataLoader<string, ModerationReview | null>(async (ids) => {
      const rows = await db.moderationReview.findMany({ where: { assetId: { in: [...ids] } } });
      const map = new Map(rows.map((r) => [r.assetId, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    derivatives: grouped(
      (ids) => db.derivative.findMany({ where: { assetId: { in: ids } }, orderBy: { kind: 'asc' } }),
      (r) => r.assetId,
    ),
  };
}

const perRequest = new WeakMap<object, VisionLoaders>();

export function visionLoaders(ctx: AuthedContext): VisionLoaders {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = create(ctx.db);
    perRequest.set(ctx, loaders);
  }
  return loaders;
}
