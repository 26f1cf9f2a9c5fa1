import { describe, expect, it } from 'vitest';
import { EngineError, runProcess } from '../src/index.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as EngineError,
  );

describe('runProcess', () => {
  it('feeds stdin, collects stdout and the tail of stderr, and returns a failing exit for the caller', async () => {
    const echo = await runProcess('cat', [], { stdin: 'hello\n' });
    expect([echo.code, echo.stdout.toString()]).toEqual([0, 'hello\n']);
    const bad = await runProcess('sh', ['-c', 'echo oops >&2; exit 3'], { maxStderrBytes: 3 });
    expect([bad.code, bad.stderr]).toEqual([3, 'ps\n']);
  });

  it('streams stdout to a callback and stops the program when the callback throws', async () => {
    const chunks: string[] = [];
    await runProcess('printf', ['abc'], { onStdout: (c) => chunks.push(c.toString()) });
    expect(chunks.join('')).toBe('abc');
    const stop = new Error('enough');
    const e = await failure(
      runProcess('yes', [], {
        onStdout: () => {
          throw stop;
        },
      }),
    );
    expect(e).toBe(stop);
  });

  it('reports a missing program, a timeout and a cancel with the area’s error, else an EngineError', async () => {
    const missing = await failure(runProcess('no-such-program-here', []));
    expect(missing).toBeInstanceOf(EngineError);
    expect(missing).toMatchObject({ code: 'ENGINE_UNAVAILABLE', retryable: true });
    expect(missing!.message).toMatch(/is not installed/);
    const slow = await failure(runProcess('sleep', ['5'], { timeoutMs: 50 }));
    expect(slow).toMatchObject({ code: 'ENGINE_TIMEOUT', retryable: true });
    const ctl = new AbortController();
    const run = failure(
      runProcess('sleep', ['5'], {
        signal: ctl.signal,
        fail: (kind, message) => new Error(`${kind}: ${message}`),
      }),
    );
    ctl.abort();
    expect((await run)!.message).toBe('cancelled: sleep was cancelled');
  });
});
