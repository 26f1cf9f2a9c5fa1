import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  convertImage,
  cropSize,
  DEFAULT_MAX_UPSCALE_PIXELS,
  enhanceImage,
  inspectImage,
  makeThumbnail,
  parseAspect,
  smartCrop,
  superResolve,
  type Box,
  type Derivative,
  type FocusBox,
  type ModelIdentity,
} from '@media-ai/vision';
import {
  checkDerivativeKinds,
  CROP_ASPECTS,
  isCrop,
  loadFocus,
  MAX_CROP_WIDTH,
  storeDerivative,
  THUMBNAIL_SIZE,
  upsertAnalysis,
  type ModelRef,
} from '@media-ai/vision-platform/worker';
import { ensureVisionRuntime, loadImageAsset, throwIfAborted } from './runtime.js';

type DerivativesResult = ResultOf<'vision.derivatives'>;

export async function runDerivatives(
  payload: PayloadOf<'vision.derivatives'>,
  ctx: JobContext,
): Promise<DerivativesResult> {
  ensureVisionRuntime();
  const db = ctx.db;
  const kinds = checkDerivativeKinds(payload.kinds);
  const { asset, bytes } = await loadImageAsset(db, payload.assetId);
  const at = { newsroomId: ctx.newsroomId, assetId: asset.id };
  const info = await inspectImage(bytes);
  ctx.progress(0.05, 'Image checked');

  let focus: FocusBox[] = [];
  let source: DerivativesResult['focus'] = 'none';
  let models: ModelRef[] = [];
  if (kinds.some(isCrop)) {
    ({ focus, source, models } = await loadFocus(db, asset.id, bytes));
    if (focus.length === 0) source = 'attention';
    ctx.progress(0.25, 'Found what to keep in frame');
  }

  const derivatives: DerivativesResult['derivatives'] = [];
  for (const [i, kind] of kinds.entries()) {
    throwIfAborted(ctx);
    const made = await (async (): Promise<Derivative & { crop?: Box }> => {
      if (isCrop(kind)) {
        const aspect = CROP_ASPECTS[kind];
        const natural = cropSize(info.width, info.height, parseAspect(aspect)).width;
        return smartCrop(bytes, {
          aspect,
          focus,
          width: natural > MAX_CROP_WIDTH ? MAX_CROP_WIDTH : undefined,
        });
      }
      if (kind === 'thumbnail') return makeThumbnail(bytes, { size: THUMBNAIL_SIZE });
      return convertImage(bytes, { format: kind });
    })();
    derivatives.push(await storeDerivative(db, ctx.storage, { ...at, kind }, made));
    ctx.progress(0.25 + 0.75 * ((i + 1) / kinds.length), `${kind} stored`);
  }
  return { status: 'created', assetId: asset.id, derivatives, focus: source, models };
}

export async function runEnhance(
  payload: PayloadOf<'vision.enhance'>,
  ctx: JobContext,
): Promise<ResultOf<'vision.enhance'>> {
  ensureVisionRuntime();
  const db = ctx.db;
  const { asset, bytes } = await loadImageAsset(db, payload.assetId);
  const info = await inspectImage(bytes);
  const upscale = payload.upscale ?? true;
  const denoise = payload.denoise ?? 'light';
  const sharpen = payload.sharpen ?? true;
  if (upscale && info.width * info.height > DEFAULT_MAX_UPSCALE_PIXELS) {
    throw new PermanentJobError(
      `Super-resolution takes images of at most ${DEFAULT_MAX_UPSCALE_PIXELS} pixels (1024x1024); this one is ${info.width}x${info.height}. ` +
        'Enhance it without upscaling (upscale: false), or upscale a smaller version.',
      'TOO_LARGE_DIMENSIONS',
    );
  }
  const started = performance.now();
  ctx.progress(0.02, 'Image checked');
  const made = await (async () => {
    // Noise is removed before upscaling, which would otherwise enlarge it; sharpening comes last.
    let work: Buffer = bytes;
    if (denoise !== 'none') work = (await enhanceImage(work, { denoise, format: 'png' })).buffer;
    throwIfAborted(ctx);
    let model: ModelIdentity | null = null;
    if (upscale) {
      const sr = await superResolve(work, {
        format: 'png',
        onProgress: (f) => ctx.progress(0.05 + 0.85 * f, 'Upscaling'),
      });
      work = sr.buffer;
      model = sr.model;
    }
    throwIfAborted(ctx);
    const final = await enhanceImage(work, { sharpen, format: 'jpeg', quality: 92 });
    return { final, model };
  })();
  const kind = upscale ? 'enhanced-2x' : 'enhanced';
  const derivative = await storeDerivative(
    db,
    ctx.storage,
    { newsroomId: ctx.newsroomId, assetId: asset.id, kind },
    made.final,
  );
  const ms = Math.round(performance.now() - started);
  if (made.model) {
    // Derivative has no model column: the identity of the model behind the file is kept here.
    await upsertAnalysis(db, {
      assetId: asset.id,
      kind: 'enhance',
      model: made.model,
      result: {
        derivativeKind: kind,
        denoise,
        sharpen,
        width: derivative.width,
        height: derivative.height,
        ms,
      },
      jobId: ctx.jobId,
    });
  }
  ctx.progress(1, 'Enhanced');
  return { status: 'created', assetId: asset.id, derivative, model: made.model, ms };
}
