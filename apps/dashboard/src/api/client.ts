import type { TypedDocumentString } from '../gql/graphql.js';

/**
 * The dashboard's GraphQL client: POST /graphql with the API key, errors turned into ApiError.
 * Documents are typed: write them with `graphql(...)` from `src/gql` (generated from the API's
 * schema.graphql by `pnpm codegen`), so a field or operation the API lacks fails the build.
 */

export interface GqlErrorBody {
  message: string;
  extensions?: { code?: string; problems?: string[]; [k: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: string[] = [],
    readonly status = 0,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const KEY = 'mediaai.apiKey';
let apiKey: string | null = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
const unauthListeners = new Set<() => void>();

export const getKey = () => apiKey;
export function setKey(key: string, remember: boolean): void {
  apiKey = key;
  sessionStorage.setItem(KEY, key);
  if (remember) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}
export function clearKey(): void {
  apiKey = null;
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}
/** Called when the server rejects the key (revoked, unknown), so the app can ask for another. */
export function onUnauthenticated(fn: () => void): () => void {
  unauthListeners.add(fn);
  return () => unauthListeners.delete(fn);
}

export const authHeader = (): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {});

/** `usedKey`: the key the request carried; only the session's key being refused signs the session out. */
export function errorFromBody(body: unknown, status: number, usedKey: string | null = apiKey): ApiError {
  const first = (body as { errors?: GqlErrorBody[] } | null)?.errors?.[0];
  if (!first)
    return new ApiError(
      `The server answered ${status} without an explanation`,
      status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'HTTP_ERROR',
      [],
      status,
    );
  const code = String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const err = new ApiError(
    first.message,
    code,
    (first.extensions?.problems as string[] | undefined) ?? [],
    status,
  );
  if (code === 'UNAUTHENTICATED' && usedKey !== null && usedKey === apiKey)
    unauthListeners.forEach((fn) => fn());
  return err;
}

type Vars<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/** Runs a typed document: its answer's type and its variables' come from the schema. */
export function send<R, V>(doc: TypedDocumentString<R, V>, ...[variables]: Vars<V>): Promise<R> {
  return request<R>(doc.toString(), (variables ?? {}) as Record<string, unknown>);
}

/** Runs a typed document with another key than the session's (sign-in checks a key before keeping it). */
export function sendWithKey<R, V>(key: string, doc: TypedDocumentString<R, V>, ...[variables]: Vars<V>) {
  return request<R>(doc.toString(), (variables ?? {}) as Record<string, unknown>, key);
}

async function request<T>(query: string, variables: Record<string, unknown>, key = apiKey): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server could not be reached', 'NETWORK');
  }
  let body: { data?: T; errors?: GqlErrorBody[] } | null = null;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(
      `The server answered ${res.status} with something that is not GraphQL`,
      res.status >= 500 ? 'UNAVAILABLE' : 'HTTP_ERROR',
      [],
      res.status,
    );
  }
  if (body?.errors?.length) throw errorFromBody(body, res.status, key);
  if (!body?.data)
    throw new ApiError('The server answered without data', 'INTERNAL_SERVER_ERROR', [], res.status);
  return body.data;
}

/** What a person can do about an error, by its code; the server's message follows it. */
const ADVICE: Record<string, string> = {
  UNAUTHENTICATED: 'Your API key was not accepted. Sign in again with a key that has not been revoked.',
  FORBIDDEN: "Your key's role does not allow this. Ask an admin for an editor or admin key.",
  BAD_USER_INPUT: 'Something in the form needs fixing.',
  NOT_FOUND: 'It no longer exists, or belongs to another newsroom. Reload the list.',
  CONFLICT: 'It clashes with something that already exists.',
  RATE_LIMITED: 'Too many requests with this key. Wait a moment and try again.',
  QUOTA_EXCEEDED:
    "Your newsroom's job quota is used up. Wait for jobs to finish, or ask an admin to raise the quota.",
  PAYLOAD_TOO_LARGE: 'The file or request is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'This kind of file is not accepted. Upload an image, audio or video file.',
  UNAVAILABLE:
    'A service the platform needs is unavailable. Try again in a minute; tell an admin if it lasts.',
  NETWORK: 'Check your connection, and that the platform is running.',
  INTERNAL_SERVER_ERROR:
    'The server failed unexpectedly. Try again; if it keeps failing, tell an admin (the API log has the details).',
  GRAPHQL_VALIDATION_FAILED:
    'This server does not offer the operation the dashboard asked for (its API is older or newer than the dashboard).',
};

export function describeError(e: unknown): {
  headline: string;
  detail: string;
  code: string;
  problems: string[];
} {
  if (e instanceof ApiError) {
    return {
      headline: ADVICE[e.code] ?? 'The request failed.',
      detail: e.message,
      code: e.code,
      problems: e.problems,
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { headline: 'Something went wrong in the dashboard.', detail: msg, code: 'CLIENT', problems: [] };
}
