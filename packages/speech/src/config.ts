import { SpeechError } from './errors.js';
import { OpenAiRecognizer, type OpenAiRecognizerOptions } from './recognition/openai.js';
import { PocketsphinxRecognizer, type PocketsphinxOptions } from './recognition/pocketsphinx/recognizer.js';
import type { Recognizer } from './recognition/types.js';
import { LocalSynthesizer, type LocalSynthesizerOptions } from './synthesis/local.js';
import { OpenAiSynthesizer, type OpenAiSynthesizerOptions } from './synthesis/openai.js';
import type { Synthesizer } from './synthesis/types.js';

export type RecognizerConfig =
  ({ engine: 'pocketsphinx' } & PocketsphinxOptions) | ({ engine: 'openai' } & OpenAiRecognizerOptions);

export type SynthesizerConfig =
  ({ engine: 'local' } & LocalSynthesizerOptions) | ({ engine: 'openai' } & OpenAiSynthesizerOptions);

export interface SpeechConfig {
  recognizer: RecognizerConfig;
  synthesizer: SynthesizerConfig;
}

/** The engine a configuration names: a second engine is a new case here, not a branch in callers. */
export function createRecognizer(config: RecognizerConfig = { engine: 'pocketsphinx' }): Recognizer {
  switch (config.engine) {
    case 'pocketsphinx':
      return new PocketsphinxRecognizer(config);
    case 'openai':
      return new OpenAiRecognizer(config);
    default: {
      const never: never = config;
      throw new SpeechError('INVALID_CONFIG', `Unknown recognizer engine ${JSON.stringify(never)}`);
    }
  }
}

export function createSynthesizer(config: SynthesizerConfig = { engine: 'local' }): Synthesizer {
  switch (config.engine) {
    case 'local':
      return new LocalSynthesizer(config);
    case 'openai':
      return new OpenAiSynthesizer(config);
    default: {
      const never: never = config;
      throw new SpeechError('INVALID_CONFIG', `Unknown synthesizer engine ${JSON.stringify(never)}`);
    }
  }
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    problems.push(`${name} must be a whole number ≥ 1, got "${raw}"`);
    return undefined;
  }
  return n;
}

function required(env: NodeJS.ProcessEnv, name: string, why: string, problems: string[]): string {
  const v = env[name];
  if (!v) problems.push(`${name} is required ${why}`);
  return v ?? '';
}

/**
 * Reads the speech configuration from environment variables:
 *   SPEECH_ASR_ENGINE=pocketsphinx|openai, SPEECH_ASR_URL, SPEECH_ASR_MODEL, SPEECH_ASR_API_KEY,
 *   SPEECH_ASR_CONCURRENCY, SPEECH_ASR_IDLE_SEC (how long pocketsphinx decoders stay loaded unused, default 600),
 *   SPEECH_MAX_DURATION_SEC,
 *   SPEECH_TTS_ENGINE=local|openai, SPEECH_TTS_ENGLISH=flite|festival, SPEECH_TTS_URL, SPEECH_TTS_MODEL,
 *   SPEECH_TTS_API_KEY, SPEECH_TTS_VOICES (comma-separated).
 */
export function speechConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SpeechConfig {
  const problems: string[] = [];
  const maxDurationSec = positiveInt(env, 'SPEECH_MAX_DURATION_SEC', problems);
  const concurrency = positiveInt(env, 'SPEECH_ASR_CONCURRENCY', problems);
  let recognizer: RecognizerConfig;
  const asr = env.SPEECH_ASR_ENGINE || 'pocketsphinx';
  if (asr === 'pocketsphinx') {
    // Loading the models costs seconds: a worker keeps its decoders for ten minutes between jobs.
    const idleSec = positiveInt(env, 'SPEECH_ASR_IDLE_SEC', problems) ?? 600;
    recognizer = { engine: 'pocketsphinx', maxDurationSec, concurrency, idleMs: idleSec * 1000 };
  } else if (asr === 'openai') {
    const why = 'when SPEECH_ASR_ENGINE=openai (e.g. http://gpu-host:8000/v1)';
    recognizer = {
      engine: 'openai',
      baseUrl: required(env, 'SPEECH_ASR_URL', why, problems),
      model: required(
        env,
        'SPEECH_ASR_MODEL',
        'when SPEECH_ASR_ENGINE=openai (e.g. Systran/faster-whisper-small)',
        problems,
      ),
      apiKey: env.SPEECH_ASR_API_KEY || undefined,
      maxDurationSec,
      concurrency,
    };
  } else {
    problems.push(`SPEECH_ASR_ENGINE must be "pocketsphinx" or "openai", got "${asr}"`);
    recognizer = { engine: 'pocketsphinx' };
  }

  let synthesizer: SynthesizerConfig;
  const tts = env.SPEECH_TTS_ENGINE || 'local';
  if (tts === 'local') {
    const english = env.SPEECH_TTS_ENGLISH || 'flite';
    if (english !== 'flite' && english !== 'festival') {
      problems.push(`SPEECH_TTS_ENGLISH must be "flite" or "festival", got "${english}"`);
    }
    synthesizer = { engine: 'local', english: english === 'festival' ? 'festival' : 'flite' };
  } else if (tts === 'openai') {
    synthesizer = {
      engine: 'openai',
      baseUrl: required(
        env,
        'SPEECH_TTS_URL',
        'when SPEECH_TTS_ENGINE=openai (e.g. http://gpu-host:8000/v1)',
        problems,
      ),
      model: required(
        env,
        'SPEECH_TTS_MODEL',
        'when SPEECH_TTS_ENGINE=openai (e.g. tts-1 or kokoro)',
        problems,
      ),
      apiKey: env.SPEECH_TTS_API_KEY || undefined,
      voices: env.SPEECH_TTS_VOICES
        ? env.SPEECH_TTS_VOICES.split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : undefined,
    };
  } else {
    problems.push(`SPEECH_TTS_ENGINE must be "local" or "openai", got "${tts}"`);
    synthesizer = { engine: 'local' };
  }
  if (problems.length > 0) {
    throw new SpeechError(
      'INVALID_CONFIG',
      `Invalid speech configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        problems,
      },
    );
  }
  return { recognizer, synthesizer };
}
