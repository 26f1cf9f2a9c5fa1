import { z } from 'zod';
import { defineJob } from '../define.js';

// Jobs of the speech area. Names, queue and the string values below are persisted: never rename them.

/** Which engine and model produced a result (stored with every transcript and synthesized asset). */
export interface SpeechEngineRef {
  engine: string;
  version: string;
  /** Recognition: the language model ("en-us", "speech-lm@<hash>", a provider model). Synthesis: the voice. */
  model: string;
}

export interface SpeechTranscribePayload {
  assetId: string;
  /** BCP-47 language of the recording; default the engine's (en-US for pocketsphinx). */
  language?: string;
  /**
   * Use the newsroom vocabulary. Default true: the newsroom's ACTIVE speech-lm version when there is one
   * (pocketsphinx), or the glossary terms as spelling hints (HTTP engines). false: the stock model only.
   */
  useVocabulary?: boolean;
  /** A specific speech-lm ModelVersion (e.g. a CANDIDATE to try before activating it). */
  modelVersionId?: string;
  /** The content item the recording belongs to; stored on the transcript. */
  contentId?: string;
  /**
   * Spelling hints from the requester (names, terms), for engines that take a prompt (HTTP engines), sent
   * after the glossary's. pocketsphinx has no prompt: it uses the newsroom vocabulary instead.
   */
  prompt?: string;
  /**
   * Find who speaks when (speaker turns "Speaker 1", "Speaker 2" …, named after a person of the registry
   * when the voice matches an enrolled one). Default true.
   */
  diarize?: boolean;
}

export interface SpeechTranscribeResult {
  /** no-speech: the recording decoded but no words were recognised (an empty transcript is stored). */
  status: 'transcribed' | 'no-speech' | 'unsupported-language';
  assetId: string;
  transcriptId: string | null;
  /** A transcript of the same asset by the same engine, model and language was replaced (same id kept). */
  replaced: boolean;
  identity: SpeechEngineRef | null;
  modelVersionId: string | null;
  /** The punctuation model that wrote the text ("punctuation-en@1"); absent when sentence ends came from pauses only. */
  punctuation?: string;
  language: string;
  durationSec: number | null;
  segments: number;
  words: number;
  /** Speakers found (0 when diarization was off or nobody spoke). */
  speakers?: number;
  /** Speakers named after an enrolled voice. */
  speakersMatched?: number;
  processingSec: number;
  /** Why nothing was transcribed, for the statuses that are not "transcribed". */
  message?: string;
}

export type SpeechAudioFormatName = 'mp3' | 'ogg' | 'wav' | 'opus' | 'flac' | 'aac';

export interface SpeechSynthesizePayload {
  /** Text to read; or contentId to read a content item (title, then body by paragraphs). */
  text?: string;
  contentId?: string;
  /** A voice id from speechVoices; default the engine's voice for the language. */
  voice?: string;
  /** BCP-47; default the content item's language, else en-US. */
  language?: string;
  /** Default mp3. */
  format?: SpeechAudioFormatName;
  /** Speaking rate, 0.5 (slower) to 2 (faster); default 1. */
  speed?: number;
}

export interface SpeechSynthesizeResult {
  status: 'synthesized' | 'unsupported-language';
  /** The new audio MediaAsset (or the existing one with identical bytes). */
  assetId: string | null;
  duplicate: boolean;
  identity: SpeechEngineRef | null;
  language: string;
  format: SpeechAudioFormatName | null;
  mimeType: string | null;
  durationSec: number | null;
  characters: number;
  processingSec: number;
  message?: string;
}

export interface SpeechBuildVocabularyPayload {
  /** Most recent content items to learn from (default 2000). */
  maxArticles?: number;
}

export interface SpeechBuildVocabularyResult {
  /** unchanged: the same texts and glossary gave the same model as an existing version; no-text: nothing to learn from. */
  status: 'built' | 'unchanged' | 'no-text';
  modelVersionId: string | null;
  version: number | null;
  modelStatus: 'ACTIVE' | 'CANDIDATE' | 'RETIRED' | null;
  /** speech-lm@<hash>: what transcripts record as their model. */
  modelId: string | null;
  articles: number;
  glossaryTerms: number;
  /** Glossary pronunciations that could not be used (multi-word terms), with the reason. */
  ignoredPronunciations: string[];
  metrics: Record<string, number | null>;
  buildSec: number;
}

export const speechJobs = {
  'speech.transcribe': defineJob<SpeechTranscribePayload, SpeechTranscribeResult>()({
    name: 'speech.transcribe',
    queue: 'speech',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: z.string().uuid(),
        language: z.string().optional(),
        useVocabulary: z.boolean().optional(),
        modelVersionId: z.string().uuid().optional(),
        contentId: z.string().uuid().optional(),
        prompt: z.string().max(2000).optional(),
        diarize: z.boolean().optional(),
      })
      .passthrough(),
    // Recordings up to the SPEECH_MAX_DURATION_SEC limit (4 h by default) at pocketsphinx's ~0.8 real-time factor.
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 4 * 3600_000 },
    description:
      'Transcribes an audio or video asset (with the newsroom vocabulary when one is active) into a Transcript with segments and word timings.',
  }),
  'speech.synthesize': defineJob<SpeechSynthesizePayload, SpeechSynthesizeResult>()({
    name: 'speech.synthesize',
    queue: 'speech',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        text: z.string().optional(),
        contentId: z.string().uuid().optional(),
        voice: z.string().optional(),
        language: z.string().optional(),
        format: z.enum(['mp3', 'ogg', 'wav', 'opus', 'flac', 'aac']).optional(),
        speed: z.number().min(0.5).max(2).optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 20 * 60_000 },
    description: 'Reads a text or a content item aloud and stores the audio as a new audio asset.',
  }),
  'speech.build-vocabulary': defineJob<SpeechBuildVocabularyPayload, SpeechBuildVocabularyResult>()({
    name: 'speech.build-vocabulary',
    queue: 'speech',
    resource: 'cpu',
    sandboxed: true,
    payload: z.object({ maxArticles: z.number().int().min(1).optional() }).passthrough(),
    options: { attempts: 2, backoffMs: 30_000, timeoutMs: 30 * 60_000 },
    description:
      "Builds a newsroom language model for recognition from the newsroom's articles and glossary and registers it as a speech-lm model version.",
  }),
};
