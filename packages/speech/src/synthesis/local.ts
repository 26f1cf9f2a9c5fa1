import { SpeechError } from '../errors.js';
import { assemble, layoutText } from './assemble.js';
import { EspeakEngine } from './espeak.js';
import { FestivalEngine } from './festival.js';
import { FliteEngine } from './flite.js';
import type { PieceEngine, SynthesisResult, SynthesizeOptions, Synthesizer, Voice } from './types.js';

export interface LocalSynthesizerOptions {
  /** Engine for English text: flite (default, fast and clear) or festival. */
  english?: 'flite' | 'festival';
  /** Pieces rendered at once. Default 2. */
  concurrency?: number;
  /** Pause between sentence groups / paragraphs. Defaults 0.3 s / 0.75 s. */
  sentencePauseSec?: number;
  paragraphPauseSec?: number;
  /** Longest text accepted. Default 200,000 characters. */
  maxChars?: number;
  /** Sentences are grouped into pieces of up to this many characters. Default 300. */
  maxPieceChars?: number;
}

/**
 * Offline synthesis with the Debian engines: flite (voice slt) for English by default, festival as an option,
 * espeak-ng for every other language. Articles are read sentence group by sentence group with pauses at
 * paragraphs, and encoded as wav, mp3, ogg (Vorbis) or opus.
 */
export class LocalSynthesizer implements Synthesizer {
  readonly id = 'local';
  readonly version: string;
  private readonly engines: Record<'flite' | 'festival' | 'espeak', PieceEngine>;

  constructor(private readonly options: LocalSynthesizerOptions = {}) {
    this.engines = { flite: new FliteEngine(), festival: new FestivalEngine(), espeak: new EspeakEngine() };
    this.version = `flite-${this.engines.flite.version}+festival-${this.engines.festival.version}+espeak-ng-${this.engines.espeak.version}`;
  }

  async voices(): Promise<Voice[]> {
    const lists = await Promise.all(
      Object.values(this.engines).map((e) => e.voices().catch(() => [] as Voice[])),
    );
    return lists.flat();
  }

  async synthesize(text: string, options: SynthesizeOptions = {}): Promise<SynthesisResult> {
    const language = options.language ?? 'en-US';
    const speed = options.speed ?? 1;
    if (!(speed >= 0.5 && speed <= 2))
      throw new SpeechError('INVALID_INPUT', 'speed must be between 0.5 and 2');
    const { engine, voice } = await this.pick(language, options.voice);
    const layout = layoutText(text, {
      language,
      maxChars: this.options.maxChars ?? 200_000,
      maxPieceChars: this.options.maxPieceChars ?? 300,
    });
    return assemble(
      layout,
      (piece) => engine.render(piece, voice, { speed, signal: options.signal }),
      { engine: engine.id, version: engine.version, voice },
      {
        format: options.format ?? 'mp3',
        concurrency: this.options.concurrency ?? 2,
        sentencePauseSec: this.options.sentencePauseSec ?? 0.3,
        paragraphPauseSec: this.options.paragraphPauseSec ?? 0.75,
        signal: options.signal,
        onProgress: options.onProgress,
      },
    );
  }

  private async pick(
    language: string,
    voice: string | undefined,
  ): Promise<{ engine: PieceEngine; voice: string }> {
    if (voice) {
      const prefix = voice.split('/')[0];
      const engine =
        prefix === 'flite'
          ? this.engines.flite
          : prefix === 'festival'
            ? this.engines.festival
            : prefix === 'espeak'
              ? this.engines.espeak
              : undefined;
      if (!engine)
        throw new SpeechError('UNKNOWN_VOICE', `Unknown voice "${voice}"; voices() lists the choices.`, {
          voice,
        });
      return { engine, voice };
    }
    const english = /^en\b/i.test(language);
    const engine = english ? this.engines[this.options.english ?? 'flite'] : this.engines.espeak;
    const chosen = await engine.defaultVoice(language);
    if (!chosen) {
      throw new SpeechError('UNSUPPORTED_LANGUAGE', `No local voice speaks "${language}".`, { language });
    }
    return { engine, voice: chosen };
  }
}
