import { describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { DomainError, EngineError } from '@media-ai/core';
import {
  PermanentJobError,
  checkPayload,
  jobFailureOf,
  jobRegistry,
  jobTimeoutOverrides,
} from '../src/index.js';

describe('the job contract', () => {
  it('every job definition carries a payload schema', () => {
    for (const def of Object.values(jobRegistry)) {
      expect(typeof def.payload.safeParse, def.name).toBe('function');
    }
  });

  it('checks a payload against its schema and names the field to fix', () => {
    expect(checkPayload('platform.noop', { steps: 3, extra: 'kept' })).toEqual({ steps: 3, extra: 'kept' });
    expect(() => checkPayload('platform.noop', { steps: 'three' })).toThrow(
      /^payload\.steps: Expected number, received string$/,
    );
    expect(() => checkPayload('vision.analyze', {}, 'jobs[2].payload')).toThrow(
      /^jobs\[2\]\.payload\.assetId: Required$/,
    );
    expect(() => checkPayload('platform.noop', [1, 2])).toThrow(/payload must be a JSON object/);
    let caught: unknown;
    try {
      checkPayload('translate.content', { contentId: 'nope', targetLanguages: ['es'] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'payload.contentId' } });
  });

  it('maps errors to job failures in one place: what cannot succeed is not retried', () => {
    expect(jobFailureOf(new EngineError('CORRUPT', 'bad file', false))).toEqual({
      code: 'CORRUPT',
      message: 'bad file',
      retryable: false,
    });
    expect(jobFailureOf(new EngineError('ENGINE_TIMEOUT', 'slow', true)).retryable).toBe(true);
    expect(jobFailureOf(new PermanentJobError('no such item'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      retryable: false,
    });
    expect(jobFailureOf(new DomainError('NOT_FOUND', 'gone')).retryable).toBe(false);
    expect(jobFailureOf(new DomainError('UNAVAILABLE', 'later')).retryable).toBe(true);
    expect(jobFailureOf(new UnrecoverableError('stop')).retryable).toBe(false);
    // Area errors shaped like EngineError (code + retryable) need no wrapper.
    const areaError = Object.assign(new Error('Unknown voice'), { code: 'UNKNOWN_VOICE', retryable: false });
    expect(jobFailureOf(areaError)).toMatchObject({ code: 'UNKNOWN_VOICE', retryable: false });
    expect(jobFailureOf(new Error('socket hang up'))).toEqual({
      code: 'JOB_FAILED',
      message: 'socket hang up',
      retryable: true,
    });
  });
});

describe('MEDIAAI_JOB_TIMEOUTS', () => {
  it('reads job-type=duration pairs and names what to fix', () => {
    const t = jobTimeoutOverrides(' recommender.train=8h, platform.noop=1500ms,vision.analyze=10m ');
    expect(Object.fromEntries(t)).toEqual({
      'recommender.train': 8 * 3_600_000,
      'platform.noop': 1500,
      'vision.analyze': 600_000,
    });
    expect(jobTimeoutOverrides('').size).toBe(0);
    expect(() => jobTimeoutOverrides('recommender.trian=1h')).toThrow(/unknown job type "recommender.trian"/);
    expect(() => jobTimeoutOverrides('platform.noop=1d')).toThrow(/is not job-type=duration/);
    expect(() => jobTimeoutOverrides('platform.noop=10ms')).toThrow(/under one second/);
  });
});
