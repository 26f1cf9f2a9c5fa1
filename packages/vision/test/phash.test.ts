import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findNearDuplicates, hammingDistance, hashFromGrey, perceptualHash } from '../src/index.js';
import { dataset, readData, syntheticPhoto } from './helpers.js';

/** The edits a newsroom copy goes through. */
async function editedCopies(original: Buffer): Promise<Buffer[]> {
  const meta = await sharp(original).metadata();
  const w = meta.width;
  const h = meta.height;
  return Promise.all([
    sharp(original)
      .resize(Math.round(w * 0.5))
      .toBuffer(),
    sharp(original).jpeg({ quality: 35 }).toBuffer(),
    // A slight crop: 1% off each side.
    sharp(original)
      .extract({
        left: Math.round(w * 0.01),
        top: Math.round(h * 0.01),
        width: Math.round(w * 0.98),
        height: Math.round(h * 0.98),
      })
      .toBuffer(),
    sharp(original).modulate({ brightness: 1.15 }).toBuffer(),
  ]);
}

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000001', '0000000000000003')).toBe(1);
    expect(hammingDistance('f0f0f0f0f0f0f0f0', '0f0f0f0f0f0f0f0f')).toBe(64);
    expect(hammingDistance('8000000000000000', '0000000000000000')).toBe(1);
  });
  it('rejects malformed hashes', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
  });
});

describe('perceptualHash', () => {
  it('is 16 hex characters, half of the bits set (median split)', async () => {
    const hash = await perceptualHash(await syntheticPhoto(10));
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const ones = [...hash].reduce(
      (n, c) => n + hammingDistance(`${'0'.repeat(15)}${c}`, '0000000000000000'),
      0,
    );
    expect(ones).toBe(32);
  });

  it('an inverted image gets the complementary hash', () => {
    let state = 7;
    const grey = Array.from({ length: 1024 }, () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return Math.floor((state / 2147483648) * 256);
    });
    const inverted = grey.map((v) => 255 - v);
    expect(hammingDistance(hashFromGrey(grey), hashFromGrey(inverted))).toBe(64);
  });

  it('keeps edited copies close and unrelated pictures far apart', async () => {
    const originals = await Promise.all([11, 12, 13, 14].map((seed) => syntheticPhoto(seed)));
    const hashes = await Promise.all(originals.map((o) => perceptualHash(o)));
    let worstCopy = 0;
    for (const [i, original] of originals.entries()) {
      for (const copy of await editedCopies(original))
        worstCopy = Math.max(worstCopy, hammingDistance(hashes[i]!, await perceptualHash(copy)));
    }
    let closestOther = 64;
    for (let i = 0; i < hashes.length; i++)
      for (let j = i + 1; j < hashes.length; j++)
        closestOther = Math.min(closestOther, hammingDistance(hashes[i]!, hashes[j]!));
    expect(worstCopy).toBeLessThanOrEqual(8);
    expect(closestOther).toBeGreaterThanOrEqual(16);
  });

  const coco = dataset('vision/coco');
  it.skipIf(!coco.present)(`separates real photos from their edited copies${coco.reason}`, async () => {
    const dog = readData('vision/coco/dog.jpg');
    const horses = readData('vision/coco/horses.jpg');
    const dogHash = await perceptualHash(dog);
    for (const copy of await editedCopies(dog))
      expect(hammingDistance(dogHash, await perceptualHash(copy))).toBeLessThanOrEqual(8);
    expect(hammingDistance(dogHash, await perceptualHash(horses))).toBeGreaterThanOrEqual(16);
  });
});

describe('findNearDuplicates', () => {
  it('returns items within the threshold, nearest first', () => {
    const target = '0000000000000000';
    const items = [
      { id: 'far', hash: 'ffffffffffffffff' },
      { id: 'two', hash: '0000000000000003' },
      { id: 'same', hash: '0000000000000000' },
      { id: 'eleven', hash: '00000000000007ff' },
    ];
    expect(findNearDuplicates(target, items)).toEqual([
      { id: 'same', hash: '0000000000000000', distance: 0 },
      { id: 'two', hash: '0000000000000003', distance: 2 },
    ]);
    expect(findNearDuplicates(target, items, 11).map((m) => m.id)).toEqual(['same', 'two', 'eleven']);
  });
});
