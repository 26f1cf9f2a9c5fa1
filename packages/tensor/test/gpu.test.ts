import { describe, expect, it } from 'vitest';
import { gpuDiagnostics, initTensorBackend, getTf } from '../src/index.js';

// GPU path: runs only where a WebGPU adapter exists; elsewhere it skips, saying why.
const diag = await gpuDiagnostics();
const reason = diag.adapter ? '' : `no WebGPU adapter: ${diag.problems.join(' ')}`;
if (reason) console.warn(`GPU tests skipped: ${reason}`);

describe.skipIf(!diag.adapter)('webgpu backend (needs a GPU)', () => {
  it('matMul + topk on webgpu agree with wasm', async () => {
    const tf = getTf();
    const users = tf.randomNormal([64, 32], 0, 1, 'float32', 1);
    const items = tf.randomNormal([5000, 32], 0, 1, 'float32', 2);
    const u = (await users.array()) as number[][];
    const it = (await items.array()) as number[][];
    const run = async () => {
      const s = tf.matMul(tf.tensor2d(u), tf.tensor2d(it), false, true);
      const { indices, values } = tf.topk(s, 10);
      return { idx: (await indices.array()) as number[][], val: (await values.array()) as number[][] };
    };
    expect((await initTensorBackend('webgpu')).backend).toBe('webgpu');
    const gpu = await run();
    expect((await initTensorBackend('wasm')).backend).toBe('wasm');
    const cpu = await run();
    let overlap = 0;
    for (let r = 0; r < 64; r++) overlap += gpu.idx[r]!.filter((i) => cpu.idx[r]!.includes(i)).length;
    expect(overlap / (64 * 10)).toBeGreaterThanOrEqual(0.99);
    for (let r = 0; r < 64; r++)
      for (let k = 0; k < 10; k++) expect(Math.abs(gpu.val[r]![k]! - cpu.val[r]![k]!)).toBeLessThan(1e-3);
  });
});
