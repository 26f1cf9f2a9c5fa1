import { composeAltText } from './alt-text.js';
import { getFaceAnalyzer, type DetectedFace, type FaceAnalyzer } from './engines/faces.js';
import { getModerationClassifier, type ModerationClassifier } from './engines/moderation.js';
import type { ObjectQuality } from './engines/object-ensemble.js';
import { getObjectDetector, type ObjectDetector, type ObjectTag } from './engines/objects.js';
import { getOcrEngine, type OcrEngine, type OcrResult } from './engines/ocr.js';
import {
  buildFaceIndex,
  matchFace,
  type FaceIndex,
  type FaceMatch,
  type PeopleRegistry,
} from './faces/recognition.js';
import { decodeRgb, inspectImage, normaliseImage, type ImageInfo, type IntakeOptions } from './intake.js';
import {
  decideModeration,
  DEFAULT_MODERATION_POLICY,
  type ModerationPolicy,
  type ModerationVerdict,
} from './moderation-policy.js';
import { perceptualHash } from './phash.js';
import { sceneProperties } from './scene.js';
import type { ModelIdentity } from './types.js';

export const ANALYSES = ['objects', 'faces', 'moderation', 'ocr', 'phash', 'altText'] as const;
export type Analysis = (typeof ANALYSES)[number];

export interface VisionEngines {
  objects: ObjectDetector;
  faces: FaceAnalyzer;
  moderation: ModerationClassifier;
  ocr: OcrEngine;
}

export interface AnalyzeProgress {
  stage: 'decode' | Analysis;
  done: number;
  total: number;
}

export interface AnalyzeOptions {
  analyses: Analysis[];
  /** People to recognise: the registry, or an index built once with buildFaceIndex and reused. */
  registry?: PeopleRegistry | FaceIndex;
  /** Face match distance threshold (default 0.6). */
  matchThreshold?: number;
  policy?: ModerationPolicy;
  onProgress?: (progress: AnalyzeProgress) => void;
  /** Replace default engines (tests, HTTP providers). */
  engines?: Partial<VisionEngines>;
  /** Long side the tfjs models see (default 1600); boxes are reported in original pixels. */
  analysisMaxSide?: number;
  /** Long side OCR sees (default 2500). */
  ocrMaxSide?: number;
  objectMinScore?: number;
  /**
   * 'fast' (default, or VISION_OBJECT_QUALITY): CenterNet once. 'accurate': flipped, centre and tiled
   * views with calibrated per-class thresholds, about 7× the time of 'fast'.
   */
  objectQuality?: ObjectQuality;
  intake?: IntakeOptions;
}

export interface AnalyzedFace extends DetectedFace {
  /** The recognised person, or null (no registry, or nobody within the threshold). */
  match: FaceMatch | null;
}

export interface AnalyzeResult {
  image: ImageInfo;
  objects?: { model: ModelIdentity; items: ObjectTag[] };
  faces?: { model: ModelIdentity; items: AnalyzedFace[] };
  moderation?: { model: ModelIdentity } & ModerationVerdict;
  ocr?: { model: ModelIdentity } & OcrResult;
  phash?: { algorithm: 'dct64'; hash: string };
  altText?: { text: string };
  /** Milliseconds per stage, and in total. */
  timings: Partial<Record<'decode' | Analysis | 'total', number>>;
  /** Identity of every model whose output is in this result. */
  models: ModelIdentity[];
}

function isIndex(registry: PeopleRegistry | FaceIndex): registry is FaceIndex {
  return 'size' in registry;
}

/**
 * Runs the chosen analyses on one image and returns everything with model
 * identities and timings. Refused images throw a VisionError (not retryable);
 * a model that fails to load throws MODEL_UNAVAILABLE (retryable).
 * `altText` brings in objects, faces and ocr, which it is composed from.
 */
