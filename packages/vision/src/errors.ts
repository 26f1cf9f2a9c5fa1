import { EngineError, isTransientFailure } from '@media-ai/core';

/** Why an image was refused. Persisted by the platform: do not rename. */
export type VisionErrorCode =
  'NOT_AN_IMAGE' | 'TRUNCATED' | 'TOO_LARGE_DIMENSIONS' | 'UNSUPPORTED' | 'MODEL_UNAVAILABLE';

/**
 * An EngineError with a stable code. Every code except MODEL_UNAVAILABLE describes the input itself,
 * so retrying the same bytes cannot help (the engines' one rule, isTransientFailure).
 */
export class VisionError extends EngineError {
  declare readonly code: VisionErrorCode;

  constructor(
    code: VisionErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, isTransientFailure(code), details, cause === undefined ? undefined : { cause });
    this.name = 'VisionError';
  }
}

export function isVisionError(error: unknown, code?: VisionErrorCode): error is VisionError {
  return error instanceof VisionError && (code === undefined || error.code === code);
}
