import { normalisedPipeline, toVisionError } from './intake.js';

/** Edited copies (resize, recompression, slight crop, brightness) land a few bits apart; unrelated photos 20+. */
export const DEFAULT_DUPLICATE_DISTANCE = 10;

const SIZE = 32;
const LOW = 8;

// cos((2x + 1) u π / 2N) for u = 0..LOW, x = 0..SIZE-1
const COS: Float64Array[] = Array.from({ length: LOW + 1 }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/**
 * 64-bit DCT perceptual hash as 16 hex characters: the image is reduced to
 * 32x32 grey, transformed with a 2-D DCT, and the 8x8 lowest frequencies
 * (skipping the DC row and column, which only carry overall brightness) are
 * compared with their median.
 */
export async function perceptualHash(input: Uint8Array): Promise<string> {
  let grey: Buffer;
  try {
    grey = await normalisedPipeline(input, { flatten: '#ffffff' })
      .greyscale()
      .resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' })
      .removeAlpha()
      .extractChannel(0)
      .raw()
      .toBuffer();
  } catch (error) {
    throw toVisionError(error);
  }
  return hashFromGrey(grey);
}

/** The hash of a 32x32 row-major grey image (exposed for tests and callers that already hold pixels). */
export function hashFromGrey(pixels: ArrayLike<number>): string {
  if (pixels.length !== SIZE * SIZE)
    throw new RangeError(`Expected ${SIZE * SIZE} grey pixels, got ${pixels.length}`);
  // Rows first: rowDct[y][u]
  const rowDct: Float64Array[] = [];
  for (let y = 0; y < SIZE; y++) {
    const out = new Float64Array(LOW + 1);
    for (let u = 1; u <= LOW; u++) {
      let s = 0;
      const c = COS[u]!;
      for (let x = 0; x < SIZE; x++) s += pixels[y * SIZE + x]! * c[x]!;
      out[u] = s;
    }
    rowDct.push(out);
  }
  const coefficients: number[] = [];
  for (let v = 1; v <= LOW; v++) {
    const c = COS[v]!;
    for (let u = 1; u <= LOW; u++) {
      let s = 0;
      for (let y = 0; y < SIZE; y++) s += rowDct[y]![u]! * c[y]!;
      coefficients.push(s);
    }
  }
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++)
      value = (value << 1) | (coefficients[nibble * 4 + bit]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

const POPCOUNT = Uint8Array.from(
  { length: 16 },
  (_, i) => (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1),
);

/** Number of differing bits between two 16-hex-character hashes. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b))
    throw new RangeError('Hashes must be 16 hex characters');
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += POPCOUNT[parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16)]!;
  return distance;
}

export interface HashedItem {
  id: string;
  hash: string;
}

export interface DuplicateMatch extends HashedItem {
  distance: number;
}

/** Items whose hash is within `maxDistance` bits of `hash`, nearest first. */
export function findNearDuplicates(
  hash: string,
  items: Iterable<HashedItem>,
  maxDistance = DEFAULT_DUPLICATE_DISTANCE,
): DuplicateMatch[] {
  const matches: DuplicateMatch[] = [];
  for (const item of items) {
    const distance = hammingDistance(hash, item.hash);
    if (distance <= maxDistance) matches.push({ ...item, distance });
  }
  return matches.sort((x, y) => x.distance - y.distance || x.id.localeCompare(y.id));
}