export async function analyzeImage(input: Uint8Array, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const started = performance.now();
  const wanted = new Set<Analysis>(options.analyses);
  for (const name of wanted)
    if (!(ANALYSES as readonly string[]).includes(name)) throw new RangeError(`Unknown analysis ${name}`);
  if (wanted.has('altText')) for (const needed of ['objects', 'faces', 'ocr'] as const) wanted.add(needed);

  const engines: VisionEngines = {
    objects: options.engines?.objects ?? getObjectDetector(options.objectQuality),
    faces: options.engines?.faces ?? getFaceAnalyzer(),
    moderation: options.engines?.moderation ?? getModerationClassifier(),
    ocr: options.engines?.ocr ?? getOcrEngine(),
  };
  const total = 1 + wanted.size;
  let done = 0;
  const timings: AnalyzeResult['timings'] = {};
  const step = async <T>(stage: 'decode' | Analysis, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await work();
    timings[stage] = Math.round(performance.now() - t0);
    options.onProgress?.({ stage, done: ++done, total });
    return value;
  };

  const needsPixels = wanted.has('objects') || wanted.has('faces') || wanted.has('moderation');
  const { image, pixels } = await step('decode', async () => {
    const info = await inspectImage(input, options.intake);
    const decoded = needsPixels
      ? await decodeRgb(input, {
          maxPixels: options.intake?.maxPixels,
          maxSide: options.analysisMaxSide ?? 1600,
        })
      : null;
    return { image: info, pixels: decoded };
  });
  const result: AnalyzeResult = { image, timings, models: [] };

  // Tesseract runs in its own thread: start it first so it overlaps with the tfjs models.
  const ocrPending = wanted.has('ocr')
    ? step('ocr', async () => {
        const prepared = await normaliseImage(input, {
          ...options.intake,
          verify: false,
          format: 'png',
          maxSide: options.ocrMaxSide ?? 2500,
        });
        return engines.ocr.recognize(prepared.buffer);
      })
    : null;
  // Keep a rejection from going unhandled while the other stages run; it is rethrown when awaited below.
  ocrPending?.catch(() => undefined);

  if (wanted.has('phash')) {
    result.phash = { algorithm: 'dct64', hash: await step('phash', () => perceptualHash(input)) };
  }
  if (pixels && wanted.has('objects')) {
    const items = await step('objects', () =>
      engines.objects.detect(pixels, { minScore: options.objectMinScore }),
    );
    result.objects = { model: engines.objects.identity, items };
  }
  if (pixels && wanted.has('faces')) {
    const faces = await step('faces', () => engines.faces.detect(pixels));
    const index = options.registry
      ? isIndex(options.registry)
        ? options.registry
        : buildFaceIndex(options.registry)
      : null;
    const items = faces.map((face) => ({
      ...face,
      match: index ? matchFace(index, face.descriptor, { threshold: options.matchThreshold }) : null,
    }));
    result.faces = { model: engines.faces.identity, items };
  }
  if (pixels && wanted.has('moderation')) {
    const scores = await step('moderation', () => engines.moderation.classify(pixels));
    result.moderation = {
      model: engines.moderation.identity,
      ...decideModeration(scores, options.policy ?? DEFAULT_MODERATION_POLICY),
    };
  }
  if (ocrPending) {
    result.ocr = { model: engines.ocr.identity, ...(await ocrPending) };
  }
  if (wanted.has('altText')) {
    const text = await step('altText', async () =>
      composeAltText({
        objects: result.objects?.items,
        faces: result.faces?.items.map((f) => ({ name: f.match?.name ?? null, box: f.box })),
        text: result.ocr ? { text: result.ocr.text, confidence: result.ocr.confidence } : null,
        scene: pixels ? sceneProperties(pixels) : null,
      }),
    );
    result.altText = { text };
  }

  result.models = [
    result.objects?.model,
    result.faces?.model,
    result.moderation?.model,
    result.ocr?.model,
  ].filter((m): m is ModelIdentity => m !== undefined);
  timings.total = Math.round(performance.now() - started);
  return result;
}
