import type { Pcm } from './pcm.js';

/** A stretch of audio in seconds from the start of the recording. */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface VadOptions {
  /** Analysis frame length; default 10 ms. */
  frameMs?: number;
  /** Pauses shorter than this stay inside one speech region. Default 0.3 s. */
  minSilenceSec?: number;
  /** Bursts shorter than this (clicks) are ignored. Default 0.08 s. */
  minSpeechSec?: number;
  /** Context kept around each region. Default 0.25 s. */
  padSec?: number;
  /** Speech must be this far above the noise floor. Default 10 dB. */
  marginDb?: number;
  /** Nothing below this level counts as speech. Default -55 dBFS. */
  absoluteFloorDb?: number;
  /**
   * Speech rises and falls; steady noise (hum, hiss) does not. When the loud frames (95th percentile) are
   * less than this above the quiet ones (10th), nothing is speech. Default 8 dB.
   */
  minDynamicRangeDb?: number;
}

export interface VadResult {
  regions: TimeSpan[];
  noiseDb: number;
  thresholdDb: number;
  frameSec: number;
  /** Level of each frame in dBFS. */
  energiesDb: Float32Array;
}

/** Level per frame in dBFS, DC removed. */
export function frameEnergies(pcm: Pcm, frameSamples: number): Float32Array {
  const n = Math.floor(pcm.samples.length / frameSamples);
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) {
    const base = f * frameSamples;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < frameSamples; i++) {
      const s = pcm.samples[base + i];
      sum += s;
      sq += s * s;
    }
    const mean = sum / frameSamples;
    const variance = Math.max(0, sq / frameSamples - mean * mean);
    out[f] = 10 * Math.log10(variance / 32768 ** 2 + 1e-10);
  }
  return out;
}

function percentile(values: Float32Array, p: number): number {
  if (values.length === 0) return -100;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Energy-based voice activity detection: an adaptive threshold between the noise floor (10th percentile of
 * frame levels) and the speech level (95th percentile), short pauses bridged, clicks dropped, regions padded.
 */
export function detectSpeech(pcm: Pcm, options: VadOptions = {}): VadResult {
  const frameSec = (options.frameMs ?? 10) / 1000;
  const frameSamples = Math.max(1, Math.round(frameSec * pcm.sampleRate));
  const minSilence = Math.round((options.minSilenceSec ?? 0.3) / frameSec);
  const minSpeech = Math.round((options.minSpeechSec ?? 0.08) / frameSec);
  const pad = options.padSec ?? 0.25;
  const energies = frameEnergies(pcm, frameSamples);
  const noiseDb = percentile(energies, 0.1);
  const speechDb = percentile(energies, 0.95);
  const thresholdDb = Math.max(
    options.absoluteFloorDb ?? -55,
    Math.min(noiseDb + (options.marginDb ?? 10), (noiseDb + speechDb) / 2),
  );

  const steady = speechDb - noiseDb < (options.minDynamicRangeDb ?? 8);
  // Raw runs of frames above the threshold.
  const runs: Array<[number, number]> = [];
  let runStart = -1;
  for (let f = 0; f <= energies.length; f++) {
    const active = !steady && f < energies.length && energies[f] > thresholdDb;
    if (active && runStart < 0) runStart = f;
    if (!active && runStart >= 0) {
      runs.push([runStart, f]);
      runStart = -1;
    }
  }
  // Bridge short pauses, then drop short bursts.
  const bridged: Array<[number, number]> = [];
  for (const run of runs) {
    const last = bridged[bridged.length - 1];
    if (last && run[0] - last[1] < minSilence) last[1] = run[1];
    else bridged.push([run[0], run[1]]);
  }
  const duration = pcm.samples.length / pcm.sampleRate;
  const regions: TimeSpan[] = [];
  for (const [a, b] of bridged) {
    if (b - a < minSpeech) continue;
    const span = { start: Math.max(0, a * frameSec - pad), end: Math.min(duration, b * frameSec + pad) };
    const last = regions[regions.length - 1];
    if (last && span.start <= last.end) last.end = span.end;
    else regions.push(span);
  }
  return { regions, noiseDb, thresholdDb, frameSec, energiesDb: energies };
}

export interface ChunkOptions extends VadOptions {
  /** No chunk is longer than this; longer speech is cut at its quietest moment. Default 20 s. */
  maxChunkSec?: number;
  /** A pause at least this long ends a chunk that already holds minChunkSec. Default 0.8 s. */
  breakPauseSec?: number;
  /** Chunks shorter than this keep absorbing the next region (unless the pause is long). Default 4 s. */
  minChunkSec?: number;
  /** A pause this long always ends a chunk: silence is not sent to the recognizer. Default 1.5 s. */
  maxMergeGapSec?: number;
}

/**
 * Plans recognition chunks: speech regions joined up to maxChunkSec, split at pauses, never containing
 * long silence. Silence between chunks is never sent to the recognizer.
 */
export function planChunks(pcm: Pcm, options: ChunkOptions = {}): { chunks: TimeSpan[]; vad: VadResult } {
  const maxChunk = options.maxChunkSec ?? 20;
  const breakPause = options.breakPauseSec ?? 0.8;
  const minChunk = options.minChunkSec ?? 4;
  const maxMergeGap = options.maxMergeGapSec ?? 1.5;
  const vad = detectSpeech(pcm, options);
  const pieces: TimeSpan[] = [];
  for (const region of vad.regions) pieces.push(...splitLong(region, maxChunk, vad));

  const chunks: TimeSpan[] = [];
  for (const piece of pieces) {
    const cur = chunks[chunks.length - 1];
    if (cur) {
      const gap = piece.start - cur.end;
      const fits = piece.end - cur.start <= maxChunk;
      const wantsBreak = gap >= maxMergeGap || (gap >= breakPause && cur.end - cur.start >= minChunk);
      if (fits && !wantsBreak) {
        cur.end = piece.end;
        continue;
      }
    }
    chunks.push({ ...piece });
  }
  return { chunks, vad };
}

/** Cuts a region longer than maxSec at the quietest 100 ms in the second half of each window. */
function splitLong(region: TimeSpan, maxSec: number, vad: VadResult): TimeSpan[] {
  const out: TimeSpan[] = [];
  let start = region.start;
  const smooth = Math.max(1, Math.round(0.1 / vad.frameSec));
  while (region.end - start > maxSec) {
    const from = Math.floor((start + maxSec * 0.5) / vad.frameSec);
    const to = Math.floor((start + maxSec) / vad.frameSec) - smooth;
    let best = from;
    let bestDb = Infinity;
    for (let f = from; f <= to; f++) {
      let sum = 0;
      for (let k = 0; k < smooth; k++) sum += vad.energiesDb[f + k] ?? 0;
      if (sum < bestDb) {
        bestDb = sum;
        best = f;
      }
    }
    const cut = (best + smooth / 2) * vad.frameSec;
    out.push({ start, end: cut });
    start = cut;
  }
  out.push({ start, end: region.end });
  return out;
}
