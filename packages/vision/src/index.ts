export { VisionError, isVisionError, type VisionErrorCode } from './errors.js';
export type { Box, Descriptor, ModelIdentity, RgbImage } from './types.js';

export {
  DEFAULT_MAX_PIXELS,
  SUPPORTED_FORMATS,
  decodeRgb,
  inspectImage,
  normaliseImage,
  normalisedPipeline,
  type DecodedImage,
  type ImageInfo,
  type IntakeOptions,
  type NormalisationStep,
  type NormalisedImage,
  type SupportedFormat,
} from './intake.js';

export {
  analyzeImage,
  ANALYSES,
  type Analysis,
  type AnalyzeOptions,
  type AnalyzeProgress,
  type AnalyzeResult,
  type AnalyzedFace,
  type VisionEngines,
} from './analyze.js';

export {
  createCenterNetDetector,
  defaultObjectQuality,
  getObjectDetector,
  type DetectObjectsOptions,
  type ObjectDetector,
  type ObjectTag,
} from './engines/objects.js';
export {
  ACCURATE_CALIBRATION,
  OBJECT_QUALITIES,
  createAccurateObjectDetector,
  fuseViews,
  runViews,
  viewCrop,
  type FusedTag,
  type ObjectEnsembleCalibration,
  type ObjectQuality,
  type ViewSpec,
} from './engines/object-ensemble.js';
export {
  createHumanObjectModel,
  type HumanObjectModel,
  type HumanObjectModelName,
  type ImageView,
  type RawDetection,
} from './engines/human-objects.js';
export {
  createFaceApiAnalyzer,
  getFaceAnalyzer,
  type DetectedFace,
  type DetectFacesOptions,
  type Expression,
  type FaceAnalyzer,
  type Point,
} from './engines/faces.js';
export {
  createNsfwClassifier,
  getModerationClassifier,
  type ModerationClassifier,
} from './engines/moderation.js';
export {
  createTesseractEngine,
  getOcrEngine,
  type OcrEngine,
  type OcrLine,
  type OcrResult,
  type OcrWord,
} from './engines/ocr.js';
export {
  createEsrganSlimUpscaler,
  getUpscaler,
  DEFAULT_MAX_UPSCALE_PIXELS,
  type UpscaleOptions,
  type Upscaler,
} from './engines/upscale.js';
export { registerEsrganLayers } from './engines/esrgan-layers.js';

export {
  DEFAULT_MODERATION_POLICY,
  MODERATION_CLASSES,
  decideModeration,
  validatePolicy,
  type ClassThresholds,
  type ModerationClass,
  type ModerationDecision,
  type ModerationPolicy,
  type ModerationReason,
  type ModerationScores,
  type ModerationVerdict,
} from './moderation-policy.js';

export {
  DEFAULT_MATCH_THRESHOLD,
  buildFaceIndex,
  euclideanDistance,
  matchFace,
  rankCandidates,
  type CandidateScore,
  type FaceCorrection,
  type FaceExemplar,
  type FaceIndex,
  type FaceMatch,
  type PeopleRegistry,
  type RegistryPerson,
} from './faces/recognition.js';
export { addCorrection, enrolFaces, mergePeople, nameCluster, splitPerson } from './faces/registry-ops.js';
export {
  MAX_FACES_PER_CLUSTERING,
  centroidOf,
  clusterFaces,
  describeCluster,
  mergeClusters,
  nearestCluster,
  splitCluster,
  type ClusterOptions,
  type ClusteringResult,
  type FaceCluster,
  type FaceToCluster,
} from './faces/cluster.js';

export {
  DEFAULT_DUPLICATE_DISTANCE,
  findNearDuplicates,
  hammingDistance,
  hashFromGrey,
  perceptualHash,
  type DuplicateMatch,
  type HashedItem,
} from './phash.js';

export {
  convertImage,
  enhanceImage,
  cropSquare,
  makeThumbnail,
  smartCrop,
  superResolve,
  type ConvertOptions,
  type Derivative,
  type EnhanceOptions,
  type OutputFormat,
  type SmartCrop,
  type SmartCropOptions,
  type SquareCropOptions,
  type SuperResolveOptions,
  type SuperResolved,
  type ThumbnailOptions,
} from './derivatives.js';
export {
  chooseCropWindow,
  cropSize,
  focusFromDetections,
  headBox,
  parseAspect,
  type AspectRatio,
  type CropChoice,
  type FocusBox,
} from './smart-crop.js';

export {
  colourName,
  composeAltText,
  quoteText,
  type AltTextInput,
  type AltTextOptions,
  type SceneProperties,
} from './alt-text.js';
export { sceneProperties } from './scene.js';

export { preloadModels, shutdownVision, type ModelName } from './models.js';
export { loadedModels, type LoadedModelInfo } from './runtime/lazy-model.js';
export { activeTfBackend, configureTfBackend, type TfBackendName } from './runtime/tf.js';
