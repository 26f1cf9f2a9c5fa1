import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, parseWorkerQueues } from '../src/index.js';

describe('configuration', () => {
  it('reads the old per-area tfjs variables as TFJS_BACKEND, with a deprecation warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(loadConfig({}).TFJS_BACKEND).toBe('wasm');
      expect(warn).not.toHaveBeenCalled();
      expect(loadConfig({ VISION_TF_BACKEND: 'cpu' }).TFJS_BACKEND).toBe('cpu');
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        /VISION_TF_BACKEND is deprecated: set TFJS_BACKEND=cpu/,
      );
      expect(loadConfig({ CONTENT_GEN_TF_BACKEND: 'cpu', TFJS_BACKEND: 'auto' }).TFJS_BACKEND).toBe('auto');
      expect(warn).toHaveBeenCalledTimes(2);
      expect(() => loadConfig({ CONTENT_GEN_TF_BACKEND: 'gpu' })).toThrow(ConfigError);
    } finally {
      warn.mockRestore();
    }
  });

  it('uses the embedded database when DATABASE_URL is unset or empty', () => {
    expect(loadConfig({}).embeddedDatabase).toBe(true);
    expect(loadConfig({ DATABASE_URL: '' }).embeddedDatabase).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).embeddedDatabase).toBe(false);
  });

  it('lists every invalid variable with what to fix', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', REDIS_URL: 'localhost:6379' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
      expect(msg).toMatch(/PORT: must be a whole number/);
      expect(msg).toMatch(/REDIS_URL: must be a redis:\/\/ URL/);
    }
  });

  it('checks VISION_OBJECT_QUALITY at start', () => {
    expect(loadConfig({}).VISION_OBJECT_QUALITY).toBe('fast');
    expect(loadConfig({ VISION_OBJECT_QUALITY: 'accurate' }).VISION_OBJECT_QUALITY).toBe('accurate');
    expect(() => loadConfig({ VISION_OBJECT_QUALITY: 'best' })).toThrow(/VISION_OBJECT_QUALITY/);
  });

  it('parses WORKER_QUEUES with per-queue concurrency', () => {
    expect(parseWorkerQueues('*')).toBe('*');
    expect(parseWorkerQueues('speech:2, vision')).toEqual([
      { queue: 'speech', concurrency: 2 },
      { queue: 'vision', concurrency: 1 },
    ]);
    expect(() => parseWorkerQueues('speech:0')).toThrow(/QUEUE:CONCURRENCY/);
  });
});
