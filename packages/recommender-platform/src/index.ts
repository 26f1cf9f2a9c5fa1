export { AREA, MODEL_NAME, DEFAULT_HALF_LIFE_DAYS, retrainSchedulerId } from './constants.js';
export {
  configUpdate,
  effectiveEventWeights,
  halfLifeOf,
  loadConfigRow,
  loadSettings,
  settingsFromRow,
  type RecommenderConfigChange,
  type RecommenderSettings,
} from './config.js';
export {
  catalogItemFromRow,
  catalogSelect,
  foldInHistory,
  interactionFromRow,
  interactionSelect,
  trainingSetOf,
  type ContentRow,
  type HistoryEvent,
  type InteractionRow,
} from './mapping.js';
export {
  blendComponents,
  foldInScorer,
  isTrainable,
  modelSpec,
  trainAndValidate,
  trainRequestProblem,
  TRAINABLE,
  validationMetrics,
  type Trainable,
  type TrainOptions,
  type TrainOutcome,
  type TrainProgress,
  type TrainRequest,
  type ValidationMetrics,
} from './training.js';
