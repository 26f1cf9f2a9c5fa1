import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import type { TenantDb } from '@media-ai/db';
import {
  analyzeImage,
  convertImage,
  cropSize,
  DEFAULT_MAX_UPSCALE_PIXELS,
  enhanceImage,
  focusFromDetections,
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
import { getStorage } from '../lib/deps.js';
import { derivedKey, upsertAnalysis, upsertDerivative } from './store.js';
import { ensureVisionRuntime, loadImageAsset, throwIfAborted } from './runtime.js';

type DerivativesResult = ResultOf<'vision.derivatives'>;
type StoredDerivative = DerivativesResult['derivatives'][number];

/** Crops wider than this are scaled down to it. */
const MAX_CROP_WIDTH = 2048;
const THUMBNAIL_SIZE = 256;

async function store(
  db: TenantDb,
  ctx: JobContext,
  assetId: string,
  kind: string,
  made: Derivative & { crop?: Box },
): Promise<StoredDerivative> {
  const storageKey = derivedKey(ctx.newsroomId, assetId, kind, made.format);
  await getStorage().putBuffer(storageKey, made.buffer);
  const row = {
    kind,
    mimeType: made.contentType,
    width: made.width,
    height: made.height,
    sizeBytes: made.buffer.byteLength,
  };
  await upsertDerivative(db, { assetId, storageKey, ...row });
  return made.crop ? { ...row, crop: made.crop } : row;
}

/**
 * What a crop must keep in frame: the faces and objects of the stored analysis, or, for an asset
 * not analysed yet, a detection run now (not stored: analyzeAsset does that).
 */
async function loadFocus(
  db: TenantDb,
  assetId: string,
  bytes: Buffer,
): Promise<{ focus: FocusBox[]; source: DerivativesResult['focus']; models: ModelIdentity[] }> {
  const analysed = await db.imageAnalysis.findMany({
    where: { assetId, kind: { in: ['objects', 'faces'] } },
  });
  if (analysed.length > 0) {
    const facesRow = analysed.find((a) => a.kind === 'faces');
    const [faces, tags] = await Promise.all([
      facesRow
        ? db.face.findMany({ where: { assetId, model: `${facesRow.model}@${facesRow.modelVersion}` } })
        : [],
      db.assetTag.findMany({ where: { assetId, source: 'objects' } }),
    ]);
    const focus = focusFromDetections({
      faces: faces.map((f) => ({ box: f.box as unknown as Box })),
      objects: tags
        .filter((t) => t.box)
        .map((t) => ({ label: t.label, score: t.confidence, box: t.box as unknown as Box })),
    });
    return {
      focus,
      source: 'stored-analysis',
      models: analysed.map((a) => ({ name: a.model, version: a.modelVersion })),
    };
  }
  const detected = await analyzeImage(bytes, { analyses: ['objects', 'faces'] });
  return {
    focus: focusFromDetections({ faces: detected.faces?.items, objects: detected.objects?.items }),
    source: 'detected',
    models: detected.models,
  };
}

const DERIVATIVE_KINDS = [
  'thumbnail',
  'crop-1x1',
  'crop-4x5',
  'crop-16x9',
  'webp',
  'avif',
  'jpeg',
  'png',
] as const satisfies readonly PayloadOf<'vision.derivatives'>['kinds'][number][];

const ASPECTS = { 'crop-1x1': '1:1', 'crop-4x5': '4:5', 'crop-16x9': '16:9' } as const;
const isCrop = (kind: string): kind is keyof typeof ASPECTS => kind in ASPECTS;

export async function runDerivatives(
  payload: PayloadOf<'vision.derivatives'>,
  ctx: JobContext,
): Promise<DerivativesResult> {
  ensureVisionRuntime();
  const db = ctx.db;
  const kinds = [...new Set(payload.kinds)];
  if (kinds.length === 0) throw new PermanentJobError('Ask for at least one derivative kind');
  const unknown = kinds.filter((k) => !(DERIVATIVE_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new PermanentJobError(
      `Unknown derivative kinds ${unknown.join(', ')}; choose from ${DERIVATIVE_KINDS.join(', ')}`,
    );
  }
  const { asset, bytes } = await loadImageAsset(db, payload.assetId);
  const info = await inspectImage(bytes);
  ctx.progress(0.05, 'Image checked');

  let focus: FocusBox[] = [];
  let source: DerivativesResult['focus'] = 'none';
  let models: ModelIdentity[] = [];
  if (kinds.some(isCrop)) {
    ({ focus, source, models } = await loadFocus(db, asset.id, bytes));
    if (focus.length === 0) source = 'attention';
    ctx.progress(0.25, 'Found what to keep in frame');
  }

  const derivatives: StoredDerivative[] = [];
  for (const [i, kind] of kinds.entries()) {
    throwIfAborted(ctx);
    const made = await (async (): Promise<Derivative & { crop?: Box }> => {
      if (isCrop(kind)) {
        const aspect = ASPECTS[kind];
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
    derivatives.push(await store(db, ctx, asset.id, kind, made));
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
  const derivative = await store(db, ctx, asset.id, kind, made.final);
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
