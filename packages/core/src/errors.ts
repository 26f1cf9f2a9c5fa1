/** Stable error codes; the API maps them to GraphQL `extensions.code` in one place. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof Error && e.name === 'DomainError' && typeof (e as DomainError).code === 'string';
}

/**
 * A failure of an AI engine or a job step, with a stable code and whether the same request may
 * succeed later (engine crash, timeout, provider 429/5xx) or never will (bad input, wrong configuration).
 * The job runtime and the API each map it in one place: to a job's retry decision and errorCode,
 * and to a GraphQL error.
 */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** Failure codes of engines that mean the engine, not the request, failed: a retry may succeed. */
const TRANSIENT_ENGINE_CODES: ReadonlySet<string> = new Set([
  'ENGINE_UNAVAILABLE',
  'ENGINE_TIMEOUT',
  'ENGINE_FAILED',
  'MODEL_UNAVAILABLE',
]);

/** An HTTP status a later call may not get: timeout, rate limit, server errors. */
export function isRetryableStatus(status: unknown): boolean {
  return typeof status === 'number' && (status === 408 || status === 429 || status >= 500);
}

/**
 * The one retry rule of the engines' error codes: the engine's own trouble (unavailable, timed out,
 * failed, model not loaded) and a provider's retryable HTTP status (`details.status`) may pass; every
 * other code describes the request (bad input, unsupported media, wrong configuration).
 */
export function isTransientFailure(code: string, details: Readonly<Record<string, unknown>> = {}): boolean {
  return (
    TRANSIENT_ENGINE_CODES.has(code) || (code === 'PROVIDER_ERROR' && isRetryableStatus(details['status']))
  );
}

/** Anything that carries a code and a retry decision: EngineError, and area errors shaped like it. */
export function isEngineError(e: unknown): e is Error & { code: string; retryable: boolean } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { retryable?: unknown }).retryable === 'boolean'
  );
}
