import { EngineError, isTransientFailure } from '@media-ai/core';

/** Every failure this package reports carries one of these codes; the API maps them to GraphQL errors. */
export type TranslateErrorCode =
  | 'UNKNOWN_LANGUAGE'
  | 'UNSUPPORTED_PAIR'
  | 'EMPTY_TEXT'
  | 'TEXT_TOO_LARGE'
  | 'INVALID_INPUT'
  | 'INVALID_CONFIG'
  | 'ENGINE_UNAVAILABLE'
  | 'ENGINE_TIMEOUT'
  | 'ENGINE_FAILED'
  | 'PROVIDER_ERROR';

/** An EngineError with a translation code; `retryable` follows the engines' one rule (isTransientFailure). */
export class TranslateError extends EngineError {
  declare readonly code: TranslateErrorCode;

  constructor(
    code: TranslateErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, isTransientFailure(code, details), details, options);
    this.name = 'TranslateError';
  }
}

export function isTranslateError(error: unknown, code?: TranslateErrorCode): error is TranslateError {
  return error instanceof TranslateError && (code === undefined || error.code === code);
}
