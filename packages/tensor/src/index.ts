export {
  initTensorBackend,
  currentBackend,
  currentBackendSync,
  describeBackend,
  getTf,
  parseBackendChoice,
  planBackend,
  readyTf,
  wasmBinariesDir,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
} from './backend.js';
export { gpuDiagnostics, type GpuDiagnostics } from './diagnostics.js';
