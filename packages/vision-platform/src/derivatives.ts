import type { TenantDb } from '@media-ai/db';
import type { Storage } from '@media-ai/storage';
import {
  analyzeImage,
  focusFromDetections,
  type Box,
  type Derivative,
  type FocusBox,
} from '@media-ai/vision';
import { derivedKey, faceModelOf, type ModelRef } from './constants.js';
import { modelRefOf, upsertDerivative } from './rows.js';

/** Stores a derived file of an asset (one per kind, replaced by the latest); returns it as a job reports it. */
export async function storeDerivative(
  db: TenantDb,
  storage: Storage,
  at: { newsroomId: string; assetId: string; kind: string },
  made: Derivative & { crop?: Box },
) {
  const storageKey = derivedKey(at.newsroomId, at.assetId, at.kind, made.format);
  await storage.putBuffer(storageKey, made.buffer);
  const row = {
    kind: at.kind,
    mimeType: made.contentType,
    width: made.width,
    height: made.height,
    sizeBytes: made.buffer.byteLength,
  };
  await upsertDerivative(db, { assetId: at.assetId, storageKey, ...row });
  return made.crop ? { ...row, crop: made.crop } : row;
}

/**
 * What a crop must keep in frame: the faces and objects of the stored analysis, or, for an asset
 * not analysed yet, a detection run now (not stored: analyzeAsset does that).
 */
export async function loadFocus(
  db: TenantDb,
  assetId: string,
  bytes: Buffer,
): Promise<{ focus: FocusBox[]; source: 'stored-analysis' | 'detected'; models: ModelRef[] }> {
  const analysed = await db.imageAnalysis.findMany({
    where: { assetId, kind: { in: ['objects', 'faces'] } },
  });
  if (analysed.length > 0) {
    const facesRow = analysed.find((a) => a.kind === 'faces');
    const [faces, tags] = await Promise.all([
      facesRow ? db.face.findMany({ where: { assetId, model: faceModelOf(facesRow) } }) : [],
      db.assetTag.findMany({ where: { assetId, source: 'objects' } }),
    ]);
    const focus = focusFromDetections({
      faces: faces.map((f) => ({ box: f.box as unknown as Box })),
      objects: tags
        .filter((t) => t.box)
        .map((t) => ({ label: t.label, score: t.confidence, box: t.box as unknown as Box })),
    });
    return { focus, source: 'stored-analysis', models: analysed.map(modelRefOf) };
  }
  const detected = await analyzeImage(bytes, { analyses: ['objects', 'faces'] });
  return {
    focus: focusFromDetections({ faces: detected.faces?.items, objects: detected.objects?.items }),
    source: 'detected',
    models: detected.models,
  };
}
