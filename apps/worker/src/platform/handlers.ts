import { threadId } from 'node:worker_threads';
import { handle } from '@media-ai/jobs';

async function steps(
  durationMs: number,
  n: number,
  progress: (f: number, m?: string) => void,
  signal: AbortSignal,
) {
  for (let i = 1; i <= n; i++) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Aborted');
    if (durationMs > 0) await new Promise((r) => setTimeout(r, durationMs / n));
    progress(i / n, `step ${i} of ${n}`);
  }
}

export const platformHandlers = [
  handle('platform.retention', async (payload, ctx) =>
    (await import('./retention.js')).runRetention(payload, ctx),
  ),
  handle('platform.gpu-noop', async (payload, ctx) => {
    const n = Math.max(1, Math.min(1000, payload.steps ?? 1));
    await steps(payload.durationMs ?? 0, n, ctx.progress, ctx.signal);
    return { steps: n, attempt: ctx.attempt };
  }),
  handle('platform.noop', async (payload, ctx) => {
    const n = Math.max(1, Math.min(1000, payload.steps ?? 1));
    if ((payload.failTimes ?? 0) >= ctx.attempt) throw new Error(`Failing on purpose (try ${ctx.attempt})`);
    await steps(payload.durationMs ?? 0, n, ctx.progress, ctx.signal);
    return { steps: n, attempt: ctx.attempt };
  }),
  handle('platform.sandboxed-noop', async (payload, ctx) => {
    const n = Math.max(1, Math.min(1000, payload.steps ?? 1));
    if ((payload.failTimes ?? 0) >= ctx.attempt) throw new Error(`Failing on purpose (try ${ctx.attempt})`);
    if (payload.crash && ctx.attempt === 1) {
      // Simulates a native crash in a model: the whole thread dies.
      setImmediate(() => process.exit(3));
      await new Promise(() => undefined);
    }
    if (payload.hang && ctx.attempt === 1) {
      // Simulates a model stuck in a synchronous loop; only terminating the thread stops it.
      const end = Date.now() + 10 * 60_000;
      while (Date.now() < end) {
        /* spin */
      }
    }
    await steps(payload.durationMs ?? 0, n, ctx.progress, ctx.signal);
    return { steps: n, attempt: ctx.attempt, threadId };
  }),
];
