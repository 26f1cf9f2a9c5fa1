import { detectSpeech } from '../audio/vad.js';
import type { Pcm } from '../audio/pcm.js';
import type { SpeakerTurn } from './der.js';
import { mfcc, type Features } from './features.js';
import { addStats, deltaBic, statsOf, type GaussianStats } from './gaussian.js';
import { voiceDistance, voiceFromStats, type VoiceModel } from './voice.js';

/**
 * Speaker diarization ("who spoke when") without a trained model:
 * 1. speech regions split at pauses (the VAD), and inside a region at speaker changes found by ΔBIC
 *    between full-covariance MFCC Gaussians on either side of each candidate point;
 * 2. the pieces grouped by average-linkage clustering of their mean MFCCs (standardised over the
 *    recording) on cosine distance, then clusters whose voices (diagonal Gaussians) lie within
 *    `mergeDistance` of each other merged: the first stage separates, the second decides how many voices
 *    there are on an absolute scale, so one speaker stays one;
 * 3. pieces too short to model join the speaker whose voice they are closest to.
 * The defaults were chosen on bench:diarization's tuning part (synthesized and real conversations).
 */
export interface DiarizeOptions {
  /** A pause at least this long ends a speech region. Default 0.15 s. */
  pauseSec?: number;
  /** λ of the ΔBIC change test inside a region (higher: fewer changes). Default 1.3. */
  changeLambda?: number;
  /** Frames each side of a candidate change. Default 1.5 s. */
  changeWindowSec?: number;
  /** Pieces shorter than this are too short to cluster: they join the closest speaker. Default 0.6 s. */
  minTurnSec?: number;
  /** Average-linkage clustering stops at this cosine distance (0..2). Default 1.1. */
  clusterDistance?: number;
  /** Clusters whose voices are closer than this (voiceDistance) are one speaker. Default 0.6. */
  mergeDistance?: number;
  /** At most this many speakers. Default 10. */
  maxSpeakers?: number;
}

export interface DiarizedSpeaker {
  /** "S1", "S2" … in order of first appearance. */
  id: string;
  /** Seconds of speech attributed to the speaker. */
  seconds: number;
  /** The speaker's voice, for matching against enrolled voices. */
  voice: VoiceModel;
}

export interface Diarization {
  turns: SpeakerTurn[];
  speakers: DiarizedSpeaker[];
  /** Method and version: stored with every result. */
  method: string;
}

export const DIARIZATION_METHOD = 'mfcc-bic-ahc/1';

export const DEFAULT_DIARIZE_OPTIONS: Required<DiarizeOptions> = {
  pauseSec: 0.15,
  changeLambda: 1.3,
  changeWindowSec: 1.5,
  minTurnSec: 0.6,
  clusterDistance: 1.1,
  mergeDistance: 0.75,
  maxSpeakers: 10,
};

interface Piece {
  start: number;
  end: number;
  stats: GaussianStats;
  cluster: number;
}

export function diarize(pcm: Pcm, options: DiarizeOptions = {}): Diarization {
  const o = { ...DEFAULT_DIARIZE_OPTIONS, ...options };
  const features = mfcc(pcm);
  const vad = detectSpeech(pcm, { minSilenceSec: o.pauseSec, padSec: 0.05 });
  // Frames loud enough to be voice: pauses and breaths inside a region would blur the speaker's model.
  const keep = new Uint8Array(features.frames);
  for (let f = 0; f < features.frames; f++) keep[f] = (vad.energiesDb[f] ?? -100) > vad.thresholdDb ? 1 : 0;
  const frame = (sec: number) => Math.round(sec / features.frameSec);

  const pieces: Piece[] = [];
  for (const region of vad.regions) {
    const bounds = [
      frame(region.start),
      ...changePoints(features, keep, frame(region.start), frame(region.end), o),
      frame(region.end),
    ];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const stats = statsOf(features, bounds[i]!, bounds[i + 1]!, keep);
      if (stats.n < 10) continue;
      pieces.push({
        start: bounds[i]! * features.frameSec,
        end: bounds[i + 1]! * features.frameSec,
        stats,
        cluster: -1,
      });
    }
  }
  if (pieces.length === 0) return { turns: [], speakers: [], method: DIARIZATION_METHOD };

  const long = pieces.filter((p) => p.end - p.start >= o.minTurnSec);
  const seeds = long.length > 0 ? long : [pieces.reduce((a, b) => (b.stats.n > a.stats.n ? b : a))];
  const normal = standardizer(features, keep);
  const groups = averageLinkage(
    seeds.map((p) => normal(p.stats)),
    o.clusterDistance,
  ).map((members) => members.map((m) => seeds[m]!));
  const speakers = mergeVoices(
    groups.map((g) => ({ pieces: g, stats: g.map((p) => p.stats).reduce(addStats) })),
    o.mergeDistance,
    o.maxSpeakers,
  );
  speakers.forEach((s, k) => s.pieces.forEach((p) => (p.cluster = k)));
  const voices = speakers.map((s) => voiceFromStats(s.stats));
  for (const p of pieces) {
    if (p.cluster >= 0) continue;
    const own = voiceFromStats(p.stats);
    p.cluster = voices.reduce(
      (best, v, k) => (voiceDistance(own, v) < voiceDistance(own, voices[best]!) ? k : best),
      0,
    );
    speakers[p.cluster]!.stats = addStats(speakers[p.cluster]!.stats, p.stats);
  }

  // Number speakers by first appearance; join touching pieces of one speaker into turns.
  const ids = new Map<number, string>();
  const turns: SpeakerTurn[] = [];
  for (const p of pieces.sort((a, b) => a.start - b.start)) {
    if (!ids.has(p.cluster)) ids.set(p.cluster, `S${ids.size + 1}`);
    const speaker = ids.get(p.cluster)!;
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker && p.start - last.end < 1e-6) last.end = round(p.end);
    else turns.push({ start: round(p.start), end: round(p.end), speaker });
  }
  return {
    turns,
    speakers: [...ids].map(([k, id]) => ({
      id,
      seconds: round(pieces.filter((p) => p.cluster === k).reduce((s, p) => s + p.end - p.start, 0)),
      voice: voiceFromStats(speakers[k]!.stats),
    })),
    method: DIARIZATION_METHOD,
  };
}

