import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from '../src/index.js';

describe('domain errors', () => {
  it('carry a stable code and details', () => {
    const e = new DomainError('NOT_FOUND', 'Job 1 was not found', { id: 1 });
    expect(isDomainError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'NOT_FOUND', details: { id: 1 } });
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});
