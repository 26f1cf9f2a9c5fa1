import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import sharp from 'sharp';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Real media live outside the repository: SHARED_DATA_DIR, else <repo>/../shared/data. */
export const DATA_DIR = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');

/** The folder if it exists, and a reason to print when it does not. */
export function dataset(relative: string): { dir: string; present: boolean; reason: string } {
  const dir = path.join(DATA_DIR, relative);
  const present = fs.existsSync(dir);
  return { dir, present, reason: present ? '' : ` (skipped: no data at ${dir})` };
}

export function readData(relative: string): Buffer {
  return fs.readFileSync(path.join(DATA_DIR, relative));
}

/** A smooth, textured test picture; different seeds give unrelated pictures. */
export async function syntheticPhoto(seed: number, width = 320, height = 240): Promise<Buffer> {
  let state = seed * 2654435761 + 1;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const waves = Array.from({ length: 6 }, () => ({
    fx: rand() * 0.06,
    fy: rand() * 0.06,
    phase: rand() * 6.28,
    amp: 20 + rand() * 40,
    ch: Math.floor(rand() * 3),
  }));
  const blobs = Array.from({ length: 5 }, () => ({
    x: rand() * width,
    y: rand() * height,
    r: 20 + rand() * 60,
    c: [rand() * 255, rand() * 255, rand() * 255],
  }));
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = [110, 110, 110];
      for (const w of waves) px[w.ch]! += w.amp * Math.sin(w.fx * x + w.fy * y + w.phase);
      for (const b of blobs) {
        if ((x - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2)
          for (let c = 0; c < 3; c++) px[c] = px[c]! * 0.3 + b.c[c]! * 0.7;
      }
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(px[c]!)));
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A real PNG whose IHDR claims width x height (CRC fixed), like a decompression bomb's header. */
export async function pngWithClaimedSize(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** Character error rate: edit distance over reference length, whitespace runs collapsed. */
export function characterErrorRate(reference: string, hypothesis: string): number {
  const a = reference.replace(/\s+/g, ' ').trim();
  const b = hypothesis.replace(/\s+/g, ' ').trim();
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return a.length === 0 ? (b.length === 0 ? 0 : 1) : previous[b.length]! / a.length;
}
