import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { jobFailureError, type ProgressEvent } from '@media-ai/jobs';
import type { FromThread, SerializedError, ToThread } from './protocol.js';

// Compiled (dist/*.js): the thread runs the compiled code directly. From source: thread.mjs teaches
// the thread TypeScript first (tsx, a dev tool).
const threadEntry = fileURLToPath(
  new URL(import.meta.url.endsWith('.js') ? './thread-main.js' : './thread.mjs', import.meta.url),
);

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export interface RunRequest {
  name: string;
  payload: unknown;
  jobId: string;
  newsroomId: string;
  attempt: number;
  timeoutMs: number;
  signal: AbortSignal;
  onProgress: (p: ProgressEvent) => void;
  onLog: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Settles the run in progress when the thread dies under it. */
  onExit?: (code: number) => void;
}

/**
 * Worker threads that run job handlers apart from the queue's main thread. Threads are reused
 * across jobs (models stay loaded); one that crashes, hangs past its timeout or ignores a
 * cancellation is terminated and replaced on the next run.
 */
export class SandboxPool {
  private readonly slots: Slot[] = [];
  private nextRunId = 1;
  /** How long a cancelled handler may take to stop before its thread is terminated. */
  abortGraceMs = 3000;

  constructor(
    private readonly size: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private spawn(): Slot {
    const worker = new Worker(threadEntry, { env: this.env, stdout: false, stderr: false });
    const slot: Slot = { worker, busy: false };
    worker.on('exit', (code) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.onExit?.(code);
    });
    worker.on('error', (e) => {
      if (process.env.MEDIAAI_DEBUG_SANDBOX) console.error('sandbox thread error', e);
    }); // reported through 'exit'
    this.slots.push(slot);
    return slot;
  }

  private acquire(): Slot {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) return idle;
    if (this.slots.length >= this.size) throw new Error('Sandbox pool is full (concurrency exceeded)');
    return this.spawn();
  }

  run(req: RunRequest): Promise<unknown> {
    const slot = this.acquire();
    slot.busy = true;
    const runId = this.nextRunId++;
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(graceTimer);
        req.signal.removeEventListener('abort', onAbort);
        slot.worker.off('message', onMessage);
        slot.onExit = undefined;
        slot.busy = false;
        fn();
      };
      const kill = (err: Error) => {
        // Retire the slot first so no new run lands on a thread that is being terminated.
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        finish(() => reject(err));
        void slot.worker.terminate();
      };
      const onMessage = (m: FromThread) => {
        if (m.type === 'log') return req.onLog(m.level, m.msg, m.data);
        if (m.type === 'closed') return;
        if (m.runId !== runId) return;
        if (m.type === 'progress') req.onProgress({ fraction: m.fraction, message: m.message, data: m.data });
        else if (m.type === 'done') finish(() => resolve(m.result));
        else if (m.type === 'failed') finish(() => reject(revive(m.error)));
      };
      const onAbort = () => {
        const reason = req.signal.reason instanceof Error ? req.signal.reason.message : 'Aborted';
        slot.worker.postMessage({ type: 'abort', runId, reason } satisfies ToThread);
        graceTimer = setTimeout(
          () =>
            kill(
              new SandboxError(`${reason} (the handler did not stop, its thread was terminated)`, 'ABORTED'),
            ),
          this.abortGraceMs,
        );
      };
      timer = setTimeout(
        () =>
          kill(
            new SandboxError(
              `The job ran past its ${Math.round(req.timeoutMs / 1000)} s time limit and was stopped`,
              'TIMEOUT',
            ),
          ),
        req.timeoutMs,
      );
      slot.onExit = (code) =>
        finish(() =>
          reject(new SandboxError(`The job's sandbox thread crashed (exit code ${code})`, 'CRASHED')),
        );
      slot.worker.on('message', onMessage);
      if (req.signal.aborted) onAbort();
      else req.signal.addEventListener('abort', onAbort, { once: true });
      const msg: ToThread = {
        type: 'run',
        runId,
        name: req.name,
        payload: req.payload,
        jobId: req.jobId,
        newsroomId: req.newsroomId,
        attempt: req.attempt,
      };
      slot.worker.postMessage(msg);
    });
  }

  /** Lets each thread run its cleanup hooks (stopping warm engines) for up to graceMs, then ends it. */
  async close(graceMs = 3000): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          s.worker.on('message', (m: FromThread) => {
            if (m.type === 'closed') {
              clearTimeout(timer);
              resolve();
            }
          });
          s.worker.postMessage({ type: 'close' } satisfies ToThread);
        });
        await s.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }
}

function revive(e: SerializedError): Error {
  if (e.code && typeof e.retryable === 'boolean')
    return jobFailureError({ ...e, code: e.code, retryable: e.retryable });
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code) (err as Error & { code?: string }).code = e.code;
  if (e.stack) err.stack = e.stack;
  return err;
}
