import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import type { DecodedImage } from '../intake.js';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion, requireCjs } from '../runtime/packages.js';
import { tfQueue } from '../runtime/serial.js';
import { getTf } from '../runtime/tf.js';
import type { Box, ModelIdentity } from '../types.js';

export type Expression = 'neutral' | 'happy' | 'sad' | 'angry' | 'fearful' | 'disgusted' | 'surprised';

export interface Point {
  x: number;
  y: number;
}

/** A face found in an image, in upright-original coordinates. */
export interface DetectedFace {
  box: Box;
  score: number;
  /** 68 landmarks (iBUG 300-W order: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67). */
  landmarks: Point[];
  /** 128-d embedding; same person when the Euclidean distance is below ~0.6. */
  descriptor: number[];
  age: number;
  gender: 'male' | 'female';
  genderProbability: number;
  expression: Expression;
  expressions: Record<Expression, number>;
}

export interface DetectFacesOptions {
  /** Detector confidence floor (default 0.5). */
  minScore?: number;
  maxFaces?: number;
}

export interface FaceAnalyzer {
  readonly identity: ModelIdentity;
  load(): Promise<LoadedModelInfo>;
  detect(image: DecodedImage, options?: DetectFacesOptions): Promise<DetectedFace[]>;
}

type FaceApiLib = typeof FaceApi;

/** @vladmandic/face-api: SSD MobileNetV1 detector, 68-point landmarks, 128-d recognition net, age/gender, expressions. */
export function createFaceApiAnalyzer(): FaceAnalyzer {
  const identity: ModelIdentity = {
    name: 'face-api/ssd-mobilenetv1+landmark68+recognition128',
    version: packageVersion('@vladmandic/face-api'),
  };
  const model = new LazyModel<FaceApiLib>(identity, async () => {
    await getTf();
    const root = packageDir('@vladmandic/face-api');
    const faceapi = requireCjs(path.join(root, 'dist', 'face-api.node-wasm.js')) as FaceApiLib;
    const weights = path.join(root, 'model');
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(weights);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(weights);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(weights);
    await faceapi.nets.ageGenderNet.loadFromDisk(weights);
    await faceapi.nets.faceExpressionNet.loadFromDisk(weights);
    return faceapi;
  });

  return {
    identity,
    async load() {
      await model.get();
      return model.info!;
    },
    async detect(image, options = {}) {
      const faceapi = await model.get();
      const tf = await getTf();
      const found = await tfQueue.run(async () => {
        const input = tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, 3], 'int32');
        try {
          return await faceapi
            .detectAllFaces(
              input as unknown as FaceApi.TNetInput,
              new faceapi.SsdMobilenetv1Options({
                minConfidence: options.minScore ?? 0.5,
                maxResults: options.maxFaces ?? 50,
              }),
            )
            .withFaceLandmarks()
            .withFaceDescriptors()
            .withAgeAndGender()
            .withFaceExpressions();
        } finally {
          input.dispose();
        }
      });
      const k = 1 / image.scale;
      return found
        .sort((a, b) => a.detection.box.x - b.detection.box.x)
        .map((face) => {
          const b = face.detection.box;
          const right = Math.min(image.originalWidth, Math.round((b.x + b.width) * k));
          const bottom = Math.min(image.originalHeight, Math.round((b.y + b.height) * k));
          const x = Math.max(0, Math.round(b.x * k));
          const y = Math.max(0, Math.round(b.y * k));
          const expressions = Object.fromEntries(
            Object.entries(face.expressions as unknown as Record<string, number>).map(([name, p]) => [
              name,
              Math.round(p * 1000) / 1000,
            ]),
          ) as Record<Expression, number>;
          const expression = (Object.entries(expressions).sort((p, q) => q[1] - p[1])[0]?.[0] ??
            'neutral') as Expression;
          return {
            box: { x, y, width: right - x, height: bottom - y },
            score: Math.round(face.detection.score * 1000) / 1000,
            landmarks: face.landmarks.positions.map((p) => ({
              x: Math.round(p.x * k * 10) / 10,
              y: Math.round(p.y * k * 10) / 10,
            })),
            descriptor: Array.from(face.descriptor),
            age: Math.round(face.age),
            gender: face.gender === 'female' ? 'female' : 'male',
            genderProbability: Math.round(face.genderProbability * 1000) / 1000,
            expression,
            expressions,
          } satisfies DetectedFace;
        });
    },
  };
}

let defaultAnalyzer: FaceAnalyzer | undefined;

/** The process-wide face analyzer. */
export function getFaceAnalyzer(): FaceAnalyzer {
  defaultAnalyzer ??= createFaceApiAnalyzer();
  return defaultAnalyzer;
}
