import { glossaryPrompt, type Glossary } from '../guardrails/glossary.js';
import type { ArticleInput } from '../summarize/document.js';
import type { ChatMessage } from './types.js';

const LANG_NAMES: Record<string, string> = { en: 'English', es: 'Spanish', fr: 'French', de: 'German' };

function system(task: string, glossary: Glossary | undefined, lang: string | undefined): ChatMessage {
  const rules = [
    'You are an experienced news editor.',
    task,
    'Use only facts stated in the article. Do not add numbers, names, places or organisations that are not in the article.',
    `Write in ${LANG_NAMES[(lang ?? 'en').slice(0, 2)] ?? 'the language of the article'}.`,
    glossaryPrompt(glossary),
  ].filter(Boolean);
  return { role: 'system', content: rules.join('\n') };
}

function article(a: ArticleInput): string {
  return `${a.title ? `Title: ${a.title}\n\n` : ''}Article:\n${a.text}`;
}

export function summaryPrompt(
  a: ArticleInput,
  o: { maxSentences?: number; maxChars?: number; glossary?: Glossary },
): ChatMessage[] {
  const limits = [
    o.maxSentences ? `at most ${o.maxSentences} sentences` : '',
    o.maxChars ? `at most ${o.maxChars} characters` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return [
    system(
      `Summarise the article${limits ? ` in ${limits}` : ''}. Answer with the summary only.`,
      o.glossary,
      a.lang,
    ),
    { role: 'user', content: article(a) },
  ];
}

export function headlinePrompt(
  a: ArticleInput,
  o: { count: number; maxChars: number; glossary?: Glossary },
): ChatMessage[] {
  return [
    system(
      `Write ${o.count} alternative headlines, each at most ${o.maxChars} characters, factual, no clickbait. Answer with a JSON array of strings only.`,
      o.glossary,
      a.lang,
    ),
    { role: 'user', content: article(a) },
  ];
}

export function socialPrompt(
  a: ArticleInput,
  o: { count: number; maxChars: number; hashtags: number; glossary?: Glossary },
): ChatMessage[] {
  return [
    system(
      `Write ${o.count} social media posts promoting the article, each at most ${o.maxChars} characters including up to ${o.hashtags} hashtags. Answer with a JSON array of strings only.`,
      o.glossary,
      a.lang,
    ),
    { role: 'user', content: article(a) },
  ];
}

export function keywordPrompt(a: ArticleInput, o: { max: number }): ChatMessage[] {
  return [
    system(
      `List the ${o.max} most important keywords or keyphrases of the article, most important first. Answer with a JSON array of strings only.`,
      undefined,
      a.lang,
    ),
    { role: 'user', content: article(a) },
  ];
}

export function tagPrompt(a: ArticleInput, o: { max: number; allowed?: readonly string[] }): ChatMessage[] {
  const allowed = o.allowed?.length ? ` Choose only from these tags: ${o.allowed.join(', ')}.` : '';
  return [
    system(
      `Suggest up to ${o.max} topic tags for the article.${allowed} Answer with a JSON array of objects {"tag": string, "confidence": number between 0 and 1} only.`,
      undefined,
      a.lang,
    ),
    { role: 'user', content: article(a) },
  ];
}

/** Parse a JSON array from a model answer, tolerating code fences and prose around it; else one item per line. */
export function parseJsonArray(text: string): unknown[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start >= 0 && end > start) {
    try {
      const v: unknown = JSON.parse(text.slice(start, end + 1));
      if (Array.isArray(v)) return v as unknown[];
    } catch {
      /* fall through to lines */
    }
  }
  return text
    .split('\n')
    .map((l) =>
      l
        .replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '')
        .replace(/^["']|["'],?$/g, '')
        .trim(),
    )
    .filter((l) => l && !l.startsWith('```'));
}
