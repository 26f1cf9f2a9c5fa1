import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { VideoError } from './errors.js';
import { runFfmpeg, ts } from './ffmpeg.js';
import type { VideoInfo } from './probe.js';
import type { Scene } from './scenes.js';

/** Keyframes are analysed at most this many pixels on their long side: 4K video is downscaled first. */
export const ANALYSIS_MAX_SIDE = 1280;

export interface Frame {
  timeSec: number;
  /** JPEG, upright (rotation applied), at most ANALYSIS_MAX_SIDE on the long side. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** Variance of the Laplacian of the frame at 480 px wide: higher is sharper. */
  sharpness: number;
  /** Mean grey level 0-255. */
  brightness: number;
}

/** The frame size analysis uses for a video, keeping its aspect (even numbers, as encoders want). */
export function analysisSize(info: Pick<VideoInfo, 'width' | 'height'>, maxSide = ANALYSIS_MAX_SIDE) {
  const scale = Math.min(1, maxSide / Math.max(info.width, info.height));
  const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
  return { width: even(info.width * scale), height: even(info.height * scale) };
}

/** One frame at `timeSec`, upright and at analysis size, with its sharpness and brightness. */
export async function extractFrame(
  file: string,
  info: VideoInfo,
  timeSec: number,
  signal?: AbortSignal,
): Promise<Frame> {
  return (await extractFrames(file, info, [timeSec], signal))[0];
}

/** Frames decoded per ffmpeg process: each is a seek of its own input, so a process is cheap per frame. */
const FRAMES_PER_RUN = 12;

/** Frames at the given moments (one ffmpeg process per dozen), upright and at analysis size. */
export async function extractFrames(
  file: string,
  info: VideoInfo,
  times: number[],
  signal?: AbortSignal,
): Promise<Frame[]> {
  const size = analysisSize(info);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frames-'));
  try {
    const frames: Frame[] = [];
    for (let from = 0; from < times.length; from += FRAMES_PER_RUN) {
      const batch = times.slice(from, from + FRAMES_PER_RUN);
      const args = ['-v', 'error'];
      batch.forEach((t) => args.push('-ss', ts(t), '-i', file));
      batch.forEach((_, i) =>
        args.push(
          '-map',
          `${i}:v:0`,
          '-frames:v',
          '1',
          '-vf',
          `scale=${size.width}:${size.height}:flags=bicubic`,
          '-y',
          path.join(dir, `${from + i}.png`),
        ),
      );
      await runFfmpeg('ffmpeg', args, { signal, timeoutMs: 120_000 });
      for (let i = 0; i < batch.length; i++) {
        const png = await readFile(path.join(dir, `${from + i}.png`)).catch(() => null);
        if (!png || png.length === 0) {
          throw new VideoError(
            'CORRUPT',
            `No frame could be decoded at ${batch[i].toFixed(2)} s; upload a complete file.`,
          );
        }
        const [jpeg, stats] = await Promise.all([
          sharp(png).jpeg({ quality: 90 }).toBuffer(),
          frameStats(png),
        ]);
        frames.push({ timeSec: batch[i], jpeg, width: size.width, height: size.height, ...stats });
      }
    }
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sharpness (variance of the Laplacian at 480 px wide) and mean brightness of an image. */
export async function frameStats(image: Buffer): Promise<{ sharpness: number; brightness: number }> {
  const { data, info } = await sharp(image)
    .greyscale()
    .resize({ width: 480 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { sharpness: laplacianVariance(data, info.width, info.height), brightness: mean(data) };
}

function mean(data: Uint8Array): number {
  let s = 0;
  for (const v of data) s += v;
  return s / data.length;
}

export function laplacianVariance(g: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = g[i - 1] + g[i + 1] + g[i - width] + g[i + width] - 4 * g[i];
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = sum / n;
  return Math.round((sumSq / n - m * m) * 100) / 100;
}

/** Where to look for a scene's keyframe: a few moments away from its cuts (one for short scenes). */
export function candidateTimes(scene: Pick<Scene, 'startSec' | 'endSec'>, durationSec: number): number[] {
  const length = scene.endSec - scene.startSec;
  const fractions = length >= 1.5 ? [0.25, 0.5, 0.75] : [0.5];
  const last = Math.max(0, durationSec - 0.05);
  return fractions.map((f) => Math.min(last, scene.startSec + f * length));
}

/** The sharpest candidate frame of each scene (dark and blown-out frames lose to well-lit ones). */
export async function pickKeyframes(
  file: string,
  info: VideoInfo,
  scenes: Array<Pick<Scene, 'startSec' | 'endSec'>>,
  signal?: AbortSignal,
  onScene?: (done: number) => void,
): Promise<Frame[]> {
  const keyframes: Frame[] = [];
  // A few scenes per run, so progress moves and memory holds only their candidates.
  const perRun = Math.max(1, Math.floor(FRAMES_PER_RUN / 3));
  for (let from = 0; from < scenes.length; from += perRun) {
    const group = scenes.slice(from, from + perRun);
    const times = group.map((s) => candidateTimes(s, info.durationSec));
    const frames = await extractFrames(file, info, times.flat(), signal);
    let at = 0;
    for (const t of times) {
      const mine = frames.slice(at, at + t.length);
      at += t.length;
      keyframes.push(mine.reduce((best, f) => (keyframeScore(f) > keyframeScore(best) ? f : best)));
    }
    onScene?.(keyframes.length);
  }
  return keyframes;
}

const keyframeScore = (f: Pick<Frame, 'sharpness' | 'brightness'>) =>
  f.sharpness * (f.brightness < 24 || f.brightness > 240 ? 0.1 : 1);
