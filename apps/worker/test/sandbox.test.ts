import { describe, expect, it } from 'vitest';
import { SandboxPool } from '../src/sandbox/pool.js';
import { allHandlers, indexHandlers } from '../src/handlers.js';
import { handle } from '@media-ai/jobs';

const run = (
  pool: SandboxPool,
  payload: Record<string, unknown>,
  timeoutMs = 20_000,
  signal = new AbortController().signal,
) =>
  pool.run({
    name: 'platform.sandboxed-noop',
    payload,
    jobId: 'j',
    newsroomId: 'n',
    attempt: 1,
    timeoutMs,
    signal,
    onProgress: () => undefined,
    onLog: () => undefined,
  });

describe('sandbox pool', () => {
  it('stops a handler stuck in a synchronous loop at its time limit and keeps serving', async () => {
    const pool = new SandboxPool(1);
    const t0 = Date.now();
    await expect(run(pool, { hang: true }, 1500)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(6000);
    const ok = (await run(pool, { steps: 2 })) as { steps: number };
    expect(ok.steps).toBe(2);
    await pool.close();
  });

  it('reports a crashed thread and replaces it', async () => {
    const pool = new SandboxPool(1);
    await expect(run(pool, { crash: true })).rejects.toMatchObject({ code: 'CRASHED' });
    expect(((await run(pool, { steps: 1 })) as { steps: number }).steps).toBe(1);
    await pool.close();
  });

  it('reuses one warm thread across jobs', async () => {
    const pool = new SandboxPool(1);
    const a = (await run(pool, {})) as { threadId: number };
    const b = (await run(pool, {})) as { threadId: number };
    expect(a.threadId).toBe(b.threadId);
    await pool.close();
  });

  it('terminates a handler that ignores cancellation', async () => {
    const pool = new SandboxPool(1);
    pool.abortGraceMs = 500;
    const ac = new AbortController();
    const p = run(pool, { hang: true }, 60_000, ac.signal);
    setTimeout(() => ac.abort(new Error('Cancelled on request')), 300);
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
    await pool.close();
  });
});

describe('handler registry check', () => {
  it('accepts the real handlers', () => {
    expect(() => indexHandlers(allHandlers)).not.toThrow();
  });
  it('refuses a missing or doubled handler', () => {
    expect(() => indexHandlers(allHandlers.slice(1))).toThrow(/has no handler/);
    expect(() =>
      indexHandlers([...allHandlers, handle('platform.noop', async () => ({ steps: 0, attempt: 1 }))]),
    ).toThrow(/has two handlers/);
  });
});
