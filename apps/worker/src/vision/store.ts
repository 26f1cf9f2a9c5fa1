import type { Prisma, TenantDb } from '@media-ai/db';
import type { ModelIdentity } from '@media-ai/vision';

/** Identities of the two results that come from code rather than a model. */
export const PHASH_MODEL: ModelIdentity = { name: 'dct64-phash', version: '1' };
export const ALT_TEXT_MODEL: ModelIdentity = { name: 'media-ai/alt-text-template', version: '1' };

/** One row per asset and kind, replaced by the latest run, with the model that made it. */
export function upsertAnalysis(
  db: TenantDb,
  row: { assetId: string; kind: string; model: ModelIdentity; result: unknown; jobId: string },
) {
  const data = {
    model: row.model.name,
    modelVersion: row.model.version,
    result: row.result as Prisma.InputJsonValue,
    jobId: row.jobId,
    createdAt: new Date(),
  };
  return db.imageAnalysis.upsert({
    where: { assetId_kind: { assetId: row.assetId, kind: row.kind } },
    create: { assetId: row.assetId, kind: row.kind, ...data },
    update: data,
  });
}

export const storageExtension: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};

/** Where a derived file of an asset is stored. */
export function derivedKey(newsroomId: string, assetId: string, kind: string, format: string): string {
  return `${newsroomId}/derived/${assetId}/${kind}.${storageExtension[format] ?? format}`;
}

export function upsertDerivative(
  db: TenantDb,
  row: {
    assetId: string;
    kind: string;
    storageKey: string;
    mimeType: string;
    width: number;
    height: number;
    sizeBytes: number;
  },
) {
  const { assetId, kind, ...data } = row;
  return db.derivative.upsert({
    where: { assetId_kind: { assetId, kind } },
    create: { assetId, kind, ...data },
    update: { ...data, createdAt: new Date() },
  });
}
