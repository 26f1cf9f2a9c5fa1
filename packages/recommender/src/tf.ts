import type * as TF from '@tensorflow/tfjs';

export type TfBackendName = 'wasm' | 'webgpu' | 'cpu' | 'auto';

export interface TfInit {
  tf: typeof TF;
  requested: TfBackendName;
  /** The backend tfjs actually runs on. */
  backend: string;
  /** Why this backend (record it with the model version). */
  reason: string;
  /** Why the requested backend was not used, when it was not. */
  fallbackReason?: string;
}

/**
 * tfjs with its backend chosen by @media-ai/tensor (the one place that chooses; loaded lazily:
 * serving never needs tfjs): 'wasm' (default), 'webgpu' (fails with the reason where no GPU
 * adapter exists), 'cpu', or 'auto' (webgpu where an adapter exists, else wasm, saying why).
 * Without an argument: the backend already chosen in this process, else TFJS_BACKEND, else wasm.
 */
export async function initTf(backend?: TfBackendName): Promise<TfInit> {
  const tensor = await import('@media-ai/tensor');
  const info = await tensor.initTensorBackend(backend);
  return {
    tf: tensor.getTf(),
    requested: info.requested,
    backend: info.backend,
    reason: info.reason,
    fallbackReason: info.requested === 'auto' && info.backend !== 'webgpu' ? info.reason : undefined,
  };
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
