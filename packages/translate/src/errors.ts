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

/** Codes worth a retry by the job queue: the input was fine, the engine was not. */
const RETRYABLE: ReadonlySet<TranslateErrorCode> = new Set([
  'ENGINE_UNAVAILABLE',
  'ENGINE_TIMEOUT',
  'ENGINE_FAILED',
]);

export class TranslateError extends Error {
  readonly code: TranslateErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: TranslateErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TranslateError';
    this.code = code;
    this.details = details;
  }

  get retryable(): boolean {
    return (
      RETRYABLE.has(this.code) ||
      (this.code === 'PROVIDER_ERROR' && isRetryableStatus(this.details['status']))
    );
  }
}

function isRetryableStatus(status: unknown): boolean {
  return typeof status === 'number' && (status === 429 || status >= 500);
}

export function isTranslateError(error: unknown, code?: TranslateErrorCode): error is TranslateError {
  return error instanceof TranslateError && (code === undefined || error.code === code);
}
