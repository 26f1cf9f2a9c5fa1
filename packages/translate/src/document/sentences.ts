import { sentencePieces, type SentencePiece } from '@media-ai/text';

export type { SentencePiece };

/** The ⟦n⟧ placeholders standing for inline tags: they stay with the sentence they close. */
const PLACEHOLDER = /\u27E6\s*\d+\s*\u27E7/y;

/**
 * The sentences of a document segment (@media-ai/text's splitter, with the segment's placeholders),
 * as pieces that give the segment back when joined. `lang` is the source language (ISO 639-1) when
 * known: its abbreviations are kept inside sentences.
 */
export function splitSentences(text: string, lang?: string | null): SentencePiece[] {
  return sentencePieces(text, { inline: PLACEHOLDER, ...(lang ? { lang } : {}) });
}
