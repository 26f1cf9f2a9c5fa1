import { HttpClient, isHttpError, openAiBase as sharedOpenAiBase, type CheckUrl } from '@media-ai/http';
import { SpeechError } from '../errors.js';

/** "http://gpu:8000", "http://gpu:8000/" and "http://gpu:8000/v1" all mean the same OpenAI-compatible server. */
export function openAiBase(baseUrl: string): string {
  try {
    new URL(baseUrl);
  } catch {
    throw new SpeechError('INVALID_CONFIG', `"${baseUrl}" is not a URL; use e.g. http://gpu-host:8000/v1`);
  }
  return sharedOpenAiBase(baseUrl);
}

export interface FetchOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  apiKey?: string | undefined;
  what: string;
  /** Retries on network errors, timeouts, 429 and 5xx, honouring Retry-After (default 2). */
  maxRetries?: number;
  checkUrl?: CheckUrl;
}

/**
 * A request through the shared HTTP client (timeout, retries honouring Retry-After, the endpoint's
 * limiter, the caller's abort signal), failures mapped to SpeechErrors. A FormData body goes as
 * multipart; a string body with the content-type of `headers`.
 */
export async function providerFetch(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | FormData },
  options: FetchOptions,
): Promise<Response> {
  const client = new HttpClient({
    baseUrl: url,
    timeoutMs: options.timeoutMs,
    what: options.what,
    ...(init.headers ? { headers: init.headers } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.checkUrl ? { checkUrl: options.checkUrl } : {}),
  });
  try {
    return await client.request('', {
      method: init.method ?? 'POST',
      ...(init.body instanceof FormData
        ? { form: init.body }
        : init.body !== undefined
          ? { body: init.body }
          : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (!isHttpError(error)) throw error;
    if (error.kind === 'aborted') throw new SpeechError('CANCELLED', `${options.what} was cancelled`);
    if (error.kind === 'timeout') {
      throw new SpeechError(
        'ENGINE_TIMEOUT',
        `${options.what} got no answer within ${Math.round(options.timeoutMs / 1000)} s`,
        { url },
      );
    }
    if (error.kind === 'http') {
      throw new SpeechError(
        'PROVIDER_ERROR',
        `${options.what} failed with HTTP ${error.status}: ${error.detail ?? ''}`,
        { status: error.status, url },
      );
    }
    throw new SpeechError(
      'ENGINE_UNAVAILABLE',
      `${options.what} could not reach ${url}: ${error.message}`,
      { url },
      { cause: error },
    );
  }
}
