import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES, isJobName, jobRegistry } from '../src/index.js';

describe('job registry', () => {
  it('declares every job under its own name, on a known queue, with sane options', () => {
    for (const [key, def] of Object.entries(jobRegistry)) {
      expect(def.name, key).toBe(key);
      expect(key, key).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(
        key.split('.')[0] === def.queue || key.startsWith('platform.'),
        `${key} sits in its area's queue`,
      ).toBe(true);
      expect(QUEUE_NAMES as readonly string[]).toContain(def.queue);
      expect(def.options.attempts).toBeGreaterThanOrEqual(1);
      expect(def.options.timeoutMs).toBeGreaterThan(0);
      expect(def.description.length).toBeGreaterThan(10);
    }
    expect(isJobName('platform.noop')).toBe(true);
    expect(isJobName('nope.nope')).toBe(false);
  });
});
