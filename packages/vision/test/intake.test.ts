import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  decodeRgb,
  inspectImage,
  isVisionError,
  normaliseImage,
  VisionError,
  type VisionErrorCode,
} from '../src/index.js';
import { pngWithClaimedSize, syntheticPhoto } from './helpers.js';

async function expectCode(promise: Promise<unknown>, code: VisionErrorCode): Promise<VisionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(VisionError);
  expect((error as VisionError).code).toBe(code);
  return error as VisionError;
}

describe('inspectImage refuses bad input with a code', () => {
  it('non-image bytes are NOT_AN_IMAGE, and not worth a retry', async () => {
    const error = await expectCode(
      inspectImage(Buffer.from('%PDF-1.4 this is a text document, not a photo')),
      'NOT_AN_IMAGE',
    );
    expect(error.retryable).toBe(false);
    await expectCode(inspectImage(Buffer.alloc(0)), 'NOT_AN_IMAGE');
  });

  it('a JPEG cut in half is TRUNCATED, though its header is intact', async () => {
    const jpeg = await sharp(await syntheticPhoto(1))
      .jpeg()
      .toBuffer();
    const half = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    await expect(sharp(half).metadata()).resolves.toMatchObject({ format: 'jpeg' });
    await expectCode(inspectImage(half), 'TRUNCATED');
    await expectCode(decodeRgb(half), 'TRUNCATED');
  });

  it('a PNG header claiming 100000x100000 pixels is TOO_LARGE_DIMENSIONS before any decoding', async () => {
    const bomb = await pngWithClaimedSize(100_000, 100_000);
    const error = await expectCode(inspectImage(bomb), 'TOO_LARGE_DIMENSIONS');
    expect(error.details).toMatchObject({ width: 100_000, height: 100_000 });
    await expectCode(decodeRgb(bomb), 'TOO_LARGE_DIMENSIONS');
    // The limit is configurable: a modest image over a small limit is refused too.
    await expectCode(inspectImage(await syntheticPhoto(2), { maxPixels: 1000 }), 'TOO_LARGE_DIMENSIONS');
  });

  it('SVG is UNSUPPORTED (a document that renders, not a photo)', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>',
    );
    await expectCode(inspectImage(svg), 'UNSUPPORTED');
  });

  it('isVisionError narrows by code', async () => {
    const error = await inspectImage(Buffer.from('nope')).catch((e: unknown) => e);
    expect(isVisionError(error, 'NOT_AN_IMAGE')).toBe(true);
    expect(isVisionError(error, 'TRUNCATED')).toBe(false);
  });
});

describe('inspectImage describes and normalisation fixes awkward images', () => {
  it('an animated GIF: pages and animated, and only the first frame is decoded', async () => {
    const red = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#0000ff' } })
      .png()
      .toBuffer();
    const green = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    const gif = await sharp([red, blue, green], { join: { animated: true } })
      .gif({ delay: [100, 100, 100] })
      .toBuffer();
    const info = await inspectImage(gif);
    expect(info).toMatchObject({ format: 'gif', animated: true, pages: 3, width: 60, height: 40 });
    expect(info.normalisation).toContain('first-frame');
    const pixels = await decodeRgb(gif);
    expect([pixels.width, pixels.height]).toEqual([60, 40]);
    // First frame is red.
    expect(pixels.data[0]).toBeGreaterThan(200);
    expect(pixels.data[2]).toBeLessThan(50);
  });

  it('a CMYK JPEG is reported as cmyk and decoded to sRGB with the right colour', async () => {
    const cmyk = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#d02020' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const info = await inspectImage(cmyk);
    expect(info).toMatchObject({ format: 'jpeg', space: 'cmyk', channels: 4 });
    expect(info.normalisation).toContain('cmyk-to-srgb');
    const pixels = await decodeRgb(cmyk);
    const [r, g, b] = [pixels.data[0]!, pixels.data[1]!, pixels.data[2]!];
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
    const normalised = await normaliseImage(cmyk);
    expect((await sharp(normalised.buffer).metadata()).space).toBe('srgb');
  });

  it('a 16-bit PNG is reported as 16-bit and normalised to 8-bit', async () => {
    const png16 = await sharp(await syntheticPhoto(3, 64, 48))
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const info = await inspectImage(png16);
    expect(info).toMatchObject({ format: 'png', depth: 'ushort', bitsPerSample: 16 });
    expect(info.normalisation).toContain('16-bit-to-8-bit');
    const normalised = await normaliseImage(png16, { format: 'png' });
    const meta = await sharp(normalised.buffer).metadata();
    expect(meta.depth).toBe('uchar');
    expect(meta.bitsPerSample).toBe(8);
  });

  it('EXIF orientation: sizes are upright and decoding rotates', async () => {
    // Stored 80 wide x 40 high, left half black; orientation 6 = rotate 90° clockwise to display.
    const left = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const stored = await sharp({ create: { width: 80, height: 40, channels: 3, background: '#fff' } })
      .composite([{ input: left, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const info = await inspectImage(stored);
    expect(info).toMatchObject({ orientation: 6, storedWidth: 80, storedHeight: 40, width: 40, height: 80 });
    expect(info.normalisation).toContain('exif-orientation');
    const pixels = await decodeRgb(stored);
    expect([pixels.width, pixels.height]).toEqual([40, 80]);
    // After a clockwise turn the stored left half is on top.
    expect(pixels.data[(5 * 40 + 20) * 3]).toBeLessThan(60);
    expect(pixels.data[(75 * 40 + 20) * 3]).toBeGreaterThan(200);
  });

  it('decodeRgb downscales to maxSide and reports the scale for mapping boxes back', async () => {
    const photo = await syntheticPhoto(4, 400, 200);
    const pixels = await decodeRgb(photo, { maxSide: 100 });
    expect([pixels.width, pixels.height, pixels.scale, pixels.originalWidth]).toEqual([100, 50, 0.25, 400]);
    expect(pixels.data.length).toBe(100 * 50 * 3);
  });

  it('transparent PNGs are flattened on white for the models', async () => {
    const transparent = await sharp({
      create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    expect((await inspectImage(transparent)).normalisation).toContain('flatten-alpha');
    const pixels = await decodeRgb(transparent);
    expect(Array.from(pixels.data.slice(0, 3))).toEqual([255, 255, 255]);
  });
});
