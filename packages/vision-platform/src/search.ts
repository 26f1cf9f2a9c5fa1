import { DomainError } from '@media-ai/core';
import type { MediaAsset, Prisma, TenantDb } from '@media-ai/db';

/** What searchAssets filters images by: every filter given must hold. */
export interface ImageSearch {
  tag?: string | null;
  personId?: string | null;
  text?: string | null;
  includeRemoved?: boolean | null;
}

/** The filter of an image search: an object tag, a recognised person, words of the OCR or alt text. */
export function imageSearchWhere(args: ImageSearch): Prisma.MediaAssetWhereInput {
  if (!args.tag && !args.personId && !args.text) {
    throw new DomainError('BAD_USER_INPUT', 'Give at least one of tag, personId or text to search by');
  }
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
  return { kind: 'image', AND: and };
}

export interface SimilarImage {
  id: string;
  hash: string;
  distance: number;
}

/** Images of the newsroom whose perceptual hash is within maxDistance bits of the asset's, nearest first. */
export async function similarImages(
  db: TenantDb,
  asset: MediaAsset,
  maxDistance: number,
): Promise<SimilarImage[]> {
  if (!asset.perceptualHash) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Asset ${asset.id} has no perceptual hash yet: run analyzeAsset on it (with PHASH) first`,
    );
  }
  const { findNearDuplicates } = await import('@media-ai/vision');
  const hashed = await db.mediaAsset.findMany({
    where: { perceptualHash: { not: null }, id: { not: asset.id } },
    select: { id: true, perceptualHash: true },
  });
  return findNearDuplicates(
    asset.perceptualHash,
    hashed.map((h) => ({ id: h.id, hash: h.perceptualHash! })),
    maxDistance,
  );
}
