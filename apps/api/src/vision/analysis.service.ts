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

/** Tags below this confidence (0 to 1) are flagged lowConfidence unless a query asks otherwise. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** OCR lines below this confidence (0 to 100) are flagged lowConfidence unless a query asks otherwise. */
export const DEFAULT_MIN_OCR_CONFIDENCE = 60;

export function checkConfidence(minConfidence: number): void {
  if (!(minConfidence >= 0 && minConfidence <= 1))
    throw new DomainError('BAD_USER_INPUT', 'minConfidence of tags is 0 to 1 (e.g. 0.5)');
}

/** An image's tags merged per label (person x4 is one row), most found first, then most confident. */
export function mergeTags(
  rows: readonly { label: string; confidence: number }[],
  minConfidence: number,
): { label: string; count: number; maxConfidence: number; confidentCount: number; lowConfidence: boolean }[] {
  const byLabel = new Map<
    string,
    { label: string; count: number; maxConfidence: number; confidentCount: number }
  >();
  for (const r of rows) {
    const key = r.label.toLowerCase();
    const t = byLabel.get(key) ?? { label: r.label, count: 0, maxConfidence: 0, confidentCount: 0 };
    t.count++;
    t.maxConfidence = Math.max(t.maxConfidence, r.confidence);
    if (r.confidence >= minConfidence) t.confidentCount++;
    byLabel.set(key, t);
  }
  return [...byLabel.values()]
    .map((t) => ({ ...t, lowConfidence: t.confidentCount === 0 }))
    .sort(
      (a, b) =>
        Number(a.lowConfidence) - Number(b.lowConfidence) ||
        b.count - a.count ||
        b.maxConfidence - a.maxConfidence,
    );
}

/** Longest alt text an editor may store. */
const MAX_ALT_TEXT = 1000;

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
    return { assetId: asset.id, perceptualHash: asset.perceptualHash, editedAltText: asset.altText };
  }

  /**
   * Stores an editor's alt text for an image (the model's stays in its analysis for comparison); an empty
   * or null text drops the editor's version. Search uses the editor's version from then on.
   */
  async editAltText(assetId: string, text: string | null | undefined) {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    const clean = text?.replace(/\s+/g, ' ').trim() || null;
    if (clean && clean.length > MAX_ALT_TEXT)
      throw new DomainError(
        'BAD_USER_INPUT',
        `Alt text must be at most ${MAX_ALT_TEXT} characters (it has ${clean.length})`,
      );
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
      const words = args.text.trim();
      const inAnalysis = (kind: string) => ({
        imageAnalyses: {
          some: { kind, result: { path: ['text'], string_contains: words, mode: 'insensitive' as const } },
        },
      });
      // The editor's alt text, where there is one, is the image's alt text.
      and.push({
        OR: [
          inAnalysis('ocr'),
          { altText: { contains: words, mode: 'insensitive' } },
          { altText: null, ...inAnalysis('altText') },
        ],
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
