export type HttpErrorKind = 'timeout' | 'network' | 'http' | 'aborted' | 'refused' | 'bad_response';

/** A failed call to an outside HTTP service; `retryable` says whether the same call may succeed later. */
export class HttpError extends Error {
  readonly kind: HttpErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** The provider's own message (from `{error: {message}}`, `{error}`, `{detail}` or the text body). */
  readonly detail: string | undefined;
  attempts = 1;

  constructor(
    kind: HttpErrorKind,
    message: string,
    opts: {
      status?: number;
      retryable?: boolean;
      retryAfterMs?: number;
      detail?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'HttpError';
    this.kind = kind;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.detail = opts.detail;
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
