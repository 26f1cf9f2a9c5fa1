import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { packageDir, requireCjs } from './packages.js';

export type Tfjs = typeof TF;

/**
 * tfjs backends: wasm is the default; webgpu runs the tfjs-native models (moderation, faces,
 * upscale) on a GPU where an adapter exists; auto picks webgpu when it can, else wasm; cpu is the
 * slow pure-JS fallback. The choice itself is made by @media-ai/tensor (the one place that chooses).
 */
export type TfBackendName = 'wasm' | 'cpu' | 'webgpu' | 'auto';

let requestedBackend: TfBackendName | undefined;
let ready: Promise<Tfjs> | undefined;
let resolvedBackend: 'wasm' | 'cpu' | 'webgpu' | undefined;

/** Chooses the tfjs backend; must be called before the first model loads. */
export function configureTfBackend(backend: TfBackendName): void {
  if (ready && backend !== requestedBackend) {
    throw new Error(`The tfjs backend is already initialised as ${requestedBackend ?? 'wasm'}.`);
  }
  requestedBackend = backend;
}

function requested(): TfBackendName | undefined {
  const env = process.env.TFJS_BACKEND as TfBackendName | undefined;
  return requestedBackend ?? (env && ['wasm', 'cpu', 'webgpu', 'auto'].includes(env) ? env : undefined);
}

/**
 * The backend for @vladmandic/human's own tfjs build (objects), which runs on wasm or cpu only:
 * cpu when tfjs runs on cpu, else wasm.
 */
export function tfBackendName(): 'wasm' | 'cpu' {
  return (resolvedBackend ?? requested()) === 'cpu' ? 'cpu' : 'wasm';
}

/** The backend tfjs runs on here, once a model has loaded (recorded with results). */
export function activeTfBackend(): 'wasm' | 'cpu' | 'webgpu' | undefined {
  return resolvedBackend;
}

/** Folder of the tfjs wasm binaries, with the trailing slash tfjs expects. */
export function wasmBinariesDir(): string {
  return path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
}

/** The shared tfjs instance, initialised once per process with local wasm binaries and file:// model loading. */
export function getTf(): Promise<Tfjs> {
  ready ??= initTf().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

async function initTf(): Promise<Tfjs> {
  const tf = requireCjs('@tensorflow/tfjs') as Tfjs;
  const wasm = requireCjs('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinariesDir());
  const tensor = await import('@media-ai/tensor');
  // Without an explicit choice: the backend already chosen in this thread, else TFJS_BACKEND, else wasm.
  const info = await tensor.initTensorBackend(requested());
  resolvedBackend = info.backend;
  await tf.ready();
  registerFileLoader(tf);
  return tf;
}

let fileLoaderRegistered = false;

/** tfjs in Node without tfjs-node has no file:// loader: this one reads model.json and its weight shards from disk. */
function registerFileLoader(tf: Tfjs): void {
  if (fileLoaderRegistered) return;
  fileLoaderRegistered = true;
  // Routers answer null for URLs they do not handle; tfjs's typing omits that.
  const router = (url: string | string[]): TF.io.IOHandler | null => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first !== 'string' || !first.startsWith('file://')) return null;
    return fileModelHandler(toPath(first));
  };
  tf.io.registerLoadRouter(router as Parameters<Tfjs['io']['registerLoadRouter']>[0]);
}

function toPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url.slice('file://'.length);
  }
}

interface ModelJsonFile {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: TF.io.ModelArtifacts['userDefinedMetadata'];
  modelInitializer?: unknown;
  trainingConfig?: unknown;
  weightsManifest: Array<{ paths: string[]; weights: TF.io.WeightsManifestEntry[] }>;
}

/** Loads a tfjs model (layers or graph) from a model.json path on disk. */
export function fileModelHandler(modelJsonPath: string): TF.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8')) as ModelJsonFile;
      const dir = path.dirname(modelJsonPath);
      const shards: Buffer[] = [];
      const weightSpecs: TF.io.WeightsManifestEntry[] = [];
      for (const group of json.weightsManifest) {
        for (const shard of group.paths) shards.push(await fs.readFile(path.join(dir, shard)));
        weightSpecs.push(...group.weights);
      }
      const weights = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology as TF.io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature as TF.io.ModelArtifacts['signature'],
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer as TF.io.ModelArtifacts['modelInitializer'],
        trainingConfig: json.trainingConfig as TF.io.ModelArtifacts['trainingConfig'],
        weightSpecs,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}
