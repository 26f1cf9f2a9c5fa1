/** Every failure this package reports carries one of these codes; the API maps them to GraphQL errors. */
export type SpeechErrorCode =
  /** Not an audio or video file we decode, or a file without an audio track. */
  | 'UNSUPPORTED_MEDIA'
  /** Longer than the configured duration limit. */
  | 'TOO_LONG'
  /** Decodes, but holds no audible signal. */
  | 'SILENT'
  /** Looks like a media file but cannot be decoded (truncated, damaged, empty). */
  | 'CORRUPT'
  | 'EMPTY_TEXT'
  | 'TEXT_TOO_LONG'
  | 'UNKNOWN_VOICE'
  | 'UNSUPPORTED_LANGUAGE'
  | 'UNSUPPORTED_FORMAT'
  | 'INVALID_INPUT'
  | 'INVALID_CONFIG'
  | 'CANCELLED'
  | 'ENGINE_UNAVAILABLE'
  | 'ENGINE_TIMEOUT'
  | 'ENGINE_FAILED'
  | 'PROVIDER_ERROR';

/** Codes worth a retry by the job queue: the input was fine, the engine was not. */
const RETRYABLE: ReadonlySet<SpeechErrorCode> = new Set([
  'ENGINE_UNAVAILABLE',
  'ENGINE_TIMEOUT',
  'ENGINE_FAILED',
]);

export class SpeechError extends Error {
  readonly code: SpeechErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: SpeechErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpeechError';
    this.code = code;
    this.details = details;
  }

  /** True when the same request may succeed later (engine crash, timeout, provider 429/5xx). */
  get retryable(): boolean {
    if (RETRYABLE.has(this.code)) return true;
    const status = this.details['status'];
    return this.code === 'PROVIDER_ERROR' && typeof status === 'number' && (status === 429 || status >= 500);
  }
}

export function isSpeechError(error: unknown, code?: SpeechErrorCode): error is SpeechError {
  return error instanceof SpeechError && (code === undefined || error.code === code);
}
