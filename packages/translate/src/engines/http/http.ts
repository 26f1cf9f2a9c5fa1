import { HttpClient, isHttpError, type CheckUrl } from '@media-ai/http';
import { TranslateError } from '../../errors.js';

export interface HttpOptions {
  /** Per request (default 60 s). */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Retries on network errors, timeouts, 429 and 5xx, honouring Retry-After (default 2). */
  readonly maxRetries?: number;
  /** Checks each outbound URL before it is requested (an SSRF guard); throw to refuse. */
  readonly checkUrl?: CheckUrl;
  /** Replaceable for a proxy; default global fetch. */
  readonly fetch?: typeof fetch;
}

/**
 * Sends a request through the shared HTTP client (retries, Retry-After, the endpoint's limiter) and
 * returns the parsed JSON body; HTTP and network failures become TranslateErrors.
 */
export async function requestJson(
  provider: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: string; contentType?: string },
  options: HttpOptions = {},
): Promise<unknown> {
  const headers: Record<string, string> = { ...options.headers };
  if (init.contentType) headers['content-type'] = init.contentType;
  try {
    const client = new HttpClient({
      baseUrl: url,
      headers,
      what: provider,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.checkUrl ? { checkUrl: options.checkUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const response = await client.request('', {
      method: init.method,
      accept: 'application/json',
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const body = await response.text();
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new TranslateError(
        'PROVIDER_ERROR',
        `${provider} answered with a body that is not JSON: ${body.slice(0, 200)}`,
        { provider, status: response.status },
      );
    }
  } catch (error) {
    if (!isHttpError(error)) throw error;
    const code =
      error.kind === 'timeout'
        ? 'ENGINE_TIMEOUT'
        : error.kind === 'network'
          ? 'ENGINE_UNAVAILABLE'
          : 'PROVIDER_ERROR';
    throw new TranslateError(
      code,
      error.status !== undefined
        ? `${provider} answered ${error.status}: ${error.detail ?? ''}`
        : `${provider}: ${error.message}`,
      { provider, url: redact(url), ...(error.status !== undefined ? { status: error.status } : {}) },
      { cause: error },
    );
  }
}

/** Keys in query strings are not for logs. */
function redact(url: string): string {
  return url.replace(/([?&](?:api_key|key|token)=)[^&]*/gi, '$1***');
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export { mapLimit } from '@media-ai/http';

export function badResponse(provider: string, what: string): TranslateError {
  return new TranslateError('PROVIDER_ERROR', `${provider} answered without ${what}`, { provider });
}
