import { mean, type GaussianStats } from './gaussian.js';

/**
 * A voice as stored for a transcript's speaker or an enrolled person: the mean and variance of its MFCC
 * frames (a diagonal Gaussian), the seconds of speech behind them, and the method that computed them
 * (voices of different methods are never compared).
 */
export interface VoiceModel {
  method: string;
  seconds: number;
  mean: number[];
  variance: number[];
}

export const VOICE_METHOD = 'mfcc19-diag/1';

/**
 * Enrolled-voice matching: a speaker is the enrolled person when their voices differ by at most this.
 * Calibrated in bench:diarization on the tuning part: halfway between the largest distance between one
 * voice's speakers in different recordings (0.06) and the smallest between different voices (0.83).
 */
export const DEFAULT_VOICE_MATCH_THRESHOLD = 0.45;

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function voiceFromStats(s: GaussianStats): VoiceModel {
  const m = mean(s);
  const n = Math.max(1, s.n);
  return {
    method: VOICE_METHOD,
    seconds: Math.round(s.n) / 100,
    mean: [...m].map(round4),
    variance: [...m].map((mi, i) => round4(Math.max(1e-4, s.outer[i * s.dim + i]! / n - mi * mi))),
  };
}

/**
 * How different two voices are: the log-likelihood ratio per frame of "one Gaussian" against "two",
 * with both voices weighted equally so a long and a short recording count alike; 0 for the same Gaussian.
 * Throws when the methods differ.
 */
export function voiceDistance(a: VoiceModel, b: VoiceModel): number {
  if (a.method !== b.method || a.mean.length !== b.mean.length)
    throw new Error(`cannot compare a ${a.method} voice with a ${b.method} voice`);
  let sum = 0;
  for (let i = 0; i < a.mean.length; i++) {
    const diff = a.mean[i]! - b.mean[i]!;
    const pooled = (a.variance[i]! + b.variance[i]!) / 2 + (diff * diff) / 4;
    sum += Math.log(pooled) - 0.5 * Math.log(a.variance[i]!) - 0.5 * Math.log(b.variance[i]!);
  }
  return sum / 2;
}

export function isVoiceModel(value: unknown): value is VoiceModel {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<VoiceModel>;
  return (
    typeof v.method === 'string' &&
    typeof v.seconds === 'number' &&
    Array.isArray(v.mean) &&
    Array.isArray(v.variance) &&
    v.variance.length === v.mean.length &&
    v.mean.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
    v.variance.every((x) => typeof x === 'number' && x > 0)
  );
}

export interface EnrolledVoice {
  /** Whose voice (a person of the registry). */
  id: string;
  voice: VoiceModel;
}

export interface VoiceMatch {
  id: string;
  distance: number;
}

/**
 * Each speaker's enrolled match: the closest enrolled voice within `threshold`, one person per speaker
 * and one speaker per person (the closer pair wins). Speakers without a match are left out; voices of
 * another method are skipped.
 */
export function matchVoices(
  speakers: ReadonlyArray<{ id: string; voice: VoiceModel }>,
  enrolled: readonly EnrolledVoice[],
  threshold = DEFAULT_VOICE_MATCH_THRESHOLD,
): Map<string, VoiceMatch> {
  const pairs: Array<{ speaker: string; person: string; distance: number }> = [];
  for (const s of speakers)
    for (const e of enrolled) {
      if (e.voice.method !== s.voice.method) continue;
      const distance = voiceDistance(s.voice, e.voice);
      if (distance <= threshold) pairs.push({ speaker: s.id, person: e.id, distance });
    }
  const out = new Map<string, VoiceMatch>();
  const taken = new Set<string>();
  for (const p of pairs.sort((a, b) => a.distance - b.distance)) {
    if (out.has(p.speaker) || taken.has(p.person)) continue;
    out.set(p.speaker, { id: p.person, distance: Math.round(p.distance * 1000) / 1000 });
    taken.add(p.person);
  }
  return out;
}
