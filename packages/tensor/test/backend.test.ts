import { describe, expect, it } from 'vitest';
import { gpuDiagnostics, initTensorBackend } from '../src/index.js';

describe('tensor backend selection', () => {
  it('auto falls back to wasm with the reason when no GPU adapter exists', async () => {
    const diag = await gpuDiagnostics();
    if (diag.adapter) {
      console.warn(`skipped: this machine has a GPU adapter (${diag.adapter.description})`);
      return;
    }
    expect(diag.problems.length).toBeGreaterThan(0);
    const info = await initTensorBackend('auto');
    expect(info.backend).toBe('wasm');
    expect(info.reason).toMatch(/^no GPU:/);
  });
});
