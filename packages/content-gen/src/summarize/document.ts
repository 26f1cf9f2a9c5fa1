import { normalizeLang, type Lang, splitSentences, type Sentence, isCaseless } from '@media-ai/text';
import { contentStems } from '../text/tokenize.js';
import { addInto, buildIdfTable, tfidfVector, type IdfTable, type SparseVector } from '../text/vectors.js';

export interface ArticleInput {
  text: string;
  title?: string;
  lang?: Lang | string;
}

/** An article split and vectorised once, shared by rankers, features and headline code. */
export interface PreparedDocument {
  text: string;
  title?: string;
  lang: Lang;
  caseless: boolean;
  sentences: Sentence[];
  /** Content-word stems per sentence. */
  stems: string[][];
  titleStems: string[];
  /** Sentence-level idf (each sentence a document). */
  idf: IdfTable;
  vectors: SparseVector[];
  centroid: SparseVector;
}

export function prepareDocument(input: ArticleInput | string): PreparedDocument {
  const a = typeof input === 'string' ? { text: input } : input;
  const lang = normalizeLang(a.lang);
  const caseless = isCaseless(a.text);
  const sentences = splitSentences(a.text, { lang, caseless });
  const stems = sentences.map((s) => contentStems(s.text, lang));
  const idf = buildIdfTable(stems);
  const vectors = stems.map((s) => tfidfVector(s, idf));
  const centroid: SparseVector = new Map();
  for (const v of vectors) addInto(centroid, v, 1 / Math.max(1, vectors.length));
  return {
    text: a.text,
    ...(a.title ? { title: a.title } : {}),
    lang,
    caseless,
    sentences,
    stems,
    titleStems: a.title ? contentStems(a.title, lang) : [],
    idf,
    vectors,
    centroid,
  };
}
