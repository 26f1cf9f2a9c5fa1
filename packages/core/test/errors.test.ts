import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError, isRetryableStatus, isTransientFailure } from '../src/index.js';

describe('domain errors', () => {
  it('carry a stable code and details', () => {
    const e = new DomainError('NOT_FOUND', 'Job 1 was not found', { id: 1 });
    expect(isDomainError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'NOT_FOUND', details: { id: 1 } });
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});

describe('the engines’ retry rule', () => {
  it('retries the engine’s own trouble and a provider’s passing HTTP status, nothing about the request', () => {
    for (const code of ['ENGINE_UNAVAILABLE', 'ENGINE_TIMEOUT', 'ENGINE_FAILED', 'MODEL_UNAVAILABLE'])
      expect(isTransientFailure(code)).toBe(true);
    for (const code of ['CORRUPT', 'UNSUPPORTED_PAIR', 'INVALID_CONFIG', 'TRUNCATED', 'CANCELLED'])
      expect(isTransientFailure(code)).toBe(false);
    expect(isTransientFailure('PROVIDER_ERROR', { status: 429 })).toBe(true);
    expect(isTransientFailure('PROVIDER_ERROR', { status: 503 })).toBe(true);
    expect(isTransientFailure('PROVIDER_ERROR', { status: 401 })).toBe(false);
    expect(isTransientFailure('PROVIDER_ERROR')).toBe(false);
    expect([408, 429, 500, 502].map(isRetryableStatus)).toEqual([true, true, true, true]);
    expect([400, 404, '500', undefined].map(isRetryableStatus)).toEqual([false, false, false, false]);
  });
});
