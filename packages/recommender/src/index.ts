// Interactions → training data
export {
  buildTrainingSet,
  countPositives,
  decayFactor,
  DEFAULT_EVENT_WEIGHTS,
  type EventWeights,
  type Interaction,
  type TrainingSet,
  type TrainingSetOptions,
} from './interactions.js';
export { TrainingSetBuilder } from './training-set-builder.js';
export { splitTrainingSet, type Split, type SplitOptions } from './split.js';
export { catalogLookup, type CatalogItem, type CatalogLookup } from './catalog.js';

// Evaluation
export {
  auc,
  evaluate,
  validationReaders,
  rankingMetrics,
  type EvaluateOptions,
  type EvaluationResult,
  type RankingMetrics,
} from './metrics.js';

// Models
export type {
  Algorithm,
  FitOptions,
  FitReport,
  FoldInHistory,
  ModelMetadata,
  Recommender,
  ScoredIndex,
  TrainingProgress,
  UserQuery,
} from './models/types.js';
export {
  PopularityRecommender,
  TrendingRecommender,
  type PopularityParams,
  type TrendingParams,
} from './models/popularity.js';
export { ItemKnnRecommender, type ItemKnnParams } from './models/item-knn.js';
export { BprRecommender, type BprParams } from './models/bpr.js';
export { AlsRecommender, type AlsParams } from './models/als.js';
export { EaseRecommender, type EaseParams } from './models/ease.js';
export { TwoTowerRecommender, type NewItemGate, type TwoTowerParams } from './models/two-tower.js';
export {
  BlendRecommender,
  defaultBuckets,
  standardize,
  type BlendBucket,
  type BlendParams,
} from './models/blend.js';
export { ALGORITHMS, createModel, deserializeModel, type ModelSpec } from './models/registry.js';
export { readArtifactHeader, type ArtifactHeader } from './core/artifact.js';

// Serving
export {
  historyFromIds,
  historyOf,
  indexOfItems,
  indexOfUsers,
  recommend,
  type Recommendation,
  type RecommendOptions,
} from './serving/recommend.js';
export {
  applyEditorialRules,
  type Candidate,
  type EditorialContext,
  type EditorialItem,
  type EditorialRules,
} from './serving/editorial.js';
export { explain, type ExplainContext, type Explanation, type ExplanationKind } from './serving/explain.js';
export {
  coldStartByCategory,
  coldStartRecommendations,
  type ColdStartOptions,
} from './serving/cold-start.js';
export { newItemEvidence, scoreNewItems } from './serving/new-items.js';
export { topK, type TopK } from './core/topk.js';
export { matVec } from './core/linalg.js';

// Batch
export { batchRecommend, type BatchLine, type BatchOptions, type BatchProgress } from './batch.js';

// tfjs
export { initTf, type TfBackendName, type TfInit } from './tf.js';

// Data helpers (benchmarks, quality tests)
export { repoRoot, sharedDataDir, sharedDataPath } from './paths.js';
export { loadMovieLens100k, type MovieLens } from './datasets/movielens.js';
export { loadMind, type MindSample } from './datasets/mind.js';

// Vector indices (exact scan or HNSW) for factor models at catalogue scale
export {
  buildVectorIndex,
  DEFAULT_EXACT_BELOW,
  ExactVectorIndex,
  HnswVectorIndex,
  loadVectorIndex,
  readVectorIndexHeader,
  type VectorIndex,
  type VectorIndexBuildOptions,
  type VectorIndexKind,
  type VectorSearchOptions,
} from './ann/index.js';
export {
  buildModelIndex,
  hasItemVectors,
  readerVector,
  recommendWithIndex,
  type IndexedRecommendOptions,
} from './ann/model.js';
export {
  decodeArtifactReference,
  encodeArtifactReference,
  resolveArtifact,
  sha256Hex,
  type ArtifactReference,
} from './core/artifact-ref.js';
