import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCorrection,
  analyzeImage,
  buildFaceIndex,
  decodeRgb,
  enrolFaces,
  getFaceAnalyzer,
  matchFace,
  shutdownVision,
  type DetectedFace,
  type PeopleRegistry,
} from '../src/index.js';
import { dataset, readData } from './helpers.js';

const faces = dataset('vision/faces');

describe.skipIf(!faces.present)(`face-api on real photos${faces.reason}`, () => {
  const analyzer = getFaceAnalyzer();
  const detect = async (file: string): Promise<DetectedFace[]> =>
    analyzer.detect(await decodeRgb(readData(`vision/faces/${file}`), { maxSide: 1600 }));
  let registry: PeopleRegistry = { people: [] };
  afterAll(() => shutdownVision());

  beforeAll(async () => {
    const enrol: Array<[string, string, string]> = [
      ['obama', 'Barack Obama', 'train__obama__obama.jpg'],
      ['obama', 'Barack Obama', 'train__obama__obama2.jpg'],
      ['biden', 'Joe Biden', 'train__biden__biden.jpg'],
      ['biden', 'Joe Biden', 'train__biden__biden2.jpg'],
    ];
    for (const [personId, name, file] of enrol) {
      const found = await detect(file);
      expect(found, file).toHaveLength(1);
      registry = enrolFaces(registry, { personId, name }, [
        { faceId: file, descriptor: found[0]!.descriptor },
      ]);
    }
  });

  it('detects a face with box, 68 landmarks, a 128-d descriptor, age, gender and expression', async () => {
    const [face] = await detect('test__obama1.jpg');
    expect(face).toBeDefined();
    expect(face!.score).toBeGreaterThan(0.8);
    expect(face!.landmarks).toHaveLength(68);
    expect(face!.descriptor).toHaveLength(128);
    expect(face!.gender).toBe('male');
    expect(face!.age).toBeGreaterThan(25);
    expect(face!.age).toBeLessThan(75);
    expect(Object.keys(face!.expressions)).toContain(face!.expression);
    // Landmarks lie inside (or at the edge of) the face box.
    const inside = face!.landmarks.filter(
      (p) =>
        p.x >= face!.box.x - 10 &&
        p.x <= face!.box.x + face!.box.width + 10 &&
        p.y >= face!.box.y - 10 &&
        p.y <= face!.box.y + face!.box.height + 10,
    );
    expect(inside.length).toBeGreaterThan(60);
    expect(analyzer.identity).toMatchObject({ name: expect.stringContaining('face-api'), version: '1.7.15' });
  });

  it('recognises enrolled people in new photos, and both people in a two-person photo', async () => {
    const index = buildFaceIndex(registry);
    const [obama] = await detect('test__obama1.jpg');
    const match = matchFace(index, obama!.descriptor);
    expect(match).toMatchObject({ personId: 'obama', name: 'Barack Obama' });
    expect(match!.distance).toBeLessThan(0.6);

    const pair = await detect('test__obama_and_biden.jpg');
    expect(pair).toHaveLength(2);
    const names = pair.map((f) => matchFace(index, f.descriptor)?.name).sort();
    expect(names).toEqual(['Barack Obama', 'Joe Biden']);
  });

  it('does not put a name on a stranger, and a rejected face stops matching', async () => {
    const index = buildFaceIndex(registry);
    const [stranger] = await detect('test__alex_lacamoire1.jpg');
    expect(matchFace(index, stranger!.descriptor)).toBeNull();

    const [obama] = await detect('test__obama1.jpg');
    const corrected = buildFaceIndex(
      addCorrection(registry, {
        personId: 'obama',
        verdict: 'rejected',
        descriptor: obama!.descriptor,
        faceId: 'test-obama1',
      }),
    );
    expect(matchFace(corrected, obama!.descriptor, { faceId: 'test-obama1' })).toBeNull();
    expect(matchFace(corrected, obama!.descriptor)).toBeNull();
  });

  it('analyzeImage end to end: both people named in the alt text, with every model identified', async () => {
    const result = await analyzeImage(readData('vision/faces/test__obama_and_biden.jpg'), {
      analyses: ['altText'],
      registry,
    });
    expect(result.faces!.items.map((f) => f.match?.name).sort()).toEqual(['Barack Obama', 'Joe Biden']);
    expect(result.altText!.text).toMatch(/^(Barack Obama and Joe Biden|Joe Biden and Barack Obama)\b/);
    expect(result.models.map((m) => m.name)).toEqual([
      'human/centernet-coco',
      'face-api/ssd-mobilenetv1+landmark68+recognition128',
      'tesseract.js/eng-4.0.0_best_int-lstm',
    ]);
  });
});
