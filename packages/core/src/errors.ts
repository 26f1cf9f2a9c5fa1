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

/** Anything that carries a code and a retry decision: EngineError, and area errors shaped like it. */
export function isEngineError(e: unknown): e is Error & { code: string; retryable: boolean } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { retryable?: unknown }).retryable === 'boolean'
  );
}
