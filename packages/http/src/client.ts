import { HttpError } from './errors.js';
import { Semaphore } from './semaphore.js';
import { readSseData } from './sse.js';

/** Checks an outbound URL before each request (an SSRF guard plugs in here); throw to refuse. */
export type CheckUrl = (url: URL) => void | Promise<void>;

export interface HttpClientOptions {
  /** Server root; "/v1" is added for OpenAI-compatible servers when missing (see `openAiBase`). */
  baseUrl: string;
  apiKey?: string;
  headers?: Readonly<Record<string, string>>;
  /** Per attempt (default 60 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 408, 429 and 5xx (default 2). */
  maxRetries?: number;
  retryBaseMs?: number;
  /** Longest wait between attempts, Retry-After included (default 30 s). */
  retryMaxMs?: number;
  /** Requests in flight to this endpoint from this process; the smallest any client of it asks for holds (default 4). */
  maxConcurrency?: number;
  checkUrl?: CheckUrl;
  /** Replaceable for a proxy; default global fetch. */
  fetch?: typeof fetch;
  /** Names the service in error messages, e.g. "speech recognition". */
  what?: string;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as multipart/form-data. */
  form?: FormData;
  /** Sent as it is, with the content-type of the client's headers. */
  body?: string;
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** false: one attempt only (e.g. a request that is not safe to repeat). */
  retry?: boolean;
}

/** "http://gpu:8000", "http://gpu:8000/" and "http://gpu:8000/v1" all mean the same OpenAI-compatible server. */
export function openAiBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new HttpError('refused', `"${baseUrl}" is not a URL; use e.g. http://gpu-host:8000/v1`);
  }
  const trimmed = url.toString().replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

const limiters = new Map<string, Semaphore>();

/**
 * The one limiter of an endpoint (scheme, host and port) in this process, shared by every client of
 * it: its size is the smallest any client asked for (4 when none did).
 */
export function endpointLimiter(url: string, maxConcurrency?: number): Semaphore {
  const origin = new URL(url).origin;
  let limiter = limiters.get(origin);
  if (!limiter) {
    limiter = new Semaphore(Math.max(1, Math.floor(maxConcurrency ?? 4)));
    limiters.set(origin, limiter);
  } else if (maxConcurrency !== undefined) {
    limiter.lower(Math.max(1, Math.floor(maxConcurrency)));
  }
  return limiter;
}

