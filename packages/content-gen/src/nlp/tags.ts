import type { ArticleInput } from '../summarize/document.js';
import { classifyTopic, type TopicClassifierModel } from './classifier.js';
import { extractEntities, type Entity } from './entities.js';
import { extractKeywords, type Keyword } from './keywords.js';

export type TagKind = 'topic' | 'person' | 'place' | 'organization' | 'keyword';

export interface TagSuggestion {
  tag: string;
  kind: TagKind;
  /** 0..1. Topic tags: classifier probability; others: heuristic strength. */
  confidence: number;
  source: 'classifier' | 'entities' | 'keywords' | 'llm';
}

export interface TagOptions {
  /** Trained topic classifier: adds topic tags with its probabilities. */
  classifier?: TopicClassifierModel;
  /** Maximum tags (default 10). */
  max?: number;
  /** Drop suggestions below this confidence (default 0.2). */
  minConfidence?: number;
  /** Precomputed keywords / entities, to avoid recomputing them. */
  keywords?: Keyword[];
  entities?: Entity[];
}

/** Slug for a tag: lower-case, ascii-folded, words joined by '-'. */
export function tagSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Tag suggestions with confidence: topics from the classifier, then people/places/organisations, then keywords. */
export function suggestTags(input: ArticleInput, options: TagOptions = {}): TagSuggestion[] {
  const max = options.max ?? 10;
  const min = options.minConfidence ?? 0.2;
  const text = input.title ? `${input.title}\n\n${input.text}` : input.text;
  const out: TagSuggestion[] = [];
  const seen = new Set<string>();
  const add = (s: TagSuggestion) => {
    const slug = tagSlug(s.tag);
    if (!slug || seen.has(slug) || s.confidence < min) return;
    seen.add(slug);
    out.push({ ...s, tag: slug });
  };
  if (options.classifier) {
    for (const p of classifyTopic(options.classifier, text, { topK: 3 }))
      add({ tag: p.label, kind: 'topic', confidence: p.confidence, source: 'classifier' });
  }
  const entities = options.entities ?? extractEntities(text, { lang: input.lang });
  const topCount = Math.max(1, ...entities.map((e) => e.count));
  for (const e of entities) {
    if (e.type !== 'person' && e.type !== 'place' && e.type !== 'organization') continue;
    add({
      tag: e.text,
      kind: e.type,
      confidence: e.confidence * (0.5 + 0.5 * Math.min(1, e.count / topCount)),
      source: 'entities',
    });
  }
  const keywords = options.keywords ?? extractKeywords(input, { max: 8 });
  for (const k of keywords)
    add({ tag: k.term, kind: 'keyword', confidence: 0.6 * k.score, source: 'keywords' });
  return out.sort((a, b) => b.confidence - a.confidence).slice(0, max);
}
