export { VideoError, isVideoError, type VideoErrorCode } from './errors.js';
export { runFfmpeg, type FfmpegResult, type FfmpegRun } from './ffmpeg.js';
export { probeVideo, frameDurationsVary, looksLikeMediaContainer, type VideoInfo } from './probe.js';
export {
  DEFAULT_CUT_OPTIONS,
  DEFAULT_GRADUAL_OPTIONS,
  detectCuts,
  detectGradual,
  frameDifference,
  mergeTransitions,
  scanVideo,
  scenesFromCuts,
  type CutOptions,
  type GradualOptions,
  type Scene,
  type Transition,
  type TransitionKind,
  type ScanOptions,
  type ScanResult,
} from './scenes.js';
export {
  ANALYSIS_MAX_SIDE,
  analysisSize,
  candidateTimes,
  extractFrame,
  extractFrames,
  frameStats,
  laplacianVariance,
  pickKeyframes,
  type Frame,
} from './frames.js';
export {
  MAX_THUMBNAILS,
  spriteFilter,
  spriteLayout,
  thumbnailsVtt,
  vttTime,
  type SpriteLayout,
} from './thumbnails.js';
export { choosePoster, type PosterCandidate, type PosterChoice } from './poster.js';
export {
  buildChapters,
  chaptersVtt,
  type Chapter,
  type ChapterOptions,
  type ChapterScene,
  type ChapterSpeech,
} from './chapters.js';
export {
  CAPTION_CHARS,
  CLIP_ASPECTS,
  DEFAULT_CAPTION_STYLE,
  LOUDNESS_TARGET,
  SILENCE_LUFS,
  captionsAss,
  cropFilter,
  cuesForClip,
  integratedLoudness,
  loudnessReport,
  measureLoudness,
  outputSize,
  planCrop,
  renderClip,
  renderPreview,
  type CaptionCue,
  type CaptionStyle,
  type ClipAspect,
  type CropKey,
  type CropPlan,
  type Loudness,
  type LoudnessReport,
  type RenderClipOptions,
  type SceneFocus,
} from './clip.js';
export {
  DEFAULT_MAX_DURATION_SEC,
  analyzeVideoStructure,
  formatDuration,
  type SceneWithKeyframe,
  type VideoAnalyzeOptions,
  type VideoStructure,
} from './analyze.js';
export { makeVideo, type MakeVideoOptions, type PlacedTransition, type Shot } from './synthetic.js';
