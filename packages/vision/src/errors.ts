/** Why an image was refused. Persisted by the platform: do not rename. */
export type VisionErrorCode =
  'NOT_AN_IMAGE' | 'TRUNCATED' | 'TOO_LARGE_DIMENSIONS' | 'UNSUPPORTED' | 'MODEL_UNAVAILABLE';

/**
 * A domain error with a stable code. Every code except MODEL_UNAVAILABLE
 * describes the input itself, so retrying the same bytes cannot help.
 */
export class VisionError extends Error {
  override readonly name = 'VisionError';
  readonly code: VisionErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: VisionErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.retryable = code === 'MODEL_UNAVAILABLE';
    this.details = details;
  }
}

export function isVisionError(error: unknown, code?: VisionErrorCode): error is VisionError {
  return error instanceof VisionError && (code === undefined || error.code === code);
}
