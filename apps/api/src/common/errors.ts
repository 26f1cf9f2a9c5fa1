import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { isDomainError, type ErrorCode } from '@media-ai/core';
import type { Logger } from 'pino';

const PRISMA_CODES: Record<string, { code: ErrorCode; message: string }> = {
  P2025: { code: 'NOT_FOUND', message: 'The record was not found' },
  P2002: { code: 'CONFLICT', message: 'A record with the same unique value already exists' },
  P2003: { code: 'BAD_USER_INPUT', message: 'A referenced record does not exist' },
  P2023: { code: 'BAD_USER_INPUT', message: 'An id is malformed' },
};

/** The one place that turns domain, validation and database errors into GraphQL errors with a stable code. */
export function toGraphQLError(err: unknown): GraphQLError {
  if (
    err instanceof GraphQLError &&
    err.extensions?.code &&
    !(err.originalError instanceof Error && err.originalError !== err)
  ) {
    return err;
  }
  const original = err instanceof GraphQLError && err.originalError ? err.originalError : err;
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
  const pgCode = (original as { cause?: { originalCode?: string } } | null)?.cause?.originalCode;
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
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

export function makeFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = error instanceof GraphQLError ? error.originalError : error;
    const ours = isDomainError(original) || original instanceof ArgumentValidationError;
    // Errors Apollo raised itself (parse, validation, bad variables) already carry their code.
    if (!ours && code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const mapped = toGraphQLError(error);
    if (mapped.extensions.code === 'INTERNAL_SERVER_ERROR') {
      const orig = error instanceof GraphQLError ? error.originalError : error;
      log.error(
        { err: orig instanceof Error ? { message: orig.message, stack: orig.stack } : orig },
        'unexpected error',
      );
    }
    return {
      message: mapped.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: mapped.extensions,
    };
  };
}
