export interface LlmPricing {
  /** Price per 1,000 prompt tokens. */
  promptPer1k: number;
  /** Price per 1,000 completion tokens. */
  completionPer1k: number;
  currency?: string;
}

export interface LlmConfig {
  /** e.g. "http://gpu-host:8000/v1" (vLLM, llama.cpp server, Ollama, LiteLLM, OpenAI). */
  baseURL: string;
  apiKey?: string;
  model: string;
  /** Per attempt, including a streamed body. Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 408/429/5xx, network errors and timeouts. Default 2. */
  maxRetries?: number;
  /** First backoff; doubles each retry, with jitter; Retry-After is honoured. Default 500 ms. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Requests in flight at once to this endpoint, shared by every client of it in the process. Default 4. */
  maxConcurrency?: number;
  pricing?: LlmPricing;
  headers?: Record<string, string>;
  /** Ask for usage in the last streamed chunk (stream_options.include_usage). Default true. */
  streamUsage?: boolean;
  /** Injected fetch (tests, proxies). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Checks each outbound URL before it is requested (an SSRF guard); throw to refuse. */
  checkUrl?: (url: URL) => void | Promise<void>;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Stream by SSE; implied by onToken. */
  stream?: boolean;
  onToken?: (token: string) => void;
  signal?: AbortSignal;
  /** Ask for a JSON object response (response_format). */
  json?: boolean;
  timeoutMs?: number;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the server sent no usage and tokens were estimated (~4 characters a token). */
  estimated: boolean;
}

export interface ChatResult {
  text: string;
  /** Model as reported by the server (falls back to the configured one). */
  model: string;
  usage: LlmUsage;
  cost: number;
  currency: string;
  attempts: number;
  latencyMs: number;
  finishReason?: string;
}

export interface LlmTotals {
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  currency: string;
}

export interface LlmProvider {
  readonly name: string;
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResult>;
  totals(): LlmTotals;
}

export type LlmErrorCode = 'timeout' | 'http' | 'network' | 'aborted' | 'bad_response';

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly status?: number;
  readonly retryable: boolean;
  attempts = 1;
  /** Seconds from a Retry-After header. */
  readonly retryAfterMs?: number;
  constructor(
    code: LlmErrorCode,
    message: string,
    extra: { status?: number; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'LlmError';
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
    this.retryable = extra.retryable ?? false;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }
}
