import { checkGeneratedText, type GuardrailOptions } from '../guardrails/check.js';
import { generateHeadlines } from '../headlines/headlines.js';
import { generateSocialPosts } from '../headlines/social.js';
import type { TopicClassifierModel } from '../nlp/classifier.js';
import { extractKeywords } from '../nlp/keywords.js';
import { suggestTags } from '../nlp/tags.js';
import type { ArticleInput } from '../summarize/document.js';
import type { SentenceScorerModel } from '../summarize/scorer.js';
import { summarize } from '../summarize/summarize.js';
import { CONTENT_GEN_VERSION } from '../version.js';
import type {
  ContentEngine,
  EngineInfo,
  EngineOutput,
  GeneratedHeadline,
  GeneratedSocialPost,
  GeneratedSummary,
  HeadlineRequest,
  KeywordRequest,
  SocialRequest,
  SummaryRequest,
  TagRequest,
} from './types.js';

export interface LocalEngineOptions {
  scorer?: SentenceScorerModel;
  classifier?: TopicClassifierModel;
  /** Guardrail settings (glossary, banned terms, policy) applied to every generated text. */
  guardrails?: GuardrailOptions;
}

const modelId = (m: { name: string; version: string }) => `${m.name}@${m.version}`;

/** Local engine: extractive summaries, compressed headlines, keywords, entities and the trained classifier. */
export class LocalContentEngine implements ContentEngine {
  readonly info: EngineInfo = { kind: 'local', name: 'local', version: CONTENT_GEN_VERSION };
  constructor(private readonly options: LocalEngineOptions = {}) {}

  private info_(name: string, model?: { name: string; version: string }): EngineInfo {
    return {
      kind: 'local',
      name: `local/${name}`,
      version: CONTENT_GEN_VERSION,
      ...(model ? { model: modelId(model) } : {}),
    };
  }

  private guard(text: string, article: ArticleInput, maxChars?: number) {
    return checkGeneratedText(text, article.text, {
      ...this.options.guardrails,
      ...(maxChars !== undefined ? { maxChars } : {}),
      ...(article.lang ? { lang: article.lang } : {}),
    });
  }

  async summarize(
    article: ArticleInput,
    request: SummaryRequest = {},
  ): Promise<EngineOutput<GeneratedSummary>> {
    const t0 = Date.now();
    const scorer = this.options.scorer;
    const method = request.method ?? (scorer ? 'scorer' : 'lead');
    const result = summarize(article, {
      method,
      ...(scorer ? { model: scorer } : {}),
      ...(request.maxSentences !== undefined ? { maxSentences: request.maxSentences } : {}),
      ...(request.maxChars !== undefined ? { maxChars: request.maxChars } : {}),
    });
    const guardrails = this.guard(result.text, article, request.maxChars);
    return {
      value: { text: guardrails.text, method: result.method, sentences: result.sentences, guardrails },
      engine: this.info_(method, method === 'scorer' ? scorer : undefined),
      latencyMs: Date.now() - t0,
    };
  }

  async headlines(
    article: ArticleInput,
    request: HeadlineRequest = {},
  ): Promise<EngineOutput<GeneratedHeadline[]>> {
    const t0 = Date.now();
    const maxChars = request.maxChars ?? 80;
    const list = generateHeadlines(article, {
      maxChars,
      ...(request.count !== undefined ? { count: request.count } : {}),
      ...(this.options.scorer ? { model: this.options.scorer } : {}),
    });
    const value = list.map((h) => {
      const guardrails = this.guard(h.text, article, maxChars);
      return { text: guardrails.text, score: h.score, guardrails };
    });
    return { value, engine: this.info_('headlines', this.options.scorer), latencyMs: Date.now() - t0 };
  }

  async social(
    article: ArticleInput,
    request: SocialRequest = {},
  ): Promise<EngineOutput<GeneratedSocialPost[]>> {
    const t0 = Date.now();
    const maxChars = request.maxChars ?? 280;
    const posts = generateSocialPosts(article, {
      maxChars,
      ...(request.count !== undefined ? { count: request.count } : {}),
      ...(request.hashtags !== undefined ? { hashtags: request.hashtags } : {}),
      ...(request.url !== undefined ? { url: request.url } : {}),
      ...(this.options.scorer ? { model: this.options.scorer } : {}),
    });
    const value = posts.map((p) => {
      // The URL is counted by the platform's rule, not its characters: check the post without it.
      const body = request.url ? p.text.slice(0, p.text.length - request.url.length).trimEnd() : p.text;
      const guardrails = this.guard(body, article, maxChars - (p.length - body.length));
      return {
        text: request.url ? `${guardrails.text} ${request.url}` : guardrails.text,
        length: p.length,
        hashtags: p.hashtags,
        guardrails,
      };
    });
    return { value, engine: this.info_('social', this.options.scorer), latencyMs: Date.now() - t0 };
  }

  async keywords(
    article: ArticleInput,
    request: KeywordRequest = {},
  ): Promise<EngineOutput<import('../nlp/keywords.js').Keyword[]>> {
    const t0 = Date.now();
    const value = extractKeywords(article, { max: request.max ?? 10 });
    return { value, engine: this.info_('keywords'), latencyMs: Date.now() - t0 };
  }

  async tags(
    article: ArticleInput,
    request: TagRequest = {},
  ): Promise<EngineOutput<import('../nlp/tags.js').TagSuggestion[]>> {
    const t0 = Date.now();
    const classifier = this.options.classifier;
    let value = suggestTags(article, { ...(classifier ? { classifier } : {}), max: request.max ?? 10 });
    if (request.allowed?.length) {
      const allowed = new Set(request.allowed.map((a) => a.toLowerCase()));
      value = value.filter((t) => allowed.has(t.tag));
    }
    return { value, engine: this.info_('tags', classifier), latencyMs: Date.now() - t0 };
  }
}