/**
 * Speaker changes inside [from, to) (frames): ΔBIC of a split at each candidate, every 0.1 s, with a
 * window on each side; the highest positive peaks kept at least minTurnSec from each other and the edges.
 */
function changePoints(
  features: Features,
  keep: Uint8Array,
  from: number,
  to: number,
  o: Required<DiarizeOptions>,
): number[] {
  const minGap = Math.round(o.minTurnSec / features.frameSec);
  const window = Math.round(o.changeWindowSec / features.frameSec);
  const step = Math.round(0.1 / features.frameSec);
  if (to - from < 2 * minGap) return [];
  const candidates: Array<{ at: number; score: number }> = [];
  for (let at = from + minGap; at <= to - minGap; at += step) {
    const left = statsOf(features, Math.max(from, at - window), at, keep);
    const right = statsOf(features, at, Math.min(to, at + window), keep);
    if (left.n < minGap / 2 || right.n < minGap / 2) continue;
    const score = deltaBic(left, right, o.changeLambda);
    if (score > 0) candidates.push({ at, score });
  }
  const chosen: number[] = [];
  for (const c of candidates.sort((a, b) => b.score - a.score)) {
    if (chosen.every((x) => Math.abs(x - c.at) >= minGap)) chosen.push(c.at);
  }
  return chosen.sort((a, b) => a - b);
}

/** A piece's mean MFCC standardised by the recording's speech frames (mean 0, variance 1 per coefficient). */
function standardizer(features: Features, keep: Uint8Array): (s: GaussianStats) => Float64Array {
  const all = statsOf(features, 0, features.frames, keep);
  const d = all.dim;
  const n = Math.max(1, all.n);
  const mu = all.sum.map((x) => x / n);
  const sd = mu.map((m, i) => Math.sqrt(Math.max(1e-9, all.outer[i * d + i]! / n - m * m)));
  return (s) => s.sum.map((x, i) => (x / Math.max(1, s.n) - mu[i]!) / sd[i]!);
}

function cosineDistance(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return 1 - ab / Math.sqrt(aa * bb + 1e-12);
}

/**
 * Average-linkage agglomerative clustering on cosine distance, cut where clusters are further apart than
 * `threshold`; returns the members of each cluster. The nearest-neighbour chain with Lance–Williams
 * updates builds the tree in O(n²) time, so hours of pieces stay fast; average linkage never merges below
 * an earlier merge, so applying every merge within the threshold is the cut.
 */
export function averageLinkage(vectors: readonly Float64Array[], threshold: number): number[][] {
  const n = vectors.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      dist[i * n + j] = dist[j * n + i] = cosineDistance(vectors[i]!, vectors[j]!);
  const size = new Array<number>(n).fill(1);
  const active = new Set(vectors.map((_, i) => i));
  const merges: Array<[number, number, number]> = [];
  const chain: number[] = [];
  while (active.size > 1) {
    if (chain.length === 0) chain.push(active.values().next().value!);
    const a = chain[chain.length - 1]!;
    const previous = chain[chain.length - 2];
    let b = previous ?? -1;
    let best = previous === undefined ? Infinity : dist[a * n + previous]!;
    for (const c of active) {
      if (c === a) continue;
      const d = dist[a * n + c]!;
      if (d < best) [b, best] = [c, d];
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    chain.length -= 2;
    merges.push([a, b, best]);
    // a takes the union; distances to it are the size-weighted means (Lance–Williams, average linkage).
    for (const c of active) {
      if (c === a || c === b) continue;
      const d = (size[a]! * dist[a * n + c]! + size[b]! * dist[b * n + c]!) / (size[a]! + size[b]!);
      dist[a * n + c] = dist[c * n + a] = d;
    }
    size[a]! += size[b]!;
    active.delete(b);
  }
  const parent = vectors.map((_, i) => i);
  const root = (x: number): number => (parent[x] === x ? x : (parent[x] = root(parent[x]!)));
  for (const [a, b, d] of merges) if (d <= threshold) parent[root(b)] = root(a);
  const groups = new Map<number, number[]>();
  vectors.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  return [...groups.values()];
}

/** Merges the two closest voices while they are within `distance` (or more than maxSpeakers remain). */
function mergeVoices<T extends { pieces: Piece[]; stats: GaussianStats }>(
  clusters: T[],
  distance: number,
  maxSpeakers: number,
): T[] {
  const out = [...clusters];
  while (out.length > 1) {
    const voices = out.map((c) => voiceFromStats(c.stats));
    let bi = 0;
    let bj = 1;
    let best = Infinity;
    for (let i = 0; i < voices.length; i++)
      for (let j = i + 1; j < voices.length; j++) {
        const d = voiceDistance(voices[i]!, voices[j]!);
        if (d < best) [bi, bj, best] = [i, j, d];
      }
    if (best > distance && out.length <= maxSpeakers) break;
    out[bi] = {
      ...out[bi]!,
      pieces: [...out[bi]!.pieces, ...out[bj]!.pieces],
      stats: addStats(out[bi]!.stats, out[bj]!.stats),
    };
    out.splice(bj, 1);
  }
  return out;
}

const round = (s: number) => Math.round(s * 1000) / 1000;
