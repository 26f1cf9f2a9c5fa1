import { DomainError } from '@media-ai/core';
import { createSynthesizer, isSpeechError, speechConfigFromEnv, type Voice } from '@media-ai/speech';

export interface VoiceCatalog {
  engine: string;
  engineVersion: string;
  voices: Voice[];
  languages: string[];
}

const TTL_MS = 10 * 60_000;
let cached: { at: number; catalog: Promise<VoiceCatalog> } | undefined;

/** The configured synthesizer's voices (the same SPEECH_TTS_* settings as the worker), cached for ten minutes. */
export function voiceCatalog(): Promise<VoiceCatalog> {
  if (!cached || Date.now() - cached.at > TTL_MS) {
    const catalog = loadCatalog();
    cached = { at: Date.now(), catalog };
    catalog.catch(() => {
      if (cached?.catalog === catalog) cached = undefined;
    });
  }
  return cached.catalog;
}

async function loadCatalog(): Promise<VoiceCatalog> {
  let synthesizer;
  try {
    synthesizer = createSynthesizer(speechConfigFromEnv().synthesizer);
  } catch (error) {
    if (isSpeechError(error)) throw new DomainError('UNAVAILABLE', error.message);
    throw error;
  }
  let voices: Voice[];
  try {
    voices = await synthesizer.voices();
  } catch (error) {
    throw new DomainError(
      'UNAVAILABLE',
      `The speech synthesizer (${synthesizer.id}) could not list its voices: ${(error as Error).message}`,
    );
  }
  return {
    engine: synthesizer.id,
    engineVersion: synthesizer.version,
    voices,
    languages: [...new Set(voices.map((v) => v.language))].sort(),
  };
}

/** The recognition engine configured (SPEECH_ASR_ENGINE), or null when the configuration is invalid. */
export function recognitionEngine(): string | null {
  try {
    return speechConfigFromEnv().recognizer.engine;
  } catch {
    return null;
  }
}
