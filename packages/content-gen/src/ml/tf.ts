export type TfBackend = 'wasm' | 'cpu' | 'webgpu';
type Tf = typeof import('@tensorflow/tfjs');

let ready: Promise<Tf> | undefined;

/**
 * tfjs, loaded on first use (importing this package stays cheap for the API) and initialised once per process.
 * Backend: the argument, else `CONTENT_GEN_TF_BACKEND`, else wasm; cpu when the wanted one cannot start.
 * The webgpu backend must be registered by the host process (it needs a GPU adapter).
 */
export function getTf(backend?: TfBackend): Promise<Tf> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    const wanted = backend ?? (process.env.CONTENT_GEN_TF_BACKEND as TfBackend | undefined) ?? 'wasm';
    const ok = await tf.setBackend(wanted).catch(() => false);
    if (!ok) await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return ready;
}
