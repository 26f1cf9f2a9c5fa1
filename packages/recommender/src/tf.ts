import type * as TF from '@tensorflow/tfjs';

export type TfBackendName = 'wasm' | 'webgpu' | 'cpu' | 'auto';

export interface TfInit {
  tf: typeof TF;
  requested: TfBackendName;
  /** The backend tfjs actually runs on. */
  backend: string;
  /** Why the requested backend was not used, when it was not. */
  fallbackReason?: string;
}

let current: Promise<TfInit> | null = null;
let currentRequest: TfBackendName | null = null;

/**
 * Loads tfjs (lazily: serving never needs it) and selects a backend: 'wasm' (default), 'webgpu'
 * (needs the optional packages `webgpu` and `@tensorflow/tfjs-backend-webgpu` and a GPU adapter;
 * falls back to wasm, saying why), 'cpu', or 'auto' (webgpu where an adapter exists, else wasm).
 * Idempotent per process for the same request; without an argument it keeps the backend already
 * initialised (or takes wasm).
 */
export function initTf(backend?: TfBackendName): Promise<TfInit> {
  if (current && (backend === undefined || currentRequest === backend)) return current;
  backend ??= 'wasm';
  currentRequest = backend;
  current = selectBackend(backend);
  return current;
}

async function selectBackend(requested: TfBackendName): Promise<TfInit> {
  const tf = await import('@tensorflow/tfjs');
  let fallbackReason: string | undefined;
  if (requested === 'webgpu' || requested === 'auto') {
    const reason = await tryWebGpu(tf);
    if (reason === null) return { tf, requested, backend: tf.getBackend() };
    fallbackReason = reason;
  }
  const target = requested === 'cpu' ? 'cpu' : 'wasm';
  if (target === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(target))) throw new Error(`tfjs backend ${target} failed to initialise`);
  await tf.ready();
  return { tf, requested, backend: tf.getBackend(), fallbackReason };
}

/** Returns null when tfjs now runs on WebGPU, else the reason it does not. */
async function tryWebGpu(tf: typeof TF): Promise<string | null> {
  // Module names held in variables: these optional packages are not dependencies of this package.
  const webgpuPkg = 'webgpu';
  const backendPkg = '@tensorflow/tfjs-backend-webgpu';
  try {
    const g = globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } };
    if (!g.navigator?.gpu) {
      const dawn = (await import(webgpuPkg)) as { create(flags: string[]): unknown; globals: object };
      Object.assign(globalThis, dawn.globals);
      Object.defineProperty(globalThis, 'navigator', {
        value: { ...(g.navigator ?? {}), gpu: dawn.create([]) },
        configurable: true,
        writable: true,
      });
    }
    const adapter = await g.navigator!.gpu!.requestAdapter();
    if (!adapter) return 'no WebGPU adapter found';
    await import(backendPkg);
    if (!(await tf.setBackend('webgpu'))) return 'tfjs webgpu backend failed to initialise';
    await tf.ready();
    return null;
  } catch (err) {
    return `WebGPU unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * x·W with a gradient that transposes explicitly: the wasm backend's matMul with transpose flags
 * (what autodiff of matMul uses) is ~4× slower than a transpose followed by a plain matMul.
 */
export function linear(tf: typeof TF, x: TF.Tensor2D, w: TF.Tensor2D): TF.Tensor2D {
  const op = tf.customGrad((...args: (TF.Tensor | TF.GradSaveFunc)[]) => {
    const xi = args[0] as TF.Tensor2D;
    const wi = args[1] as TF.Tensor2D;
    (args[2] as TF.GradSaveFunc)([xi, wi]);
    return {
      value: tf.matMul(xi, wi),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
        const [xs, ws] = saved as [TF.Tensor2D, TF.Tensor2D];
        return [
          tf.matMul(dy as TF.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as TF.Tensor2D),
        ];
      },
    };
  });
  return op(x, w) as TF.Tensor2D;
}
