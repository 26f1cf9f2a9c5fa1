import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { convertImage, enhanceImage, inspectImage, makeThumbnail, type OutputFormat } from '../src/index.js';
import { syntheticPhoto } from './helpers.js';

describe('derivatives', () => {
  it('makes a WebP thumbnail that fits 256 px and keeps the aspect', async () => {
    const thumb = await makeThumbnail(await syntheticPhoto(40, 800, 400));
    expect(thumb).toMatchObject({ format: 'webp', width: 256, height: 128, contentType: 'image/webp' });
    expect((await sharp(thumb.buffer).metadata()).format).toBe('webp');
    // Never enlarged.
    expect((await makeThumbnail(await syntheticPhoto(41, 100, 50))).width).toBe(100);
  });

  it.each(['jpeg', 'png', 'webp', 'avif'] as OutputFormat[])('converts to %s', async (format) => {
    const out = await convertImage(await syntheticPhoto(42, 200, 100), { format, maxSide: 120 });
    const info = await inspectImage(out.buffer);
    expect(info.format).toBe(format === 'avif' ? 'heif' : format);
    expect([out.width, out.height]).toEqual([120, 60]);
  });

  it('a thumbnail of an animated GIF is one frame; a CMYK JPEG converts to sRGB', async () => {
    const frames = await Promise.all(
      ['#f00', '#0f0'].map((c) =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: c } })
          .png()
          .toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const thumb = await makeThumbnail(gif);
    expect((await sharp(thumb.buffer).metadata()).pages ?? 1).toBe(1);
    expect(thumb.height).toBe(30);

    const cmyk = await sharp(await syntheticPhoto(43, 60, 40))
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp((await convertImage(cmyk, { format: 'jpeg' })).buffer).metadata()).space).toBe(
      'srgb',
    );
  });

  it('denoise removes salt-and-pepper noise; sharpen raises sharpness', async () => {
    const clean = await sharp(await syntheticPhoto(44, 200, 150))
      .raw()
      .toBuffer();
    const noisy = Buffer.from(clean);
    for (let i = 0; i < noisy.length; i += 3 * 17)
      noisy[i] = noisy[i + 1] = noisy[i + 2] = i % 2 === 0 ? 255 : 0;
    const noisyPng = await sharp(noisy, { raw: { width: 200, height: 150, channels: 3 } })
      .png()
      .toBuffer();
    const denoised = await enhanceImage(noisyPng, { denoise: 'light', format: 'png' });
    const out = await sharp(denoised.buffer).raw().toBuffer();
    const err = (x: Buffer) => x.reduce((s, v, i) => s + Math.abs(v - clean[i]!), 0) / x.length;
    expect(err(out)).toBeLessThan(err(noisy) / 2);

    const soft = await sharp(await syntheticPhoto(45, 200, 150))
      .blur(2)
      .png()
      .toBuffer();
    const sharpened = await enhanceImage(soft, { sharpen: 2, format: 'png' });
    expect((await sharp(sharpened.buffer).stats()).sharpness).toBeGreaterThan(
      (await sharp(soft).stats()).sharpness,
    );
  });
});
