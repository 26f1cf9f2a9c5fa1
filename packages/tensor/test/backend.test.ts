import { describe, expect, it } from 'vitest';
import { gpuDiagnostics, initTensorBackend, parseBackendChoice, planBackend, getTf } from '../src/index.js';

const adapter = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'H200' };

describe('tensor backend selection', () => {
  it('plans auto as webgpu with an adapter and wasm without, saying why', () => {
    expect(planBackend('auto', { adapter, problems: [] })).toMatchObject({
      backend: 'webgpu',
      gpu: true,
      reason: 'WebGPU adapter found: nvidia hopper H200',
    });
    const none = planBackend('auto', {
      adapter: null,
      problems: ['The Vulkan loader (libvulkan.so.1) is missing: install the Debian package libvulkan1.'],
    });
    expect(none).toMatchObject({ backend: 'wasm', gpu: false });
    expect(none.reason).toMatch(/^no GPU .*libvulkan1/);
    expect(planBackend('wasm', { adapter, problems: [] })).toMatchObject({
      backend: 'wasm',
      reason: 'TFJS_BACKEND=wasm',
      gpu: false,
    });
    expect(() =>
      planBackend('webgpu', { adapter: null, problems: ['No GPU Vulkan driver (ICD) file was found.'] }),
    ).toThrow(/TFJS_BACKEND=webgpu but no GPU is usable: No GPU Vulkan driver/);
    expect(() => parseBackendChoice('cuda')).toThrow(/auto, wasm, webgpu or cpu/);
    expect(parseBackendChoice(undefined)).toBe('wasm');
  });

  it('auto falls back to wasm with the reason when no GPU adapter exists', async () => {
    const diag = await gpuDiagnostics();
    if (diag.adapter) {
      console.warn(`skipped: this machine has a GPU adapter (${diag.adapter.description})`);
      return;
    }
    expect(diag.problems.length).toBeGreaterThan(0);
    const info = await initTensorBackend('auto');
    expect(info.backend).toBe('wasm');
    expect(info.reason).toMatch(/^no GPU \(no WebGPU adapter\):/);
    expect(getTf().getBackend()).toBe('wasm');
    await expect(initTensorBackend('webgpu')).rejects.toThrow(/no GPU is usable/);
    expect((await initTensorBackend('wasm')).reason).toBe('TFJS_BACKEND=wasm');
  });
});
