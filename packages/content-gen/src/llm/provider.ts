import { HttpClient, isHttpError, readSseData } from '@media-ai/http';
import {
  LlmError,
  type ChatRequest,
  type ChatResult,
  type LlmConfig,
  type LlmProvider,
  type LlmTotals,
  type LlmUsage,
} from './types.js';

interface AttemptResult {
  text: string;
  model?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  finishReason?: string;
}

interface CompletionJson {
  model?: string;
  choices?: {
    message?: { content?: string | null };
    delta?: { content?: string | null };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError('aborted', 'request aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new LlmError('aborted', 'request aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * OpenAI-compatible chat client (`POST {baseURL}/chat/completions`): streaming by SSE or plain JSON, a timeout
 * per attempt, retries with exponential backoff on 408/429/5xx/network errors honouring Retry-After, the endpoint's shared
 * concurrency limit (one HTTP client for every area), and token
 * and cost accounting per call and in total.
 */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly name = 'openai-compatible';
  readonly model: string;
  private readonly config: Required<
    Omit<LlmConfig, 'apiKey' | 'pricing' | 'headers' | 'fetch' | 'checkUrl'>
  > &
    Pick<LlmConfig, 'apiKey' | 'pricing' | 'headers'>;
  private readonly http: HttpClient;
  private readonly stats: LlmTotals;

  constructor(config: LlmConfig) {
    if (!config.baseURL) throw new Error('LLM baseURL is required');
    if (!config.model) throw new Error('LLM model is required');
    this.model = config.model;
    this.config = {
      baseURL: config.baseURL.replace(/\/+$/, ''),
      model: config.model,
      timeoutMs: config.timeoutMs ?? 60_000,
      maxRetries: config.maxRetries ?? 2,
      retryBaseMs: config.retryBaseMs ?? 500,
      retryMaxMs: config.retryMaxMs ?? 8_000,
      maxConcurrency: config.maxConcurrency ?? 4,
      streamUsage: config.streamUsage ?? true,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      ...(config.pricing ? { pricing: config.pricing } : {}),
      ...(config.headers ? { headers: config.headers } : {}),
    };
    this.http = new HttpClient({
      baseUrl: this.config.baseURL,
      timeoutMs: this.config.timeoutMs,
      maxConcurrency: this.config.maxConcurrency,
      what: 'LLM server',
      ...(this.config.apiKey ? { apiKey: this.config.apiKey } : {}),
      ...(this.config.headers ? { headers: this.config.headers } : {}),
      ...(config.checkUrl ? { checkUrl: config.checkUrl } : {}),
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
    this.stats = {
      calls: 0,
      failures: 0,
      promptTokens: 0,
      completionTokens: 0,
      cost: 0,
      currency: config.pricing?.currency ?? 'USD',
    };
  }

  totals(): LlmTotals {
    return { ...this.stats };
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const started = Date.now();
    const stream = request.stream ?? request.onToken !== undefined;
    let attempt = 0;
    let emitted = false;
    const onToken = request.onToken
      ? (t: string) => {
          emitted = true;
          request.onToken!(t);
        }
      : () => {
          emitted = true;
        };
    for (;;) {
      attempt++;
      try {
        const result = await this.attempt(request, stream, onToken);
        return this.account(request, result, attempt, Date.now() - started);
      } catch (e) {
        const err =
          e instanceof LlmError ? e : new LlmError('network', (e as Error).message, { retryable: true });
        err.attempts = attempt;
        // Tokens already handed to the caller cannot be taken back: no retry after that.
        if (!err.retryable || attempt > this.config.maxRetries || emitted) {
          this.stats.failures++;
          throw err;
        }
        const backoff = Math.min(
          this.config.retryMaxMs,
          this.config.retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5),
        );
        await sleep(Math.min(this.config.retryMaxMs, err.retryAfterMs ?? backoff), request.signal);
      }
    }
  }

  private account(request: ChatRequest, r: AttemptResult, attempts: number, latencyMs: number): ChatResult {
    const hasUsage =
      typeof r.usage?.prompt_tokens === 'number' && typeof r.usage?.completion_tokens === 'number';
    const promptChars = request.messages.reduce((s, m) => s + m.content.length, 0);
    const usage: LlmUsage = hasUsage
      ? {
          promptTokens: r.usage!.prompt_tokens!,
          completionTokens: r.usage!.completion_tokens!,
          totalTokens: r.usage!.prompt_tokens! + r.usage!.completion_tokens!,
          estimated: false,
        }
      : (() => {
          const p = estimateTokens(promptChars);
          const c = estimateTokens(r.text.length);
          return { promptTokens: p, completionTokens: c, totalTokens: p + c, estimated: true };
        })();
    const pricing = this.config.pricing;
    const cost = pricing
      ? (usage.promptTokens / 1000) * pricing.promptPer1k +
        (usage.completionTokens / 1000) * pricing.completionPer1k
      : 0;
    this.stats.calls++;
    this.stats.promptTokens += usage.promptTokens;
    this.stats.completionTokens += usage.completionTokens;
    this.stats.cost += cost;
    return {
      text: r.text,
      model: r.model ?? this.model,
      usage,
      cost,
      currency: this.stats.currency,
      attempts,
      latencyMs,
      ...(r.finishReason ? { finishReason: r.finishReason } : {}),
    };
  }

  private async attempt(
    request: ChatRequest,
    stream: boolean,
    onToken: (t: string) => void,
  ): Promise<AttemptResult> {
    const timeoutMs = request.timeoutMs ?? this.config.timeoutMs;
    const wrap = (e: unknown): LlmError => {
      if (e instanceof LlmError) return e;
      if (isHttpError(e)) {
        if (e.kind === 'aborted') return new LlmError('aborted', 'request aborted');
        if (e.kind === 'timeout') {
          return new LlmError('timeout', `no answer from ${this.config.baseURL} within ${timeoutMs} ms`, {
            retryable: true,
          });
        }
        if (e.kind === 'http') {
          return new LlmError('http', `LLM server answered ${e.status}: ${e.detail ?? ''}`, {
            ...(e.status !== undefined ? { status: e.status } : {}),
            retryable: e.retryable,
            ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
          });
        }
        return new LlmError('network', `request to ${this.config.baseURL} failed: ${e.message}`, {
          retryable: e.retryable,
        });
      }
      // The body stopped while it was read: the attempt's timeout or the caller's abort.
      if (request.signal?.aborted) return new LlmError('aborted', 'request aborted');
      if ((e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError') {
        return new LlmError(
          'timeout',
          `no complete answer from ${this.config.baseURL} within ${timeoutMs} ms`,
          {
            retryable: true,
          },
        );
      }
      return new LlmError('network', `request to ${this.config.baseURL} failed: ${(e as Error).message}`, {
        retryable: true,
      });
    };
    let res: Response | undefined;
    try {
      const body: Record<string, unknown> = { model: this.config.model, messages: request.messages, stream };
      if (request.temperature !== undefined) body.temperature = request.temperature;
      if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
      if (request.json) body.response_format = { type: 'json_object' };
      if (stream && this.config.streamUsage) body.stream_options = { include_usage: true };
      // One attempt: chat() retries, and never after tokens reached the caller.
      res = await this.http.request('chat/completions', {
        json: body,
        accept: stream ? 'text/event-stream' : 'application/json',
        timeoutMs,
        retry: false,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (!stream) {
        const json = (await res.json().catch(() => {
          throw new LlmError('bad_response', 'LLM server sent invalid JSON', { retryable: true });
        })) as CompletionJson;
        const content = json.choices?.[0]?.message?.content;
        if (typeof content !== 'string')
          throw new LlmError(
            'bad_response',
            `no choices[0].message.content in the answer${json.error?.message ? `: ${json.error.message}` : ''}`,
          );
        return {
          text: content,
          ...(json.model ? { model: json.model } : {}),
          ...(json.usage ? { usage: json.usage } : {}),
          ...(json.choices?.[0]?.finish_reason ? { finishReason: json.choices[0].finish_reason } : {}),
        };
      }
      if (!res.body) throw new LlmError('bad_response', 'streaming answer has no body', { retryable: true });
      let text = '';
      let model: string | undefined;
      let usage: AttemptResult['usage'];
      let finishReason: string | undefined;
      let done = false;
      for await (const data of readSseData(res.body)) {
        if (data.trim() === '[DONE]') {
          done = true;
          break;
        }
        let chunk: CompletionJson;
        try {
          chunk = JSON.parse(data) as CompletionJson;
        } catch {
          throw new LlmError('bad_response', `invalid JSON in stream: ${data.slice(0, 100)}`);
        }
        if (chunk.error)
          throw new LlmError('bad_response', `LLM stream error: ${chunk.error.message ?? 'unknown'}`);
        model ??= chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        const token = choice?.delta?.content;
        if (typeof token === 'string' && token.length) {
          text += token;
          onToken(token);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
      if (!done && finishReason === undefined)
        throw new LlmError('bad_response', 'stream ended before [DONE]', { retryable: text.length === 0 });
      return {
        text,
        ...(model ? { model } : {}),
        ...(usage ? { usage } : {}),
        ...(finishReason ? { finishReason } : {}),
      };
    } catch (e) {
      throw wrap(e);
    } finally {
      // Frees the endpoint's slot when the stream was left before its end (after [DONE], or on an error).
      await res?.body?.cancel().catch(() => undefined);
    }
  }
}

export function createLlmProvider(config: LlmConfig): LlmProvider {
  return new OpenAiCompatibleProvider(config);
}

/**
 * LLM settings from the environment: LLM_BASE_URL, LLM_MODEL, LLM_API_KEY, LLM_TIMEOUT_MS, LLM_MAX_RETRIES,
 * LLM_MAX_CONCURRENCY, LLM_PRICE_PROMPT_PER_1K, LLM_PRICE_COMPLETION_PER_1K. Undefined when no base URL/model.
 */
export function llmConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): LlmConfig | undefined {
  const baseURL = env.LLM_BASE_URL?.trim();
  const model = env.LLM_MODEL?.trim();
  if (!baseURL || !model) return undefined;
  const num = (k: string) =>
    env[k] !== undefined && env[k] !== '' && Number.isFinite(Number(env[k])) ? Number(env[k]) : undefined;
  const prompt = num('LLM_PRICE_PROMPT_PER_1K');
  const completion = num('LLM_PRICE_COMPLETION_PER_1K');
  const timeoutMs = num('LLM_TIMEOUT_MS');
  const maxRetries = num('LLM_MAX_RETRIES');
  const maxConcurrency = num('LLM_MAX_CONCURRENCY');
  return {
    baseURL,
    model,
    ...(env.LLM_API_KEY ? { apiKey: env.LLM_API_KEY } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    ...(prompt !== undefined || completion !== undefined
      ? { pricing: { promptPer1k: prompt ?? 0, completionPer1k: completion ?? 0 } }
      : {}),
  };
}
