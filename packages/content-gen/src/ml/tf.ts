export type TfBackend = 'wasm' | 'cpu' | 'webgpu';
type Tf = typeof import('@tensorflow/tfjs');

/**
 * tfjs, loaded on first use (importing this package stays cheap for the API), its backend chosen by
 * @media-ai/tensor (the one place that chooses, and records why): the argument, else the backend
 * already chosen in this process, else `TFJS_BACKEND`
 * (auto = webgpu where a GPU adapter exists), else wasm.
 */
export async function getTf(backend?: TfBackend): Promise<Tf> {
  const tensor = await import('@media-ai/tensor');
  await tensor.initTensorBackend(backend);
  return tensor.getTf();
}
