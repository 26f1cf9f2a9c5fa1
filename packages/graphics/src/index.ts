export { GraphicsError, isGraphicsError, type GraphicsErrorCode } from './errors.js';
export {
  FONT_FAMILIES,
  FONT_FAMILY_NAMES,
  assertDrawable,
  loadFont,
  missingGlyphs,
  type FontStyle,
  type LoadedFont,
} from './fonts.js';
export {
  fitText,
  linePath,
  measure,
  textPathData,
  wrapText,
  type FitOptions,
  type FittedText,
} from './text.js';
export { BRAND_SETTING, DEFAULT_BRAND, brandProblems, resolveBrand, type BrandTemplate } from './brand.js';
export {
  CARD_FORMATS,
  CARD_FORMAT_NAMES,
  CARD_LIMITS,
  renderCard,
  type CardFormat,
  type CardInput,
  type RenderedCard,
  type TextBlockInfo,
} from './card.js';
export {
  CHART_LIMITS,
  chartDataFromRecords,
  chartDataFromTable,
  readPath,
  type Cell,
  type ChartCategory,
  type ChartData,
  type ChartSeries,
  type ChartTable,
  type ChartValue,
  type DataMapping,
} from './chart-data.js';
export {
  CHART_KINDS,
  describeChart,
  niceTicks,
  renderChart,
  type ChartDescription,
  type ChartKind,
  type ChartSpec,
  type NumberProvenance,
  type RenderedChart,
} from './chart.js';
export {
  MAX_IMAGE_BYTES,
  OpenAiImagesProvider,
  imagesConfigFromEnv,
  type GeneratedImage,
  type ImageRequest,
  type ImageResult,
  type ImagesConfig,
} from './images-provider.js';
export {
  AI_GENERATED_LABEL,
  IPTC_TRAINED_ALGORITHMIC_MEDIA,
  aiGeneratedXmp,
  embedAiLabel,
} from './ai-label.js';
