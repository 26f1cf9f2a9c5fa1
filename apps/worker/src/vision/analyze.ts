import type { JobContext, PayloadOf, ResultOf } from '@media-ai/jobs';
import { ANALYSES, analyzeImage, getFaceAnalyzer } from '@media-ai/vision';
import {
  checkAnalyses,
  loadFaceIndex,
  loadPolicy,
  modelKey,
  storeAnalysis,
} from '@media-ai/vision-platform/worker';
import { ensureVisionRuntime, loadImageAsset, throwIfAborted } from './runtime.js';

/** vision.analyze: runs the analyses on the image and stores what they found (packages/vision-platform). */
export async function runAnalyze(
  payload: PayloadOf<'vision.analyze'>,
  ctx: JobContext,
): Promise<ResultOf<'vision.analyze'>> {
  ensureVisionRuntime();
  const db = ctx.db;
  const analyses = checkAnalyses(payload.analyses, ANALYSES);
  const { asset, bytes } = await loadImageAsset(db, payload.assetId);
  const wantsFaces = analyses.includes('faces') || analyses.includes('altText');
  const policy = analyses.includes('moderation') ? await loadPolicy(db, ctx.newsroomId) : undefined;
  const faceModel = modelKey(getFaceAnalyzer().identity);
  const registry = wantsFaces ? await loadFaceIndex(db, faceModel) : null;
  ctx.progress(0.02, 'Reading the image');

  const result = await analyzeImage(bytes, {
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
  const stored = await storeAnalysis(db, {
    assetId: asset.id,
    jobId: ctx.jobId,
    result,
    faceModel,
    registry,
    policy,
  });
  ctx.progress(1, 'Analysed');
  return stored;
}
