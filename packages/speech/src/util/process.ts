import { spawn } from 'node:child_process';
import { SpeechError } from '../errors.js';

export interface RunOptions {
  /** Bytes written to the child's stdin, which is then closed. */
  stdin?: Uint8Array | string;
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep at most this many bytes of stderr (the tail). */
  maxStderrBytes?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a program without a shell and collects its output. A missing binary, a timeout and an abort
 * are reported as SpeechErrors; a non-zero exit status is returned for the caller to judge.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { timeoutMs, signal, maxStderrBytes = 64 * 1024 } = options;
  if (signal?.aborted) return Promise.reject(cancelled(command));
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
      finish(() => reject(cancelled(command)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() =>
          reject(
            new SpeechError('ENGINE_TIMEOUT', `${command} did not finish within ${timeoutMs} ms`, {
              command,
            }),
          ),
        );
      }, timeoutMs);
    }

    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > maxStderrBytes) err = err.slice(-maxStderrBytes);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          error.code === 'ENOENT'
            ? new SpeechError(
                'ENGINE_UNAVAILABLE',
                `${command} is not installed (see scripts/debian-packages.txt)`,
                {
                  command,
                },
              )
            : new SpeechError(
                'ENGINE_FAILED',
                `${command} could not be started: ${error.message}`,
                { command },
                {
                  cause: error,
                },
              ),
        ),
      );
    });
    child.on('close', (code, sig) => {
      finish(() => resolve({ code, signal: sig, stdout: Buffer.concat(out), stderr: err }));
    });

    // A child that exits before reading all of stdin raises EPIPE on the stream: the exit status tells the story.
    child.stdin.on('error', () => {});
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/** Like runProcess, but a non-zero exit is an ENGINE_FAILED error carrying the tail of stderr. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await runProcess(command, args, options);
  if (result.code !== 0) {
    throw new SpeechError(
      'ENGINE_FAILED',
      `${command} failed (exit ${result.code ?? result.signal}): ${lastLines(result.stderr, 3)}`,
      { command, exitCode: result.code, stderr: lastLines(result.stderr, 20) },
    );
  }
  return result;
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

export function cancelled(what: string): SpeechError {
  return new SpeechError('CANCELLED', `${what} was cancelled`);
}
