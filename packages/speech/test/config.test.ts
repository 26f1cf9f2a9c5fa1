import { describe, expect, it } from 'vitest';
import { createRecognizer, createSynthesizer, isSpeechError, speechConfigFromEnv } from '../src/index.js';

describe('speech configuration', () => {
  it('defaults to the offline engines', () => {
    const config = speechConfigFromEnv({});
    expect(config.recognizer).toMatchObject({ engine: 'pocketsphinx', idleMs: 600_000 });
    expect(speechConfigFromEnv({ SPEECH_ASR_IDLE_SEC: '30' }).recognizer).toMatchObject({ idleMs: 30_000 });
    expect(config.synthesizer).toEqual({ engine: 'local', english: 'flite' });
    expect(createRecognizer(config.recognizer).id).toBe('pocketsphinx');
    expect(createSynthesizer(config.synthesizer).id).toBe('local');
  });

  it('selects the HTTP engines and reports every problem at once', () => {
    const ok = speechConfigFromEnv({
      SPEECH_ASR_ENGINE: 'openai',
      SPEECH_ASR_URL: 'http://gpu:8000/v1',
      SPEECH_ASR_MODEL: 'Systran/faster-whisper-small',
      SPEECH_TTS_ENGINE: 'openai',
      SPEECH_TTS_URL: 'http://gpu:8000',
      SPEECH_TTS_MODEL: 'kokoro',
      SPEECH_TTS_VOICES: 'af_bella, am_adam',
    });
    expect(createRecognizer(ok.recognizer).id).toBe('openai-http');
    expect(ok.synthesizer).toMatchObject({ engine: 'openai', voices: ['af_bella', 'am_adam'] });
    try {
      speechConfigFromEnv({
        SPEECH_ASR_ENGINE: 'openai',
        SPEECH_TTS_ENGINE: 'polly',
        SPEECH_ASR_CONCURRENCY: '0',
      });
      throw new Error('expected INVALID_CONFIG');
    } catch (error) {
      expect(isSpeechError(error, 'INVALID_CONFIG')).toBe(true);
      const problems = (error as { details: { problems: string[] } }).details.problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/SPEECH_ASR_URL is required/);
      expect(problems.join('\n')).toMatch(/SPEECH_TTS_ENGINE must be/);
    }
  });
});
