import { DomainError } from '@media-ai/core';
import type { MediaAsset, Prisma } from '@media-ai/db';
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

/** Hamming distance up to which two perceptual hashes count as the same picture (edited copies land within 10). */
export const DEFAULT_SIMILAR_DISTANCE = 10;

export class VisionAnalysisService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** The asset, which must be an image: anything else is refused before a job is queued. */
  async imageAsset(assetId: string): Promise<MediaAsset> {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    if (asset.kind !== 'image') {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Asset ${assetId} is not an image (it is ${asset.kind}, ${asset.mimeType}); vision jobs take images only`,
      );
    }
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
    if (kinds.length === 0)
      throw new DomainError('BAD_USER_INPUT', 'Ask for at least one derivative kind, e.g. [THUMBNAIL]');
    await this.imageAsset(assetId);
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.derivatives',
      { assetId, kinds: [...new Set(kinds)] },
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
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    return { assetId: asset.id, perceptualHash: asset.perceptualHash };
  }

  /** Images of the newsroom whose perceptual hash is within maxDistance bits of the asset's, nearest first. */
  async similarImages(assetId: string, maxDistance: number, page: PageArgs) {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    if (!asset.perceptualHash) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Asset ${assetId} has no perceptual hash yet: run analyzeAsset on it (with PHASH) first`,
      );
    }
    const { findNearDuplicates } = await import('@media-ai/vision');
    const hashed = await this.db.mediaAsset.findMany({
      where: { perceptualHash: { not: null }, id: { not: asset.id } },
      select: { id: true, perceptualHash: true },
    });
    const matches = findNearDuplicates(
      asset.perceptualHash,
      hashed.map((h) => ({ id: h.id, hash: h.perceptualHash! })),
      maxDistance,
    );
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
    if (!args.tag && !args.personId && !args.text) {
      throw new DomainError('BAD_USER_INPUT', 'Give at least one of tag, personId or text to search by');
    }
    const where: Prisma.MediaAssetWhereInput = { kind: 'image' };
    const and: Prisma.MediaAssetWhereInput[] = [];
    if (args.tag) and.push({ tags: { some: { label: { equals: args.tag.trim(), mode: 'insensitive' } } } });
    if (args.personId) and.push({ faces: { some: { personId: args.personId } } });
    if (args.text) {
      and.push({
        imageAnalyses: {
          some: {
            kind: { in: ['ocr', 'altText'] },
            result: { path: ['text'], string_contains: args.text.trim(), mode: 'insensitive' },
          },
        },
      });
    }
    if (!args.includeRemoved) and.push({ NOT: { moderation: { is: { status: 'REJECTED' } } } });
    where.AND = and;
    return paginate(
      page,
      (q) => this.db.mediaAsset.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.mediaAsset.count({ where }),
    );
  }
}