/** Seconds or an HTTP date, as Retry-After may give them. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (header.trim() !== '' && Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HttpError('aborted', 'request aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HttpError('aborted', 'request aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function providerMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string } | string;
      detail?: unknown;
      explanation?: unknown;
      message?: unknown;
    };
    const m =
      (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) ??
      (typeof parsed.detail === 'string' ? parsed.detail : undefined) ??
      (typeof parsed.explanation === 'string' ? parsed.explanation : undefined) ??
      (typeof parsed.message === 'string' ? parsed.message : undefined);
    if (m) return m;
  } catch {
    // Not JSON: the text itself.
  }
  return body.slice(0, 300);
}

/** The response with a body that frees the limiter slot once read to the end, failed or cancelled. */
function holdUntilRead(response: Response, release: () => void): Response {
  if (!response.body) {
    release();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Keys in query strings are not for logs. */
function redact(url: string): string {
  return url.replace(/([?&](?:api_key|key|token)=)[^&]*/gi, '$1***');
}

/**
 * The client for OpenAI-compatible (and other JSON-over-HTTP) services of every area: a timeout per
 * attempt, retries with backoff on network errors, timeouts, 408, 429 and 5xx that honour
 * Retry-After, the caller's abort signal, one concurrency limiter per endpoint shared by every client
 * of the process, JSON, multipart and server-sent-event bodies, and an optional URL check.
 */
export class HttpClient {
  readonly baseUrl: string;
  private readonly limiter: Semaphore;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpClientOptions) {
    try {
      this.baseUrl = new URL(options.baseUrl).toString().replace(/\/+$/, '');
    } catch {
      throw new HttpError('refused', `"${options.baseUrl}" is not a URL; use e.g. http://gpu-host:8000/v1`);
    }
    this.limiter = endpointLimiter(this.baseUrl, options.maxConcurrency);
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private get what(): string {
    return this.options.what ?? new URL(this.baseUrl).host;
  }

  /** The base URL itself for an empty path. */
  url(path: string): string {
    return path ? `${this.baseUrl}/${path.replace(/^\/+/, '')}` : this.baseUrl;
  }

  /**
   * The response of a successful attempt (2xx). It holds one of the endpoint's slots until its body
   * is read to the end or cancelled: read or cancel it.
   */
  async request(path: string, req: RequestOptions = {}): Promise<Response> {
    const url = this.url(path);
    const maxRetries = req.retry === false ? 0 : (this.options.maxRetries ?? 2);
    for (let attempt = 1; ; attempt++) {
      const release = await this.limiter.acquire();
      try {
        return holdUntilRead(await this.attempt(url, req), release);
      } catch (e) {
        release();
        const err = e instanceof HttpError ? e : new HttpError('network', (e as Error).message, { cause: e });
        err.attempts = attempt;
        if (!err.retryable || attempt > maxRetries || req.signal?.aborted) throw err;
        const base = this.options.retryBaseMs ?? 500;
        const backoff = base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await sleep(Math.min(this.options.retryMaxMs ?? 30_000, err.retryAfterMs ?? backoff), req.signal);
      }
    }
  }

  /** POSTs (or GETs without a body) and parses the JSON answer. */
  async json<T = unknown>(path: string, req: RequestOptions = {}): Promise<T> {
    const response = await this.request(path, { accept: 'application/json', ...req });
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HttpError(
        'bad_response',
        `${this.what} answered with a body that is not JSON: ${text.slice(0, 200)}`,
        {
          status: response.status,
        },
      );
    }
  }

  /** The data of each server-sent event of the answer (`data: [DONE]` included, as sent). */
  async *events(path: string, req: RequestOptions = {}): AsyncGenerator<string> {
    const response = await this.request(path, { accept: 'text/event-stream', ...req });
    if (!response.body) throw new HttpError('bad_response', `${this.what} sent a stream without a body`);
    try {
      yield* readSseData(response.body);
    } finally {
      // A reader that stops early (after [DONE]) frees the endpoint's slot too.
      await response.body.cancel().catch(() => undefined);
    }
  }

  private async attempt(url: string, req: RequestOptions): Promise<Response> {
    await this.options.checkUrl?.(new URL(url));
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers = new Headers(this.options.headers);
    if (this.options.apiKey) headers.set('authorization', `Bearer ${this.options.apiKey}`);
    if (req.accept) headers.set('accept', req.accept);
    let body: RequestInit['body'] | undefined;
    if (req.form) body = req.form;
    else if (req.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(req.json);
    } else if (req.body !== undefined) body = req.body;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: req.method ?? (body ? 'POST' : 'GET'),
        headers,
        body,
        signal,
        redirect: 'manual',
      });
    } catch (error) {
      if (req.signal?.aborted)
        throw new HttpError('aborted', `${this.what}: request aborted`, { cause: error });
      if (timeout.aborted) {
        throw new HttpError(
          'timeout',
          `${this.what} gave no answer within ${Math.round(timeoutMs / 100) / 10} s`,
          {
            retryable: true,
            cause: error,
          },
        );
      }
      throw new HttpError(
        'network',
        `${this.what} could not be reached at ${redact(url)}: ${(error as Error).message}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const status = response.status;
    const detail = providerMessage(text);
    if (status >= 300 && status < 400) {
      throw new HttpError('http', `${this.what} answered with a redirect (${status}); give the final URL`, {
        status,
        detail,
      });
    }
    const ra = retryAfterMs(response.headers.get('retry-after'));
    throw new HttpError('http', `${this.what} answered HTTP ${status}: ${detail}`, {
      status,
      detail,
      retryable: status === 408 || status === 429 || status >= 500,
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
    });
  }
}
