import type { TenantDb } from '@media-ai/db';
import { learnTruecase } from '@media-ai/speech';
import { htmlToText } from '@media-ai/text';

/** A content item as read aloud or learnt from: the title as its own sentence, then the body by paragraphs. */
export function articleText(title: string, body: string): string {
  const heading = title.trim();
  const text = htmlToText(body).trim();
  const sentence = heading && !/[.!?:]$/.test(heading) ? `${heading}.` : heading;
  return [sentence, text].filter(Boolean).join('\n\n');
}

/** Truecasing tables by newsroom, learnt from its recent articles and kept for TRUECASE_TTL_MS per thread. */
const truecaseTables = new Map<string, { at: number; table: Map<string, string> }>();
const TRUECASE_TTL_MS = 10 * 60_000;
const TRUECASE_ARTICLES = 500;

/**
 * How the newsroom writes words that are not lower case (names, places, acronyms), from its 500 most recent
 * English (or unlabelled) content items: transcripts are cased with it.
 */
export async function newsroomTruecase(db: TenantDb, newsroomId: string): Promise<Map<string, string>> {
  const hit = truecaseTables.get(newsroomId);
  if (hit && Date.now() - hit.at < TRUECASE_TTL_MS) return hit.table;
  const items = await db.contentItem.findMany({
    where: { OR: [{ language: null }, { language: '' }, { language: { startsWith: 'en' } }] },
    orderBy: { createdAt: 'desc' },
    take: TRUECASE_ARTICLES,
    select: { title: true, body: true },
  });
  const table = learnTruecase(items.map((i) => articleText(i.title, i.body)));
  truecaseTables.set(newsroomId, { at: Date.now(), table });
  return table;
}
