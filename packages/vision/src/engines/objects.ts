import type { DecodedImage } from '../intake.js';
import type { LoadedModelInfo } from '../runtime/lazy-model.js';
import type { Box, ModelIdentity } from '../types.js';
import { createHumanObjectModel, type HumanObjectModel } from './human-objects.js';
import {
  ACCURATE_CALIBRATION,
  createAccurateObjectDetector,
  OBJECT_QUALITIES,
  type ObjectQuality,
} from './object-ensemble.js';

/** A COCO object found in an image. */
export interface ObjectTag {
  label: string;
  score: number;
  box: Box;
}

export interface DetectObjectsOptions {
  /** Drop detections below this score (default 0.3). */
  minScore?: number;
  maxResults?: number;
}

export interface ObjectDetector {
  readonly identity: ModelIdentity;
  load(): Promise<LoadedModelInfo>;
  detect(image: DecodedImage, options?: DetectObjectsOptions): Promise<ObjectTag[]>;
}

export const DEFAULT_OBJECT_MIN_SCORE = 0.3;

let sharedCenterNet: HumanObjectModel | undefined;

/** The process-wide CenterNet model (both qualities run on it). */
function centerNet(): HumanObjectModel {
  sharedCenterNet ??= createHumanObjectModel('centernet');
  return sharedCenterNet;
}

/** @vladmandic/human's bundled CenterNet (COCO, 80 classes) on tfjs, once on the whole image. */
export function createCenterNetDetector(model: HumanObjectModel = centerNet()): ObjectDetector {
  return {
    identity: model.identity,
    load: () => model.load(),
    async detect(image, options = {}) {
      const minScore = options.minScore ?? DEFAULT_OBJECT_MIN_SCORE;
      const found = await model.run(image);
      const inverse = 1 / image.scale;
      return found
        .filter((d) => d.score >= minScore)
        .sort((a, b) => b.score - a.score)
        .slice(0, options.maxResults ?? 20)
        .map((d) => ({ label: d.label, score: round(d.score, 3), box: scaleBox(d.box, inverse, image) }));
    },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Maps a box on the decoded (maybe downscaled) image back to the upright original, clamped to it. */
export function scaleBox(
  box: Box,
  factor: number,
  image: { originalWidth: number; originalHeight: number },
): Box {
  const x = Math.max(0, Math.round(box.x * factor));
  const y = Math.max(0, Math.round(box.y * factor));
  const right = Math.min(image.originalWidth, Math.round((box.x + box.width) * factor));
  const bottom = Math.min(image.originalHeight, Math.round((box.y + box.height) * factor));
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

const detectors = new Map<ObjectQuality, ObjectDetector>();

/**
 * The process-wide object detector of a quality: 'fast' (default; VISION_OBJECT_QUALITY changes the
 * default) runs CenterNet once, 'accurate' adds test-time augmentation and per-class thresholds.
 */
export function getObjectDetector(quality: ObjectQuality = defaultObjectQuality()): ObjectDetector {
  let detector = detectors.get(quality);
  if (!detector) {
    detector =
      quality === 'accurate'
        ? createAccurateObjectDetector(ACCURATE_CALIBRATION, centerNet())
        : createCenterNetDetector(centerNet());
    detectors.set(quality, detector);
  }
  return detector;
}

/** VISION_OBJECT_QUALITY, else 'fast'; an unknown value is refused with the choices. */
export function defaultObjectQuality(): ObjectQuality {
  const value = process.env.VISION_OBJECT_QUALITY;
  if (!value) return 'fast';
  if (!(OBJECT_QUALITIES as readonly string[]).includes(value))
    throw new RangeError(
      `VISION_OBJECT_QUALITY must be one of ${OBJECT_QUALITIES.join(', ')}, got "${value}".`,
    );
  return value as ObjectQuality;
}
