import { createRequire } from 'node:module';
import sharp from 'sharp';
import type * as TF from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeRgb, getUpscaler, registerEsrganLayers, superResolve, VisionError } from '../src/index.js';
import { dataset, readData, syntheticPhoto } from './helpers.js';

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TF;

function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.length));
}

describe('ESRGAN custom layers', () => {
  const { MultiplyBeta, PixelShuffle2x } = registerEsrganLayers(tf);

  it('PixelShuffle2x moves each group of 4 channels into a 2x2 block', () => {
    // One pixel, 8 channels -> 2x2 pixels, 2 channels.
    const input = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
    const layer = new PixelShuffle2x({});
    const out = layer.apply(input) as TF.Tensor;
    expect(out.shape).toEqual([1, 2, 2, 2]);
    expect(Array.from(out.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(layer.computeOutputShape([null, 5, 7, 12])).toEqual([null, 10, 14, 3]);
  });

  it('MultiplyBeta scales by 0.2, and both layers survive a save/load round trip by class name', async () => {
    const layer = new MultiplyBeta({});
    expect(Array.from((layer.apply(tf.tensor4d([5, 10], [1, 1, 1, 2])) as TF.Tensor).dataSync())).toEqual([
      1, 2,
    ]);

    const input = tf.input({ shape: [null, null, 8] });
    const output = new PixelShuffle2x({ name: 'shuffle' }).apply(
      new MultiplyBeta({ name: 'beta' }).apply(input),
    ) as TF.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    let saved: TF.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(
        async (artifacts) => (
          (saved = artifacts),
          { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
        ),
      ),
    );
    expect(JSON.stringify(saved!.modelTopology)).toContain('PixelShuffle2x');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.tensor4d(
      Array.from({ length: 2 * 2 * 8 }, (_, i) => i),
      [1, 2, 2, 8],
    );
    const y = loaded.predict(x) as TF.Tensor;
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expect(y.dataSync()[2]).toBeCloseTo(0.4);
  });
});

describe('ESRGAN 2x super-resolution', () => {
  const upscaler = getUpscaler();

  it('doubles the size; tiles join without seams', async () => {
    const image = await decodeRgb(await syntheticPhoto(30, 72, 56));
    const whole = await upscaler.upscale(image, { tileSize: 128 });
    const tiled = await upscaler.upscale(image, { tileSize: 24 });
    expect([whole.width, whole.height]).toEqual([144, 112]);
    let worst = 0;
    for (let i = 0; i < whole.data.length; i++)
      worst = Math.max(worst, Math.abs(whole.data[i]! - tiled.data[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    expect(upscaler.identity).toEqual({ name: 'upscalerjs/esrgan-slim-x2', version: '1.0.0' });
  });

  it('refuses inputs above the size limit with TOO_LARGE_DIMENSIONS', async () => {
    const image = await decodeRgb(await syntheticPhoto(31, 100, 100));
    await expect(upscaler.upscale(image, { maxInputPixels: 5000 })).rejects.toThrow(VisionError);
    await expect(upscaler.upscale(image, { maxInputPixels: 5000 })).rejects.toMatchObject({
      code: 'TOO_LARGE_DIMENSIONS',
    });
  });

  const coco = dataset('vision/coco');
  it.skipIf(!coco.present)(`beats bicubic on a real photo downscaled 2x${coco.reason}`, async () => {
    const hr = await sharp(readData('vision/coco/dog.jpg'))
      .extract({ left: 100, top: 200, width: 128, height: 128 })
      .removeAlpha()
      .raw()
      .toBuffer();
    const lrPng = await sharp(hr, { raw: { width: 128, height: 128, channels: 3 } })
      .resize(64, 64, { kernel: 'cubic' })
      .png()
      .toBuffer();
    const bicubic = await sharp(lrPng).resize(128, 128, { kernel: 'cubic' }).removeAlpha().raw().toBuffer();
    const out = await superResolve(lrPng, { format: 'png' });
    expect([out.width, out.height]).toEqual([128, 128]);
    const sr = await sharp(out.buffer).removeAlpha().raw().toBuffer();
    expect(psnr(hr, sr) - psnr(hr, bicubic)).toBeGreaterThan(0.5);
  });
});
