import { DomainError } from '@media-ai/core';
import type { ContentItem, TenantDb } from '@media-ai/db';
import { htmlToText } from '@media-ai/text';
import type { GenerationSource } from './types.js';

export function sourceFromContent(item: ContentItem): GenerationSource {
  return {
    text: htmlToText(item.body),
    title: item.title,
    ...(item.language ? { language: item.language } : {}),
    contentId: item.id,
    contentUpdatedAt: item.updatedAt,
  };
}

/** The content item as a generation source; NOT_FOUND or BAD_USER_INPUT (no text) otherwise. */
export async function loadContentSource(db: TenantDb, contentId: string): Promise<GenerationSource> {
  const item = await db.contentItem.findFirst({ where: { id: contentId } });
  if (!item) throw new DomainError('NOT_FOUND', `Content item ${contentId} was not found`);
  const source = sourceFromContent(item);
  if (!source.text) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Content item ${contentId} has no body text to generate from; add a body first`,
    );
  }
  return source;
}
