import type { Prisma, TenantDb } from '@media-ai/db';
import {
  composeAltText,
  type Analysis,
  type AnalyzeResult,
  type ModerationDecision,
  type ModerationPolicy,
} from '@media-ai/vision';
import { ALT_TEXT_MODEL, PHASH_MODEL, type ModelRef } from './constants.js';
import { refreshUnknownFaces, storeFaceAnalysis, type FaceRegistry, type StoredFace } from './faces.js';
import { storeModerationReview } from './moderation.js';
import { upsertAnalysis } from './rows.js';

/** What an image analysis stored, as a vision.analyze job reports it. */
export interface StoredAnalysis {
  status: 'analyzed';
  assetId: string;
  analyses: Analysis[];
  models: ModelRef[];
  timings: Record<string, number>;
  tags?: number;
  faces?: { found: number; recognised: number; unknown: number };
  moderation?: ModerationDecision;
  ocrCharacters?: number;
  perceptualHash?: string;
  altText?: string;
}

/**
 * Stores an analysis of an image: one ImageAnalysis row per kind with its model, the object tags,
 * the faces (named by the people registry, new unknown faces clustered), the moderation verdict for
 * review, the perceptual hash, and the alt text composed again with the names matching gave.
 */
export async function storeAnalysis(
  db: TenantDb,
  run: {
    assetId: string;
    jobId: string;
    result: AnalyzeResult;
    /** The face model (modelKey) and the registry faces are matched against; null when faces were not asked for. */
    faceModel: string;
    registry: FaceRegistry | null;
    policy?: ModerationPolicy;
  },
): Promise<StoredAnalysis> {
  const { assetId, jobId, result, policy } = run;
  const out: StoredAnalysis = {
    status: 'analyzed',
    assetId,
    analyses: [],
    models: result.models,
    timings: result.timings as Record<string, number>,
  };

  if (result.objects) {
    const { model, items } = result.objects;
    await db.$transaction([
      upsertAnalysis(db, { assetId, kind: 'objects', model, result: { items }, jobId }),
      db.assetTag.deleteMany({ where: { assetId, source: 'objects' } }),
      db.assetTag.createMany({
        data: items.map((o) => ({
          assetId,
          label: o.label,
          confidence: o.score,
          box: o.box as unknown as Prisma.InputJsonValue,
          source: 'objects',
        })),
      }),
    ]);
    out.analyses.push('objects');
    out.tags = items.length;
  }

  let faces: StoredFace[] = [];
  if (result.faces && run.registry) {
    faces = await storeFaceAnalysis(
      db,
      { assetId, faceModel: run.faceModel, model: result.faces.model, items: result.faces.items, jobId },
      run.registry,
    );
    // New unknown faces join (or form) clusters right away.
    await refreshUnknownFaces(db, run.faceModel, { rematch: false });
    const recognised = faces.filter((f) => f.personId).length;
    out.analyses.push('faces');
    out.faces = { found: faces.length, recognised, unknown: faces.length - recognised };
  }

  if (result.moderation) {
    const { model, ...verdict } = result.moderation;
    await upsertAnalysis(db, { assetId, kind: 'moderation', model, result: { ...verdict, policy }, jobId });
    await storeModerationReview(db, assetId, verdict);
    out.analyses.push('moderation');
    out.moderation = verdict.decision;
  }

  if (result.ocr) {
    const { model, text, confidence, lines } = result.ocr;
    await upsertAnalysis(db, {
      assetId,
      kind: 'ocr',
      model,
      result: { text: text.trim(), confidence, lines },
      jobId,
    });
    out.analyses.push('ocr');
    out.ocrCharacters = text.trim().length;
  }

  if (result.phash) {
    await db.$transaction([
      upsertAnalysis(db, { assetId, kind: 'phash', model: PHASH_MODEL, result: result.phash, jobId }),
      db.mediaAsset.update({ where: { id: assetId }, data: { perceptualHash: result.phash.hash } }),
    ]);
    out.analyses.push('phash');
    out.perceptualHash = result.phash.hash;
  }

  if (result.altText) {
    // Composed again with the names matching gave after corrections (the package's own text has no registry).
    const text = composeAltText({
      objects: result.objects?.items,
      faces: faces.map((f) => ({ name: f.personName, box: f.box })),
      text: result.ocr ? { text: result.ocr.text, confidence: result.ocr.confidence } : null,
    });
    await upsertAnalysis(db, {
      assetId,
      kind: 'altText',
      model: ALT_TEXT_MODEL,
      result: { text, composedFrom: result.models },
      jobId,
    });
    out.analyses.push('altText');
    out.altText = text;
  }
  return out;
}
