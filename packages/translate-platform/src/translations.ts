import type { ContentItem, TenantDb, TenantTx } from '@media-ai/db';
import { parseLanguage, type LanguageTag } from '@media-ai/translate';
import { languageTag } from './translate.js';

/** The translated fields of a content item. */
export interface TranslatedText {
  title: string;
  summary: string | null;
  body: string;
}

export interface SavedTranslation {
  id: string;
  created: boolean;
  /** The translation's fields before this save (null when it was created), so a save can be undone. */
  before: TranslatedText | null;
}

/**
 * Creates the item's translation into the target language, or updates the one there is: one per original and
 * language, also when two writers for the same item run at once (an advisory lock serialises them). The
 * translation is a ContentItem linked to the original (originalId) with its type, category, tags and asset.
 */
export function saveTranslation(
  db: TenantDb,
  original: ContentItem,
  target: LanguageTag | string,
  text: TranslatedText,
): Promise<SavedTranslation> {
  return db.$transaction((tx) => saveTranslationIn(tx, original, target, text));
}

/** saveTranslation inside a transaction the caller holds (with other writes that stand or fall with it). */
export async function saveTranslationIn(
  tx: TenantTx,
  original: ContentItem,
  target: LanguageTag | string,
  text: TranslatedText,
): Promise<SavedTranslation> {
  const tag = typeof target === 'string' ? parseLanguage(target) : target;
  const language = languageTag(tag);
  const sameLanguage = tag.variant ? [language] : [...new Set([language, tag.iso3, tag.iso1 ?? tag.iso3])];
  const shared = {
    ...text,
    type: original.type,
    category: original.category,
    tags: original.tags,
    assetId: original.assetId,
    source: original.source,
  };
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`translate.content:${original.id}:${language}`}))`;
  const existing = await tx.contentItem.findFirst({
    where: { originalId: original.id, language: { in: sameLanguage } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true, summary: true, body: true },
  });
  if (existing) {
    await tx.contentItem.update({ where: { id: existing.id }, data: shared });
    const { id, ...before } = existing;
    return { id, created: false, before };
  }
  const created = await tx.contentItem.create({
    data: {
      ...shared,
      language,
      originalId: original.id,
      status: 'DRAFT',
    },
    select: { id: true },
  });
  return { id: created.id, created: true, before: null };
}
