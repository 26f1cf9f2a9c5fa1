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

/** Failure codes of jobs that can never run as they are, whatever the recorded flag says. */
const NEVER_RETRYABLE_CODES = new Set(['UNKNOWN_JOB_TYPE']);
/** Codes that, on rows from before the flag was recorded, mean the input was at fault. */
const INPUT_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']);

/**
 * Whether retryJob can help a job now: a cancelled job, or one that failed for a passing reason.
 * A job that failed on its input (bad payload, a deleted item, an unsupported file) fails the same way again.
 */
export function canRetry(row: {
  status: string;
  retryable: boolean | null;
  errorCode: string | null;
}): boolean {
  if (row.status === 'CANCELLED') return true;
  if (row.status !== 'FAILED') return false;
  if (row.errorCode && NEVER_RETRYABLE_CODES.has(row.errorCode)) return false;
  if (row.retryable !== null) return row.retryable;
  return !(row.errorCode && INPUT_CODES.has(row.errorCode));
}
