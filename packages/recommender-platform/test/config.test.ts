import { describe, expect, it } from 'vitest';
import { isDomainError } from '@media-ai/core';
import {
  configUpdate,
  effectiveEventWeights,
  halfLifeOf,
  type RecommenderConfigChange,
} from '../src/index.js';

describe('recommender configuration', () => {
  it('weighs MovieLens ratings by default and lets a newsroom override or drop event types', () => {
    expect(effectiveEventWeights({}).rating).toBe(1);
    const own = effectiveEventWeights({ rating: 0, click: 2 });
    expect(own.rating).toBe(0);
    expect(own.click).toBe(2);
    expect(own.read).toBe(2);
    expect(effectiveEventWeights(null).hide).toBeLessThan(0);
  });

  it('treats a half-life of 0 as no time decay', () => {
    expect(halfLifeOf(0)).toBeNull();
    expect(halfLifeOf(14)).toBe(14);
    expect(configUpdate({ halfLifeDays: null })).toEqual({ halfLifeDays: 0 });
    expect(configUpdate({ halfLifeDays: 0 })).toEqual({ halfLifeDays: 0 });
    expect(configUpdate({ halfLifeDays: 30 })).toEqual({ halfLifeDays: 30 });
  });

  it('refuses bad values with a message that says what to fix', () => {
    const bad: RecommenderConfigChange[] = [
      { halfLifeDays: 0.05 },
      { halfLifeDays: 5000 },
      { eventWeights: { Click: 1 } },
      { eventWeights: { click: Number.NaN } },
      { categoryCap: -1 },
      { algorithm: 'svd' },
      { params: [] as unknown as Record<string, unknown> },
    ];
    for (const change of bad) {
      let error: unknown;
      try {
        configUpdate(change);
      } catch (e) {
        error = e;
      }
      expect(isDomainError(error), JSON.stringify(change)).toBe(true);
      expect((error as { code: string }).code).toBe('BAD_USER_INPUT');
    }
    expect(() => configUpdate({ halfLifeDays: 0.05 })).toThrow(/0\.1 to 3650.*no time decay/);
  });
});
