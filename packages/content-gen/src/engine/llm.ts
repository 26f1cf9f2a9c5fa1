import { checkGeneratedText, type GuardrailOptions, type GuardrailReport } from '../guardrails/check.js';
import { toHashtag } from '../headlines/social.js';
import {
  keywordPrompt,
  headlinePrompt,
  parseJsonArray,
  socialPrompt,
  summaryPrompt,
  tagPrompt,
} from '../llm/prompts.js';
import type { ChatResult, LlmProvider } from '../llm/types.js';
import type { Keyword } from '../nlp/keywords.js';
import { tagSlug, type TagSuggestion } from '../nlp/tags.js';
import type { ArticleInput } from '../summarize/document.js';
import { CONTENT_GEN_VERSION } from '../version.js';
import {
  GuardrailRejectedError,
  type ContentEngine,
  type EngineInfo,
  type EngineOutput,
  type GeneratedHeadline,
  type GeneratedSocialPost,
  type GeneratedSummary,
  type HeadlineRequest,
  type KeywordRequest,
  type SocialRequest,
  type SummaryRequest,
  type TagRequest,
} from './types.js';

export interface LlmEngineOptions {
  guardrails?: GuardrailOptions;
}

/** LLM engine: every operation is a prompt to an OpenAI-compatible server; texts go through the guardrails. */
export class LlmContentEngine implements ContentEngine {
  readonly info: EngineInfo;
  constructor(
    private readonly provider: LlmProvider,
    private readonly options: LlmEngineOptions = {},
  ) {
    this.info = { kind: 'llm', name: provider.name, version: CONTENT_GEN_VERSION, model: provider.model };
  }

  private output<T>(value: T, r: ChatResult): EngineOutput<T> {
    return {
      value,
      engine: { ...this.info, model: r.model },
      usage: r.usage,
      cost: r.cost,
      latencyMs: r.latencyMs,
    };
  }

  private guard(text: string, article: ArticleInput, maxChars?: number): GuardrailReport {
    return checkGeneratedText(text, article.text, {
      ...this.options.guardrails,
      ...(maxChars !== undefined ? { maxChars } : {}),
      ...(article.lang ? { lang: article.lang } : {}),
    });
  }

  /** Under the 'reject' policy, rejected items are dropped; nothing left is an error (the caller may fall back). */
  private keep<T extends { guardrails: GuardrailReport }>(items: T[]): T[] {
    const kept = items.filter((i) => i.guardrails.action !== 'reject');
    if (items.length && kept.length === 0) throw new GuardrailRejectedError(items.map((i) => i.guardrails));
    return kept;
  }

  async summarize(
    article: ArticleInput,
    request: SummaryRequest = {},
  ): Promise<EngineOutput<GeneratedSummary>> {
    const r = await this.provider.chat({
      messages: summaryPrompt(article, {
        ...request,
        ...(this.options.guardrails?.glossary ? { glossary: this.options.guardrails.glossary } : {}),
      }),
      temperature: 0.2,
      ...(request.onToken ? { onToken: request.onToken } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const guardrails = this.guard(r.text.trim(), article, request.maxChars);
    if (guardrails.action === 'reject') throw new GuardrailRejectedError([guardrails]);
    return this.output({ text: guardrails.text, method: 'llm' as const, guardrails }, r);
  }

  async headlines(
    article: ArticleInput,
    request: HeadlineRequest = {},
  ): Promise<EngineOutput<GeneratedHeadline[]>> {
    const count = request.count ?? 5;
    const maxChars = request.maxChars ?? 80;
    const glossary = this.options.guardrails?.glossary;
    const r = await this.provider.chat({
      messages: headlinePrompt(article, { count, maxChars, ...(glossary ? { glossary } : {}) }),
      temperature: 0.7,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const items = parseJsonArray(r.text)
      .filter((x): x is string => typeof x === 'string' && x.trim().length > 0)
      .slice(0, count)
      .map((text) => {
        const guardrails = this.guard(text.trim(), article, maxChars);
        return { text: guardrails.text, guardrails };
      });
    if (items.length === 0) throw new GuardrailRejectedError([]);
    return this.output(this.keep(items), r);
  }

  async social(
    article: ArticleInput,
    request: SocialRequest = {},
  ): Promise<EngineOutput<GeneratedSocialPost[]>> {
    const count = request.count ?? 3;
    const maxChars = request.maxChars ?? 280;
    const hashtags = request.hashtags ?? 2;
    const glossary = this.options.guardrails?.glossary;
    const urlCost = request.url ? 24 : 0;
    const r = await this.provider.chat({
      messages: socialPrompt(article, {
        count,
        maxChars: maxChars - urlCost,
        hashtags,
        ...(glossary ? { glossary } : {}),
      }),
      temperature: 0.7,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const items = parseJsonArray(r.text)
      .filter((x): x is string => typeof x === 'string' && x.trim().length > 0)
      .slice(0, count)
      .map((raw) => {
        const guardrails = this.guard(raw.trim(), article, maxChars - urlCost);
        const text = request.url ? `${guardrails.text} ${request.url}` : guardrails.text;
        const tags = (guardrails.text.match(/#[\p{L}\p{N}_]+/gu) ?? []).filter(
          (t) => toHashtag(t.slice(1)) !== undefined,
        );
        return { text, length: guardrails.text.length + urlCost, hashtags: tags, guardrails };
      });
    if (items.length === 0) throw new GuardrailRejectedError([]);
    return this.output(this.keep(items), r);
  }

  async keywords(article: ArticleInput, request: KeywordRequest = {}): Promise<EngineOutput<Keyword[]>> {
    const max = request.max ?? 10;
    const r = await this.provider.chat({
      messages: keywordPrompt(article, { max }),
      temperature: 0,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const terms = parseJsonArray(r.text)
      .filter((x): x is string => typeof x === 'string' && x.trim().length > 0)
      .slice(0, max);
    const lower = article.text.toLowerCase();
    const value = terms.map((term, i) => ({
      term: term.trim(),
      score: 1 - i / Math.max(1, terms.length),
      count: lower.split(term.trim().toLowerCase()).length - 1,
    }));
    return this.output(value, r);
  }

  async tags(article: ArticleInput, request: TagRequest = {}): Promise<EngineOutput<TagSuggestion[]>> {
    const max = request.max ?? 10;
    const r = await this.provider.chat({
      messages: tagPrompt(article, { max, ...(request.allowed ? { allowed: request.allowed } : {}) }),
      temperature: 0,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const allowed = request.allowed ? new Set(request.allowed.map(tagSlug)) : undefined;
    const value: TagSuggestion[] = [];
    for (const item of parseJsonArray(r.text)) {
      const tag =
        typeof item === 'string'
          ? item
          : typeof item === 'object' && item && 'tag' in item
            ? String((item as { tag: unknown }).tag)
            : '';
      const c =
        typeof item === 'object' && item && 'confidence' in item
          ? Number((item as { confidence: unknown }).confidence)
          : 0.5;
      const slug = tagSlug(tag);
      if (!slug || (allowed && !allowed.has(slug)) || value.some((v) => v.tag === slug)) continue;
      value.push({
        tag: slug,
        kind: 'topic',
        confidence: Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0.5,
        source: 'llm',
      });
    }
    return this.output(value.slice(0, max), r);
  }
}
