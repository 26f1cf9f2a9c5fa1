import type { AudioFormat } from '../audio/encode.js';
import type { Pcm } from '../audio/pcm.js';

export interface Voice {
  /** Stable id to pass back as `voice`, e.g. "flite/slt", "espeak/es", "festival/kal_diphone", "openai/alloy". */
  id: string;
  name: string;
  /** BCP-47 language tag, e.g. "en-US", "es". */
  language: string;
  gender?: 'female' | 'male';
  engine: string;
}

export interface SynthesizeOptions {
  /** A voice id from voices(); default: the engine's default voice for the language. */
  voice?: string;
  /** BCP-47 language of the text; default "en-US". Picks the engine and the text normalisation. */
  language?: string;
  /** Default "mp3". */
  format?: AudioFormat;
  /** Speaking rate, 0.5..2. Default 1. */
  speed?: number;
  signal?: AbortSignal;
  /** Called as pieces finish: fraction 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface SynthesisIdentity {
  engine: string;
  version: string;
  voice: string;
}

export interface SynthesisResult {
  audio: Buffer;
  format: AudioFormat;
  mimeType: string;
  sampleRate: number;
  durationSec: number;
  identity: SynthesisIdentity;
  /** Text pieces synthesised (sentences or groups of them). */
  pieces: number;
  processingSec: number;
}

export interface Synthesizer {
  readonly id: string;
  readonly version: string;
  voices(): Promise<Voice[]>;
  synthesize(text: string, options?: SynthesizeOptions): Promise<SynthesisResult>;
}

/** A local TTS program that renders one short piece of (already normalised) text. */
export interface PieceEngine {
  readonly id: string;
  readonly version: string;
  voices(): Promise<Voice[]>;
  /** The voice used when none is asked for, for a language this engine speaks (null: it does not speak it). */
  defaultVoice(language: string): Promise<string | null>;
  render(text: string, voice: string, options: { speed: number; signal?: AbortSignal }): Promise<Pcm>;
}
