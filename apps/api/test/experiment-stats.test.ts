import { describe, expect, it } from 'vitest';
import { armOf, compareArms, wilson } from '../src/recommender/experiment-stats.js';

describe('experiment statistics', () => {
  it('gives the Wilson 95% interval of a click-through rate', () => {
    const r = wilson(10, 100);
    expect(r.rate).toBeCloseTo(0.1, 10);
    expect(r.low).toBeCloseTo(0.0552, 3);
    expect(r.high).toBeCloseTo(0.1744, 3);
    // No clicks yet: the interval still says how high the rate could be.
    expect(wilson(0, 50).low).toBe(0);
    expect(wilson(0, 50).high).toBeCloseTo(0.0714, 3);
  });

  it('calls a difference only when its interval excludes zero and both arms have enough impressions', () => {
    expect(
      compareArms({ requests: 10, impressions: 50, clicks: 1 }, { requests: 10, impressions: 50, clicks: 9 })
        .verdict,
    ).toBe('too-early');
    const better = compareArms(
      { requests: 500, impressions: 5_000, clicks: 250 },
      { requests: 500, impressions: 5_000, clicks: 350 },
    );
    expect(better.verdict).toBe('candidate-better');
    expect(better.difference).toBeCloseTo(0.02, 10);
    expect(better.low).toBeGreaterThan(0);
    expect(better.relativeLift).toBeCloseTo(0.4, 10);
    const same = compareArms(
      { requests: 500, impressions: 5_000, clicks: 250 },
      { requests: 500, impressions: 5_000, clicks: 255 },
    );
    expect(same.verdict).toBe('no-clear-difference');
    expect(
      compareArms(
        { requests: 9, impressions: 900, clicks: 90 },
        { requests: 9, impressions: 900, clicks: 40 },
      ).verdict,
    ).toBe('control-better');
  });

  it('splits readers by the traffic share, stably, even when ids differ only at the end', () => {
    const readers = Array.from({ length: 10_000 }, (_, i) => `reader-${i}`);
    const candidates = readers.filter((r) => armOf('exp-1', r, 0.3) === 'candidate');
    expect(candidates.length / readers.length).toBeGreaterThan(0.28);
    expect(candidates.length / readers.length).toBeLessThan(0.32);
    expect(readers.every((r) => armOf('exp-1', r, 0.3) === armOf('exp-1', r, 0.3))).toBe(true);
    // Ten readers in a row are not all on one side.
    const row = readers.slice(0, 10).map((r) => armOf('exp-1', r, 0.5));
    expect(new Set(row).size).toBe(2);
    // Another experiment draws another split.
    const other = readers.filter((r) => armOf('exp-2', r, 0.3) === 'candidate');
    expect(other.filter((r) => candidates.includes(r)).length / other.length).toBeLessThan(0.4);
  });
});
