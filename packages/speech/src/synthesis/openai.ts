import { decodeAudio } from '../audio/decode.js';
import { SpeechError } from '../errors.js';
import { openAiBase, providerFetch } from '../util/http.js';
import { assemble, layoutText } from './assemble.js';
import type { SynthesisResult, SynthesizeOptions, Synthesizer, Voice } from './types.js';

export interface OpenAiSynthesizerOptions {
  /** e.g. http://gpu-host:8000/v1 (speaches/Kokoro, LocalAI, OpenAI). */
  baseUrl: string;
  /** e.g. "tts-1", "kokoro". */
  model: string;
  apiKey?: string;
  /** Voices the server offers; the first is the default. Default OpenAI's ["alloy", ...]. */
  voices?: string[];
  /** OpenAI caps input at 4096 characters a request. Default 4000. */
  maxRequestChars?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxChars?: number;
}

const OPENAI_VOICES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'];

/** A TTS server speaking OpenAI's `POST /v1/audio/speech` ({model, input, voice, response_format}). */
export class OpenAiSynthesizer implements Synthesizer {
  readonly id = 'openai-http';
  readonly version: string;
  private readonly url: string;
  private readonly voiceNames: string[];

  constructor(private readonly options: OpenAiSynthesizerOptions) {
    if (!options.model) throw new SpeechError('INVALID_CONFIG', 'The speech server needs a model name.');
    this.url = `${openAiBase(options.baseUrl)}/audio/speech`;
    this.version = options.model;
    this.voiceNames = options.voices?.length ? options.voices : OPENAI_VOICES;
  }

  async voices(): Promise<Voice[]> {
    return this.voiceNames.map((v) => ({
      id: `openai/${v}`,
      name: v,
      language: 'multilingual',
      engine: this.id,
    }));
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<SynthesisResult> {
    const voice = (options.voice ?? this.voiceNames[0]).replace(/^openai\//, '');
    if (!this.voiceNames.includes(voice)) {
      throw new SpeechError('UNKNOWN_VOICE', `The speech server has no voice "${voice}".`, { voice });
    }
    const speed = options.speed ?? 1;
    const layout = layoutText(text, {
      language: options.language ?? 'en-US',
      maxChars: this.options.maxChars ?? 200_000,
      maxPieceChars: this.options.maxRequestChars ?? 4000,
    });
    return assemble(
      layout,
      async (input) => {
        const response = await providerFetch(
          this.url,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: this.options.model, input, voice, response_format: 'wav', speed }),
          },
          {
            timeoutMs: this.options.timeoutMs ?? 300_000,
            signal: options.signal,
            apiKey: this.options.apiKey,
            what: 'Speech server',
          },
        );
        const bytes = new Uint8Array(await response.arrayBuffer());
        try {
          return (
            await decodeAudio(bytes, { sampleRate: 24_000, silenceThresholdDb: null, signal: options.signal })
          ).pcm;
        } catch (error) {
          throw new SpeechError(
            'PROVIDER_ERROR',
            `Speech server returned audio that cannot be decoded: ${(error as Error).message}`,
            {},
            { cause: error },
          );
        }
      },
      { engine: this.id, version: this.version, voice: `openai/${voice}` },
      {
        format: options.format ?? 'mp3',
        concurrency: this.options.concurrency ?? 2,
        sentencePauseSec: 0.25,
        paragraphPauseSec: 0.75,
        signal: options.signal,
        onProgress: options.onProgress,
      },
    );
  }
}
