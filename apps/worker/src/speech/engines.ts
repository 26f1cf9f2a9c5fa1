import { onThreadClose } from '../lib/thread-hooks.js';
import { PermanentJobError } from '@media-ai/jobs';
import {
  createRecognizer,
  createSynthesizer,
  isSpeechError,
  speechConfigFromEnv,
  type Recognizer,
  type SpeechConfig,
  type Synthesizer,
} from '@media-ai/speech';

/*
 * The engines of this sandbox thread, created on first use from the SPEECH_* environment and kept
 * warm between jobs (pocketsphinx keeps its decoder processes for a minute after the last job).
 */

/** ModelVersion area and name of newsroom language models. Persisted: never rename. */
export const SPEECH_AREA = 'speech';
export const SPEECH_LM = 'speech-lm';

let config: SpeechConfig | undefined;
let recognizerInstance: Recognizer | undefined;
let synthesizerInstance: Synthesizer | undefined;

/** A bad SPEECH_* setting fails the job at once (no retry) with the list of problems to fix. */
function speechConfig(): SpeechConfig {
  try {
    return (config ??= speechConfigFromEnv());
  } catch (error) {
    throw asJobError(error);
  }
}

export function recognizer(): Recognizer {
  return (recognizerInstance ??= createRecognizer(speechConfig().recognizer));
}

export function synthesizer(): Synthesizer {
  return (synthesizerInstance ??= createSynthesizer(speechConfig().synthesizer));
}

// The worker closes its sandbox threads on shutdown after running these hooks: stop the decoders.
onThreadClose(async () => {
  await recognizerInstance?.close();
  recognizerInstance = undefined;
});
process.once('exit', () => {
  void recognizerInstance?.close();
});

/**
 * A SpeechError the same request cannot fix by retrying (corrupt, silent, too long, unsupported
 * media, unknown voice, bad configuration) becomes a PermanentJobError with the package's message
 * and code, so the job fails at once; engine failures and timeouts stay retryable.
 */
export function asJobError(error: unknown): unknown {
  if (isSpeechError(error) && !error.retryable && error.code !== 'CANCELLED') {
    return new PermanentJobError(error.message, error.code);
  }
  return error;
}

export async function withJobErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asJobError(error);
  }
}
