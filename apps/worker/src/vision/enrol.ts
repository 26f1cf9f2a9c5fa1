import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { isDomainError, isEngineError } from '@media-ai/core';
import { analyzeImage, euclideanDistance, getFaceAnalyzer, type Box } from '@media-ai/vision';
import {
  decodeDescriptor,
  faceModelOf,
  loadFaceIndex,
  modelKey,
  refreshUnknownFaces,
  storeFaceAnalysis,
} from '@media-ai/vision-platform/worker';
import { ensureVisionRuntime, loadImageAsset, throwIfAborted } from './runtime.js';

type Result = ResultOf<'vision.enrol'>;

const area = (b: Box) => b.width * b.height;

/**
 * One face per photo becomes an exemplar of the person: the only face, or, in a group photo, the
 * one nearest the person's exemplars so far (the largest when there are none yet). Faces an editor
 * gave to someone else or rejected for this person are never taken. A photo without a usable face
 * is skipped with its reason; then the unknown faces of the newsroom are matched again.
 */
export async function runEnrol(payload: PayloadOf<'vision.enrol'>, ctx: JobContext): Promise<Result> {
  ensureVisionRuntime();
  const db = ctx.db;
  const person = await db.person.findUnique({ where: { id: payload.personId } });
  if (!person)
    throw new PermanentJobError(`Person ${payload.personId} does not exist (was it deleted?)`, 'NOT_FOUND');
  const faceModel = modelKey(getFaceAnalyzer().identity);
  const assetIds = [...new Set(payload.assetIds)];
  const enrolled: Result['enrolled'] = [];
  const skipped: Result['skipped'] = [];
  const rejected = new Set(
    (
      await db.faceCorrection.findMany({
        where: { personId: person.id, verdict: 'rejected' },
        select: { faceId: true },
      })
    ).map((c) => c.faceId),
  );
  const exemplars = (
    await db.face.findMany({
      where: { personId: person.id, model: faceModel, assignment: { in: ['enrolled', 'confirmed'] } },
      select: { descriptor: true },
    })
  ).map((f) => decodeDescriptor(f.descriptor));

  for (const [i, assetId] of assetIds.entries()) {
    throwIfAborted(ctx);
    ctx.progress((0.9 * i) / assetIds.length, `Photo ${i + 1} of ${assetIds.length}`);
    let faces = await db.face.findMany({ where: { assetId, model: faceModel } });
    const analysed = await db.imageAnalysis.findUnique({
      where: { assetId_kind: { assetId, kind: 'faces' } },
    });
    if (!analysed || faceModelOf(analysed) !== faceModel) {
      try {
        const { bytes } = await loadImageAsset(db, assetId);
        const result = await analyzeImage(bytes, { analyses: ['faces'] });
        await storeFaceAnalysis(
          db,
          { assetId, faceModel, model: result.faces!.model, items: result.faces!.items, jobId: ctx.jobId },
          await loadFaceIndex(db, faceModel),
        );
        faces = await db.face.findMany({ where: { assetId, model: faceModel } });
      } catch (error) {
        // One bad photo (not an image, not decodable) does not spoil the others; a model that fails to load is worth a retry.
        if (isDomainError(error) || (isEngineError(error) && !error.retryable)) {
          skipped.push({ assetId, reason: error.message });
          continue;
        }
        throw error;
      }
    }
    const candidates = faces.filter(
      (f) =>
        !rejected.has(f.id) && (f.personId === null || f.personId === person.id || f.assignment === 'match'),
    );
    if (candidates.length === 0) {
      skipped.push({
        assetId,
        reason:
          faces.length === 0
            ? 'no face found in the photo'
            : 'every face in the photo belongs to someone else',
      });
      continue;
    }
    const score = (f: (typeof candidates)[number]) =>
      exemplars.length > 0
        ? Math.min(...exemplars.map((e) => euclideanDistance(e, decodeDescriptor(f.descriptor))))
        : -area(f.box as unknown as Box);
    const chosen = candidates.reduce((best, f) => (score(f) < score(best) ? f : best));
    await db.face.update({
      where: { id: chosen.id },
      data: { personId: person.id, assignment: 'enrolled', matchDistance: null, clusterId: null },
    });
    exemplars.push(decodeDescriptor(chosen.descriptor));
    enrolled.push({ assetId, faceId: chosen.id, facesInPhoto: faces.length });
  }

  ctx.progress(0.92, 'Matching unknown faces again');
  const { index } = await loadFaceIndex(db, faceModel);
  const refresh = await refreshUnknownFaces(db, faceModel, { rematch: true, index });
  ctx.progress(1, `Enrolled ${enrolled.length} of ${assetIds.length} photos`);
  return {
    status: enrolled.length > 0 ? 'enrolled' : 'no-faces',
    personId: person.id,
    enrolled,
    skipped,
    refresh,
  };
}

export async function runClusterFaces(ctx: JobContext): Promise<ResultOf<'vision.cluster-faces'>> {
  ensureVisionRuntime();
  const db = ctx.db;
  const faceModel = modelKey(getFaceAnalyzer().identity);
  const { index } = await loadFaceIndex(db, faceModel);
  ctx.progress(0.2, 'Registry loaded');
  const result = await refreshUnknownFaces(db, faceModel, { rematch: true, index });
  ctx.progress(1, `${result.matched} faces matched, ${result.clusters} clusters`);
  return result;
}
