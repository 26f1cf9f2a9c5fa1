import { isCaseless, MONTHS, normalizeLang, splitSentences, stopwords, type Lang } from '@media-ai/text';
import { wordTokens, type WordToken } from '../text/tokenize.js';
import {
  FIRST_NAME_SET,
  KNOWN_ORG_SET,
  ORG_WORD_SET,
  PERSON_TITLE_SET,
  PLACE_WORDS,
  PLACES,
} from './gazetteer.js';
import { isRareEnglishWord, winkAnalyse } from './wink.js';

export type NamedEntityType = 'person' | 'place' | 'organization' | 'misc';
export type NumericEntityType = 'date' | 'time' | 'money' | 'percent' | 'number' | 'ordinal' | 'duration';
export type EntityType = NamedEntityType | NumericEntityType;

export interface EntityMention {
  text: string;
  start: number;
  end: number;
}

export interface Entity {
  /** Canonical surface form (the longest seen). */
  text: string;
  type: EntityType;
  count: number;
  /** 0..1: how sure the typing heuristics are. */
  confidence: number;
  mentions: EntityMention[];
}

export interface EntityOptions {
  lang?: Lang | string;
  /** Also return dates, money, percentages, numbers (wink-nlp, English). Default false. */
  includeNumeric?: boolean;
}

const CONNECTORS = new Set([
  'of',
  'de',
  'del',
  'la',
  'le',
  'les',
  'von',
  'van',
  'der',
  'den',
  'du',
  'da',
  'di',
  'des',
  '&',
  'for',
  'on',
  'the',
  'al',
  'el',
  'bin',
  'zu',
]);
const MONTHS_DAYS = new Set([
  ...MONTHS.en,
  ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
  ...['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'],
]);
const PERSON_CONTEXT_AFTER =
  /^\s*(?:,\s*(?:who|whose|a|an|the|\d+)\b|,?\s*(?:said|says|told|added|asked|wrote|explained|argued|dijo|afirmó|declaró|a dit|a déclaré|sagte|erklärte)\b)/u;
const PERSON_CONTEXT_BEFORE = /\b(?:said|says|told|by|according to|dijo|selon|sagte)\s*$/iu;
const PLACE_CONTEXT_BEFORE =
  /\b(?:in|at|from|near|to|outside|across|en|à|au|dans|im|in der|aus|nach)\s+(?:the\s+)?$/iu;

interface Span {
  tokens: WordToken[];
  start: number;
  end: number;
  text: string;
  titleCue: boolean;
}

function keyOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']s$/u, '')
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function isCap(t: WordToken): boolean {
  return /^\p{Lu}/u.test(t.text);
}

