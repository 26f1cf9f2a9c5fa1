import { spawn } from 'node:child_process';
import { VideoError } from './errors.js';

export interface FfmpegRun {
  /** Called with each chunk of stdout as it arrives; without it stdout is collected and returned. */
  onStdout?: (chunk: Buffer) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface FfmpegResult {
  stdout: Buffer;
  stderr: string;
}

const STDERR_TAIL = 32 * 1024;

/**
 * Runs ffmpeg or ffprobe (Debian's, from PATH) without a shell. A missing binary, a timeout, an abort and
 * a non-zero exit are VideoErrors; the exit's message carries the last lines ffmpeg wrote, without paths.
 */
export function runFfmpeg(
  command: 'ffmpeg' | 'ffprobe',
  args: readonly string[],
  run: FfmpegRun = {},
): Promise<FfmpegResult> {
  const { signal, timeoutMs, onStdout } = run;
  if (signal?.aborted) return Promise.reject(new VideoError('CANCELLED', `${command} was cancelled`));
  const fullArgs = command === 'ffmpeg' ? ['-hide_banner', '-nostdin', ...args] : [...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
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
      finish(() => reject(new VideoError('CANCELLED', `${command} was cancelled`)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() =>
          reject(new VideoError('ENGINE_FAILED', `${command} did not finish within ${timeoutMs} ms`)),
        );
      }, timeoutMs);
    }
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (onStdout) {
        try {
          onStdout(chunk);
        } catch (error) {
          child.kill('SIGKILL');
          finish(() => reject(error));
        }
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > STDERR_TAIL) err = err.slice(-STDERR_TAIL);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          error.code === 'ENOENT'
            ? new VideoError(
                'ENGINE_UNAVAILABLE',
                `${command} is not installed (Debian package ffmpeg, see scripts/debian-packages.txt)`,
              )
            : new VideoError(
                'ENGINE_FAILED',
                `${command} could not be started: ${error.message}`,
                {},
                { cause: error },
              ),
        ),
      ),
    );
    child.on('close', (code, sig) =>
      finish(() => {
        if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
        else
          reject(
            new VideoError('ENGINE_FAILED', `${command} failed (exit ${code ?? sig}): ${tail(err, 3)}`, {
              stderr: tail(err, 20),
            }),
          );
      }),
    );
  });
}

/** The last lines of ffmpeg's output, with file paths replaced so messages never show where files live. */
export function tail(text: string, lines: number): string {
  return text
    .trim()
    .split('\n')
    .slice(-lines)
    .join(' | ')
    .replace(/(?:\/[\w.@+-]+){2,}/g, 'input');
}

/** Seconds as ffmpeg reads them (`12.345`). */
export const ts = (sec: number): string => Math.max(0, sec).toFixed(3);
