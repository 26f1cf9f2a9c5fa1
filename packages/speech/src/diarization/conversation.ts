import { detectSpeech } from '../audio/vad.js';
import { concatPcm, silence, slicePcm, type Pcm } from '../audio/pcm.js';
import type { SpeakerTurn } from './der.js';

/**
 * Test material for diarization: conversations assembled from single-speaker recordings, with the
 * true turns known. Each utterance is trimmed to its speech; turns follow one another after the given
 * pauses, never overlapping.
 */
export interface Utterance {
  speaker: string;
  pcm: Pcm;
}

export interface Conversation {
  pcm: Pcm;
  turns: SpeakerTurn[];
}

/** The utterance cut to its speech (VAD regions, 50 ms of context). Null when it holds no speech. */
export function trimToSpeech(pcm: Pcm): Pcm | null {
  const { regions } = detectSpeech(pcm, { padSec: 0.05 });
  if (regions.length === 0) return null;
  return slicePcm(pcm, regions[0]!.start, regions[regions.length - 1]!.end);
}

/** A recording cut at its pauses (at least `pauseSec`) into phrases of at least `minSec`. */
export function splitPhrases(pcm: Pcm, pauseSec = 0.25, minSec = 0.8): Pcm[] {
  const { regions } = detectSpeech(pcm, { minSilenceSec: pauseSec, padSec: 0.05 });
  const phrases: Array<{ start: number; end: number }> = [];
  for (const r of regions) {
    const last = phrases[phrases.length - 1];
    // A phrase too short to stand alone stays with the one before it.
    if (last && last.end - last.start < minSec) last.end = r.end;
    else phrases.push({ ...r });
  }
  const tail = phrases[phrases.length - 1];
  if (phrases.length > 1 && tail && tail.end - tail.start < minSec) {
    phrases.pop();
    phrases[phrases.length - 1]!.end = tail.end;
  }
  return phrases.map((p) => slicePcm(pcm, p.start, p.end));
}

/** Utterances in order, `pauses[i]` seconds of silence before utterance i+1 (lead-in 0.5 s). */
export function assembleConversation(
  utterances: readonly Utterance[],
  pauses: readonly number[],
): Conversation {
  const rate = utterances[0]?.pcm.sampleRate ?? 16_000;
  const parts: Pcm[] = [silence(0.5, rate)];
  const turns: SpeakerTurn[] = [];
  let at = 0.5;
  utterances.forEach((u, i) => {
    if (i > 0) {
      const pause = pauses[(i - 1) % Math.max(1, pauses.length)] ?? 0.5;
      parts.push(silence(pause, rate));
      at += Math.round(pause * rate) / rate;
    }
    const seconds = u.pcm.samples.length / rate;
    turns.push({ start: at, end: at + seconds, speaker: u.speaker });
    parts.push(u.pcm);
    at += seconds;
  });
  parts.push(silence(0.5, rate));
  return { pcm: concatPcm(parts, rate), turns };
}
