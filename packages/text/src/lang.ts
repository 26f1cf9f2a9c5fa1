/** Languages with dedicated rules (abbreviations, stopwords). Others fall back to generic rules. */
export type Lang = 'en' | 'es' | 'fr' | 'de';

export const SUPPORTED_LANGS: readonly Lang[] = ['en', 'es', 'fr', 'de'];

export function normalizeLang(lang: string | undefined): Lang {
  const base = (lang ?? 'en').toLowerCase().slice(0, 2);
  return (SUPPORTED_LANGS as readonly string[]).includes(base) ? (base as Lang) : 'en';
}
