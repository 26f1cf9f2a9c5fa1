import { spawn } from 'node:child_process';
import { EngineError, isTransientFailure } from './errors.js';

/** Why a program did not run to an exit status. */
export type ProcessFailureKind = 'cancelled' | 'timeout' | 'missing' | 'start';

export interface RunOptions {
  /** Bytes written to the child's stdin, which is then closed (closed at once without them). */
  stdin?: Uint8Array | string;
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep at most this many characters of stderr (the tail). */
  maxStderrBytes?: number;
  /**
   * Called with each chunk of stdout as it arrives (stdout is then not collected). A throw stops the
   * child, and the run fails with what was thrown.
   */
  onStdout?: (chunk: Buffer) => void;
  /**
   * The area's error for a run that did not reach an exit status; `message` says what happened in
   * words. Default: an EngineError with CANCELLED, ENGINE_TIMEOUT, ENGINE_UNAVAILABLE or ENGINE_FAILED.
   */
  fail?: (kind: ProcessFailureKind, message: string, cause?: unknown) => Error;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

const DEFAULT_CODES: Record<ProcessFailureKind, string> = {
  cancelled: 'CANCELLED',
  timeout: 'ENGINE_TIMEOUT',
  missing: 'ENGINE_UNAVAILABLE',
  start: 'ENGINE_FAILED',
};

const defaultFail = (kind: ProcessFailureKind, message: string, cause?: unknown) =>
  new EngineError(DEFAULT_CODES[kind], message, isTransientFailure(DEFAULT_CODES[kind]), {}, { cause });

/**
 * Runs a program (an engine's command-line tool: ffmpeg, pocketsphinx, flite ...) without a shell and
 * collects its output. A missing binary, a timeout, an abort and a failed start are errors made by
 * `fail`; a non-zero exit status is returned for the caller to judge.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { timeoutMs, signal, onStdout, maxStderrBytes = 64 * 1024, fail = defaultFail } = options;
  const cancelled = () => fail('cancelled', `${command} was cancelled`);
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(cancelled()));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() => reject(fail('timeout', `${command} did not finish within ${timeoutMs} ms`)));
      }, timeoutMs);
    }

    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (!onStdout) {
        out.push(chunk);
        return;
      }
      try {
        onStdout(chunk);
      } catch (error) {
        child.kill('SIGKILL');
        finish(() => reject(error));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > maxStderrBytes) err = err.slice(-maxStderrBytes);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          error.code === 'ENOENT'
            ? fail('missing', `${command} is not installed (see scripts/debian-packages.txt)`, error)
            : fail('start', `${command} could not be started: ${error.message}`, error),
        ),
      ),
    );
    child.on('close', (code, sig) =>
      finish(() => resolve({ code, signal: sig, stdout: Buffer.concat(out), stderr: err })),
    );

    // A child that exits before reading all of stdin raises EPIPE on the stream: the exit status tells the story.
    child.stdin.on('error', () => {});
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/** The last lines of a program's output, joined with " | " for an error message. */
export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
