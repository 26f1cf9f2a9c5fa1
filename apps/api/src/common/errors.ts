import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError, isDomainError, isEngineError, type ErrorCode } from '@media-ai/core';
import type { Logger } from 'pino';

const PRISMA_CODES: Record<string, { code: ErrorCode; message: string }> = {
  P2025: { code: 'NOT_FOUND', message: 'The record was not found' },
  P2002: { code: 'CONFLICT', message: 'A record with the same unique value already exists' },
  P2003: { code: 'BAD_USER_INPUT', message: 'A referenced record does not exist' },
  P2023: { code: 'BAD_USER_INPUT', message: 'An id is malformed' },
};

/** Seconds a client is told to wait (Retry-After) when the database or Redis is unreachable. */
export const RETRY_AFTER_UNAVAILABLE_S = 5;

const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNAVAILABLE_TEXT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Can't reach database|Connection terminated|Connection is closed|connection timeout|Timed out fetching a new connection|Command timed out|Reached the max retries per request|Stream isn't writeable|DatabaseNotReachable|ConnectionClosed|SocketTimeout|the database system is (starting up|shutting down)/i;

/** Whether an error means PostgreSQL or Redis could not be reached (a temporary failure, worth a retry). */
export function isUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const x = e as { code?: unknown; name?: string; message?: string; cause?: unknown; kind?: string };
    if (typeof x.code === 'string' && UNAVAILABLE_PRISMA.has(x.code)) return true;
    // SQLSTATE: connection exceptions, the server shutting down or starting, too many connections.
    if (typeof x.code === 'string' && /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/.test(x.code)) return true;
    if (x.name === 'MaxRetriesPerRequestError') return true;
    if (
      typeof x.kind === 'string' &&
      /NotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(x.kind)
    )
      return true;
    if (typeof x.message === 'string' && UNAVAILABLE_TEXT.test(x.message)) return true;
    if (typeof x.code === 'string' && UNAVAILABLE_TEXT.test(x.code)) return true;
    e = x.cause ?? (e instanceof GraphQLError ? e.originalError : undefined);
  }
  return false;
}

/** Engine codes that mean the platform failed, not the request (beside any retryable failure): UNAVAILABLE. */
const PLATFORM_ENGINE_CODES: ReadonlySet<string> = new Set([
  'INVALID_CONFIG',
  'ENGINE_UNAVAILABLE',
  'ENGINE_TIMEOUT',
  'ENGINE_FAILED',
  'PROVIDER_ERROR',
  'MODEL_UNAVAILABLE',
]);

/** Besides engineCode, the name an area's documentation gives its code in extensions. */
const AREA_CODE_KEYS: Readonly<Record<string, string>> = {
  TranslateError: 'translateCode',
  TranslationConfigError: 'translateCode',
};

/** Details of an engine error a client may see (never paths, commands or provider addresses). */
const PUBLIC_ENGINE_DETAILS = [
  'language',
  'from',
  'to',
  'length',
  'limit',
  'index',
  'field',
  'voice',
  'status',
];

const ENGINE_HINTS: Readonly<Record<string, string>> = {
  UNSUPPORTED_PAIR: ' The translationPairs query lists the pairs this platform translates.',
  ENGINE_UNAVAILABLE: ' Try again shortly.',
  ENGINE_TIMEOUT: ' Try again shortly, or send a shorter text.',
  ENGINE_FAILED: ' Try again shortly.',
};

/**
 * An engine failure of any area (EngineError: speech, vision, translate, video ...) as a DomainError:
 * UNAVAILABLE when a retry may succeed or the platform itself is at fault, BAD_USER_INPUT otherwise;
 * extensions carry engineCode and retryable (and translateCode for translation, as documented).
 */
export function engineAsDomainError(error: Error & { code: string; retryable: boolean }): DomainError {
  const code: ErrorCode =
    error.retryable || PLATFORM_ENGINE_CODES.has(error.code) ? 'UNAVAILABLE' : 'BAD_USER_INPUT';
  const details: Record<string, unknown> = { engineCode: error.code, retryable: error.retryable };
  const areaKey = AREA_CODE_KEYS[error.name];
  if (areaKey) details[areaKey] = error.code;
  const own = (error as { details?: Record<string, unknown> }).details ?? {};
  for (const key of PUBLIC_ENGINE_DETAILS) {
    const value = own[key];
    if (typeof value === 'string' || typeof value === 'number') details[key] = value;
  }
  return new DomainError(code, `${error.message}${ENGINE_HINTS[error.code] ?? ''}`, details);
}

/** Domain errors as they are, engine errors of every area mapped once (engineAsDomainError). */
function asDomainError(err: unknown): unknown {
  return !isDomainError(err) && isEngineError(err) ? engineAsDomainError(err) : err;
}

