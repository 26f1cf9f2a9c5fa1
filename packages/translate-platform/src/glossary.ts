import type { TenantDb } from '@media-ai/db';
import { parseLanguage, type GlossaryEntry } from '@media-ai/translate';

export interface NewsroomTerms {
  /** Terms with a required translation into the target language. */
  readonly glossary: GlossaryEntry[];
  /** Terms kept as they are (names, brands). */
  readonly doNotTranslate: string[];
}

/**
 * The newsroom glossary (table GlossaryTerm) for one direction: terms of the source language or of any
 * language (language ''), do-not-translate ones as they are, the others where `translations` gives the
 * target language (by its ISO 639-1 or 639-3 code).
 */
export async function loadNewsroomTerms(db: TenantDb, from: string, to: string): Promise<NewsroomTerms> {
  const source = parseLanguage(from);
  const target = parseLanguage(to);
  const languages = [...new Set(['', source.iso3, ...(source.iso1 ? [source.iso1] : [])])];
  const rows = await db.glossaryTerm.findMany({
    where: { language: { in: languages } },
    select: { term: true, doNotTranslate: true, translations: true },
  });
  const glossary: GlossaryEntry[] = [];
  const doNotTranslate: string[] = [];
  const targetKeys = [target.iso1, target.iso3].filter((k): k is string => !!k);
  for (const row of rows) {
    if (row.term.trim() === '') continue;
    if (row.doNotTranslate) {
      doNotTranslate.push(row.term);
      continue;
    }
    const translations = (row.translations ?? {}) as Record<string, unknown>;
    const required = targetKeys
      .map((k) => translations[k])
      .find((t): t is string => typeof t === 'string' && t.trim() !== '');
    if (required) glossary.push({ source: row.term, target: required });
  }
  return { glossary, doNotTranslate };
}
