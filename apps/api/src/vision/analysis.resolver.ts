import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { derivativeContentPath, type MediaAsset } from '@media-ai/db';
import {
  checkConfidence,
  checkDistance,
  checkOcrConfidence,
  DEFAULT_MIN_CONFIDENCE,
  DEFAULT_MIN_OCR_CONFIDENCE,
  DEFAULT_SIMILAR_DISTANCE,
  faceModelOf,
  mergeTags,
  modelRefOf as modelOf,
  readOcr,
} from '@media-ai/vision-platform';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { MediaAssetConnection, MediaAssetGQL } from '../assets/assets.js';
import { VisionAnalysisService } from './analysis.service.js';
import { toFaceGQL } from './people.service.js';
import { isGridThumbnail } from '../assets/thumbnails.js';
import { visionLoaders } from './vision.loaders.js';
import {
  AnalysisRunGQL,
  AssetVisionGQL,
  DenoiseLevel,
  DerivativeGQL,
  DerivativeKind,
  FaceGQL,
  ImageTagGQL,
  ModerationReviewGQL,
  ModelRefGQL,
  OcrTextGQL,
  SearchAssetsArgs,
  SimilarImageConnection,
  ObjectQuality,
  TagCountGQL,
  VisionAnalysis,
} from './vision.types.js';
import type { ImageBoxGQL } from './vision.types.js';

/** Where a derived file is downloaded (served by vision/routes.ts). */
export const derivativePath = derivativeContentPath;