/**
 * The one place that turns domain, engine, validation and database errors into GraphQL errors with a
 * stable code.
 */
export function toGraphQLError(err: unknown): GraphQLError {
  if (
    err instanceof GraphQLError &&
    err.extensions?.code &&
    !(err.originalError instanceof Error && err.originalError !== err)
  ) {
    return err;
  }
  const original = asDomainError(err instanceof GraphQLError && err.originalError ? err.originalError : err);
  if (isDomainError(original)) {
    return new GraphQLError(original.message, {
      extensions: { code: original.code, ...(original.details ?? {}) },
    });
  }
  if (original instanceof ArgumentValidationError) {
    const problems = original.extensions.validationErrors.flatMap((v) =>
      Object.values(v.constraints ?? {}).concat(
        (v.children ?? []).flatMap((c) => Object.values(c.constraints ?? {})),
      ),
    );
    return new GraphQLError(`Invalid input: ${problems.join('; ')}`, {
      extensions: { code: 'BAD_USER_INPUT', problems },
    });
  }
  const prismaCode = (original as { code?: string } | null)?.code;
  if (prismaCode && PRISMA_CODES[prismaCode]) {
    const m = PRISMA_CODES[prismaCode];
    return new GraphQLError(m.message, { extensions: { code: m.code } });
  }
  // PostgreSQL's SQLSTATE: through Prisma's driver adapter, or from node-postgres directly.
  const pgCode =
    (original as { cause?: { originalCode?: string } } | null)?.cause?.originalCode ??
    (typeof prismaCode === 'string' && /^[0-9A-Z]{5}$/.test(prismaCode) ? prismaCode : undefined);
  if (pgCode === '23505')
    return new GraphQLError(PRISMA_CODES.P2002.message, { extensions: { code: 'CONFLICT' } });
  if (pgCode === '22P02') {
    // Postgres could not parse a value (almost always an id that is not a UUID).
    return new GraphQLError(
      'An id is malformed: ids are UUIDs such as 3f2b9c1e-8a4d-4c1b-9f0e-2d7a6b5c4e3f',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  if (err instanceof GraphQLError && !err.originalError) return err;
  if (isUnavailable(original)) {
    return new GraphQLError('A service the API needs (database or Redis) is unreachable; retry shortly', {
      extensions: { code: 'UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S },
    });
  }
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * Shapes every error of an answer: our codes, never a stack trace. Unexpected errors are logged by the
 * request plugin in app.ts with the request id, which the answer carries instead.
 */
export function makeFormatError(_log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = error instanceof GraphQLError ? error.originalError : error;
    const ours =
      isDomainError(original) || isEngineError(original) || original instanceof ArgumentValidationError;
    // Errors Apollo raised itself (parse, validation, bad variables) already carry their code.
    if (!ours && code && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const mapped = toGraphQLError(error);
    return {
      message: mapped.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: mapped.extensions,
    };
  };
}

/** HTTP status of each error code, for answers outside GraphQL (and GraphQL context failures). */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  UNAVAILABLE: 503,
};

export interface HttpError {
  code: ErrorCode;
  message: string;
  status: number;
  details: Record<string, unknown>;
  /** Not one of ours: log it with the request id. */
  unexpected: boolean;
}

/**
 * An error of a plain HTTP route (uploads, downloads, the compatible APIs) as a code, a message and a
 * status: domain errors as they are, body-parser failures as the client's, outages as UNAVAILABLE.
 */
export function httpErrorOf(thrown: unknown, maxRequestBytes: number): HttpError {
  const err = asDomainError(thrown);
  const e = err as { type?: string; status?: number; message?: string };
  let code: ErrorCode = 'INTERNAL_SERVER_ERROR';
  let message = 'Internal server error';
  let details: Record<string, unknown> = {};
  let unexpected = false;
  if (isDomainError(err)) {
    code = err.code;
    message = err.message;
    details = err.details ?? {};
  } else if (e?.type === 'entity.too.large') {
    code = 'PAYLOAD_TOO_LARGE';
    message = `The request body is larger than ${maxRequestBytes} bytes`;
  } else if (
    e?.type === 'entity.parse.failed' ||
    e?.type === 'encoding.unsupported' ||
    e?.type === 'charset.unsupported'
  ) {
    code = 'BAD_USER_INPUT';
    message = 'The request body is not valid JSON in UTF-8';
  } else if (isUnavailable(err)) {
    code = 'UNAVAILABLE';
    message = 'A service the API needs (database or Redis) is unreachable; retry shortly';
  } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    code = 'BAD_USER_INPUT';
    message = 'The request is malformed';
  } else {
    const mapped = toGraphQLError(err);
    if (mapped.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      code = mapped.extensions.code as ErrorCode;
      message = mapped.message;
    } else unexpected = true;
  }
  return { code, message, status: HTTP_STATUS[code] ?? 500, details, unexpected };
}
