import { normalizeLang, type Lang, splitSentences, stopwords } from '@media-ai/text';
import type { ArticleInput } from '../summarize/document.js';
import { stemWord, wordTokens, type WordToken } from '../text/tokenize.js';
import { idf, type IdfTable } from '../text/vectors.js';
import { winkAnalyse } from './wink.js';

export interface Keyword {
  /** Most frequent surface form of the phrase. */
  term: string;
  score: number;
  count: number;
}

export interface KeywordOptions {
  lang?: Lang | string;
  /** Maximum keywords (default 10). */
  max?: number;
  /** Longest phrase in words (default 3). */
  maxWords?: number;
  /** Corpus document frequencies over stems (buildKeywordBackground): down-weights words common everywhere. */
  background?: IdfTable;
}

// Words that are rarely keywords in news even though they are not function words.
const EXTRA_STOP: Record<Lang, string> = {
  en: `according added announced asked called came come comes continue could did does get getting give given go goes going
gone good got great help just know known like look looking make makes making many may mean means might much need
needs new next now old one part people put really said say saying says see set show shows take taken takes tell
think thought three time told took two use used using want wanted way ways went whether yes lot lots thing things
including included recent recently several since whose year years month months week weeks day days today yesterday
tomorrow percent cent per also even back first last least little long made mr mrs ms dr early late later latest
big small high low large able around away best better still well far across among already another`,
  es: 'dijo dice según además puede hacer tiene tienen será han sido está están todo todos parte vez años año día días',
  fr: 'dit selon aussi peut faire fait avoir être tout tous partie fois années année jour jours',
  de: 'sagte sagt laut auch kann machen hat haben wird wurde alle teil mal jahre jahr tag tage',
};
const extraStop = new Map<Lang, ReadonlySet<string>>();
function keywordStop(lang: Lang): ReadonlySet<string> {
  let s = extraStop.get(lang);
  if (!s) {
    s = new Set([...stopwords(lang), ...EXTRA_STOP[lang].split(/\s+/).filter(Boolean)]);
    extraStop.set(lang, s);
  }
  return s;
}

// Without a tagger: conjugated forms that are almost never nouns (Spanish preterite and future).
const VERB_FORM: Partial<Record<Lang, RegExp>> = { es: /(?:ó|á|aron|ieron|aban|ían)$/u };

const NON_CONTENT_POS = new Set([
  'VERB',
  'AUX',
  'ADV',
  'PRON',
  'DET',
  'ADP',
  'CCONJ',
  'SCONJ',
  'PART',
  'INTJ',
  'NUM',
  'PUNCT',
  'SYM',
]);

/** Document frequencies of stems over a corpus, for KeywordOptions.background. */
export function buildKeywordBackground(texts: readonly string[], lang: Lang | string = 'en'): IdfTable {
  const l = normalizeLang(lang);
  const df: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const t of texts)
    for (const s of new Set(wordTokens(t).map((w) => stemWord(w.lower, l)))) df[s] = (df[s] ?? 0) + 1;
  return { docs: texts.length, df };
}

interface Candidate {
  stems: string[];
  surfaces: Map<string, number>;
  count: number;
  firstSentence: number;
  capitalised: number;
}

/**
 * Keyphrases: stopword-delimited candidate phrases (RAKE-like), filtered by part of speech for English
 * (wink-nlp), scored by term frequency × idf (background corpus when given), phrase length, title and lead
 * position.
 */
