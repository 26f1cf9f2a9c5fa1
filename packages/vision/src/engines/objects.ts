import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import type { DecodedImage } from '../intake.js';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion, requireCjs } from '../runtime/packages.js';
import { tfQueue } from '../runtime/serial.js';
import { getTf, tfBackendName, wasmBinariesDir } from '../runtime/tf.js';
import type { Box, ModelIdentity } from '../types.js';

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

/** Lowest score the model is asked to report; callers filter higher. */
const MODEL_FLOOR = 0.15;
export const DEFAULT_OBJECT_MIN_SCORE = 0.3;

/** @vladmandic/human's bundled CenterNet (COCO, 80 classes) on tfjs. */
export function createCenterNetDetector(): ObjectDetector {
  const identity: ModelIdentity = {
    name: 'human/centernet-coco',
    version: packageVersion('@vladmandic/human'),
  };
  const model = new LazyModel<Human>(identity, async () => {
    await getTf();
    const root = packageDir('@vladmandic/human');
    // The package's exports map does not expose the wasm build: load it by path.
    const lib = requireCjs(
      path.join(root, 'dist', 'human.node-wasm.js'),
    ) as typeof import('@vladmandic/human');
    const config: Partial<Config> = {
      backend: tfBackendName(),
      wasmPath: wasmBinariesDir(),
      modelBasePath: pathToFileURL(path.join(root, 'models')).href + '/',
      debug: false,
      warmup: 'none',
      // Human reuses the previous result when frames look alike (video); every photo here is new.
      cacheSensitivity: 0,
      filter: { enabled: false },
      face: { enabled: false },
      body: { enabled: false },
      hand: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
      object: {
        enabled: true,
        modelPath: 'centernet.json',
        minConfidence: MODEL_FLOOR,
        maxDetected: 30,
        skipFrames: 0,
        skipTime: 0,
      },
    };
    const human = new lib.Human(config);
    await human.load();
    if (!human.models.models.centernet) throw new Error('centernet weights did not load');
    return human;
  });

  return {
    identity,
    async load() {
      await model.get();
      return model.info!;
    },
    async detect(image, options = {}) {
      const human = await model.get();
      const tf = await getTf();
      const minScore = options.minScore ?? DEFAULT_OBJECT_MIN_SCORE;
      const result = await tfQueue.run(async () => {
        const input = tf.tensor4d(Int32Array.from(image.data), [1, image.height, image.width, 3], 'int32');
        try {
          return await human.detect(input);
        } finally {
          input.dispose();
        }
      });
      if (result.error) throw new Error(`object detection failed: ${result.error}`);
      const inverse = 1 / image.scale;
      return result.object
        .filter((found) => found.score >= minScore)
        .sort((a, b) => b.score - a.score)
        .slice(0, options.maxResults ?? 20)
        .map((found) => ({
          label: found.label,
          score: round(found.score, 3),
          box: scaleBox(
            { x: found.box[0], y: found.box[1], width: found.box[2], height: found.box[3] },
            inverse,
            image,
          ),
        }));
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

let defaultDetector: ObjectDetector | undefined;

/** The process-wide CenterNet detector. */
export function getObjectDetector(): ObjectDetector {
  defaultDetector ??= createCenterNetDetector();
  return defaultDetector;
}
