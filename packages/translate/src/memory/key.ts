import { placeholderPattern } from '../document/placeholders.js';

/** The key a sentence is stored under: NFC, single spaces, trimmed, placeholders written `⟦n⟧`. */
export function memoryKey(sentence: string): string {
  return sentence
    .normalize('NFC')
    .replace(placeholderPattern(), (_m, n: string) => `\u27E6${n}\u27E7`)
    .replace(/\s+/gu, ' ')
    .trim();
}
