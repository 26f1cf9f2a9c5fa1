import { VideoError } from './errors.js';
import { runFfmpeg } from './ffmpeg.js';
import type { VideoInfo } from './probe.js';
import { spriteFilter, type SpriteLayout } from './thumbnails.js';

/** Frames are compared at this size: enough to see a change of shot, too small to see noise. */
export const SCAN_WIDTH = 64;
export const SCAN_HEIGHT = 36;

export interface CutOptions {
  /** Mean absolute difference (0-1) of consecutive frames at or above which a cut is possible. */
  threshold?: number;
  /** ... and which must be this many times the typical difference around it (motion is not a cut). */
  ratio?: number;
  /** Shortest scene, seconds. */
  minSceneSec?: number;
}

export const DEFAULT_CUT_OPTIONS: Required<CutOptions> = { threshold: 0.08, ratio: 3, minSceneSec: 0.6 };

export interface Scene {
  index: number;
  startSec: number;
  endSec: number;
  /** Difference score of the cut that opened the scene (0 for the first). */
  cutScore: number;
}

/** Mean absolute difference of two grey frames, 0 (same) to 1. */
export function frameDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / (a.length * 255);
}

/**
 * Cuts from per-frame difference scores (score[i] compares frame i with frame i-1, sampled at `fps`): a
 * frame whose score passes the threshold and stands `ratio` times above the median of the second around
 * it (so fast motion and pans, which raise every score, are not cuts), at least minSceneSec after the last
 * cut. Returns frame indices.
 */
export function detectCuts(scores: ArrayLike<number>, fps: number, options: CutOptions = {}): number[] {
  const { threshold, ratio, minSceneSec } = { ...DEFAULT_CUT_OPTIONS, ...options };
  const half = Math.max(2, Math.round(fps / 2));
  const minGap = Math.max(1, Math.round(minSceneSec * fps));
  const cuts: number[] = [];
  let last = 0;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i];
    if (s < threshold) continue;
    const around: number[] = [];
    for (let j = Math.max(1, i - half); j <= Math.min(scores.length - 1, i + half); j++) {
      if (j !== i) around.push(scores[j]);
    }
    around.sort((x, y) => x - y);
    const median = around.length ? around[Math.floor(around.length / 2)] : 0;
    if (s < ratio * median) continue;
    // A local maximum: the sharpest frame of a two-frame transition is the cut.
    if (i + 1 < scores.length && scores[i + 1] > s) continue;
    if (i - last < minGap) {
      // Too close to the previous cut: keep the stronger of the two.
      if (cuts.length && s > scores[cuts[cuts.length - 1]]) cuts[cuts.length - 1] = i;
      continue;
    }
    cuts.push(i);
    last = i;
  }
  return cuts;
}

/** Scenes covering [0, duration] from cut frame indices. */
export function scenesFromCuts(
  cuts: number[],
  scores: ArrayLike<number>,
  fps: number,
  durationSec: number,
): Scene[] {
  const starts = [0, ...cuts.map((c) => c / fps)];
  return starts.map((startSec, index) => ({
    index,
    startSec: round3(startSec),
    endSec: round3(index + 1 < starts.length ? starts[index + 1] : durationSec),
    cutScore: index === 0 ? 0 : round3(scores[cuts[index - 1]]),
  }));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ScanOptions {
  /** Frames compared per second (default: the video's rate, at most 25). */
  sampleFps?: number;
  cut?: CutOptions;
  /** Also draw the thumbnail sprite sheet in the same decoding pass, to this file. */
  sprite?: { file: string; layout: SpriteLayout };
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ScanResult {
  scenes: Scene[];
  sampleFps: number;
  /** Seconds of picture decoded; short of the duration when the file is truncated. */
  decodedSec: number;
  /** Difference score of every sampled frame (for the benchmark and for tuning). */
  scores: Float32Array;
}

/**
 * One decoding pass over the video: frames downscaled to 64x36 grey are compared for cuts (and, when
 * asked, the sprite sheet of thumbnails is drawn from the same decoded frames). A file that stops
 * decoding well before its stated duration is refused as CORRUPT.
 */
export async function scanVideo(
  file: string,
  info: VideoInfo,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const fps = options.sampleFps ?? Math.min(25, Math.max(1, Math.round(info.fps)));
  const frameBytes = SCAN_WIDTH * SCAN_HEIGHT;
  const expected = Math.max(1, Math.ceil(info.durationSec * fps));
  const scores: number[] = [0];
  let prev: Uint8Array | null = null;
  let pending: Buffer = Buffer.alloc(0);
  let frames = 0;
  let lastReport = 0;
  const onStdout = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= frameBytes) {
      const frame = new Uint8Array(pending.subarray(0, frameBytes));
      pending = pending.subarray(frameBytes);
      if (prev) scores.push(frameDifference(prev, frame));
      prev = frame;
      frames++;
      if (options.onProgress && frames - lastReport >= fps * 5) {
        lastReport = frames;
        options.onProgress(Math.min(1, frames / expected));
      }
    }
  };
  const scan = `fps=${fps},scale=${SCAN_WIDTH}:${SCAN_HEIGHT}:flags=area,format=gray`;
  const args = ['-v', 'error', '-i', file];
  if (options.sprite) {
    args.push(
      '-filter_complex',
      `[0:v:0]split=2[a][b];[a]${scan}[scan];[b]${spriteFilter(options.sprite.layout)}[sprite]`,
      '-map',
      '[scan]',
      '-f',
      'rawvideo',
      'pipe:1',
      '-map',
      '[sprite]',
      '-frames:v',
      '1',
      '-q:v',
      '4',
      '-y',
      options.sprite.file,
    );
  } else {
    args.push('-map', '0:v:0', '-vf', scan, '-f', 'rawvideo', 'pipe:1');
  }
  try {
    await runFfmpeg('ffmpeg', args, { onStdout, signal: options.signal, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (error instanceof VideoError && error.code === 'ENGINE_FAILED' && frames === 0) {
      throw new VideoError(
        'CORRUPT',
        `No frame of the video could be decoded (${error.message}); upload a complete file.`,
      );
    }
    if (!(error instanceof VideoError && error.code === 'ENGINE_FAILED' && frames > 0)) throw error;
  }
  const decodedSec = frames / fps;
  if (frames === 0 || decodedSec < info.durationSec * 0.9 - 1) {
    throw new VideoError(
      'CORRUPT',
      `The video stops decoding at ${decodedSec.toFixed(1)} s of its ${info.durationSec.toFixed(1)} s (a truncated or damaged file); upload a complete file.`,
      { decodedSec, durationSec: info.durationSec },
    );
  }
  const cuts = detectCuts(scores, fps, options.cut);
  options.onProgress?.(1);
  return {
    scenes: scenesFromCuts(cuts, scores, fps, info.durationSec),
    sampleFps: fps,
    decodedSec,
    scores: Float32Array.from(scores),
  };
}
