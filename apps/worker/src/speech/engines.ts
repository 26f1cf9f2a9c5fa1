import { onThreadClose } from '../lib/thread-hooks.js';
import {
  createRecognizer,
  createSynthesizer,
  speechConfigFromEnv,
  type Recognizer,
  type SpeechConfig,
  type Synthesizer,
} from '@media-ai/speech';

/*
 * The engines of this sandbox thread, created on first use from the SPEECH_* environment and kept
 * warm between jobs (pocketsphinx keeps its decoder processes for a minute after the last job).
 */

let config: SpeechConfig | undefined;
let recognizerInstance: Recognizer | undefined;
let synthesizerInstance: Synthesizer | undefined;

/** A bad SPEECH_* setting fails the job at once (a SpeechError INVALID_CONFIG is not retryable). */
function speechConfig(): SpeechConfig {
  return (config ??= speechConfigFromEnv());
}

export function recognizer(): Recognizer {
  return (recognizerInstance ??= createRecognizer(speechConfig().recognizer));
}

/** The longest recording the configured recognizer takes (SPEECH_MAX_DURATION_SEC), if set. */
export function recognitionLimitSec(): number | undefined {
  return speechConfig().recognizer.maxDurationSec;
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