function isAcronym(s: string): boolean {
  return /^\p{Lu}[\p{Lu}.&]{1,6}$/u.test(s.replace(/[’']s$/u, ''));
}

/** People, places and organisations (capitalised spans + gazetteer + context cues); optional numeric entities. */
export function extractEntities(text: string, options: EntityOptions = {}): Entity[] {
  const lang = normalizeLang(options.lang);
  const caseless = isCaseless(text);
  const named = caseless ? gazetteerEntities(text) : capitalisedEntities(text, lang);
  if (options.includeNumeric && lang === 'en') named.push(...numericEntities(text));
  return named;
}

function capitalisedEntities(text: string, lang: Lang): Entity[] {
  const tokens = wordTokens(text);
  const stop = stopwords(lang);
  const sentenceStarts = new Set<number>();
  for (const s of splitSentences(text, { lang })) {
    const first = tokens.find((t) => t.start >= s.start);
    if (first) sentenceStarts.add(first.start);
  }
  // Words seen capitalised in mid-sentence: evidence that a sentence-initial one is a name too.
  const midCaps = new Set<string>();
  for (const t of tokens) if (isCap(t) && !sentenceStarts.has(t.start)) midCaps.add(t.lower);
  // A capitalised sentence-initial word is a name only when it is not an ordinary word: wink-nlp's English
  // lexicon tells (its tagger calls every capitalised first word PROPN, so POS does not).
  const isRare = (w: string) => lang === 'en' && isRareEnglishWord(w.replace(/[’']s$/u, ''));

  const spans: Span[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (!isCap(t) || /^\p{N}/u.test(t.text)) {
      i++;
      continue;
    }
    const parts: WordToken[] = [t];
    let j = i + 1;
    while (j < tokens.length) {
      const prev = tokens[j - 1];
      const gap = text.slice(prev.end, tokens[j].start);
      const initialGap = /^\p{Lu}$/u.test(prev.text) && /^\.\s$/u.test(gap);
      if (!/^ $/u.test(gap) && !initialGap) break;
      if (isCap(tokens[j])) {
        parts.push(tokens[j]);
        j++;
        continue;
      }
      // "Bank of England", "Fernando de la Mora": a connector followed by a capitalised word.
      let k = j;
      while (k < tokens.length && CONNECTORS.has(tokens[k].lower) && !isCap(tokens[k]) && k - j < 2) k++;
      if (
        k > j &&
        k < tokens.length &&
        isCap(tokens[k]) &&
        /^ +$/u.test(text.slice(tokens[k - 1].end, tokens[k].start))
      ) {
        parts.push(...tokens.slice(j, k + 1));
        j = k + 1;
        continue;
      }
      break;
    }
    i = j;
    // Sentence-initial function words and titles are not part of the name.
    let titleCue = false;
    while (parts.length) {
      const first = parts[0];
      const low = first.lower.replace(/\.$/, '');
      if (PERSON_TITLE_SET.has(low) || PERSON_TITLE_SET.has(`${low}.`)) {
        titleCue = true;
        parts.shift();
        continue;
      }
      if (sentenceStarts.has(first.start) && (stop.has(first.lower) || first.lower.length < 2)) {
        parts.shift();
        continue;
      }
      break;
    }
    // An unverified sentence-initial word ("Shares of Acme Corp") is dropped with its connectors.
    if (parts.length > 1 && sentenceStarts.has(parts[0].start)) {
      const low = parts[0].lower;
      const known =
        PLACES.has(low) || KNOWN_ORG_SET.has(low) || FIRST_NAME_SET.has(low) || isAcronym(parts[0].text);
      const connectorNext = CONNECTORS.has(parts[1].lower) && !ORG_WORD_SET.has(low) && !PLACE_WORDS.has(low);
      if (!known && !midCaps.has(low) && (connectorNext || !isRare(low))) {
        parts.shift();
        while (parts.length && CONNECTORS.has(parts[0].lower)) parts.shift();
      }
    }
    // A title inside the span ("Bank of England Governor Andrew Bailey") starts a person name.
    const innerTitle = parts.findIndex(
      (p, idx) => idx > 0 && idx < parts.length - 1 && PERSON_TITLE_SET.has(p.lower.replace(/\.$/, '')),
    );
    if (innerTitle > 0) {
      const prefix = parts.slice(0, innerTitle);
      while (prefix.length && CONNECTORS.has(prefix[prefix.length - 1].lower)) prefix.pop();
      const demonym = prefix.length === 1 && /(?:an|ian|ese|ish|i|ch)$/u.test(prefix[0].lower);
      if (prefix.length && !demonym) {
        const pe = prefix[prefix.length - 1].end;
        spans.push({
          tokens: prefix,
          start: prefix[0].start,
          end: pe,
          text: text.slice(prefix[0].start, pe),
          titleCue: false,
        });
      }
      parts.splice(0, innerTitle + 1);
      titleCue = true;
    }
    while (
      parts.length &&
      (CONNECTORS.has(parts[parts.length - 1].lower) || stop.has(parts[parts.length - 1].lower))
    )
      parts.pop();
    // A title before the span in running text ("said President Joe Biden") also counts.
    if (!titleCue && parts.length) {
      const before = text.slice(Math.max(0, parts[0].start - 40), parts[0].start).toLowerCase();
      const m = /([\p{L}.]+)\s+$/u.exec(before);
      if (m && (PERSON_TITLE_SET.has(m[1]) || PERSON_TITLE_SET.has(m[1].replace(/\.$/, '')))) titleCue = true;
    }
    if (parts.length === 0) continue;
    if (parts.every((p) => MONTHS_DAYS.has(p.lower))) continue;
    if (parts.length === 1 && sentenceStarts.has(parts[0].start)) {
      const low = parts[0].lower.replace(/[’']s$/u, '');
      const known =
        PLACES.has(low) || KNOWN_ORG_SET.has(low) || FIRST_NAME_SET.has(low) || isAcronym(parts[0].text);
      if (!known && !midCaps.has(parts[0].lower) && !isRare(parts[0].lower)) continue;
      if (stop.has(low)) continue;
    }
    const start = parts[0].start;
    const end = parts[parts.length - 1].end;
    const surface = text.slice(start, end).replace(/[’']s$/u, '');
    spans.push({ tokens: parts, start, end: start + surface.length, text: surface, titleCue });
  }
  return typeSpans(text, spans);
}

function classify(text: string, span: Span): { type: NamedEntityType; confidence: number } {
  const key = keyOf(span.text);
  const words = key.split(' ');
  const last = words[words.length - 1];
  const before = text.slice(Math.max(0, span.start - 30), span.start);
  const after = text.slice(span.end, span.end + 30);
  if (span.titleCue) return { type: 'person', confidence: 0.9 };
  if (KNOWN_ORG_SET.has(key)) return { type: 'organization', confidence: 0.9 };
  if (PLACES.has(key)) return { type: 'place', confidence: 0.9 };
  if (
    words.length > 1 &&
    (ORG_WORD_SET.has(last) || words.slice(0, -1).some((w) => ORG_WORD_SET.has(w) && w.length > 3))
  ) {
    return { type: 'organization', confidence: 0.8 };
  }
  if (words.length > 1 && PLACE_WORDS.has(last)) return { type: 'place', confidence: 0.7 };
  if (words.length > 1 && PLACES.has(words.slice(0, -1).join(' ')) && last === 'city')
    return { type: 'place', confidence: 0.8 };
  if (isAcronym(span.text)) return { type: 'organization', confidence: 0.6 };
  if (words.length >= 2 && words.length <= 4 && FIRST_NAME_SET.has(words[0]))
    return { type: 'person', confidence: 0.8 };
  if (
    words.length >= 2 &&
    words.length <= 3 &&
    (PERSON_CONTEXT_AFTER.test(after) || PERSON_CONTEXT_BEFORE.test(before))
  ) {
    return { type: 'person', confidence: 0.6 };
  }
  if (PLACE_CONTEXT_BEFORE.test(before)) return { type: 'place', confidence: 0.5 };
  if (words.length === 1 && PERSON_CONTEXT_AFTER.test(after)) return { type: 'person', confidence: 0.4 };
  return { type: 'misc', confidence: 0.3 };
}

function typeSpans(text: string, spans: Span[]): Entity[] {
  const byKey = new Map<string, Entity>();
  const typed = spans.map((s) => ({ span: s, ...classify(text, s) }));
  // Two passes so that "Koirala" joins "Anuradha Koirala" wherever the full name appears.
  const persons = typed.filter((t) => t.type === 'person' && t.span.tokens.length > 1);
  for (const t of typed) {
    let key = keyOf(t.span.text);
    let type = t.type;
    let confidence = t.confidence;
    let canonical = t.span.text;
    if (t.span.tokens.length === 1) {
      const full = persons.find((p) => keyOf(p.span.text).split(' ').pop() === key);
      if (full) {
        key = keyOf(full.span.text);
        type = 'person';
        confidence = Math.max(confidence, 0.7);
        canonical = full.span.text;
      }
    }
    const existing = byKey.get(key);
    const mention = { text: t.span.text, start: t.span.start, end: t.span.end };
    if (existing) {
      existing.count++;
      existing.mentions.push(mention);
      if (confidence > existing.confidence) {
        existing.type = type;
        existing.confidence = confidence;
      }
      const allCaps = (x: string) => x === x.toUpperCase();
      if (
        canonical.length > existing.text.length ||
        (canonical.length === existing.text.length && allCaps(existing.text) && !allCaps(canonical))
      ) {
        existing.text = canonical;
      }
    } else {
      byKey.set(key, { text: canonical, type, count: 1, confidence, mentions: [mention] });
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || b.confidence - a.confidence);
}

/** For lower-cased text: only gazetteer places and organisations can be found. */
function gazetteerEntities(text: string): Entity[] {
  const tokens = wordTokens(text);
  const byKey = new Map<string, Entity>();
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 3; n >= 1; n--) {
      if (i + n > tokens.length) continue;
      const slice = tokens.slice(i, i + n);
      const key = keyOf(slice.map((t) => t.lower).join(' '));
      const type: NamedEntityType | undefined =
        KNOWN_ORG_SET.has(key) && key.length > 2
          ? 'organization'
          : PLACES.has(key) && key.length > 2
            ? 'place'
            : undefined;
      if (!type) continue;
      const mention = {
        text: text.slice(slice[0].start, slice[n - 1].end),
        start: slice[0].start,
        end: slice[n - 1].end,
      };
      const e = byKey.get(key);
      if (e) {
        e.count++;
        e.mentions.push(mention);
      } else byKey.set(key, { text: mention.text, type, count: 1, confidence: 0.6, mentions: [mention] });
      i += n - 1;
      break;
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count);
}

const WINK_TYPES: Record<string, NumericEntityType> = {
  DATE: 'date',
  TIME: 'time',
  MONEY: 'money',
  PERCENT: 'percent',
  CARDINAL: 'number',
  ORDINAL: 'ordinal',
  DURATION: 'duration',
};

function numericEntities(text: string): Entity[] {
  const out = new Map<string, Entity>();
  let cursor = 0;
  for (const e of winkAnalyse(text).entities) {
    const type = WINK_TYPES[e.type];
    if (!type) continue;
    const start = text.indexOf(e.value, cursor);
    const mention =
      start >= 0
        ? { text: e.value, start, end: start + e.value.length }
        : { text: e.value, start: -1, end: -1 };
    if (start >= 0) cursor = start + e.value.length;
    const key = `${type}:${e.value.toLowerCase()}`;
    const existing = out.get(key);
    if (existing) {
      existing.count++;
      existing.mentions.push(mention);
    } else out.set(key, { text: e.value, type, count: 1, confidence: 0.8, mentions: [mention] });
  }
  return [...out.values()];
}
