/*
 * The vision area's domain, shared by the API and the worker: constants, row <-> engine mapping,
 * validation, the people registry, moderation policy and review, image search. Light: the engines
 * (sharp, tfjs) load only where they run, through `@media-ai/vision-platform/worker`.
 */
export * from './constants.js';
export {
  checkAnalyses,
  checkConfidence,
  checkDerivativeKinds,
  checkDistance,
  checkImageAsset,
  checkOcrConfidence,
  cleanAltText,
  cleanName,
} from './validate.js';
export {
  decodeDescriptor,
  encodeDescriptor,
  mergeTags,
  modelRefOf,
  readOcr,
  upsertAnalysis,
  upsertDerivative,
  type OcrLine,
  type TagCount,
} from './rows.js';
export {
  loadPolicy,
  readPolicy,
  reviewModeration,
  savePolicy,
  storeModerationReview,
  type ModerationThreshold,
} from './moderation.js';
export { PeopleRegistry } from './people.js';
export { imageSearchWhere, similarImages, type ImageSearch, type SimilarImage } from './search.js';
