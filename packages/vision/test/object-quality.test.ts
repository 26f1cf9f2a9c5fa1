import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCURATE_CALIBRATION,
  decodeRgb,
  defaultObjectQuality,
  fuseViews,
  getObjectDetector,
  viewCrop,
  type RawDetection,
} from '../src/index.js';
import { dataset, readData } from './helpers.js';

const imagenet = dataset('vision/imagenet-coco');
const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });
const det = (label: string, score: number, b = box(10, 10, 100, 100)): RawDetection => ({
  label,
  score,
  box: b,
});
/** Detections per view, in the order of ACCURATE_CALIBRATION.views (full, flip, centre, four tiles). */
const views = (
  full: RawDetection[],
  flip: RawDetection[] = [],
  centre: RawDetection[] = [],
  tiles: RawDetection[][] = [],
) => [full, flip, centre, ...[0, 1, 2, 3].map((i) => tiles[i] ?? [])];

describe('fusing the views of the accurate quality', () => {
  it('keeps a class all looks agree on and damps one look’s accident', () => {
    const tags = fuseViews(
      views([det('cat', 0.6)], [det('cat', 0.6)], [det('cat', 0.6), det('tie', 0.6)], [[det('cat', 0.6)]]),
      ACCURATE_CALIBRATION,
    );
    expect(tags.map((t) => t.label)).toEqual(['cat']);
    expect(tags[0]!.score).toBeCloseTo(0.6);
  });

  it('counts the four tiles as one look: a small object found in one tile is not divided by seven', () => {
    const tags = fuseViews(
      views(
        [det('bottle', 0.3)],
        [det('bottle', 0.3)],
        [det('bottle', 0.3)],
        [[], [], [], [det('bottle', 0.5)]],
      ),
      ACCURATE_CALIBRATION,
    );
    expect(tags[0]).toMatchObject({ label: 'bottle' });
    expect(tags[0]!.score).toBeCloseTo((0.3 * 3 + 0.5) / 4);
  });

  it('uses per-class thresholds and orders tags by score over threshold', () => {
    // dog's calibrated threshold is below the global one: a weak dog outranks a stronger horse.
    const dog = ACCURATE_CALIBRATION.classMinScore.dog!;
    const weakDog = dog * 2;
    const horse = ACCURATE_CALIBRATION.minScore * 1.5;
    const tags = fuseViews(
      views(
        [det('dog', weakDog), det('horse', horse)],
        [det('dog', weakDog), det('horse', horse)],
        [det('dog', weakDog), det('horse', horse)],
        [[det('dog', weakDog), det('horse', horse)]],
      ),
      ACCURATE_CALIBRATION,
    );
    expect(tags.map((t) => t.label)).toEqual(['dog', 'horse']);
    // An explicit minimum replaces every class threshold.
    expect(fuseViews(views([det('dog', weakDog)]), ACCURATE_CALIBRATION, 0.3)).toEqual([]);
  });

  it('lists further objects of a kind from the whole-image view, with the whole image’s box', () => {
    const a = det('person', 0.8, box(0, 0, 50, 120));
    const b = det('person', 0.7, box(200, 0, 50, 120));
    const tags = fuseViews(views([a, b], [a, b], [a], [[a], [b]]), ACCURATE_CALIBRATION);
    expect(tags.filter((t) => t.label === 'person').map((t) => t.box.x)).toEqual([0, 200]);
  });

  it('maps view fractions to pixel crops inside the image', () => {
    const image = { data: new Uint8Array(0), width: 500, height: 333 };
    expect(viewCrop(ACCURATE_CALIBRATION.views[0]!, image)).toBeUndefined();
    const corner = viewCrop(ACCURATE_CALIBRATION.views[6]!, image)!;
    expect(corner.x + corner.width).toBeLessThanOrEqual(500);
    expect(corner.y + corner.height).toBeLessThanOrEqual(333);
    expect(corner.width).toBe(300);
  });
});

describe('object quality setting', () => {
  const saved = process.env.VISION_OBJECT_QUALITY;
  afterEach(() => {
    if (saved === undefined) delete process.env.VISION_OBJECT_QUALITY;
    else process.env.VISION_OBJECT_QUALITY = saved;
  });

  it('defaults to fast, follows VISION_OBJECT_QUALITY and refuses an unknown value with the choices', () => {
    delete process.env.VISION_OBJECT_QUALITY;
    expect(defaultObjectQuality()).toBe('fast');
    process.env.VISION_OBJECT_QUALITY = 'accurate';
    expect(defaultObjectQuality()).toBe('accurate');
    process.env.VISION_OBJECT_QUALITY = 'best';
    expect(() => defaultObjectQuality()).toThrow(/fast, accurate/);
  });
});

describe.skipIf(!imagenet.present)(`accurate object tags on a real photo${imagenet.reason}`, () => {
  it('tags the Sealyham terrier a dog where one whole-image pass tags nothing', async () => {
    // A photo of the held-out half (the thresholds were chosen on the other half).
    const image = await decodeRgb(readData('vision/imagenet-coco/n02095889_Sealyham_terrier.JPEG'));
    const fast = await getObjectDetector('fast').detect(image);
    expect(fast.map((t) => t.label)).not.toContain('dog');
    const accurate = getObjectDetector('accurate');
    const tags = await accurate.detect(image);
    expect(tags[0]?.label).toBe('dog');
    for (const tag of tags) {
      expect(tag.box.x + tag.box.width).toBeLessThanOrEqual(image.originalWidth);
      expect(tag.box.y + tag.box.height).toBeLessThanOrEqual(image.originalHeight);
    }
    expect(accurate.identity.name).toBe('human/centernet-coco+tta7');
  });
});