@Resolver(() => AssetVisionGQL)
export class AssetVisionResolver {
  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Queues a vision.analyze job for an image asset (all analyses when none are named)',
  })
  analyzeAsset(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('analyses', () => [VisionAnalysis], { nullable: true }) analyses: VisionAnalysis[] | null,
    @Arg('objectQuality', () => ObjectQuality, {
      nullable: true,
      description: "Object tags: FAST or ACCURATE; default the worker's VISION_OBJECT_QUALITY, else FAST",
    })
    objectQuality: ObjectQuality | null,
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).analyze(assetId, analyses, objectQuality);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Queues a vision.derivatives job: thumbnail, smart crops, format conversions',
  })
  requestDerivatives(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('kinds', () => [DerivativeKind]) kinds: DerivativeKind[],
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).requestDerivatives(assetId, kinds);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues a vision.enhance job: ESRGAN 2x super-resolution (images up to 1 megapixel), denoise, sharpen',
  })
  enhanceAsset(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('upscale', () => Boolean, { defaultValue: true }) upscale: boolean,
    @Arg('denoise', () => DenoiseLevel, { defaultValue: DenoiseLevel.LIGHT }) denoise: DenoiseLevel,
    @Arg('sharpen', () => Boolean, { defaultValue: true }) sharpen: boolean,
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).enhance(assetId, { upscale, denoise, sharpen });
  }

  @Authorized(...Roles.any)
  @Query(() => AssetVisionGQL, {
    description: "An image asset's analysis: tags, faces, moderation, OCR, alt text, derivatives",
  })
  assetAnalysis(@Arg('assetId', () => ID) assetId: string, @Ctx() ctx: Context) {
    return new VisionAnalysisService(authed(ctx)).analysisOf(assetId);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => AssetVisionGQL, {
    description:
      "Stores an editor's alt text for an image; the model's stays in modelAltText. Null or empty drops the editor's version",
  })
  editAltText(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('text', () => String, { nullable: true }) text: string | null,
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).editAltText(assetId, text);
  }

  @Authorized(...Roles.any)
  @Query(() => SimilarImageConnection, {
    description: 'Near-duplicates of an analysed image (perceptual hash), nearest first',
  })
  similarImages(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('maxDistance', () => Int, {
      defaultValue: DEFAULT_SIMILAR_DISTANCE,
      description: 'Most differing bits, 0 to 32',
    })
    maxDistance: number,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).similarImages(assetId, checkDistance(maxDistance), page);
  }

  @Authorized(...Roles.any)
  @Query(() => MediaAssetConnection, {
    description: 'Image assets by object tag, recognised person, or OCR/alt text words, newest first',
  })
  searchAssets(
    @Args(() => SearchAssetsArgs) args: SearchAssetsArgs,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new VisionAnalysisService(authed(ctx)).search(args, page);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Boolean, { description: 'True once any analysis has run' })
  async analyzed(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<boolean> {
    return (await visionLoaders(authed(ctx)).analyses.load(root.assetId)).length > 0;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [AnalysisRunGQL], { description: 'Each stored result and the model that made it' })
  async analyses(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<AnalysisRunGQL[]> {
    const rows = await visionLoaders(authed(ctx)).analyses.load(root.assetId);
    return rows.map((r) => ({ kind: r.kind, model: modelOf(r), jobId: r.jobId, createdAt: r.createdAt }));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [ImageTagGQL], { description: 'Objects found, with boxes, most confident first' })
  async tags(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<ImageTagGQL[]> {
    const rows = await visionLoaders(authed(ctx)).tags.load(root.assetId);
    return rows.map((t) => ({
      label: t.label,
      confidence: t.confidence,
      box: (t.box as ImageBoxGQL | null) ?? null,
      source: t.source,
    }));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [TagCountGQL], {
    description:
      'Tags merged per label, most found first: how many times, the best confidence, and whether every one is below minConfidence (lowConfidence, for a UI to fold)',
  })
  async tagSummary(
    @Root() root: AssetVisionGQL,
    @Arg('minConfidence', () => Float, { defaultValue: DEFAULT_MIN_CONFIDENCE }) minConfidence: number,
    @Ctx() ctx: Context,
  ): Promise<TagCountGQL[]> {
    checkConfidence(minConfidence);
    const rows = await visionLoaders(authed(ctx)).tags.load(root.assetId);
    return mergeTags(rows, minConfidence);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [FaceGQL], {
    description: 'Faces found by the latest face analysis, left to right, with who they are',
  })
  async faces(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<FaceGQL[]> {
    const loaders = visionLoaders(authed(ctx));
    const [analyses, faces] = await Promise.all([
      loaders.analyses.load(root.assetId),
      loaders.faces.load(root.assetId),
    ]);
    const run = analyses.find((a) => a.kind === 'faces');
    if (!run) return [];
    // Faces of an older model stay only while an editor's decision hangs on them; they are not shown as results.
    const model = faceModelOf(run);
    return faces
      .filter((f) => f.model === model)
      .map(toFaceGQL)
      .sort((a, b) => a.box.x - b.box.x);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ModerationReviewGQL, { nullable: true })
  moderation(@Root() root: AssetVisionGQL, @Ctx() ctx: Context) {
    return visionLoaders(authed(ctx)).moderation.load(root.assetId);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ModelRefGQL, { nullable: true, description: 'The moderation model' })
  async moderationModel(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<ModelRefGQL | null> {
    const run = (await visionLoaders(authed(ctx)).analyses.load(root.assetId)).find(
      (a) => a.kind === 'moderation',
    );
    return run ? modelOf(run) : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => OcrTextGQL, {
    nullable: true,
    description:
      'Text read in the image; lines below minConfidence (0 to 100, default 60) are flagged lowConfidence, for a UI to fold',
  })
  async ocr(
    @Root() root: AssetVisionGQL,
    @Arg('minConfidence', () => Float, { defaultValue: DEFAULT_MIN_OCR_CONFIDENCE }) minConfidence: number,
    @Ctx() ctx: Context,
  ): Promise<OcrTextGQL | null> {
    checkOcrConfidence(minConfidence);
    const run = (await visionLoaders(authed(ctx)).analyses.load(root.assetId)).find((a) => a.kind === 'ocr');
    if (!run) return null;
    return { ...readOcr<ImageBoxGQL>(run.result, minConfidence), model: modelOf(run) };
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A sentence describing the image: the editor's (editAltText) when there is one, else the model's",
  })
  async altText(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<string | null> {
    return root.editedAltText ?? this.modelAltText(root, ctx);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The model's alt text, with recognised names (kept for comparison when an editor rewrote it)",
  })
  async modelAltText(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<string | null> {
    const run = (await visionLoaders(authed(ctx)).analyses.load(root.assetId)).find(
      (a) => a.kind === 'altText',
    );
    return run ? ((run.result as { text?: string }).text ?? null) : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Boolean, { description: 'Whether an editor wrote the alt text' })
  altTextEdited(@Root() root: AssetVisionGQL): boolean {
    return root.editedAltText != null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [DerivativeGQL], {
    description:
      'Files made from the image by vision jobs (thumbnail, crops, conversions, enhanced); the grid thumbnails made at upload are MediaAsset.thumbnails',
  })
  async derivatives(@Root() root: AssetVisionGQL, @Ctx() ctx: Context): Promise<DerivativeGQL[]> {
    const loaders = visionLoaders(authed(ctx));
    const [rows, analyses] = await Promise.all([
      loaders.derivatives.load(root.assetId),
      loaders.analyses.load(root.assetId),
    ]);
    const enhance = analyses.find((a) => a.kind === 'enhance');
    const enhancedKind = (enhance?.result as { derivativeKind?: string } | undefined)?.derivativeKind;
    return rows
      .filter((d) => !isGridThumbnail(d.kind))
      .map((d) => ({
        id: d.id,
        kind: d.kind,
        mimeType: d.mimeType,
        width: d.width,
        height: d.height,
        sizeBytes: d.sizeBytes,
        downloadPath: derivativePath(d.assetId, d.kind),
        model: enhance && d.kind === enhancedKind ? modelOf(enhance) : null,
        createdAt: d.createdAt,
      }));
  }
}

/** Adds `vision` to MediaAsset, so that lists of assets (searchAssets) carry their analysis. */
@Resolver(() => MediaAssetGQL)
export class MediaAssetVisionResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => AssetVisionGQL, {
    description: 'What the vision models found (empty lists until analysed)',
  })
  vision(@Root() asset: MediaAsset): AssetVisionGQL {
    return { assetId: asset.id, perceptualHash: asset.perceptualHash, editedAltText: asset.altText };
  }
}
