import type { Prisma } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  ANALYSES,
  analyzeImage,
  composeAltText,
  getFaceAnalyzer,
  type Analysis,
  type AnalyzeResult,
  type ModerationPolicy,
} from '@media-ai/vision';
import { loadFaceIndex, refreshUnknownFaces, storeFaces, type StoredFace } from './faces.js';
import { loadPolicy, storeModerationReview } from './moderation.js';
import { ALT_TEXT_MODEL, PHASH_MODEL, upsertAnalysis } from './store.js';
import { ensureVisionRuntime, loadImageAsset, modelKey, throwIfAborted } from './runtime.js';

type Payload = PayloadOf<'vision.analyze'>;
type Result = ResultOf<'vision.analyze'>;

export async function runAnalyze(payload: Payload, ctx: JobContext): Promise<Result> {
  ensureVisionRuntime();
  const db = ctx.db;
  const analyses: Analysis[] = payload.analyses?.length ? [...new Set(payload.analyses)] : [...ANALYSES];
  const unknown = analyses.filter((a) => !(ANALYSES as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new PermanentJobError(`Unknown analyses ${unknown.join(', ')}; choose from ${ANALYSES.join(', ')}`);
  }
  const { asset, bytes } = await loadImageAsset(db, payload.assetId);
  const wantsFaces = analyses.includes('faces') || analyses.includes('altText');
  const policy: ModerationPolicy | undefined = analyses.includes('moderation')
    ? await loadPolicy(db, ctx.newsroomId)
    : undefined;
  const faceModel = modelKey(getFaceAnalyzer().identity);
  const registry = wantsFaces ? await loadFaceIndex(db, faceModel) : null;
  ctx.progress(0.02, 'Reading the image');

  const result: AnalyzeResult = await analyzeImage(bytes, {
    analyses,
    policy,
    objectQuality: payload.objectQuality,
    onProgress: (p) => {
      throwIfAborted(ctx);
      ctx.progress(
        0.05 + 0.8 * (p.done / p.total),
        p.stage === 'decode' ? 'Image decoded' : `${p.stage} done`,
        { ...p },
      );
    },
  });
  ctx.progress(0.88, 'Storing the results');

  const assetId = asset.id;
  const jobId = ctx.jobId;
  const out: Result = {
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
  if (result.faces && registry) {
    faces = await storeFaces(db, assetId, faceModel, result.faces.items, registry);
    await upsertAnalysis(db, {
      assetId,
      kind: 'faces',
      model: result.faces.model,
      result: {
        faces: faces.map((f) => ({
          faceId: f.faceId,
          box: f.box,
          personId: f.personId,
          distance: f.distance,
        })),
      },
      jobId,
    });
    // New unknown faces join (or form) clusters right away.
    await refreshUnknownFaces(db, faceModel, { rematch: false });
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
  ctx.progress(1, 'Analysed');
  return out;
}
