import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { gpuDiagnostics, type GpuDiagnostics } from './diagnostics.js';

export type BackendChoice = 'auto' | 'wasm' | 'webgpu' | 'cpu';

export interface BackendInfo {
  backend: 'wasm' | 'webgpu' | 'cpu';
  requested: BackendChoice;
  /** Why this backend: recorded with model versions and job results. */
  reason: string;
  adapter: GpuDiagnostics['adapter'];
}

let info: Promise<BackendInfo> | null = null;

/**
 * Chooses tfjs's backend once per process (or thread): `auto` takes webgpu when an adapter is
 * found and wasm otherwise; `webgpu` insists (and fails with the reason when there is no GPU).
 */
export function initTensorBackend(choice: BackendChoice = (process.env.TFJS_BACKEND as BackendChoice) || 'wasm'): Promise<BackendInfo> {
  info ??= choose(choice);
  return info;
}

export async function currentBackend(): Promise<BackendInfo | null> {
  return info;
}

export function getTf(): typeof tf {
  return tf;
}

async function choose(choice: BackendChoice): Promise<BackendInfo> {
  if (!['auto', 'wasm', 'webgpu', 'cpu'].includes(choice)) {
    throw new Error(`TFJS_BACKEND must be auto, wasm, webgpu or cpu; got "${choice}"`);
  }
  if (choice === 'auto' || choice === 'webgpu') {
    const diag = await gpuDiagnostics();
    if (diag.adapter) {
      await import('@tensorflow/tfjs-backend-webgpu');
      if (await tf.setBackend('webgpu')) {
        await tf.ready();
        const a = diag.adapter;
        return { backend: 'webgpu', requested: choice, reason: `WebGPU adapter found: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ')}`, adapter: a };
      }
      diag.problems.push('tfjs could not initialise its webgpu backend on the adapter');
    }
    if (choice === 'webgpu') throw new Error(`TFJS_BACKEND=webgpu but no GPU is usable: ${diag.problems.join(' ')}`);
    await setWasm();
    return { backend: 'wasm', requested: choice, reason: `no GPU: ${diag.problems.join(' ')}`, adapter: null };
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', requested: choice, reason: 'TFJS_BACKEND=cpu', adapter: null };
  }
  await setWasm();
  return { backend: 'wasm', requested: choice, reason: 'TFJS_BACKEND=wasm', adapter: null };
}

async function setWasm() {
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend');
  await tf.ready();
}
