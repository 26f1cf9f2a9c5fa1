import { getFaceAnalyzer } from './engines/faces.js';
import { getModerationClassifier } from './engines/moderation.js';
import { getObjectDetector } from './engines/objects.js';
import { getOcrEngine } from './engines/ocr.js';
import { getUpscaler } from './engines/upscale.js';
import type { LoadedModelInfo } from './runtime/lazy-model.js';

export type ModelName = 'objects' | 'faces' | 'moderation' | 'ocr' | 'upscale';

/** Loads models up front (a worker calls this at start so the first job does not pay for it). */
export async function preloadModels(names: ModelName[]): Promise<LoadedModelInfo[]> {
  const loaded: LoadedModelInfo[] = [];
  for (const name of names) {
    switch (name) {
      case 'objects':
        loaded.push(await getObjectDetector().load());
        break;
      case 'faces':
        loaded.push(await getFaceAnalyzer().load());
        break;
      case 'moderation':
        loaded.push(await getModerationClassifier().load());
        break;
      case 'ocr':
        loaded.push(await getOcrEngine().load());
        break;
      case 'upscale':
        loaded.push(await getUpscaler().load());
        break;
      default: {
        const unknown: never = name;
        throw new RangeError(`Unknown model ${String(unknown)}`);
      }
    }
  }
  return loaded;
}

/** Releases what keeps the process alive (the OCR worker thread); call on SIGTERM or at the end of a script. */
export async function shutdownVision(): Promise<void> {
  await getOcrEngine().close();
}
