import { UnrecoverableError } from 'bullmq';
import { EngineError, isDomainError, isEngineError } from '@media-ai/core';

/** How a failed try is recorded and whether the queue tries again. */
export interface JobFailure {
  code: string;
  message: string;
  retryable: boolean;
}

/** DomainError codes that describe a passing condition; the rest describe the request itself. */
const TRANSIENT_DOMAIN_CODES = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

/**
 * The one mapping from an error thrown by a handler (or a sandbox thread) to a job failure.
 * Errors that cannot succeed on a retry (bad input, unknown ids, unsupported media, wrong
 * configuration) fail the job at once; engine failures, timeouts and unknown errors are retried.
 */
export function jobFailureOf(err: unknown): JobFailure {
  if (isEngineError(err)) return { code: err.code, message: err.message, retryable: err.retryable };
  if (isDomainError(err)) {
    return { code: err.code, message: err.message, retryable: TRANSIENT_DOMAIN_CODES.has(err.code) };
  }
  if (err instanceof UnrecoverableError) {
    return { code: 'BAD_USER_INPUT', message: err.message, retryable: false };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'JOB_FAILED', message: err.message, retryable: true };
  }
  return { code: 'JOB_FAILED', message: String(err), retryable: true };
}

/** The failure again as an error (what crosses a sandbox thread's boundary comes back as this). */
export function jobFailureError(f: JobFailure): EngineError {
  return new EngineError(f.code, f.message, f.retryable);
}
