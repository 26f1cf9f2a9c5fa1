import { type Lang, stopwords } from '@media-ai/text';
import { porterStem } from './stem.js';

export interface WordToken {
  /** Surface form as written. */
  text: string;
  /** Lower-cased form. */
  lower: string;
  start: number;
  end: number;
}

// Letters/digits, allowing inner apostrophes, hyphens, dots and commas between digits ("1,234.5", "U.S", "o'neill").
const WORD_RE = /[\p{L}\p{N}]+(?:(?:['’\-.][\p{L}\p{N}]+)|(?:,\d{3})+(?!\d))*/gu;

export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const t = m[0];
    out.push({ text: t, lower: t.toLowerCase(), start: m.index ?? 0, end: (m.index ?? 0) + t.length });
  }
  return out;
}

export function words(text: string): string[] {
  return wordTokens(text).map((t) => t.lower);
}

/** Light normalisation for matching: English Porter stem, other languages a crude plural strip. */
export function stemWord(word: string, lang: Lang): string {
  const w = word
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/\./g, '');
  if (lang === 'en') return porterStem(w);
  if (w.length > 4 && /(?:es|en|s|e|n)$/.test(w)) return w.replace(/(?:es|en|s|e|n)$/, '');
  return w;
}

/** Stems of the content words (stopwords, punctuation and 1-letter tokens removed). */
export function contentStems(text: string, lang: Lang): string[] {
  const stop = stopwords(lang);
  const out: string[] = [];
  for (const t of wordTokens(text)) {
    if (t.lower.length < 2 && !/\d/.test(t.lower)) continue;
    if (stop.has(t.lower)) continue;
    out.push(stemWord(t.lower, lang));
  }
  return out;
}

export function countTerms(terms: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export function isCapitalized(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}
