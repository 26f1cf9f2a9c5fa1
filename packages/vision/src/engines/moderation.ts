import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { NSFWJS } from 'nsfwjs';
import type { DecodedImage } from '../intake.js';
import { MODERATION_CLASSES, type ModerationScores } from '../moderation-policy.js';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion, requireCjs } from '../runtime/packages.js';
import { tfQueue } from '../runtime/serial.js';
import { getTf } from '../runtime/tf.js';
import type { ModelIdentity } from '../types.js';

export interface ModerationClassifier {
  readonly identity: ModelIdentity;
  load(): Promise<LoadedModelInfo>;
  classify(image: DecodedImage): Promise<ModerationScores>;
}

interface BundledModelJson {
  modelTopology: TF.io.ModelArtifacts['modelTopology'];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: Array<{ paths: string[]; weights: TF.io.WeightsManifestEntry[] }>;
}

/**
 * nsfwjs MobileNetV2Mid. nsfwjs ships its weights as base64 inside JS modules
 * and decodes them with a pure-JS Buffer polyfill (~12 s); we read the same
 * bundled files and decode them with Node's Buffer (~0.1 s).
 */
export function createNsfwClassifier(): ModerationClassifier {
  const identity: ModelIdentity = { name: 'nsfwjs/MobileNetV2Mid', version: packageVersion('nsfwjs') };
  const model = new LazyModel<NSFWJS>(identity, async () => {
    const tf = await getTf();
    const dir = path.join(packageDir('nsfwjs'), 'dist', 'models', 'mobilenet_v2_mid');
    const json = requireCjs(path.join(dir, 'model.min.js')) as BundledModelJson;
    const shards: Buffer[] = [];
    for (const group of json.weightsManifest) {
      for (const shard of group.paths)
        shards.push(Buffer.from(requireCjs(path.join(dir, `${shard}.min.js`)) as string, 'base64'));
    }
    const weights = Buffer.concat(shards);
    const handler = tf.io.fromMemory({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    });
    const { NSFWJS: Classifier } = requireCjs('nsfwjs/core') as typeof import('nsfwjs');
    const classifier = new Classifier(handler, { size: 224, type: 'graph' });
    await classifier.load();
    return classifier;
  });

  return {
    identity,
    async load() {
      await model.get();
      return model.info!;
    },
    async classify(image) {
      const classifier = await model.get();
      const tf = await getTf();
      const predictions = await tfQueue.run(async () => {
        // The model sees 224x224; resizing here keeps the tensor small for large photos.
        const input = tf.tidy(() =>
          tf.image.resizeBilinear(
            tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, 3], 'int32').toFloat(),
            [224, 224],
            true,
          ),
        );
        try {
          return await classifier.classify(input as TF.Tensor3D, MODERATION_CLASSES.length);
        } finally {
          input.dispose();
        }
      });
      const scores = Object.fromEntries(MODERATION_CLASSES.map((name) => [name, 0])) as ModerationScores;
      for (const p of predictions)
        scores[p.className as keyof ModerationScores] = Math.round(p.probability * 10000) / 10000;
      return scores;
    },
  };
}

let defaultClassifier: ModerationClassifier | undefined;

export function getModerationClassifier(): ModerationClassifier {
  defaultClassifier ??= createNsfwClassifier();
  return defaultClassifier;
}
