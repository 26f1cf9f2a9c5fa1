import { TranslateError } from '../../errors.js';

export interface HttpOptions {
  /** Per request (default 60 s). */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Replaceable for tests or a proxy; default global fetch. */
  readonly fetch?: typeof fetch;
}

/** Sends a request and returns the parsed JSON body; HTTP and network failures become TranslateErrors. */
export async function requestJson(
  provider: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: string; contentType?: string },
  options: HttpOptions = {},
): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (init.contentType) headers['content-type'] = init.contentType;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: init.method,
      body: init.body,
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new TranslateError(
      timedOut ? 'ENGINE_TIMEOUT' : 'ENGINE_UNAVAILABLE',
      `${provider}: ${timedOut ? 'no answer in time' : 'cannot reach'} ${redact(url)}`,
      { provider, url: redact(url) },
      { cause: error },
    );
  }
  const body = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = body === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    throw new TranslateError(
      'PROVIDER_ERROR',
      `${provider} answered ${response.status}: ${errorMessage(parsed) ?? body.slice(0, 300)}`,
      {
        provider,
        status: response.status,
      },
    );
  }
  if (parsed === undefined) {
    throw new TranslateError(
      'PROVIDER_ERROR',
      `${provider} answered with a body that is not JSON: ${body.slice(0, 200)}`,
      { provider, status: response.status },
    );
  }
  return parsed;
}

function errorMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  const error = record['error'];
  if (typeof error === 'string') return error;
  if (
    error &&
    typeof error === 'object' &&
    typeof (error as Record<string, unknown>)['message'] === 'string'
  ) {
    return (error as Record<string, string>)['message'];
  }
  if (typeof record['explanation'] === 'string') return record['explanation'];
  if (typeof record['message'] === 'string') return record['message'];
  return null;
}

/** Keys in query strings are not for logs. */
function redact(url: string): string {
  return url.replace(/([?&](?:api_key|key|token)=)[^&]*/gi, '$1***');
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Runs `task` over items with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function badResponse(provider: string, what: string): TranslateError {
  return new TranslateError('PROVIDER_ERROR', `${provider} answered without ${what}`, { provider });
}
