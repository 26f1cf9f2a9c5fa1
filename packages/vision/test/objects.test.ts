import { describe, expect, it } from 'vitest';
import { decodeRgb, getObjectDetector } from '../src/index.js';
import { dataset, readData } from './helpers.js';

const coco = dataset('vision/coco');
const imagenet = dataset('vision/imagenet-coco');

describe.skipIf(!coco.present)(`CenterNet object tags on real photos${coco.reason}`, () => {
  const detector = getObjectDetector();

  it('finds the dog, the bicycle and the car in the classic dog photo, with boxes in the picture', async () => {
    const image = await decodeRgb(readData('vision/coco/dog.jpg'));
    const tags = await detector.detect(image);
    const labels = new Set(tags.map((t) => t.label));
    for (const expected of ['dog', 'bicycle', 'car']) expect(labels).toContain(expected);
    for (const tag of tags) {
      expect(tag.score).toBeGreaterThanOrEqual(0.3);
      expect(tag.box.x + tag.box.width).toBeLessThanOrEqual(image.originalWidth);
      expect(tag.box.y + tag.box.height).toBeLessThanOrEqual(image.originalHeight);
      expect(tag.box.width).toBeGreaterThan(0);
    }
    // The dog is in the lower left of the picture.
    const dog = tags.find((t) => t.label === 'dog')!;
    expect(dog.box.x + dog.box.width / 2).toBeLessThan(image.originalWidth / 2);
    expect(dog.box.y + dog.box.height / 2).toBeGreaterThan(image.originalHeight / 2);
    expect(detector.identity).toEqual({ name: 'human/centernet-coco', version: '3.3.6' });
  });

  it('reports boxes in original pixels when the model sees a downscaled copy', async () => {
    const full = await detector.detect(await decodeRgb(readData('vision/coco/dog.jpg')));
    const small = await detector.detect(await decodeRgb(readData('vision/coco/dog.jpg'), { maxSide: 384 }));
    const a = full.find((t) => t.label === 'bicycle')!.box;
    const b = small.find((t) => t.label === 'bicycle')!.box;
    expect(Math.abs(a.x - b.x)).toBeLessThan(40);
    expect(Math.abs(a.width - b.width)).toBeLessThan(60);
  });

  it.skipIf(!imagenet.present)(`tags a zebra as a zebra${imagenet.reason}`, async () => {
    const tags = await detector.detect(
      await decodeRgb(readData('vision/imagenet-coco/n02391049_zebra.JPEG')),
    );
    expect(tags[0]?.label).toBe('zebra');
  });
});
