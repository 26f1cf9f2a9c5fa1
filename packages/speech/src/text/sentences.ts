import { splitSentences as split } from '@media-ai/text';

/** Paragraphs: separated by line breaks (articles keep one paragraph a line) or blank lines. */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n+/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/**
 * Sentences of already-normalised text (@media-ai/text's splitter): abbreviations are expanded by
 * normalisation first, so a period before a capital letter, digit or opening quote ends a sentence.
 */
export function splitSentences(paragraph: string): string[] {
  return split(paragraph, { abbreviations: false }).map((s) => s.text);
}

/** Packs sentences into pieces of at most maxChars (a longer sentence is cut at commas, then spaces). */
export function packSentences(sentences: readonly string[], maxChars: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const sentence of sentences.flatMap((s) => cutLong(s, maxChars))) {
    if (cur && cur.length + 1 + sentence.length > maxChars) {
      pieces.push(cur);
      cur = sentence;
    } else {
      cur = cur ? `${cur} ${sentence}` : sentence;
    }
  }
  if (cur) pieces.push(cur);
  return pieces;
}

function cutLong(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '));
    if (cut < maxChars * 0.3) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = maxChars - 1;
    out.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) out.push(rest);
  return out;
}