export function extractKeywords(input: ArticleInput | string, options: KeywordOptions = {}): Keyword[] {
  const a = typeof input === 'string' ? { text: input } : input;
  const lang = normalizeLang(a.lang ?? options.lang);
  const max = options.max ?? 10;
  const maxWords = options.maxWords ?? 3;
  const stop = keywordStop(lang);
  const fullText = a.title ? `${a.title}.\n\n${a.text}` : a.text;

  // Part of speech by character offset (English): only nouns, proper nouns and adjectives make keyphrases.
  let posAt: Map<number, string> | undefined;
  if (lang === 'en') {
    posAt = new Map();
    let cursor = 0;
    for (const t of winkAnalyse(fullText).tokens) {
      const at = fullText.indexOf(t.value, cursor);
      if (at < 0) continue;
      posAt.set(at, t.pos);
      cursor = at + t.value.length;
    }
  }

  const sentences = splitSentences(fullText, { lang });
  const stemTf = new Map<string, number>();
  const candidates = new Map<string, Candidate>();
  for (const [si, s] of sentences.entries()) {
    const toks = wordTokens(s.text);
    let run: WordToken[] = [];
    const flush = () => {
      for (let k = 0; k < run.length; k += maxWords) addCandidate(run.slice(k, k + maxWords), si, s.text);
      run = [];
    };
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k];
      const gap = k > 0 ? s.text.slice(toks[k - 1].end, t.start) : ' ';
      if (k > 0 && !/^[ \-]$/u.test(gap)) flush();
      const possessive = /[’']s$/u.test(t.lower);
      const word = possessive
        ? { ...t, text: t.text.slice(0, -2), lower: t.lower.slice(0, -2), end: t.end - 2 }
        : t;
      const pos = posAt?.get(s.start + t.start);
      const bad =
        stop.has(word.lower) ||
        word.lower.length < 2 ||
        /^[\p{N}.,]+$/u.test(word.lower) ||
        (pos !== undefined && NON_CONTENT_POS.has(pos)) ||
        (VERB_FORM[lang]?.test(word.lower) ?? false);
      if (bad) {
        flush();
        continue;
      }
      const stem = stemWord(word.lower, lang);
      stemTf.set(stem, (stemTf.get(stem) ?? 0) + 1);
      run.push(word);
      if (possessive) flush();
    }
    flush();
  }

  function addCandidate(words: WordToken[], sentenceIndex: number, sentenceText: string): void {
    if (words.length === 0) return;
    const stems = words.map((w) => stemWord(w.lower, lang));
    const key = stems.join(' ');
    const surface = sentenceText.slice(words[0].start, words[words.length - 1].end);
    const c = candidates.get(key) ?? {
      stems,
      surfaces: new Map(),
      count: 0,
      firstSentence: sentenceIndex,
      capitalised: 0,
    };
    c.count++;
    c.surfaces.set(surface, (c.surfaces.get(surface) ?? 0) + 1);
    if (words.some((w, idx) => /^\p{Lu}/u.test(w.text) && (idx > 0 || w.start > 0))) c.capitalised++;
    candidates.set(key, c);
  }

  const titleStems = new Set(a.title ? wordTokens(a.title).map((w) => stemWord(w.lower, lang)) : []);
  const wordWeight = (stem: string) => {
    const tf = stemTf.get(stem) ?? 1;
    return (1 + Math.log(tf)) * (options.background ? idf(options.background, stem) : 1);
  };
  const scored = [...candidates.values()].map((c) => {
    const mean = c.stems.reduce((s, st) => s + wordWeight(st), 0) / c.stems.length;
    let score = Math.sqrt(c.count) * mean * (1 + 0.35 * (c.stems.length - 1));
    if (c.stems.some((st) => titleStems.has(st))) score *= 1.5;
    if (c.firstSentence < (a.title ? 3 : 2)) score *= 1.2;
    if (c.capitalised > c.count / 2) score *= 1.2;
    const term = [...c.surfaces.entries()].sort((x, y) => y[1] - x[1] || x[0].length - y[0].length)[0][0];
    return { stems: c.stems, term, score, count: c.count };
  });
  scored.sort((x, y) => y.score - x.score || x.term.localeCompare(y.term));

  const chosen: typeof scored = [];
  for (const c of scored) {
    if (chosen.length >= max) break;
    const set = new Set(c.stems);
    // Skip phrases whose words are all inside an already chosen phrase ("koirala" after "anuradha koirala").
    if (chosen.some((k) => c.stems.every((st) => k.stems.includes(st)))) continue;
    // A longer phrase that only repeats a chosen keyword plus one word is a near-duplicate.
    if (
      chosen.some(
        (k) =>
          k.stems.length >= 1 &&
          k.stems.every((st) => set.has(st)) &&
          set.size - k.stems.length <= 1 &&
          c.score < k.score * 0.8,
      )
    )
      continue;
    chosen.push(c);
  }
  const top = chosen[0]?.score ?? 1;
  return chosen.map((c) => ({ term: c.term, score: c.score / top, count: c.count }));
}
