import { z } from 'zod';
import { defineJob } from '../define.js';

// Jobs of the recommender area. Names, queue and the string values below are persisted: never rename them.

/** Algorithms a `recommender.train` job can fit (the recommender package's names). */
export type RecommenderAlgorithm = 'popularity' | 'item-knn' | 'bpr' | 'als' | 'ease' | 'two-tower' | 'blend';

export interface RecommenderMetrics {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  coverage: number;
  /** Readers with validation items. */
  users: number;
}

export interface RecommenderTrainPayload {
  /** Default: the newsroom's RecommenderConfig.algorithm. */
  algorithm?: RecommenderAlgorithm;
  /** Model hyperparameters, merged over the defaults and RecommenderConfig.params. */
  params?: Record<string, unknown>;
  /** Share of each reader's positives held out for validation. Default 0.2. */
  validationFraction?: number;
  /** Seed of the validation split. Default 42. */
  seed?: number;
  /** Set by scheduled retraining. */
  scheduled?: boolean;
}

export interface RecommenderTrainResult {
  status: 'activated' | 'candidate' | 'no-data';
  modelVersionId?: string;
  version?: number;
  algorithm: string;
  /** The recommender package's implementation version of the algorithm. */
  engineVersion?: string;
  metrics?: RecommenderMetrics;
  /** Validation nDCG@10 of the version that was ACTIVE, on the same split (null when none). */
  activeNdcg?: number | null;
  /** The activation gate's decision in words: why the version serves or stays CANDIDATE. */
  gate?: string;
  readers?: number;
  items?: number;
  interactions?: number;
  trainSeconds?: number;
  /** Seconds per phase: load (stream into typed arrays), train (validation fits, refit), index, store, register. */
  phaseSeconds?: Record<string, number>;
}

export interface RecommenderEvaluatePayload {
  modelVersionId: string;
  validationFraction?: number;
  seed?: number;
}

export interface RecommenderEvaluateResult {
  status: 'evaluated' | 'no-data';
  modelVersionId: string;
  version: number;
  algorithm: string;
  metrics?: RecommenderMetrics;
}

export interface RecommenderBatchPayload {
  /** Items per reader. Default 20, at most 200. */
  first?: number;
}

export interface RecommenderBatchResult {
  status: 'written' | 'no-model';
  storageKey?: string;
  /** GET it with an API key of the newsroom. */
  downloadPath?: string;
  readers: number;
  modelVersionId?: string;
  version?: number;
  algorithm?: string;
}

export interface RecommenderEraseReadersPayload {
  /** Platform ids of deleted readers. */
  readerIds: string[];
}

export interface RecommenderEraseReadersResult {
  status: 'erased';
  /** Stored model versions looked at, and those that held one of the readers (rewritten). */
  modelVersionsChecked: number;
  modelVersionsChanged: number;
  /** Batch feeds that had lines for them (rewritten without). */
  feedsChanged: number;
}

/** Redis keys of a reader's hot serving history: recent events (list) and every item seen (set). */
export const readerHistoryKeys = (prefix: string, newsroomId: string, readerExternalId: string) => {
  const base = `${prefix}:rec:${newsroomId}:${readerExternalId}`;
  return [`${base}:h`, `${base}:s`] as [string, string];
};

/** Redis channel on which the serving caches of every API process are told what changed. */
export const servingInvalidationChannel = (prefix: string) => `${prefix}:rec:invalidate`;

const split = {
  validationFraction: z.number().gt(0).lt(1).optional(),
  seed: z.number().int().optional(),
};

export const recommenderJobs = {
  'recommender.train': defineJob<RecommenderTrainPayload, RecommenderTrainResult>()({
    name: 'recommender.train',
    queue: 'recommender',
    resource: 'gpu',
    sandboxed: true,
    payload: z
      .object({
        algorithm: z.enum(['popularity', 'item-knn', 'bpr', 'als', 'ease', 'two-tower', 'blend']).optional(),
        params: z.record(z.unknown()).optional(),
        ...split,
        scheduled: z.boolean().optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 4 * 60 * 60_000 },
    description:
      'Trains a recommender on the newsroom’s interactions, evaluates it on a seeded validation split and registers a model version (activated when it beats the active one on nDCG@10).',
  }),
  'recommender.evaluate': defineJob<RecommenderEvaluatePayload, RecommenderEvaluateResult>()({
    name: 'recommender.evaluate',
    queue: 'recommender',
    resource: 'cpu',
    sandboxed: true,
    payload: z.object({ modelVersionId: z.string().uuid(), ...split }).passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 30 * 60_000 },
    description:
      'Re-evaluates a recommender model version on a validation split of the current interactions.',
  }),
  'recommender.batch-recommend': defineJob<RecommenderBatchPayload, RecommenderBatchResult>()({
    name: 'recommender.batch-recommend',
    queue: 'recommender',
    resource: 'gpu',
    sandboxed: true,
    payload: z.object({ first: z.number().int().min(1).max(200).optional() }).passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 4 * 60 * 60_000 },
    description:
      'Computes top-N recommendations for every reader with the active model into a JSONL feed in storage.',
  }),
  'recommender.erase-readers': defineJob<RecommenderEraseReadersPayload, RecommenderEraseReadersResult>()({
    name: 'recommender.erase-readers',
    queue: 'recommender',
    resource: 'cpu',
    sandboxed: true,
    payload: z.object({ readerIds: z.array(z.string().uuid()).min(1).max(10_000) }).passthrough(),
    options: { attempts: 5, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description:
      'Removes deleted readers from every stored recommender model version (id, training history, learned vector) and from batch feeds; API processes reload the models.',
  }),
};
