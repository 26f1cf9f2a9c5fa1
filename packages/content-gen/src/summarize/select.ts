import { cosine } from '../text/vectors.js';
import type { PreparedDocument } from './document.js';

export interface LengthOptions {
  /** Maximum number of sentences (default 3). */
  maxSentences?: number;
  /** Maximum characters of the joined summary (sentences joined by one space). */
  maxChars?: number;
}

export interface SelectOptions extends LengthOptions {
  /** Skip a sentence whose tf-idf cosine with an already chosen one exceeds this (default 0.65). */
  redundancy?: number;
}

export interface Selection {
  /** Chosen sentence indices in original order. */
  indices: number[];
  /** Set when no whole sentence fitted maxChars and the best one was cut at a word boundary. */
  truncatedText?: string;
}

/** Greedy selection by score under the length budget; the result keeps the original sentence order. */
export function selectSentences(
  doc: PreparedDocument,
  scores: readonly number[],
  options: SelectOptions = {},
): Selection {
  const maxSentences = options.maxSentences ?? 3;
  const maxChars = options.maxChars ?? Infinity;
  const redundancy = options.redundancy ?? 0.65;
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const chosen: number[] = [];
  let chars = 0;
  for (const [, i] of order) {
    if (chosen.length >= maxSentences) break;
    const len = doc.sentences[i].text.length + (chosen.length ? 1 : 0);
    if (chars + len > maxChars) continue;
    if (chosen.some((c) => cosine(doc.vectors[c], doc.vectors[i]) > redundancy)) continue;
    chosen.push(i);
    chars += len;
  }
  if (chosen.length === 0 && order.length > 0 && maxSentences > 0 && Number.isFinite(maxChars)) {
    return {
      indices: [order[0][1]],
      truncatedText: truncateAtWord(doc.sentences[order[0][1]].text, maxChars),
    };
  }
  return { indices: chosen.sort((a, b) => a - b) };
}

/** Cut text to at most maxChars at a word boundary, ending with "…". */
export function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return '…'.slice(0, Math.max(0, maxChars));
  const cut = text.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  const base = space > maxChars * 0.5 ? cut.slice(0, space) : cut;
  return base.replace(/[\s,;:.\-–—]+$/u, '') + '…';
}
