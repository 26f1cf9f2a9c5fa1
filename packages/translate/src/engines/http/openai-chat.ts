import { TranslateError } from '../../errors.js';
import { allLanguages, parseLanguage } from '../../languages.js';
import type { EngineTranslation, LanguagePair, TranslationEngine } from '../types.js';
import { badResponse, joinUrl, mapLimit, requestJson, type HttpOptions } from './http.js';

export interface OpenAiChatOptions extends HttpOptions {
  /** Server root or its /v1 (vLLM, llama.cpp server, Ollama, LiteLLM): http://llm:8000 or http://llm:8000/v1 */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Languages offered, any code `parseLanguage` knows (default: every language it knows). */
  readonly languages?: readonly string[];
  /** Requests at a time (default 4). */
  readonly concurrency?: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
}

/** An OpenAI-compatible chat model as a translator: `POST /v1/chat/completions`, one text per request. */
export class OpenAiChatEngine implements TranslationEngine {
  readonly id: string;

  constructor(private readonly options: OpenAiChatOptions) {
    if (!options.baseUrl || !options.model) {
      throw new TranslateError(
        'INVALID_CONFIG',
        'The OpenAI-compatible provider needs baseUrl and model',
        {},
      );
    }
    this.id = `openai:${options.model}`;
  }

  async pairs(): Promise<LanguagePair[]> {
    const codes = this.options.languages
      ? this.options.languages.map((code) => parseLanguage(code).iso3)
      : allLanguages().map((l) => l.iso3);
    const unique = [...new Set(codes)];
    return unique.flatMap((from) => unique.filter((to) => to !== from).map((to) => ({ from, to, via: [] })));
  }

  async translate(texts: readonly string[], from: string, to: string): Promise<EngineTranslation> {
    const source = parseLanguage(from);
    const target = parseLanguage(to);
    const targetName = target.variant ? `${target.name} (${target.variant})` : target.name;
    const system =
      `You are a professional news translator. Translate the user's text from ${source.name} to ${targetName}. ` +
      'Keep every token of the form ⟦number⟧ exactly as it is, at the place where it belongs in the translation. ' +
      'Keep names, numbers and the meaning; do not add notes or explanations. Answer with the translation only.';
    const url = joinUrl(
      this.options.baseUrl,
      /\/v1\/?$/.test(this.options.baseUrl) ? '/chat/completions' : '/v1/chat/completions',
    );
    const headers = {
      ...this.options.headers,
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
    };
    const out = await mapLimit(texts, this.options.concurrency ?? 4, async (text) => {
      if (text.trim() === '') return text;
      const body = {
        model: this.options.model,
        temperature: this.options.temperature ?? 0,
        ...(this.options.maxTokens ? { max_tokens: this.options.maxTokens } : {}),
        stream: false,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: text },
        ],
      };
      const response = await requestJson(
        this.id,
        url,
        { method: 'POST', body: JSON.stringify(body), contentType: 'application/json' },
        { ...this.options, headers },
      );
      const content = (response as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]
        ?.message?.content;
      if (typeof content !== 'string') throw badResponse(this.id, 'choices[0].message.content');
      return tidy(content, text);
    });
    return { texts: out, engine: this.id, route: [source.iso3, target.iso3] };
  }
}

/** Removes what chat models wrap answers in: reasoning blocks, code fences, quotes the source did not have. */
function tidy(answer: string, source: string): string {
  let text = answer.replace(/<think>[\s\S]*?<\/think>/g, '').trim();
  const fenced = /^```[a-z]*\n([\s\S]*?)\n```$/.exec(text);
  if (fenced) text = fenced[1].trim();
  const quoted = /^(["“«])([\s\S]*)(["”»])$/.exec(text);
  if (quoted && !/^["“«]/.test(source.trim())) text = quoted[2].trim();
  const leading = /^\s*/.exec(source)?.[0] ?? '';
  const trailing = /\s*$/.exec(source)?.[0] ?? '';
  return leading + text + trailing;
}
