import {
  AI_GENERATED_LABEL,
  GraphicsError,
  IPTC_TRAINED_ALGORITHMIC_MEDIA,
  OpenAiImagesProvider,
  embedAiLabel,
  imagesConfigFromEnv,
} from '@media-ai/graphics';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { analyzeImage } from '@media-ai/vision';
import { workerConfig } from '../lib/deps.js';
import { loadPolicy, storeModerationReview, upsertAnalysis } from '@media-ai/vision-platform';
import { ensureVisionRuntime } from '../vision/runtime.js';
import { asJobError, inputsOf, storeGraphic } from './store.js';

type Payload = PayloadOf<'graphics.image'>;
type Result = ResultOf<'graphics.image'>;

/** LlmUsage.operation of image generations: the same ledger as the LLM's calls. */
export const IMAGES_OPERATION = 'images.generations';

let shared: { key: string; provider: OpenAiImagesProvider } | undefined;

/** One provider per thread and configuration, so IMAGES_MAX_CONCURRENCY holds across the jobs it runs. */
function imagesProvider(): OpenAiImagesProvider {
  const c = workerConfig();
  const config = imagesConfigFromEnv({
    ...process.env,
    IMAGES_BASE_URL: c.IMAGES_BASE_URL,
    IMAGES_MODEL: c.IMAGES_MODEL,
    IMAGES_API_KEY: c.IMAGES_API_KEY,
  });
  if (!config) {
    throw new PermanentJobError(
      'No image server is configured for the worker: set IMAGES_BASE_URL and IMAGES_MODEL',
      'NOT_CONFIGURED',
    );
  }
  const key = JSON.stringify(config);
  if (shared?.key !== key) shared = { key, provider: new OpenAiImagesProvider(config) };
  return shared.provider;
}

/**
 * Asks the image server for one image, records the call in the usage ledger, checks the image with the
 * moderation model under the newsroom's policy: blocked images are not kept (status refused), flagged
 * ones wait for an editor in the moderation queue. Kept images carry the AI-generated label in the
 * asset's metadata, the GeneratedGraphic row and the file itself (IPTC digital source type in XMP).
 */
export async function runGraphicsImage(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  const provider = imagesProvider();
  ctx.progress(0.05, `Asking ${provider.model} for the image`);
  let generated;
  try {
    generated = await provider.generate({
      prompt: payload.prompt,
      n: 1,
      ...(payload.size ? { size: payload.size } : {}),
      ...(payload.quality ? { quality: payload.quality } : {}),
      ...(payload.style ? { style: payload.style } : {}),
      signal: ctx.signal,
    });
  } catch (error) {
    throw asJobError(error);
  }
  await db.llmUsage.create({
    data: {
      jobId: ctx.jobId,
      operation: IMAGES_OPERATION,
      model: generated.model,
      promptTokens: generated.usage?.inputTokens ?? 0,
      completionTokens: generated.usage?.outputTokens ?? 0,
      costUsd: generated.cost,
    },
  });
  const image = generated.images[0]!;
  ctx.progress(0.6, 'Checking the image with the moderation model');
  ensureVisionRuntime();
  const policy = await loadPolicy(db, ctx.newsroomId);
  const analysis = await analyzeImage(image.bytes, { analyses: ['moderation'], policy });
  if (!analysis.moderation)
    throw new GraphicsError('PROVIDER_FAILED', 'The moderation model gave no verdict');
  const { model: moderationModel, ...verdict } = analysis.moderation;
  const moderation = {
    decision: verdict.decision,
    reasons: verdict.reasons.map((r) => ({ className: r.className, score: r.score, action: r.action })),
  };
  const base = {
    model: generated.model,
    revisedPrompt: image.revisedPrompt,
    moderation,
    usage: generated.usage,
    costUsd: generated.cost,
    generateMs: generated.latencyMs,
  };
  if (verdict.decision === 'block') {
    ctx.progress(1, 'The moderation model blocked the image; it was not kept');
    return { status: 'refused', assetId: null, graphicId: null, ...base };
  }

  ctx.progress(0.85, 'Storing the image with its AI-generated label');
  const labelled = await embedAiLabel(image.bytes, image.format, {
    model: generated.model,
    prompt: payload.prompt,
  });
  const label = {
    label: AI_GENERATED_LABEL,
    digitalSourceType: IPTC_TRAINED_ALGORITHMIC_MEDIA,
    provider: provider.name,
    model: generated.model,
    prompt: payload.prompt,
    revisedPrompt: image.revisedPrompt,
    generatedAt: new Date().toISOString(),
  };
  const { asset, graphic } = await storeGraphic(
    db,
    ctx,
    {
      bytes: labelled,
      ext: image.format === 'jpeg' ? 'jpg' : image.format,
      mimeType: image.mimeType,
      filename: `ai-image-${payload.prompt
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .slice(0, 40)}.${image.format === 'jpeg' ? 'jpg' : image.format}`,
      type: 'image',
      variant: payload.size ?? `${image.width}x${image.height}`,
      inputs: inputsOf(payload),
      render: { aiGenerated: label, width: image.width, height: image.height, moderation, moderationModel },
      aiGenerated: true,
      metadata: { aiGenerated: label },
    },
    payload.regeneratedFrom ?? null,
  );
  await upsertAnalysis(db, {
    assetId: asset.id,
    kind: 'moderation',
    model: moderationModel,
    result: { ...verdict, policy },
    jobId: ctx.jobId,
  });
  await storeModerationReview(db, asset.id, verdict);
  const status = verdict.decision === 'flag' ? 'flagged' : 'created';
  ctx.progress(1, status === 'flagged' ? 'Image kept, flagged for review' : 'Image ready');
  return { status, assetId: asset.id, graphicId: graphic.id, ...base };
}
