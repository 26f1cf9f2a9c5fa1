import { SpeechError } from '../errors.js';

/** "http://gpu:8000", "http://gpu:8000/" and "http://gpu:8000/v1" all mean the same OpenAI-compatible server. */
export function openAiBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SpeechError('INVALID_CONFIG', `"${baseUrl}" is not a URL; use e.g. http://gpu-host:8000/v1`);
  }
  const trimmed = url.toString().replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

export interface FetchOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  apiKey?: string;
  what: string;
}

/** fetch with a timeout, the caller's abort signal, and failures mapped to SpeechErrors. */
export async function providerFetch(
  url: string,
  init: RequestInit,
  options: FetchOptions,
): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers = new Headers(init.headers);
  if (options.apiKey) headers.set('authorization', `Bearer ${options.apiKey}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, signal });
  } catch (error) {
    if (options.signal?.aborted) throw new SpeechError('CANCELLED', `${options.what} was cancelled`);
    if (timeout.aborted) {
      throw new SpeechError(
        'ENGINE_TIMEOUT',
        `${options.what} got no answer within ${Math.round(options.timeoutMs / 1000)} s`,
        {
          url,
        },
      );
    }
    throw new SpeechError(
      'ENGINE_UNAVAILABLE',
      `${options.what} could not reach ${url}: ${(error as Error).message}`,
      { url },
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    let message = body.slice(0, 300);
    try {
      const parsed = JSON.parse(body) as { error?: { message?: string } | string; detail?: string };
      message =
        (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) ?? parsed.detail ?? message;
    } catch {
      // Not JSON: keep the text.
    }
    throw new SpeechError(
      'PROVIDER_ERROR',
      `${options.what} failed with HTTP ${response.status}: ${message}`,
      {
        status: response.status,
        url,
      },
    );
  }
  return response;
}
