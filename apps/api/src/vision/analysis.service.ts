import { DomainError } from '@media-ai/core';
import type { MediaAsset } from '@media-ai/db';
import {
  checkDerivativeKinds,
  checkImageAsset,
  cleanAltText,
  imageSearchWhere,
  similarImages,
} from '@media-ai/vision-platform';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import { paginateInMemory } from './paging.js';
import type {
  DenoiseLevel,
  DerivativeKind,
  ObjectQuality,
  SearchAssetsArgs,
  VisionAnalysis,
} from './vision.types.js';

/** The vision API of one request: checks with packages/vision-platform, then queues or reads. */
export class VisionAnalysisService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** The asset, which must be an image: anything else is refused before a job is queued. */
  async imageAsset(assetId: string): Promise<MediaAsset> {
    return checkImageAsset(await this.ctx.loaders.asset.load(assetId), assetId);
  }

  /** Any asset of the newsroom (analysis reads and alt text take what is there). */
  private async asset(assetId: string): Promise<MediaAsset> {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    return asset;
  }

  private enqueueOptions(assetId: string) {
    return { requesterId: this.ctx.client.id, assetId };
  }

  async analyze(
    assetId: string,
    analyses: VisionAnalysis[] | null | undefined,
    objectQuality?: ObjectQuality | null,
  ) {
    await this.imageAsset(assetId);
    const chosen = analyses?.length ? [...new Set(analyses)] : undefined;
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.analyze',
      { assetId, ...(chosen ? { analyses: chosen } : {}), ...(objectQuality ? { objectQuality } : {}) },
      this.enqueueOptions(assetId),
    );
  }

  async requestDerivatives(assetId: string, kinds: DerivativeKind[]) {
    const chosen = checkDerivativeKinds(kinds);
    await this.imageAsset(assetId);
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.derivatives',
      { assetId, kinds: chosen },
      this.enqueueOptions(assetId),
    );
  }

  async enhance(assetId: string, opts: { upscale: boolean; denoise: DenoiseLevel; sharpen: boolean }) {
    const asset = await this.imageAsset(assetId);
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.enhance',
      { assetId: asset.id, upscale: opts.upscale, denoise: opts.denoise, sharpen: opts.sharpen },
      this.enqueueOptions(assetId),
    );
  }

  async analysisOf(assetId: string) {
    const asset = await this.asset(assetId);
    return { assetId: asset.id, perceptualHash: asset.perceptualHash, editedAltText: asset.altText };
  }

  /**
   * Stores an editor's alt text for an image (the model's stays in its analysis for comparison); an empty
   * or null text drops the editor's version. Search uses the editor's version from then on.
   */
  async editAltText(assetId: string, text: string | null | undefined) {
    const asset = await this.asset(assetId);
    const clean = cleanAltText(text);
    const row = await this.db.mediaAsset.update({
      where: { id: asset.id },
      data: clean
        ? { altText: clean, altTextEditedAt: new Date(), altTextEditedById: this.ctx.client.id }
        : { altText: null, altTextEditedAt: null, altTextEditedById: null },
    });
    this.ctx.loaders.asset.clear(asset.id);
    return { assetId: row.id, perceptualHash: row.perceptualHash, editedAltText: row.altText };
  }

  /** Images of the newsroom whose perceptual hash is within maxDistance bits of the asset's, nearest first. */
  async similarImages(assetId: string, maxDistance: number, page: PageArgs) {
    const matches = await similarImages(this.db, await this.asset(assetId), maxDistance);
    const connection = paginateInMemory(matches, page);
    const assets = await this.db.mediaAsset.findMany({
      where: { id: { in: connection.edges.map((e) => e.node.id) } },
    });
    const byId = new Map(assets.map((a) => [a.id, a]));
    return {
      ...connection,
      edges: connection.edges.map((e) => ({
        cursor: e.cursor,
        node: {
          id: e.node.id,
          asset: byId.get(e.node.id)!,
          distance: e.node.distance,
          perceptualHash: e.node.hash,
        },
      })),
    };
  }

  /** Image assets matching every filter given: an object tag, a recognised person, words of the OCR or alt text. */
  search(args: SearchAssetsArgs, page: PageArgs) {
    const where = imageSearchWhere(args);
    return paginate(
      page,
      (q) => this.db.mediaAsset.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.mediaAsset.count({ where }),
    );
  }
}
