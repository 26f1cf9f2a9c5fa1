import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { gpuDiagnostics, type GpuDiagnostics } from './diagnostics.js';

export type BackendChoice = 'auto' | 'wasm' | 'webgpu' | 'cpu';
export type BackendName = 'wasm' | 'webgpu' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  requested: BackendChoice;
  /** Why this backend: recorded with model versions and job results. */
  reason: string;
  adapter: GpuDiagnostics['adapter'];
}

const CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgpu', 'cpu'];

let info: Promise<BackendInfo> | null = null;
let settled: BackendInfo | null = null;
let currentChoice: BackendChoice | null = null;

export function parseBackendChoice(value: string | undefined | null): BackendChoice {
  const v = (value ?? '').trim().toLowerCase() || 'wasm';
  if (!(CHOICES as readonly string[]).includes(v)) {
    throw new Error(`TFJS_BACKEND must be auto, wasm, webgpu or cpu; got "${value}"`);
  }
  return v as BackendChoice;
}

/**
 * Chooses tfjs's backend for this process (or worker thread) — the one place that does:
 * `auto` takes webgpu when an adapter is found and wasm otherwise; `webgpu` insists (and fails with
 * the reason when there is no GPU). Without an argument: the backend already chosen, else
 * `TFJS_BACKEND`, else wasm. Idempotent for the same choice; another explicit choice switches.
 */
export function initTensorBackend(choice?: BackendChoice): Promise<BackendInfo> {
  if (info && (choice === undefined || choice === currentChoice)) return info;
  const wanted = choice ?? parseBackendChoice(process.env.TFJS_BACKEND);
  currentChoice = wanted;
  const p: Promise<BackendInfo> = choose(wanted).then(
    (i) => (settled = i),
    (e: unknown) => {
      if (info === p) info = null;
      throw e;
    },
  );
  info = p;
  return p;
}

/** The backend chosen in this process or thread, or null before initTensorBackend ran. */
export async function currentBackend(): Promise<BackendInfo | null> {
  return info ? info.catch(() => null) : null;
}

/** Synchronous form of currentBackend: null until the choice has completed. */
export function currentBackendSync(): BackendInfo | null {
  return settled;
}

/** tfjs itself (the full package: chained ops are registered). */
export function getTf(): typeof tf {
  return tf;
}

/** tfjs ready on the chosen backend. */
export async function readyTf(choice?: BackendChoice): Promise<{ tf: typeof tf; info: BackendInfo }> {
  const i = await initTensorBackend(choice);
  return { tf, info: i };
}

/** One line for logs: which backend and why. */
export function describeBackend(i: Pick<BackendInfo, 'backend' | 'requested' | 'reason'>): string {
  return `tfjs backend ${i.backend} (TFJS_BACKEND=${i.requested}): ${i.reason}`;
}

/**
 * What initTensorBackend will choose, from diagnostics alone (no tfjs loaded): the worker's main
 * thread uses it to decide whether to serve gpu queues and to record the backend with each job.
 */
export function planBackend(
  choice: BackendChoice,
  diag: Pick<GpuDiagnostics, 'adapter' | 'problems'>,
): Omit<BackendInfo, 'adapter'> & { gpu: boolean } {
  if (choice === 'cpu') return { backend: 'cpu', requested: choice, reason: 'TFJS_BACKEND=cpu', gpu: false };
  if (choice === 'wasm')
    return { backend: 'wasm', requested: choice, reason: 'TFJS_BACKEND=wasm', gpu: false };
  if (diag.adapter)
    return { backend: 'webgpu', requested: choice, reason: adapterReason(diag.adapter), gpu: true };
  if (choice === 'webgpu')
    throw new Error(`TFJS_BACKEND=webgpu but no GPU is usable: ${diag.problems.join(' ')}`);
  return {
    backend: 'wasm',
    requested: choice,
    reason: `no GPU (no WebGPU adapter): ${diag.problems.join(' ')}`,
    gpu: false,
  };
}

function adapterReason(a: NonNullable<GpuDiagnostics['adapter']>): string {
  return `WebGPU adapter found: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed adapter'}`;
}

async function choose(choice: BackendChoice): Promise<BackendInfo> {
  parseBackendChoice(choice);
  if (choice === 'auto' || choice === 'webgpu') {
    const found = await gpuDiagnostics();
    const diag = { ...found, problems: [...found.problems] };
    if (diag.adapter) {
      try {
        await import('@tensorflow/tfjs-backend-webgpu');
        if (await tf.setBackend('webgpu')) {
          await tf.ready();
          return {
            backend: 'webgpu',
            requested: choice,
            reason: adapterReason(diag.adapter),
            adapter: diag.adapter,
          };
        }
        diag.problems.push('tfjs could not initialise its webgpu backend on the adapter.');
      } catch (e) {
        diag.problems.push(`tfjs's webgpu backend failed: ${(e as Error).message}`);
      }
    }
    if (choice === 'webgpu')
      throw new Error(`TFJS_BACKEND=webgpu but no GPU is usable: ${diag.problems.join(' ')}`);
    await setWasm();
    return {
      backend: 'wasm',
      requested: choice,
      reason: `no GPU (no WebGPU adapter): ${diag.problems.join(' ')}`,
      adapter: null,
    };
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return { backend: 'cpu', requested: choice, reason: 'TFJS_BACKEND=cpu', adapter: null };
  }
  await setWasm();
  return { backend: 'wasm', requested: choice, reason: 'TFJS_BACKEND=wasm', adapter: null };
}

/** Folder of the tfjs wasm binaries (with the trailing slash tfjs expects); TFJS_WASM_PATH overrides (bundles). */
export function wasmBinariesDir(): string | null {
  if (process.env.TFJS_WASM_PATH) return process.env.TFJS_WASM_PATH.replace(/\/?$/, '/');
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
  } catch {
    return null;
  }
}

async function setWasm() {
  if (tf.getBackend() === 'wasm') return;
  const dir = wasmBinariesDir();
  if (dir) wasmBackend.setWasmPaths(dir);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend');
  await tf.ready();
}
