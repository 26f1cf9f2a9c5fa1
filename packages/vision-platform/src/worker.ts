/*
 * The vision area's orchestration that runs the engines (sharp, tfjs): for the worker's sandbox
 * threads only. Everything of ./index.js is here too.
 */
export * from './index.js';
export { storeAnalysis, type StoredAnalysis } from './analyze.js';
export { loadFocus, storeDerivative } from './derivatives.js';
export { renameOrphanClusters, scrubAnalyses } from './erase.js';
export {
  loadFaceIndex,
  loadRegistry,
  refreshUnknownFaces,
  storeFaceAnalysis,
  storeFaces,
  type FaceRegistry,
  type FacesRefresh,
  type StoredFace,
} from './faces.js';
