import { describe, expect, it } from 'vitest';
import {
  analyzeImage,
  buildFaceIndex,
  VisionError,
  type AnalyzeProgress,
  type FaceAnalyzer,
  type ModerationClassifier,
  type ObjectDetector,
  type OcrEngine,
  type PeopleRegistry,
} from '../src/index.js';
import { syntheticPhoto } from './helpers.js';

const loaded = (name: string) => async () => ({ name, version: '1', loadMs: 0, loadedAt: '' });
const obamaVector = Array.from({ length: 128 }, (_, i) => Math.sin(i) * 0.1);

/** Engines that answer instantly, so the orchestration is tested without models. */
function fakeEngines(calls: string[]) {
  const objects: ObjectDetector = {
    identity: { name: 'fake-objects', version: '1' },
    load: loaded('fake-objects'),
    async detect(image) {
      calls.push(`objects:${image.width}x${image.height}`);
      return [
        { label: 'person', score: 0.9, box: { x: 10, y: 10, width: 40, height: 150 } },
        { label: 'person', score: 0.8, box: { x: 60, y: 10, width: 40, height: 150 } },
        { label: 'car', score: 0.7, box: { x: 200, y: 100, width: 100, height: 60 } },
      ];
    },
  };
  const face = (x: number, descriptor: number[]) => ({
    box: { x, y: 15, width: 20, height: 25 },
    score: 0.99,
    landmarks: [],
    descriptor,
    age: 50,
    gender: 'male' as const,
    genderProbability: 0.9,
    expression: 'happy' as const,
    expressions: { neutral: 0, happy: 1, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 },
  });
  const faces: FaceAnalyzer = {
    identity: { name: 'fake-faces', version: '1' },
    load: loaded('fake-faces'),
    async detect() {
      calls.push('faces');
      return [
        face(20, obamaVector),
        face(
          70,
          obamaVector.map((v) => -v),
        ),
      ];
    },
  };
  const moderation: ModerationClassifier = {
    identity: { name: 'fake-nsfw', version: '1' },
    load: loaded('fake-nsfw'),
    async classify() {
      calls.push('moderation');
      return { Drawing: 0.05, Hentai: 0.01, Neutral: 0.5, Porn: 0.42, Sexy: 0.02 };
    },
  };
  const ocr: OcrEngine = {
    identity: { name: 'fake-ocr', version: '1' },
    load: loaded('fake-ocr'),
    async recognize() {
      calls.push('ocr');
      return {
        text: 'EXIT\n',
        confidence: 93,
        words: [{ text: 'EXIT', confidence: 93, box: { x: 1, y: 1, width: 30, height: 10 } }],
        lines: [],
      };
    },
    async close() {},
  };
  return { objects, faces, moderation, ocr };
}

const registry: PeopleRegistry = {
  people: [{ personId: 'p1', name: 'Barack Obama', exemplars: [{ descriptor: obamaVector }] }],
};

describe('analyzeImage', () => {
  it('runs what was asked, names known faces, applies the policy, writes alt text, and records models and timings', async () => {
    const calls: string[] = [];
    const progress: AnalyzeProgress[] = [];
    const result = await analyzeImage(await syntheticPhoto(50, 400, 300), {
      analyses: ['altText', 'moderation', 'phash'],
      registry,
      policy: { Porn: { flag: 0.4, block: 0.9 } },
      engines: fakeEngines(calls),
      onProgress: (p) => progress.push(p),
    });
    expect(result.image).toMatchObject({ format: 'png', width: 400, height: 300 });
    expect(result.faces!.items.map((f) => f.match?.name ?? null)).toEqual(['Barack Obama', null]);
    expect(result.faces!.items[0]!.match!.distance).toBe(0);
    expect(result.moderation).toMatchObject({ decision: 'flag', model: { name: 'fake-nsfw', version: '1' } });
    expect(result.phash!.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(result.altText!.text).toBe(
      "Two people, one of them Barack Obama, standing next to a car; text reads 'EXIT'.",
    );
    expect(result.models.map((m) => m.name).sort()).toEqual([
      'fake-faces',
      'fake-nsfw',
      'fake-objects',
      'fake-ocr',
    ]);
    for (const stage of [
      'decode',
      'objects',
      'faces',
      'moderation',
      'ocr',
      'phash',
      'altText',
      'total',
    ] as const) {
      expect(result.timings[stage], stage).toBeGreaterThanOrEqual(0);
    }
    // altText pulled in objects, faces and ocr: 1 decode + 6 analyses.
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress.every((p) => p.total === 7)).toBe(true);
    expect(calls).toContain('objects:400x300');
  });

  it('runs only the chosen analyses and accepts a prebuilt face index', async () => {
    const calls: string[] = [];
    const result = await analyzeImage(await syntheticPhoto(51), {
      analyses: ['faces'],
      registry: buildFaceIndex(registry),
      engines: fakeEngines(calls),
    });
    expect(calls).toEqual(['faces']);
    expect(result.objects).toBeUndefined();
    expect(result.ocr).toBeUndefined();
    expect(result.faces!.items[0]!.match?.personId).toBe('p1');
    expect(result.models).toEqual([{ name: 'fake-faces', version: '1' }]);
  });

  it('downscales what the models see but keeps image info at full size', async () => {
    const calls: string[] = [];
    const result = await analyzeImage(await syntheticPhoto(52, 800, 400), {
      analyses: ['objects'],
      analysisMaxSide: 200,
      engines: fakeEngines(calls),
    });
    expect(calls).toEqual(['objects:200x100']);
    expect(result.image.width).toBe(800);
  });

  it('refuses a bad file with a coded error before any model runs', async () => {
    const calls: string[] = [];
    await expect(
      analyzeImage(Buffer.from('not an image'), { analyses: ['objects'], engines: fakeEngines(calls) }),
    ).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' });
    await expect(
      analyzeImage(Buffer.from('x'), { analyses: ['objects'], engines: fakeEngines(calls) }),
    ).rejects.toBeInstanceOf(VisionError);
    expect(calls).toEqual([]);
    await expect(
      analyzeImage(await syntheticPhoto(53), { analyses: ['colour' as 'objects'] }),
    ).rejects.toThrow(RangeError);
  });
});
