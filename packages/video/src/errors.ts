import { EngineError } from '@media-ai/core';

/** Why a video was refused or could not be processed. Persisted as a job's errorCode: do not rename. */
export type VideoErrorCode =
  | 'CORRUPT'
  | 'NO_VIDEO_STREAM'
  | 'TOO_LONG'
  | 'UNSUPPORTED'
  | 'BAD_RANGE'
  | 'ENGINE_UNAVAILABLE'
  | 'ENGINE_FAILED'
  | 'CANCELLED';

const RETRYABLE: ReadonlySet<VideoErrorCode> = new Set(['ENGINE_FAILED']);

/** An error of the video area: the input's fault (never retried) or the engine's (ENGINE_FAILED, retried). */
export class VideoError extends EngineError {
  declare readonly code: VideoErrorCode;

  constructor(
    code: VideoErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, RETRYABLE.has(code), details, options);
    this.name = 'VideoError';
  }
}

export function isVideoError(error: unknown, code?: VideoErrorCode): error is VideoError {
  return error instanceof VideoError && (code === undefined || error.code === code);
}
