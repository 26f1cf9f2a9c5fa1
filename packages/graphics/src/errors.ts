import { EngineError } from '@media-ai/core';

/** Why a graphic was refused or could not be made. Persisted as a job's errorCode: do not rename. */
export type GraphicsErrorCode =
  | 'BAD_INPUT'
  | 'UNSUPPORTED_SCRIPT'
  | 'FONT_MISSING'
  | 'BAD_IMAGE'
  | 'PROVIDER_REFUSED'
  | 'PROVIDER_FAILED'
  | 'NOT_CONFIGURED'
  | 'CANCELLED';

const RETRYABLE: ReadonlySet<GraphicsErrorCode> = new Set(['PROVIDER_FAILED']);

/** An error of the graphics area: the input's fault (never retried) or the provider's (PROVIDER_FAILED, retried). */
export class GraphicsError extends EngineError {
  declare readonly code: GraphicsErrorCode;

  constructor(
    code: GraphicsErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(code, message, options?.retryable ?? RETRYABLE.has(code), details, options);
    this.name = 'GraphicsError';
  }
}

export function isGraphicsError(error: unknown, code?: GraphicsErrorCode): error is GraphicsError {
  return error instanceof GraphicsError && (code === undefined || error.code === code);
}
