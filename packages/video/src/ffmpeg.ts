import { lastLines, runProcess, type ProcessFailureKind } from '@media-ai/core';
import { VideoError, type VideoErrorCode } from './errors.js';

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

/** A video job retries an engine that timed out: it is ENGINE_FAILED here, as a crash is. */
const CODES: Record<ProcessFailureKind, VideoErrorCode> = {
  cancelled: 'CANCELLED',
  timeout: 'ENGINE_FAILED',
  missing: 'ENGINE_UNAVAILABLE',
  start: 'ENGINE_FAILED',
};

/**
 * Runs ffmpeg or ffprobe (Debian's, from PATH) without a shell (core's runProcess). A missing binary, a
 * timeout, an abort and a non-zero exit are VideoErrors; the exit's message carries the last lines ffmpeg
 * wrote, without paths.
 */
export async function runFfmpeg(
  command: 'ffmpeg' | 'ffprobe',
  args: readonly string[],
  run: FfmpegRun = {},
): Promise<FfmpegResult> {
  const fullArgs = command === 'ffmpeg' ? ['-hide_banner', '-nostdin', ...args] : [...args];
  const result = await runProcess(command, fullArgs, {
    ...run,
    maxStderrBytes: STDERR_TAIL,
    fail: (kind, message, cause) =>
      new VideoError(
        CODES[kind],
        kind === 'missing'
          ? `${command} is not installed (Debian package ffmpeg, see scripts/debian-packages.txt)`
          : message,
        {},
        { cause },
      ),
  });
  if (result.code !== 0) {
    throw new VideoError(
      'ENGINE_FAILED',
      `${command} failed (exit ${result.code ?? result.signal}): ${tail(result.stderr, 3)}`,
      { stderr: tail(result.stderr, 20) },
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The last lines of ffmpeg's output, with file paths replaced so messages never show where files live. */
export function tail(text: string, lines: number): string {
  return lastLines(text, lines).replace(/(?:\/[\w.@+-]+){2,}/g, 'input');
}

/** Seconds as ffmpeg reads them (`12.345`). */
export const ts = (sec: number): string => Math.max(0, sec).toFixed(3);
