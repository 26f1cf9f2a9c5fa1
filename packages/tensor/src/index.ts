export { initTensorBackend, currentBackend, getTf, type BackendChoice, type BackendInfo } from './backend.js';
export { gpuDiagnostics, type GpuDiagnostics } from './diagnostics.js';
