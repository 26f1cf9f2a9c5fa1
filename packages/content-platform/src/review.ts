import { DomainError } from '@media-ai/core';
import type { ContentItem, GeneratedItem, Prisma, TenantTx } from '@media-ai/db';

/** The fields of a content item an accepted item may change. */
export interface ContentFields {
  title?: string;
  summary?: string | null;
  tags?: string[];
  body?: string;
}

/**
 * What accepting a generated item changed, kept on the item (GeneratedItem.appliedChange) so that the
 * decision can be undone. For a translation the changed item is the translation (translationId), created
 * by the accept or updated.
 */
export interface AppliedChange {
  contentId: string;
  before: ContentFields;
  after: ContentFields;
  translationId?: string;
  created?: boolean;
}

/** Splits an accepted tag or keyword list ("a, b" or one per line). */
export function parseTags(text: string): string[] {
  return text
    .split(/[,\n;]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= 100);
}

/** The translated title, summary and body a TRANSLATION item carries (outputData). */
interface TranslationData {
  language?: unknown;
  title?: unknown;
  summary?: unknown;
}

/**
 * Applies an accepted (or edited) generated item to its content item inside the caller's transaction:
 * a HEADLINE becomes the title, a SUMMARY the summary, KEYWORDS and TAGS are added to the tags (no
 * duplicates, case-insensitive), a TRANSLATION writes the linked translated item (created, or updated
 * when there is one for the language). Other kinds change nothing. Answers what changed, for undo.
 */
export async function applyAccepted(
  tx: TenantTx,
  item: GeneratedItem,
  final: string,
): Promise<AppliedChange | null> {
  if (!item.contentId) return null;
  const content = await tx.contentItem.findFirst({ where: { id: item.contentId } });
  if (!content) return null;
  switch (item.kind) {
    case 'HEADLINE': {
      const title = final.replace(/\s+/g, ' ').trim();
      return set(tx, content, { title: content.title }, { title });
    }
    case 'SUMMARY':
      return set(tx, content, { summary: content.summary }, { summary: final });
    case 'KEYWORDS':
    case 'TAGS': {
      const seen = new Set(content.tags.map((t) => t.toLowerCase()));
      const added = parseTags(final).filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
      if (!added.length) return null;
      return set(tx, content, { tags: content.tags }, { tags: [...content.tags, ...added] });
    }
    case 'TRANSLATION': {
      const data = (item.outputData ?? {}) as TranslationData;
      if (typeof data.language !== 'string' || typeof data.title !== 'string') {
        throw new DomainError(
          'BAD_USER_INPUT',
          `Generated item ${item.id} has no translated title or language to apply; translate the item again`,
        );
      }
      const text = {
        title: data.title,
        summary: typeof data.summary === 'string' ? data.summary : content.summary,
        body: final,
      };
      // Loaded only here: translation pulls in its language tools.
      const { saveTranslationIn } = await import('@media-ai/translate-platform');
      const saved = await saveTranslationIn(tx, content, data.language, text);
      return {
        contentId: content.id,
        translationId: saved.id,
        created: saved.created,
        before: saved.before ?? {},
        after: text,
      };
    }
    default:
      return null;
  }
}

async function set(
  tx: TenantTx,
  content: ContentItem,
  before: ContentFields,
  after: ContentFields,
): Promise<AppliedChange> {
  await tx.contentItem.updateMany({ where: { id: content.id }, data: after });
  return { contentId: content.id, before, after };
}

/**
 * Puts back what an accept changed, inside the caller's transaction; a translation the accept created
 * is deleted. Refused (CONFLICT) when the item was changed since, so that undo never overwrites
 * someone's later work; nothing is changed then.
 */
export async function undoApplied(tx: TenantTx, change: AppliedChange): Promise<void> {
  const id = change.translationId ?? change.contentId;
  const current = await tx.contentItem.findFirst({ where: { id } });
  if (!current) return; // deleted since: nothing to restore
  for (const [field, value] of Object.entries(change.after) as [keyof ContentFields, unknown][]) {
    if (JSON.stringify(current[field] ?? null) !== JSON.stringify(value ?? null)) {
      throw new DomainError(
        'CONFLICT',
        `The ${field} of content item ${id} was changed after this was accepted; undo would overwrite that change. Edit the item instead.`,
        { contentId: id, field },
      );
    }
  }
  if (change.translationId && change.created) {
    await tx.contentItem.deleteMany({ where: { id } });
    return;
  }
  await tx.contentItem.updateMany({
    where: { id },
    data: change.before as Prisma.ContentItemUpdateManyMutationInput,
  });
}
