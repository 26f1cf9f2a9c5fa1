import { describe, expect, it } from 'vitest';
import { colourName, composeAltText, decodeRgb, quoteText, sceneProperties } from '../src/index.js';
import { dataset, readData } from './helpers.js';

const imagenet = dataset('vision/imagenet-coco');

const standing = (x: number) => ({
  label: 'person',
  score: 0.8,
  box: { x, y: 100, width: 120, height: 400 },
});
const face = (x: number, name?: string) => ({ name, box: { x: x + 30, y: 110, width: 60, height: 70 } });

describe('composeAltText', () => {
  it('writes the newsroom example', () => {
    const text = composeAltText({
      objects: [
        standing(100),
        standing(300),
        { label: 'car', score: 0.9, box: { x: 500, y: 200, width: 400, height: 250 } },
      ],
      faces: [face(100, 'Barack Obama'), face(300)],
      text: { text: 'EXIT\n', confidence: 91 },
    });
    expect(text).toBe("Two people, one of them Barack Obama, standing next to a car; text reads 'EXIT'.");
  });

  it('names everyone when everyone is known', () => {
    expect(composeAltText({ faces: [face(0, 'Barack Obama'), face(200, 'Joe Biden')] })).toBe(
      'Barack Obama and Joe Biden.',
    );
    expect(composeAltText({ faces: [face(0, 'Kit Harington')] })).toBe('Kit Harington.');
  });

  it('counts people from faces or person boxes, whichever sees more', () => {
    expect(composeAltText({ objects: [standing(0), standing(200), standing(400)], faces: [face(0)] })).toBe(
      'Three people.',
    );
    expect(composeAltText({ faces: [face(0, 'A'), face(100, 'B'), face(200)] })).toBe(
      'Three people, including A and B.',
    );
  });

  it('uses "with" for things carried or worn', () => {
    const tie = { label: 'tie', score: 0.6, box: { x: 140, y: 200, width: 20, height: 80 } };
    expect(composeAltText({ objects: [standing(100), tie], faces: [face(100, 'Joe Biden')] })).toBe(
      'Joe Biden with a tie.',
    );
  });

  it('counts and pluralises objects, drops weak detections, and reads names the way people say them', () => {
    const objects = [
      { label: 'dog', score: 0.9 },
      { label: 'dog', score: 0.7 },
      { label: 'tv', score: 0.6 },
      { label: 'bus', score: 0.5 },
      { label: 'umbrella', score: 0.2 },
    ];
    expect(composeAltText({ objects })).toBe('Two dogs, a TV and a bus.');
    expect(
      composeAltText({
        objects: [
          { label: 'sheep', score: 0.9 },
          { label: 'sheep', score: 0.9 },
          { label: 'apple', score: 0.8 },
        ],
      }),
    ).toBe('Two sheep and an apple.');
  });

  it('quotes text only when OCR is confident', () => {
    expect(composeAltText({ text: { text: 'CLOSED   FOR\nRENOVATION', confidence: 88 } })).toBe(
      "Image with the text 'CLOSED FOR RENOVATION'.",
    );
    expect(
      composeAltText({ objects: [{ label: 'car', score: 0.9 }], text: { text: 'x7 ;; ~', confidence: 30 } }),
    ).toBe('A car.');
    expect(composeAltText({})).toBe('An image with no recognised people, objects or text.');
  });

  it('shortens long text at a word boundary', () => {
    const long = 'The quick brown dog jumped over the lazy fox. '.repeat(5);
    const quoted = quoteText(long, 40)!;
    expect(quoted.length).toBeLessThanOrEqual(41);
    expect(quoted.endsWith('…')).toBe(true);
    expect(quoted).toBe('The quick brown dog jumped over the lazy…');
  });

  it('says what is true of the picture when nothing was recognised, never "no recognised" when a signal exists', () => {
    const scene = { width: 600, height: 400, brightness: 0.15, dominant: { r: 20, g: 40, b: 120 } };
    expect(composeAltText({ scene })).toBe('A dark landscape image, mostly blue.');
    expect(
      composeAltText({
        scene: { ...scene, width: 300, height: 600, brightness: 0.5 },
        objects: [
          { label: 'dog', score: 0.25 },
          { label: 'sports ball', score: 0.2 },
          { label: 'cat', score: 0.05 },
        ],
      }),
    ).toBe('A portrait image, mostly blue, that may show a dog and a ball.');
    // Text too uncertain to quote is still worth saying.
    expect(composeAltText({ text: { text: 'Grand Opening Saturday', confidence: 45 } })).toBe(
      'An image with some text.',
    );
    expect(composeAltText({ objects: [{ label: 'elephant', score: 0.3 }] })).toBe(
      'An image that may show an elephant.',
    );
  });

  it('names colours in plain words', () => {
    expect(colourName({ r: 250, g: 250, b: 250 })).toBe('white');
    expect(colourName({ r: 10, g: 10, b: 10 })).toBe('black');
    expect(colourName({ r: 30, g: 140, b: 40 })).toBe('green');
    expect(colourName({ r: 120, g: 70, b: 20 })).toBe('brown');
    expect(colourName({ r: 200, g: 30, b: 30 })).toBe('red');
  });

  it.skipIf(!imagenet.present)(`describes a real photo from its pixels${imagenet.reason}`, async () => {
    const image = await decodeRgb(readData('vision/imagenet-coco/n04442312_toaster.JPEG'));
    const scene = sceneProperties(image);
    expect(scene.width).toBe(image.originalWidth);
    expect(scene.brightness).toBeGreaterThan(0);
    expect(scene.brightness).toBeLessThan(1);
    const text = composeAltText({ scene });
    expect(text).toMatch(/^An? (dark |bright )?(landscape|portrait|square) image, mostly [a-z ]+\.$/);
    expect(text).not.toMatch(/no recognised/);
  });
});
