import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';

/** A deterministic test photo: gradient sky, a "face" disc off-centre, a dark ground. */
export async function testPhoto(width = 1600, height = 1000): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const sky = y < height * 0.6;
      const dx = x - width * 0.78;
      const dy = y - height * 0.35;
      const face = dx * dx + dy * dy < (height * 0.12) ** 2;
      data[i] = face ? 224 : sky ? 90 + Math.round((120 * y) / height) : 40;
      data[i + 1] = face ? 172 : sky ? 140 + Math.round((60 * x) / width) : 70;
      data[i + 2] = face ? 140 : sky ? 210 : 35;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Compares a PNG with the golden file pixel by pixel (exact). UPDATE_GOLDEN=1 writes the golden file
 * instead; look at it before committing. On a difference the actual image is written beside the temp dir.
 */
export async function expectGolden(png: Buffer, name: string): Promise<void> {
  const file = path.join(import.meta.dirname, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1')
      throw new Error(`No golden file ${name}: run with UPDATE_GOLDEN=1 and look at it`);
    fs.writeFileSync(file, png);
    return;
  }
  const [a, b] = await Promise.all(
    [png, fs.readFileSync(file)].map((p) =>
      sharp(p).removeAlpha().raw().toBuffer({ resolveWithObject: true }),
    ),
  );
  expect({ width: a!.info.width, height: a!.info.height }).toEqual({
    width: b!.info.width,
    height: b!.info.height,
  });
  let differing = 0;
  let maxDiff = 0;
  for (let i = 0; i < a!.data.length; i++) {
    const d = Math.abs(a!.data[i]! - b!.data[i]!);
    if (d) {
      differing++;
      maxDiff = Math.max(maxDiff, d);
    }
  }
  if (differing) {
    const out = path.join(os.tmpdir(), `actual-${name}`);
    fs.writeFileSync(out, png);
    throw new Error(
      `${name}: ${differing} channel values differ from the golden image (largest by ${maxDiff}); actual written to ${out}. ` +
        'Goldens are exact for the pinned sharp and Debian 12 fonts (fonts-dejavu-core 2.37); after an upgrade, regenerate with UPDATE_GOLDEN=1 and review.',
    );
  }
}

/** Bounding box of pixels with any alpha in an RGBA raw image. */
export async function inkBounds(
  svg: string,
): Promise<{ x1: number; y1: number; x2: number; y2: number } | null> {
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * 4 + 3]! > 0) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return Number.isFinite(x1) ? { x1, y1, x2, y2 } : null;
}
