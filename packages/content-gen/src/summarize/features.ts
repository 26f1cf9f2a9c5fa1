import { extractNumbers } from '../text/numbers.js';
import { wordTokens } from '../text/tokenize.js';
import { cosine } from '../text/vectors.js';
import type { PreparedDocument } from './document.js';
import { textRankScores } from './textrank.js';

/** Per-sentence features, in this order. Changing it changes the model input: bump the scorer version. */
export const SENTENCE_FEATURES = [
  'relative_position',
  'inverse_position',
  'is_first',
  'in_first_three',
  'length_tokens',
  'is_short',
  'is_long',
  'title_overlap',
  'tfidf_centrality',
  'textrank',
  'similarity_to_lead',
  'numbers',
  'entities',
  'is_quote',
  'has_attribution',
  'is_question',
] as const;

export type SentenceFeatureName = (typeof SENTENCE_FEATURES)[number];

const QUOTE_RE = /["“”«»]|``|''|(?:^|\s)['‘’]/u;
const ATTRIBUTION_RE = /\b(?:said|says|told|according to|added|dijo|según|a déclaré|selon|sagte|laut)\b/iu;

function capitalisedNonInitial(text: string): number {
  const toks = wordTokens(text);
  let n = 0;
  for (let i = 1; i < toks.length; i++) if (/^\p{Lu}/u.test(toks[i].text)) n++;
  return n;
}

/** Feature matrix [sentences × SENTENCE_FEATURES.length]. */
export function sentenceFeatures(doc: PreparedDocument): Float32Array[] {
  const n = doc.sentences.length;
  const tr = textRankScores(doc);
  const titleSet = new Set(doc.titleStems);
  return doc.sentences.map((s, i) => {
    const len = wordTokens(s.text).length;
    const stems = doc.stems[i];
    let titleOverlap = 0;
    if (titleSet.size > 0) {
      const ss = new Set(stems);
      let hit = 0;
      for (const t of titleSet) if (ss.has(t)) hit++;
      titleOverlap = hit / titleSet.size;
    }
    const numbers = extractNumbers(s.text, doc.lang).filter((m) => m.kind !== 'word').length;
    const f: number[] = [
      n > 1 ? i / (n - 1) : 0,
      1 / (i + 1),
      i === 0 ? 1 : 0,
      i < 3 ? 1 : 0,
      Math.min(len / 40, 1.5),
      len < 8 ? 1 : 0,
      len > 45 ? 1 : 0,
      titleOverlap,
      cosine(doc.vectors[i], doc.centroid),
      Math.min(tr[i] * n, 3),
      i === 0 ? 1 : cosine(doc.vectors[i], doc.vectors[0]),
      Math.min(numbers, 3) / 3,
      doc.caseless ? 0 : Math.min(capitalisedNonInitial(s.text), 5) / 5,
      QUOTE_RE.test(s.text) ? 1 : 0,
      ATTRIBUTION_RE.test(s.text) ? 1 : 0,
      /[?？]\s*["”'’»]*\s*$/u.test(s.text) ? 1 : 0,
    ];
    return Float32Array.from(f);
  });
}
