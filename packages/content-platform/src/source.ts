import { DomainError } from '@media-ai/core';
import type { ContentItem, TenantDb } from '@media-ai/db';
import type { GenerationSource } from './types.js';

const BLOCK =
  /<\/?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|section|article|header|footer|figure|figcaption|tr|table)\b[^>]*>/gi;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

/** Article bodies may be HTML: generation works on the plain text. */
export function plainText(body: string): string {
  if (!/<[a-z!/][^>]*>/i.test(body)) return body.trim();
  return body
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(BLOCK, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(
      /&(#?\w+);/g,
      (m, e: string) => ENTITIES[e] ?? (/^#\d+$/.test(e) ? String.fromCodePoint(Number(e.slice(1))) : m),
    )
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

export function sourceFromContent(item: ContentItem): GenerationSource {
  return {
    text: plainText(item.body),
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
