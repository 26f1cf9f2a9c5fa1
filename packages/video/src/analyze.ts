import { VideoError } from './errors.js';
import { pickKeyframes, type Frame } from './frames.js';
import { probeVideo, type VideoInfo } from './probe.js';
import { scanVideo, type CutOptions, type Scene } from './scenes.js';
import { spriteLayout, type SpriteLayout } from './thumbnails.js';

/** Default longest video analysed (seconds); the platform's VIDEO_MAX_DURATION_SEC overrides it. */
export const DEFAULT_MAX_DURATION_SEC = 3 * 3600;

export interface VideoAnalyzeOptions {
  maxDurationSec?: number;
  cut?: CutOptions;
  /** Draw the thumbnails sprite sheet into this file during the scan. */
  spriteFile?: string;
  onProgress?: (stage: 'probe' | 'scan' | 'keyframes', fraction: number, message: string) => void;
  signal?: AbortSignal;
}

export interface SceneWithKeyframe extends Scene {
  keyframe: Frame;
}

export interface VideoStructure {
  info: VideoInfo;
  scenes: SceneWithKeyframe[];
  sprite: SpriteLayout | null;
  sampleFps: number;
  /** Milliseconds per stage. */
  timings: { probe: number; scan: number; keyframes: number };
}

/**
 * The picture side of a video's analysis, without any model: probe (refusing corrupt files, files
 * without a picture and files over the duration limit), one decoding pass for cuts and the thumbnail
 * sprite, then the sharpest keyframe of each scene at analysis size.
 */
export async function analyzeVideoStructure(
  file: string,
  head: Uint8Array,
  options: VideoAnalyzeOptions = {},
): Promise<VideoStructure> {
  const report = options.onProgress ?? (() => {});
  let t0 = performance.now();
  const info = await probeVideo(file, head, options.signal);
  const max = options.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC;
  if (info.durationSec > max) {
    throw new VideoError(
      'TOO_LONG',
      `The video lasts ${formatDuration(info.durationSec)}, over this platform's limit of ${formatDuration(max)}; cut it into parts or ask an operator to raise VIDEO_MAX_DURATION_SEC.`,
      { durationSec: info.durationSec, maxDurationSec: max },
    );
  }
  const probeMs = performance.now() - t0;
  report('probe', 1, `${formatDuration(info.durationSec)}, ${info.width}x${info.height}`);

  t0 = performance.now();
  const sprite = options.spriteFile ? spriteLayout(info.durationSec, info.width, info.height) : null;
  const scan = await scanVideo(file, info, {
    cut: options.cut,
    sprite: sprite && options.spriteFile ? { file: options.spriteFile, layout: sprite } : undefined,
    signal: options.signal,
    onProgress: (f) => report('scan', f, `finding scene cuts: ${Math.round(f * 100)}%`),
  });
  const scanMs = performance.now() - t0;

  t0 = performance.now();
  const keyframes = await pickKeyframes(file, info, scan.scenes, options.signal, (done) =>
    report('keyframes', done / scan.scenes.length, `keyframe ${done} of ${scan.scenes.length}`),
  );
  const scenes: SceneWithKeyframe[] = scan.scenes.map((scene, i) => ({ ...scene, keyframe: keyframes[i] }));
  return {
    info,
    scenes,
    sprite,
    sampleFps: scan.sampleFps,
    timings: {
      probe: Math.round(probeMs),
      scan: Math.round(scanMs),
      keyframes: Math.round(performance.now() - t0),
    },
  };
}

export function formatDuration(sec: number): string {
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${r} s` : `${r} s`;
}
