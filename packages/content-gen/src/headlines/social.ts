import { extractEntities } from '../nlp/entities.js';
import { PERSON_TITLE_SET } from '../nlp/gazetteer.js';
import { extractKeywords } from '../nlp/keywords.js';
import type { ArticleInput } from '../summarize/document.js';
import type { SentenceScorerModel } from '../summarize/scorer.js';
import { cleanHeadline, stripDateline } from './compress.js';
import { generateHeadlines, headlineContext, scoreHeadline } from './headlines.js';

export interface SocialPost {
  text: string;
  /** Length as the platform counts it (URLs count as urlLength). */
  length: number;
  hashtags: string[];
  score: number;
  sentenceIndex: number;
}

export interface SocialOptions {
  /** Platform limit (default 280). */
  maxChars?: number;
  /** Hashtags to add when they fit (default 2). */
  hashtags?: number;
  url?: string;
  /** How the platform counts a URL (default 23, as X's t.co). */
  urlLength?: number;
  count?: number;
  model?: SentenceScorerModel;
}

function stripTitles(term: string): string {
  const words = term.split(/\s+/);
  while (words.length > 1 && PERSON_TITLE_SET.has(words[0].toLowerCase().replace(/\.$/, ''))) words.shift();
  return words.join(' ');
}

/** "#NepalEarthquake" from "Nepal earthquake"; undefined when nothing usable is left. */
export function toHashtag(term: string): string | undefined {
  const parts = term
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return undefined;
  const tag = parts
    .map((p) =>
      p === p.toUpperCase() && p.length <= 4 ? p : p.charAt(0).toUpperCase() + p.slice(1).toLowerCase(),
    )
    .join('');
  if (tag.length < 3 || tag.length > 24 || /^\d+$/.test(tag)) return undefined;
  return `#${tag}`;
}

/** Social posts: a headline or lead sentence, hashtags from keywords/entities, the link; all within maxChars. */
export function generateSocialPosts(input: ArticleInput, options: SocialOptions = {}): SocialPost[] {
  const maxChars = options.maxChars ?? 280;
  const urlLength = options.url ? (options.urlLength ?? 23) : 0;
  const ctx = headlineContext(input, options.model);
  // Hashtags: alternate the top keywords and named entities (titles and numbers make poor hashtags).
  const keywordTerms = extractKeywords(input, { max: 6 }).map((k) => k.term);
  const entityTerms = extractEntities(input.text, { lang: ctx.doc.lang })
    .filter((e) => e.type !== 'misc')
    .map((e) => e.text);
  const tags: string[] = [];
  for (let k = 0; k < Math.max(keywordTerms.length, entityTerms.length); k++) {
    for (const term of [keywordTerms[k], entityTerms[k]]) {
      if (!term || /\d/.test(term)) continue;
      const t = toHashtag(stripTitles(term));
      if (t && !tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t);
    }
  }

  // Bodies: whole lead/top sentences (cleaned) and the best headlines.
  const bodies: { text: string; sentenceIndex: number }[] = [];
  for (const i of ctx.sourceSentences)
    bodies.push({ text: cleanHeadline(stripDateline(ctx.doc.sentences[i].text)) + '.', sentenceIndex: i });
  for (const h of generateHeadlines(input, { count: 3, maxChars: Math.min(120, maxChars) }))
    bodies.push({ text: h.text, sentenceIndex: h.sentenceIndex });

  const posts: SocialPost[] = [];
  const seen = new Set<string>();
  for (const body of bodies) {
    const budget = maxChars - (urlLength ? urlLength + 1 : 0);
    if (body.text.length > budget || seen.has(body.text)) continue;
    seen.add(body.text);
    const chosen: string[] = [];
    let len = body.text.length;
    for (const t of tags) {
      if (chosen.length >= (options.hashtags ?? 2)) break;
      // A hashtag repeating a word of the body adds little.
      if (
        body.text
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]/gu, '')
          .includes(t.slice(1).toLowerCase())
      )
        continue;
      if (len + 1 + t.length > budget) continue;
      chosen.push(t);
      len += 1 + t.length;
    }
    const text = [body.text, ...chosen, ...(options.url ? [options.url] : [])].join(' ');
    const length = len + (urlLength ? urlLength + 1 : 0);
    const base = scoreHeadline(body.text, ctx, body.sentenceIndex, {
      maxChars: budget,
      minChars: 40,
      ops: 0,
    });
    posts.push({
      text,
      length,
      hashtags: chosen,
      score: base + 0.05 * chosen.length,
      sentenceIndex: body.sentenceIndex,
    });
  }
  return posts.sort((a, b) => b.score - a.score).slice(0, options.count ?? 3);
}
