import { EngineError, isTransientFailure } from '@media-ai/core';

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

/** An EngineError with a speech code; `retryable` follows the engines' one rule (isTransientFailure). */
export class SpeechError extends EngineError {
  declare readonly code: SpeechErrorCode;

  constructor(
    code: SpeechErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, isTransientFailure(code, details), details, options);
    this.name = 'SpeechError';
  }
}

export function isSpeechError(error: unknown, code?: SpeechErrorCode): error is SpeechError {
  return error instanceof SpeechError && (code === undefined || error.code === code);
}
