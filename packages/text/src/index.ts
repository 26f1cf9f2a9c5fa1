export { decodeEntities, htmlToText } from './html.js';
export { wordDiff, type DiffPart } from './diff.js';
export { normalizeLang, SUPPORTED_LANGS, type Lang } from './lang.js';
export { stopwords, isStopword } from './stopwords.js';
export { abbreviationKind, NUMBER_ABBREVIATIONS, MONTHS, type AbbreviationKind } from './abbreviations.js';
export {
  isCaseless,
  sentencePieces,
  splitSentences,
  type Sentence,
  type SentencePiece,
  type SplitOptions,
} from './sentences.js';
