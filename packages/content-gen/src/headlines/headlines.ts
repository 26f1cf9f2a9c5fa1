import { stopwords } from '@media-ai/text';
import { extractEntities } from '../nlp/entities.js';
import { extractKeywords } from '../nlp/keywords.js';
import { winkAnalyse } from '../nlp/wink.js';
import { prepareDocument, type ArticleInput, type PreparedDocument } from '../summarize/document.js';
import { scoreSentences, type SentenceScorerModel } from '../summarize/scorer.js';
import { truncateAtWord } from '../summarize/select.js';
import { textRankScores } from '../summarize/textrank.js';
import { stemWord, wordTokens } from '../text/tokenize.js';
import { cleanHeadline, compressSentence } from './compress.js';

export interface HeadlineCandidate {
  text: string;
  score: number;
  /** Sentence of the article the headline was made from. */
  sentenceIndex: number;
  /** Compression rules applied ("drop-trailing-attribution", ...); "truncate" when cut at a word. */
  operations: string[];
}

export interface HeadlineOptions {
  /** Number of candidates returned (default 5). */
  count?: number;
  /** Hard limit (default 80; newsroom headlines usually 70-90). */
  maxChars?: number;
  /** Shorter candidates are penalised (default 25). */
  minChars?: number;
  /** Sentence scorer: its top sentences are also used as sources. */
  model?: SentenceScorerModel;
}

export interface HeadlineContext {
  doc: PreparedDocument;
  /** Salient stems (keywords and entity names) with weights. */
  salient: Map<string, number>;
  sourceSentences: number[];
}

const LEADING_PREPOSITION =
  /^(?:with|on|in|at|after|before|during|since|for|of|by|from|to|as|while|when|con|en|tras|avec|dans|après|mit|nach|bei)\b/iu;
const ATTRIBUTION = /\b(?:said|says|told|according to|dijo|según|a déclaré|selon|sagte|laut)\b/iu;
const PRONOUN_START =
  /^(?:he|she|it|they|this|that|these|those|his|her|its|their|we|i|you|él|ella|ellos|il|elle|ils|er|sie|es)\b/iu;

/** Sentences to draw from (lead first, then top-ranked) and the article's salient terms. */
export function headlineContext(input: ArticleInput, model?: SentenceScorerModel): HeadlineContext {
  const doc = prepareDocument(input);
  const n = doc.sentences.length;
  const ranked = model ? scoreSentences(model, doc) : textRankScores(doc, { window: 15 });
  const top = ranked
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([, i]) => i);
  const sourceSentences = [...new Set([0, 1, 2, ...top])].filter((i) => i < n);
  const salient = new Map<string, number>();
  const add = (term: string, w: number) => {
    for (const t of wordTokens(term)) {
      if (stopwords(doc.lang).has(t.lower)) continue;
      const st = stemWord(t.lower, doc.lang);
      salient.set(st, Math.max(salient.get(st) ?? 0, w));
    }
  };
  for (const k of extractKeywords(input, { max: 8 })) add(k.term, k.score);
  for (const e of extractEntities(input.text, { lang: doc.lang }).slice(0, 5)) {
    if (e.type !== 'misc') add(e.text, 0.8);
  }
  return { doc, salient, sourceSentences };
}

function hasVerb(text: string, lang: string): boolean {
  if (lang !== 'en') return true;
  return winkAnalyse(text).tokens.some((t) => t.pos === 'VERB' || t.pos === 'AUX');
}

/** Score a headline-like text in [0, ~1]: salient-term coverage, length fit, source position, form. */
export function scoreHeadline(
  text: string,
  ctx: HeadlineContext,
  sentenceIndex: number,
  options: { maxChars: number; minChars: number; ops: number },
): number {
  const len = text.length;
  if (len > options.maxChars) return -1;
  const ideal = Math.min(options.maxChars, 75) * 0.8;
  const lengthScore = len < options.minChars ? 0.3 : Math.max(0, 1 - Math.abs(len - ideal) / ideal);
  const total =
    [...ctx.salient.values()]
      .sort((a, b) => b - a)
      .slice(0, 6)
      .reduce((s, x) => s + x, 0) || 1;
  const stems = new Set(wordTokens(text).map((t) => stemWord(t.lower, ctx.doc.lang)));
  let covered = 0;
  for (const [st, w] of ctx.salient) if (stems.has(st)) covered += w;
  const coverage = Math.min(1, covered / total);
  const position = 1 / (1 + 0.5 * sentenceIndex);
  const words = wordTokens(text);
  let form = 1;
  if (PRONOUN_START.test(text)) form -= 0.4;
  const last = words[words.length - 1]?.lower ?? '';
  if (stopwords(ctx.doc.lang).has(last)) form -= 0.4;
  if (/^["“”'‘]/u.test(text) || /["“”]/u.test(text)) form -= 0.2;
  if (!hasVerb(text, ctx.doc.lang)) form -= 0.6;
  if (LEADING_PREPOSITION.test(text)) form -= 0.6;
  if (ATTRIBUTION.test(text)) form -= 0.1;
  return 0.35 * coverage + 0.2 * lengthScore + 0.25 * position + 0.2 * form - 0.01 * options.ops;
}

/** Extractive headline candidates: compressed lead/top sentences, ranked, each within maxChars. */
export function generateHeadlines(input: ArticleInput, options: HeadlineOptions = {}): HeadlineCandidate[] {
  const maxChars = options.maxChars ?? 80;
  const minChars = options.minChars ?? 25;
  const ctx = headlineContext(input, options.model);
  const all = new Map<string, HeadlineCandidate>();
  for (const i of ctx.sourceSentences) {
    const sentence = ctx.doc.sentences[i].text;
    const variants = compressSentence(sentence, ctx.doc.lang);
    let fitted = false;
    for (const v of variants) {
      if (v.text.length > maxChars) continue;
      fitted = true;
      const score = scoreHeadline(v.text, ctx, i, { maxChars, minChars, ops: v.operations.length });
      const prev = all.get(v.text.toLowerCase());
      if (!prev || prev.score < score)
        all.set(v.text.toLowerCase(), { text: v.text, score, sentenceIndex: i, operations: v.operations });
    }
    if (!fitted && variants.length) {
      // Last resort: the shortest variant cut at a word boundary.
      const shortest = variants.reduce((a, b) => (b.text.length < a.text.length ? b : a));
      const stop = stopwords(ctx.doc.lang);
      let cut = truncateAtWord(shortest.text, maxChars - 1)
        .replace(/…$/u, '')
        .split(' ');
      while (cut.length > 3 && stop.has(cut[cut.length - 1].toLowerCase())) cut = cut.slice(0, -1);
      const text = cleanHeadline(cut.join(' '));
      if (text.length <= maxChars && text.length > 0) {
        const score =
          scoreHeadline(text, ctx, i, { maxChars, minChars, ops: shortest.operations.length + 1 }) - 0.3;
        all.set(text.toLowerCase(), {
          text,
          score,
          sentenceIndex: i,
          operations: [...shortest.operations, 'truncate'],
        });
      }
    }
  }
  return [...all.values()].sort((a, b) => b.score - a.score).slice(0, options.count ?? 5);
}
