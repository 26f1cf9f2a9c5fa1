import type { AudioInput } from '../audio/decode.js';
import type { Pcm } from '../audio/pcm.js';

/** Which engine and model produced a result: stored with every transcript so results never mix silently. */
export interface ModelIdentity {
  engine: string;
  version: string;
  /** The language model / vocabulary in use ("en-us" for the stock pocketsphinx model). */
  model: string;
}

export interface WordTiming {
  word: string;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** Posterior probability 0..1 where the engine gives one. */
  confidence: number | null;
}

export interface TranscriptSegment {
  id: number;
  start: number;
  end: number;
  text: string;
  /** Mean word confidence of the segment, 0..1, or null when the engine gives none. */
  confidence: number | null;
  words: WordTiming[];
  /** Who speaks (a speaker id of the transcript, "S1" …) when the transcript was diarized. */
  speaker?: string;
}

export interface Transcript {
  identity: ModelIdentity;
  language: string;
  durationSec: number;
  text: string;
  segments: TranscriptSegment[];
  /** Wall-clock seconds spent (decode + recognition). */
  processingSec: number;
}

/** A custom vocabulary built by buildNewsroomModel (or any ARPA/binary LM with a matching dictionary). */
export interface LanguageModelFiles {
  lmPath: string;
  dictPath: string;
  /** Registry id/version of the model, recorded in the transcript identity. */
  id?: string;
}

export interface TranscribeOptions {
  /** BCP-47 language; pocketsphinx here only has en-us. */
  language?: string;
  languageModel?: LanguageModelFiles;
  /** Reject recordings longer than this (TOO_LONG). */
  maxDurationSec?: number;
  /** Spelling hints (names, terms) for engines that take a prompt; pocketsphinx uses languageModel instead. */
  prompt?: string;
  signal?: AbortSignal;
}

export interface TranscribeProgress {
  stage: 'decoding' | 'recognizing' | 'done';
  /** 0..1 over the whole job. */
  fraction: number;
  chunksDone: number;
  chunksTotal: number;
  /** Seconds of audio recognised so far, of totalSec to recognise. */
  processedSec: number;
  totalSec: number;
  /**
   * With a 'recognizing' report that follows a finished chunk: its position among the chunks (in time order;
   * chunks may finish out of order) and its text. The transcript's text is the chunks' non-empty texts in
   * order, joined by spaces: a listener can show (or stream) the text as it comes.
   */
  chunk?: { index: number; text: string };
}

export type ProgressListener = (progress: TranscribeProgress) => void;

/** A file path, the file's bytes, or already-decoded mono PCM. */
export type RecognizerInput = AudioInput | Pcm;

export interface Recognizer {
  readonly id: string;
  readonly version: string;
  transcribe(
    input: RecognizerInput,
    options?: TranscribeOptions,
    onProgress?: ProgressListener,
  ): Promise<Transcript>;
  /** Stops warm engine processes; the recognizer restarts them on the next call. */
  close(): Promise<void>;
}

export function isPcm(input: RecognizerInput): input is Pcm {
  return (
    typeof input === 'object' && input !== null && 'samples' in input && input.samples instanceof Int16Array
  );
}
