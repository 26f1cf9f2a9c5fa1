import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  chooseCropWindow,
  cropSize,
  focusFromDetections,
  parseAspect,
  smartCrop,
  type Box,
} from '../src/index.js';
import { syntheticPhoto } from './helpers.js';

function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe('chooseCropWindow', () => {
  it('parses aspect ratios', () => {
    expect(parseAspect('16:9')).toBeCloseTo(16 / 9);
    expect(parseAspect('4:5')).toBe(0.8);
    expect(parseAspect(1.5)).toBe(1.5);
    expect(() => parseAspect('wide' as '1:1')).toThrow(RangeError);
    expect(cropSize(1600, 900, 1)).toEqual({ width: 900, height: 900 });
    expect(cropSize(900, 1600, 16 / 9)).toEqual({ width: 900, height: 506 });
  });

  it.each(['1:1', '4:5', '16:9'] as const)('keeps a face at the edge of the frame in a %s crop', (aspect) => {
    // Landscape for 1:1 and 4:5, portrait for 16:9, so the window must move away from the centre.
    const image = aspect === '16:9' ? { width: 1000, height: 2000 } : { width: 2000, height: 1000 };
    const face: Box =
      aspect === '16:9'
        ? { x: 400, y: 1750, width: 150, height: 200 }
        : { x: 1820, y: 300, width: 150, height: 200 };
    const choice = chooseCropWindow(image, parseAspect(aspect), [{ box: face, weight: 4 }]);
    expect(choice).not.toBeNull();
    expect(contains(choice!.crop, face)).toBe(true);
    expect(choice!.coverage).toBe(1);
    expect(choice!.crop.width / choice!.crop.height).toBeCloseTo(parseAspect(aspect), 2);
    expect(contains({ x: 0, y: 0, ...image }, choice!.crop)).toBe(true);
  });

  it('centres on the subject when the whole box fits anywhere in a range', () => {
    const choice = chooseCropWindow({ width: 3000, height: 1000 }, 1, [
      { box: { x: 1400, y: 400, width: 200, height: 200 }, weight: 1 },
    ]);
    expect(choice!.crop.x).toBe(1000);
  });

  it('prefers the heavier box when both cannot fit', () => {
    const face = { box: { x: 100, y: 100, width: 200, height: 200 }, weight: 4 };
    const sign = { box: { x: 2500, y: 100, width: 300, height: 300 }, weight: 1 };
    const choice = chooseCropWindow({ width: 3000, height: 1000 }, 1, [face, sign]);
    expect(contains(choice!.crop, face.box)).toBe(true);
    expect(choice!.coverage).toBeLessThan(1);
  });

  it('returns null without boxes, and the whole image when the aspect already matches', () => {
    expect(chooseCropWindow({ width: 100, height: 100 }, 1, [])).toBeNull();
    expect(
      chooseCropWindow({ width: 100, height: 100 }, 1, [
        { box: { x: 0, y: 0, width: 10, height: 10 }, weight: 1 },
      ])!.crop,
    ).toEqual({ x: 0, y: 0, width: 100, height: 100 });
  });

  it('grows face boxes to heads and weights faces above objects', () => {
    const focus = focusFromDetections({
      faces: [{ box: { x: 100, y: 100, width: 100, height: 100 } }],
      objects: [{ label: 'car', score: 0.5, box: { x: 0, y: 0, width: 10, height: 10 } }],
    });
    expect(focus[0]!.weight).toBeGreaterThan(focus[1]!.weight);
    expect(focus[0]!.box.y).toBeLessThan(100);
    expect(focus[0]!.box.width).toBeGreaterThan(100);
  });
});

describe('smartCrop', () => {
  it('crops the pixels of the chosen window: a red square at the right edge stays in a 1:1 crop', async () => {
    const base = await syntheticPhoto(20, 600, 300);
    const square = await sharp({ create: { width: 60, height: 60, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const photo = await sharp(base)
      .composite([{ input: square, left: 520, top: 120 }])
      .png()
      .toBuffer();
    const out = await smartCrop(photo, {
      aspect: '1:1',
      focus: [{ box: { x: 520, y: 120, width: 60, height: 60 }, weight: 1 }],
      format: 'png',
    });
    expect(out).toMatchObject({ width: 300, height: 300, strategy: 'focus', coverage: 1 });
    expect(contains(out.crop, { x: 520, y: 120, width: 60, height: 60 })).toBe(true);
    // The square is inside the output pixels too.
    const { data, info } = await sharp(out.buffer).raw().toBuffer({ resolveWithObject: true });
    const sx = 520 - out.crop.x + 30;
    const at = (150 * 300 + sx) * info.channels;
    expect([data[at], data[at + 1], data[at + 2]]).toEqual([255, 0, 0]);
  });

  it('resizes to the requested width and aspect', async () => {
    const out = await smartCrop(await syntheticPhoto(21, 600, 400), {
      aspect: '16:9',
      width: 320,
      focus: [{ box: { x: 10, y: 10, width: 50, height: 50 }, weight: 1 }],
      format: 'webp',
    });
    expect([out.width, out.height, out.format, out.contentType]).toEqual([320, 180, 'webp', 'image/webp']);
  });

  it('falls back to the attention strategy without focus boxes', async () => {
    const out = await smartCrop(await syntheticPhoto(22, 600, 400), { aspect: '4:5' });
    expect(out.strategy).toBe('attention');
    expect([out.width, out.height]).toEqual([320, 400]);
    expect(out.crop.x).toBeGreaterThanOrEqual(0);
    expect(out.crop.x + out.crop.width).toBeLessThanOrEqual(601);
  });
});
