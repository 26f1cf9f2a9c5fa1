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

export interface GradualOptions {
  /** Frames are also compared with the frame this many seconds before them. */
  windowSec?: number;
  /** Difference (0-1) across the window at or above which a gradual transition is possible ... */
  threshold?: number;
  /**
   * ... and the share of the frame-by-frame changes over the window that the change across it keeps: a
   * dissolve or a fade moves every pixel one way (close to 1), motion moves pixels back and forth.
   */
  monotonic?: number;
  /** No single step may carry more than this share of the change across the window (that is a hard cut). */
  maxStepShare?: number;
}

export const DEFAULT_GRADUAL_OPTIONS: Required<GradualOptions> = {
  windowSec: 1,
  threshold: 0.1,
  monotonic: 0.6,
  maxStepShare: 0.3,
};

export type TransitionKind = 'cut' | 'gradual';

export interface Scene {
  index: number;
  startSec: number;
  endSec: number;
  /** Difference score of the transition that opened the scene (0 for the first). */
  cutScore: number;
  /** How the scene began: a hard cut, or a gradual transition (dissolve, fade) whose middle is startSec. */
  transition: TransitionKind | null;
}

/** A transition found in the difference scores, at a frame index (a gradual one's middle). */
export interface Transition {
  frame: number;
  kind: TransitionKind;
  score: number;
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

/**
 * Gradual transitions (dissolves, fades) from per-frame scores and `spans` (spans[i] compares frame i
 * with frame i - window): a frame-to-frame change too small for a cut that adds up, pixel by pixel in
 * one direction, to a change across the window as large as a cut's. Each run of such windows is one
 * transition, placed at the centre of the change inside it. Returns frame indices.
 */
export function detectGradual(
  scores: ArrayLike<number>,
  spans: ArrayLike<number>,
  fps: number,
  options: GradualOptions = {},
): Transition[] {
  const { windowSec, threshold, monotonic, maxStepShare } = { ...DEFAULT_GRADUAL_OPTIONS, ...options };
  const w = Math.max(2, Math.round(windowSec * fps));
  const n = Math.min(scores.length, spans.length);
  const found: Transition[] = [];
  let runStart = -1;
  let runBest = 0;
  const close = (runEnd: number) => {
    // The change inside the run's windows, above the shot's own motion, is centred on the transition.
    const from = Math.max(1, runStart - w + 1);
    let floor = Infinity;
    for (let k = from; k <= runEnd; k++) floor = Math.min(floor, scores[k]);
    let mass = 0;
    let moment = 0;
    for (let k = from; k <= runEnd; k++) {
      const m = scores[k] - floor;
      mass += m;
      moment += m * k;
    }
    const frame = mass > 0 ? Math.round(moment / mass) : Math.round((from + runEnd) / 2);
    found.push({ frame, kind: 'gradual', score: runBest });
    runStart = -1;
    runBest = 0;
  };
  let path = 0;
  for (let i = 1; i < n; i++) {
    path += scores[i];
    if (i > w) path -= scores[i - w];
    let candidate = false;
    if (i >= w && spans[i] >= threshold && spans[i] >= monotonic * path) {
      let maxStep = 0;
      for (let k = i - w + 1; k <= i; k++) maxStep = Math.max(maxStep, scores[k]);
      candidate = maxStep <= maxStepShare * spans[i];
    }
    if (candidate) {
      if (runStart < 0) runStart = i;
      runBest = Math.max(runBest, spans[i]);
    } else if (runStart >= 0) close(i - 1);
  }
  if (runStart >= 0) close(n - 1);
  return found;
}

/**
 * Hard cuts and gradual transitions together, in time order: a gradual one closer than minSceneSec to
 * a hard cut or to the start is dropped (the hard cut is the sharper evidence).
 */
export function mergeTransitions(
  cuts: number[],
  gradual: Transition[],
  scores: ArrayLike<number>,
  fps: number,
  minSceneSec = DEFAULT_CUT_OPTIONS.minSceneSec,
): Transition[] {
  const minGap = Math.max(1, Math.round(minSceneSec * fps));
  const hard: Transition[] = cuts.map((frame) => ({ frame, kind: 'cut', score: scores[frame] }));
  const all = [...hard];
  for (const g of gradual) {
    if (g.frame < minGap) continue;
    if (all.some((t) => Math.abs(t.frame - g.frame) < minGap)) continue;
    all.push(g);
  }
  return all.sort((a, b) => a.frame - b.frame);
}

/** Scenes covering [0, duration] from transitions (or hard-cut frame indices). */
export function scenesFromCuts(
  transitions: Array<Transition | number>,
  scores: ArrayLike<number>,
  fps: number,
  durationSec: number,
): Scene[] {
  const list: Transition[] = transitions.map((t) =>
    typeof t === 'number' ? { frame: t, kind: 'cut', score: scores[t] } : t,
  );
  const starts = [0, ...list.map((t) => t.frame / fps)];
  return starts.map((startSec, index) => ({
    index,
    startSec: round3(startSec),
    endSec: round3(index + 1 < starts.length ? starts[index + 1] : durationSec),
    cutScore: index === 0 ? 0 : round3(list[index - 1].score),
    transition: index === 0 ? null : list[index - 1].kind,
  }));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ScanOptions {
  /** Frames compared per second (default: the video's rate, at most 25). */
  sampleFps?: number;
  cut?: CutOptions;
  /** Gradual transitions (dissolves, fades); false finds hard cuts only. */
  gradual?: GradualOptions | false;
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
  /** Difference of every frame with the frame a gradual window before it (0 for the first ones). */
  spans: Float32Array;
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
  const spans: number[] = [0];
  // The last `window` frames, to compare each frame with the one a gradual window before it.
  const gradual = options.gradual === false ? null : { ...DEFAULT_GRADUAL_OPTIONS, ...options.gradual };
  const window = gradual ? Math.max(2, Math.round(gradual.windowSec * fps)) : 0;
  const ring: Uint8Array[] = [];
  let prev: Uint8Array | null = null;
  let pending: Buffer = Buffer.alloc(0);
  let frames = 0;
  let lastReport = 0;
  const onStdout = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= frameBytes) {
      const frame = new Uint8Array(pending.subarray(0, frameBytes));
      pending = pending.subarray(frameBytes);
      if (prev) {
        scores.push(frameDifference(prev, frame));
        spans.push(ring.length === window && window > 0 ? frameDifference(ring[frames % window], frame) : 0);
      }
      if (window > 0) ring[frames % window] = frame;
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
  const transitions = gradual
    ? mergeTransitions(
        cuts,
        detectGradual(scores, spans, fps, gradual),
        scores,
        fps,
        options.cut?.minSceneSec,
      )
    : cuts;
  options.onProgress?.(1);
  return {
    scenes: scenesFromCuts(transitions, scores, fps, info.durationSec),
    sampleFps: fps,
    decodedSec,
    scores: Float32Array.from(scores),
    spans: Float32Array.from(spans),
  };
}
