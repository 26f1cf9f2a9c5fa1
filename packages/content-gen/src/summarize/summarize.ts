import { prepareDocument, type ArticleInput, type PreparedDocument } from './document.js';
import { scoreSentences, type SentenceScorerModel } from './scorer.js';
import { selectSentences, truncateAtWord, type LengthOptions } from './select.js';
import { textRankScores, type TextRankOptions } from './textrank.js';

export type SummaryMethod = 'lead' | 'textrank' | 'scorer';

export interface SummarizeOptions extends LengthOptions {
  method?: SummaryMethod;
  /** Required for method 'scorer'. */
  model?: SentenceScorerModel;
  textrank?: TextRankOptions;
  /** Redundancy threshold for textrank/scorer selection (tf-idf cosine). */
  redundancy?: number;
}

export interface SummarySentence {
  index: number;
  text: string;
  score: number;
}

export interface SummaryResult {
  method: SummaryMethod;
  text: string;
  /** Selected sentences in original order. */
  sentences: SummarySentence[];
  /** True when no whole sentence fitted maxChars and the text was cut. */
  truncated: boolean;
}

/** Extractive summary: lead-N, TextRank or the trained scorer, under a sentence/character budget. */
export function summarize(
  input: ArticleInput | string | PreparedDocument,
  options: SummarizeOptions = {},
): SummaryResult {
  const doc = typeof input === 'object' && 'sentences' in input ? input : prepareDocument(input);
  const method = options.method ?? (options.model ? 'scorer' : 'lead');
  const maxSentences = options.maxSentences ?? 3;
  const maxChars = options.maxChars ?? Infinity;
  const n = doc.sentences.length;

  if (method === 'lead') {
    const indices: number[] = [];
    let chars = 0;
    for (let i = 0; i < n && indices.length < maxSentences; i++) {
      const len = doc.sentences[i].text.length + (indices.length ? 1 : 0);
      if (chars + len > maxChars) break;
      indices.push(i);
      chars += len;
    }
    if (indices.length === 0 && n > 0 && maxSentences > 0) {
      const text = truncateAtWord(doc.sentences[0].text, maxChars);
      return { method, text, sentences: [{ index: 0, text, score: 1 }], truncated: true };
    }
    return build(doc, method, indices, (i) => 1 / (i + 1));
  }

  let scores: number[];
  if (method === 'textrank') {
    scores = textRankScores(doc, options.textrank);
  } else {
    if (!options.model) throw new Error("summarize method 'scorer' needs a trained model");
    scores = scoreSentences(options.model, doc);
  }
  const sel = selectSentences(doc, scores, {
    maxSentences,
    maxChars,
    ...(options.redundancy !== undefined ? { redundancy: options.redundancy } : {}),
  });
  if (sel.truncatedText !== undefined) {
    const i = sel.indices[0];
    return {
      method,
      text: sel.truncatedText,
      sentences: [{ index: i, text: sel.truncatedText, score: scores[i] }],
      truncated: true,
    };
  }
  return build(doc, method, sel.indices, (i) => scores[i]);
}

function build(
  doc: PreparedDocument,
  method: SummaryMethod,
  indices: number[],
  score: (i: number) => number,
): SummaryResult {
  const sentences = indices.map((i) => ({ index: i, text: doc.sentences[i].text, score: score(i) }));
  return { method, text: sentences.map((s) => s.text).join(' '), sentences, truncated: false };
}
