import { DomainError, type ErrorCode } from '@media-ai/core';
import { isTranslateError, type TranslateErrorCode } from '@media-ai/translate';
import { TranslationConfigError } from '@media-ai/translate-platform';

/** The API's error code for each of packages/translate's codes. */
function domainCode(code: TranslateErrorCode): ErrorCode {
  switch (code) {
    case 'UNKNOWN_LANGUAGE':
    case 'UNSUPPORTED_PAIR':
    case 'EMPTY_TEXT':
    case 'TEXT_TOO_LARGE':
    case 'INVALID_INPUT':
      return 'BAD_USER_INPUT';
    case 'INVALID_CONFIG':
    case 'ENGINE_UNAVAILABLE':
    case 'ENGINE_TIMEOUT':
    case 'ENGINE_FAILED':
    case 'PROVIDER_ERROR':
      return 'UNAVAILABLE';
    default: {
      const unknown: never = code;
      throw new Error(`Unmapped translation error code ${String(unknown)}`);
    }
  }
}

const HINTS: Partial<Record<TranslateErrorCode, string>> = {
  UNSUPPORTED_PAIR: ' The translationPairs query lists the pairs this platform translates.',
  ENGINE_UNAVAILABLE: ' Try again shortly.',
  ENGINE_TIMEOUT: ' Try again shortly, or send a shorter text.',
  ENGINE_FAILED: ' Try again shortly.',
};

/**
 * Translation failures as DomainErrors (extensions.code BAD_USER_INPUT or UNAVAILABLE, and translateCode with
 * packages/translate's own code); anything else is returned as it is.
 */
export function toDomainError(error: unknown): unknown {
  if (error instanceof TranslationConfigError) {
    return new DomainError(
      'UNAVAILABLE',
      `Translation is not configured correctly: ${error.problems.join('; ')}`,
      {
        translateCode: 'INVALID_CONFIG',
      },
    );
  }
  if (!isTranslateError(error)) return error;
  const details: Record<string, unknown> = { translateCode: error.code };
  for (const key of ['language', 'from', 'to', 'length', 'limit']) {
    const value = error.details[key];
    if (typeof value === 'string' || typeof value === 'number') details[key] = value;
  }
  return new DomainError(domainCode(error.code), `${error.message}${HINTS[error.code] ?? ''}`, details);
}

/** Runs translation work, turning its errors into DomainErrors. */
export async function withDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error);
  }
}
