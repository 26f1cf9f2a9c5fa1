import {
  lastLines,
  runProcess as run,
  type ProcessFailureKind,
  type RunOptions as ProcessOptions,
  type RunResult,
} from '@media-ai/core';
import { SpeechError, type SpeechErrorCode } from '../errors.js';

export { lastLines, type RunResult };
export type RunOptions = Omit<ProcessOptions, 'fail'>;

const CODES: Record<ProcessFailureKind, SpeechErrorCode> = {
  cancelled: 'CANCELLED',
  timeout: 'ENGINE_TIMEOUT',
  missing: 'ENGINE_UNAVAILABLE',
  start: 'ENGINE_FAILED',
};

/**
 * Runs a program without a shell (core's runProcess) with the failures to run as SpeechErrors; a
 * non-zero exit status is returned for the caller to judge.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return run(command, args, {
    ...options,
    fail: (kind, message, cause) => new SpeechError(CODES[kind], message, { command }, { cause }),
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
