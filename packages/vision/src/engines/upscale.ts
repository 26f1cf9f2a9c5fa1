import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { VisionError } from '../errors.js';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion } from '../runtime/packages.js';
import { tfQueue } from '../runtime/serial.js';
import { getTf } from '../runtime/tf.js';
import type { ModelIdentity, RgbImage } from '../types.js';
import { registerEsrganLayers } from './esrgan-layers.js';

export interface UpscaleOptions {
  /** Refuse inputs with more pixels than this (default 1024x1024: ~15 s on two cores). */
  maxInputPixels?: number;
  /** Input tile edge; tiles bound memory and keep the event loop responsive (default 128). */
  tileSize?: number;
  /** Context pixels around each tile, discarded after inference; 12 covers the network's receptive field, so tiles join without seams (default 12). */
  overlap?: number;
  onProgress?: (fraction: number) => void;
}

export interface Upscaler {
  readonly identity: ModelIdentity;
  readonly scale: number;
  load(): Promise<LoadedModelInfo>;
  upscale(image: RgbImage, options?: UpscaleOptions): Promise<RgbImage>;
}

export const DEFAULT_MAX_UPSCALE_PIXELS = 1024 * 1024;

/** ESRGAN-slim 2x (RDN) from @upscalerjs/esrgan-slim, loaded from the package's own model files. */
export function createEsrganSlimUpscaler(): Upscaler {
  const scale = 2;
  const identity: ModelIdentity = {
    name: `upscalerjs/esrgan-slim-x${scale}`,
    version: packageVersion('@upscalerjs/esrgan-slim'),
  };
  const model = new LazyModel<TF.LayersModel>(identity, async () => {
    const tf = await getTf();
    registerEsrganLayers(tf);
    const file = path.join(packageDir('@upscalerjs/esrgan-slim'), 'models', `x${scale}`, 'model.json');
    return tf.loadLayersModel(pathToFileURL(file).href);
  });

  return {
    identity,
    scale,
    async load() {
      await model.get();
      return model.info!;
    },
    async upscale(image, options = {}) {
      const maxPixels = options.maxInputPixels ?? DEFAULT_MAX_UPSCALE_PIXELS;
      if (image.width * image.height > maxPixels) {
        throw new VisionError(
          'TOO_LARGE_DIMENSIONS',
          `Super-resolution takes at most ${maxPixels} input pixels; this image has ${image.width}x${image.height}.`,
          { width: image.width, height: image.height, maxPixels },
        );
      }
      const network = await model.get();
      const tf = await getTf();
      return upscaleTiled(tf, network, image, scale, options);
    },
  };
}

async function upscaleTiled(
  tf: typeof TF,
  network: TF.LayersModel,
  image: RgbImage,
  scale: number,
  options: UpscaleOptions,
): Promise<RgbImage> {
  const tile = Math.max(16, options.tileSize ?? 128);
  const overlap = Math.max(0, options.overlap ?? 12);
  const { width, height } = image;
  const outWidth = width * scale;
  const outHeight = height * scale;
  const out = new Uint8Array(outWidth * outHeight * 3);
  const total = Math.ceil(width / tile) * Math.ceil(height / tile);
  let done = 0;
  for (let y0 = 0; y0 < height; y0 += tile) {
    for (let x0 = 0; x0 < width; x0 += tile) {
      const x1 = Math.min(width, x0 + tile);
      const y1 = Math.min(height, y0 + tile);
      // The tile plus its context, clamped to the image.
      const px0 = Math.max(0, x0 - overlap);
      const py0 = Math.max(0, y0 - overlap);
      const px1 = Math.min(width, x1 + overlap);
      const py1 = Math.min(height, y1 + overlap);
      // One tile at a time on the shared tfjs queue, so other jobs' inferences can run between tiles.
      const pixels = await tfQueue.run(async () => {
        const result = tf.tidy(() => {
          const patch = tf.tensor4d(tilePixels(image, px0, py0, px1, py1), [1, py1 - py0, px1 - px0, 3]);
          const predicted = network.predict(patch) as TF.Tensor4D;
          const core = tf.slice(
            predicted,
            [0, (y0 - py0) * scale, (x0 - px0) * scale, 0],
            [1, (y1 - y0) * scale, (x1 - x0) * scale, 3],
          );
          return tf.clipByValue(tf.round(core), 0, 255);
        });
        try {
          return await result.data();
        } finally {
          result.dispose();
        }
      });
      const tileWidth = (x1 - x0) * scale;
      const tileHeight = (y1 - y0) * scale;
      for (let row = 0; row < tileHeight; row++) {
        const target = ((y0 * scale + row) * outWidth + x0 * scale) * 3;
        const source = row * tileWidth * 3;
        for (let i = 0; i < tileWidth * 3; i++) out[target + i] = pixels[source + i]!;
      }
      done++;
      options.onProgress?.(done / total);
      // Let other work (heartbeats, progress events) run between tiles.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/** The RGB values of a rectangle of the image, as floats. */
function tilePixels(image: RgbImage, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const w = x1 - x0;
  const out = new Float32Array(w * (y1 - y0) * 3);
  for (let y = y0; y < y1; y++) {
    const from = (y * image.width + x0) * 3;
    out.set(image.data.subarray(from, from + w * 3), (y - y0) * w * 3);
  }
  return out;
}

let defaultUpscaler: Upscaler | undefined;

export function getUpscaler(): Upscaler {
  defaultUpscaler ??= createEsrganSlimUpscaler();
  return defaultUpscaler;
}
