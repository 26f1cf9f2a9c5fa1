import {
  BlendRecommender,
  createModel,
  newItemEvidence,
  TwoTowerRecommender,
  type NewItemGate,
  evaluate,
  indexOfItems,
  splitTrainingSet,
  validationReaders,
  type CatalogItem,
  type ModelSpec,
  type Recommender,
  type TrainingSet,
} from '@media-ai/recommender';
import type { RecommenderSettings } from './config.js';

/** Algorithms a training job can fit (trending is served on the fly, never trained as a version). */
export const TRAINABLE = ['popularity', 'item-knn', 'bpr', 'als', 'ease', 'two-tower', 'blend'] as const;
export type Trainable = (typeof TRAINABLE)[number];

export function isTrainable(algorithm: string): algorithm is Trainable {
  return (TRAINABLE as readonly string[]).includes(algorithm);
}

export interface TrainRequest {
  algorithm?: string;
  params?: Record<string, unknown>;
  validationFraction?: number;
  seed?: number;
}

/** What is wrong with a training request, in words a user can act on; null when it is fine. */
export function trainRequestProblem(request: TrainRequest): string | null {
  if (request.algorithm !== undefined && !isTrainable(request.algorithm)) {
    return `algorithm must be one of ${TRAINABLE.join(', ')}`;
  }
  const f = request.validationFraction;
  if (f !== undefined && !(f > 0 && f < 0.9)) {
    return 'validationFraction must be between 0 and 0.9 (e.g. 0.2)';
  }
  return null;
}

/** The blend's components: popularity, item-kNN, ALS and EASE, weights learned on a validation split. */
export function blendComponents(
  settings: Pick<RecommenderSettings, 'halfLifeDays'>,
): Record<string, ModelSpec> {
  return {
    popularity: {
      algorithm: 'popularity',
      params: settings.halfLifeDays !== null ? { halfLifeDays: settings.halfLifeDays } : {},
    },
    knn: { algorithm: 'item-knn' },
    als: { algorithm: 'als' },
    ease: { algorithm: 'ease' },
  };
}

/** The model spec of a job: engine defaults < RecommenderConfig.params < the job's params. */
export function modelSpec(
  algorithm: Trainable,
  params: Record<string, unknown>,
  settings: Pick<RecommenderSettings, 'halfLifeDays'>,
): ModelSpec {
  switch (algorithm) {
    case 'popularity':
      return {
        algorithm,
        params: {
          ...(settings.halfLifeDays !== null ? { halfLifeDays: settings.halfLifeDays } : {}),
          ...params,
        },
      };
    case 'blend':
      return {
        algorithm,
        params: { learnWeights: true, maxValidationUsers: 1000, ...params },
        components: blendComponents(settings),
      };
    default:
      return { algorithm, params } as ModelSpec;
  }
}

/**
 * Scores of a model for the readers of a training set by fold-in of their history there (as serving
 * does), aligned with the set's item indices; items the model does not know score -Infinity.
 */
export function foldInScorer(model: Recommender, train: TrainingSet): (u: number) => Float32Array {
  const index = indexOfItems(model);
  const toModel = Int32Array.from(train.itemIds, (id) => index.get(id) ?? -1);
  const fromModel = new Int32Array(model.itemIds.length).fill(-1);
  toModel.forEach((m, i) => {
    if (m >= 0) fromModel[m] = i;
  });
  return (u) => {
    const items: number[] = [];
    const weights: number[] = [];
    for (const [m, sign] of [
      [train.positives, 1],
      [train.negatives, -1],
    ] as const) {
      for (let k = m.indptr[u]!; k < m.indptr[u + 1]!; k++) {
        const j = toModel[m.indices[k]!]!;
        if (j < 0) continue;
        items.push(j);
        weights.push(sign * m.values[k]!);
      }
    }
    const scores = model.scoreUser({ items, weights });
    const out = new Float32Array(train.itemIds.length).fill(-Infinity);
    for (let j = 0; j < scores.length; j++) if (fromModel[j]! >= 0) out[fromModel[j]!] = scores[j]!;
    return out;
  };
}

export interface ValidationMetrics {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  coverage: number;
  users: number;
}

/** P/R/nDCG/MAP@10 and coverage of a model on a split, scored by fold-in, rounded to 4 places. */
export function validationMetrics(
  model: Recommender,
  split: { train: TrainingSet; test: TrainingSet },
): ValidationMetrics {
  return validationScores(model, split).metrics;
}

/**
 * The metrics of `validationMetrics` and each validation reader's nDCG@10: every model scored on a
 * split sees the same readers in the same order, so two models' lists pair up reader by reader.
 */
export function validationScores(
  model: Recommender,
  split: { train: TrainingSet; test: TrainingSet },
  onProgress?: (done: number, total: number) => void,
): { metrics: ValidationMetrics; perReader: Float64Array } {
  // Large catalogues validate on a seeded sample of readers (the same one for every model).
  const readers = validationReaders(split.test);
  const r = evaluate(foldInScorer(model, split.train), split.train, split.test, {
    k: 10,
    perUser: true,
    ...(readers ? { users: readers } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    metrics: {
      k: r.k,
      precision: round(r.precision),
      recall: round(r.recall),
      ndcg: round(r.ndcg),
      map: round(r.map),
      coverage: round(r.coverage),
      users: r.users,
    },
    perReader: r.perUser!.ndcg,
  };
}

/**
 * Per validation reader nDCG@10 of the new model and of what it must beat (the ACTIVE version's
 * recipe, or the popularity baseline served without a model), on the same readers: the registry's
 * activation gate runs a paired bootstrap over them.
 */
export interface ValidationComparison {
  metric: 'ndcg@10';
  unit: 'readers';
  /** What the new model was compared with, in words (`recommender v3 (als)`, `popularity baseline`). */
  against: string;
  candidate: number[];
  reference: number[];
}

export interface TrainProgress {
  /** 0..1 of the whole training (validation fit, evaluation, refit on all data). */
  fraction: number;
  message: string;
  epoch?: number;
  epochs?: number;
  loss?: number | null;
}

export interface TrainOptions {
  data: TrainingSet;
  spec: ModelSpec;
  catalog?: readonly CatalogItem[];
  validationFraction?: number;
  seed?: number;
  /**
   * What the new model must beat, measured on the same split: the serving version's recipe (a spec,
   * fitted on the split's training part, so that neither side has seen the held-out part), or a
   * fitted model evaluated as it is (versions whose recipe is unknown). Null: nothing to beat.
   */
  active?: ModelSpec | Recommender | null;
  /** How `active` is named in the gate's reason (e.g. `recommender v3 (als)`). */
  activeLabel?: string;
  /**
   * What the new model must beat when there is no `active` one: the popularity model a newsroom serves
   * without a trained model, fitted on the split's training part. Default `{ algorithm: 'popularity' }`.
   */
  baseline?: ModelSpec;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainOutcome {
  /** The model to serve: fitted on all data (after validation on a held-out part). */
  model: Recommender;
  /** The same spec fitted on the training part of the split only, as validated. */
  validated: Recommender;
  metrics: ValidationMetrics;
  activeNdcg: number | null;
  /** Per-reader evidence for the registry's activation gate (against `active`, else the baseline). */
  comparison: ValidationComparison;
  /** Per-epoch loss of the validation fit. */
  history: { epoch: number; loss: number | null }[];
  /** Seconds of the validation fit and of the refit on all data. */
  trainSeconds: number;
  refitSeconds: number;
  /** What validation chose: variants compared (two-tower: with item features vs ids only) and the new-item gate. */
  selection: {
    compared?: { variant: string; ndcg: number }[];
    chosen?: string;
    newItems?: NewItemGate;
  };
}

/**
 * The specs validation compares: a two-tower model with item features is compared with the same
 * model on ids alone, so that features that carry no signal never make the served model worse.
 */
function variantsOf(spec: ModelSpec): { name: string; spec: ModelSpec }[] {
  if (spec.algorithm === 'two-tower' && spec.params?.useContent !== false) {
    return [
      { name: 'ids + item features', spec },
      { name: 'ids only', spec: { ...spec, params: { ...spec.params, useContent: false } } },
    ];
  }
  return [{ name: spec.algorithm, spec }];
}

/** The refit keeps what the validation fit learned about the blend's weights (no second search). */
function refitSpec(spec: ModelSpec, validated: Recommender): ModelSpec {
  if (spec.algorithm !== 'blend' || !(validated instanceof BlendRecommender)) return spec;
  return { ...spec, params: { ...spec.params, learnWeights: false, buckets: validated.buckets } };
}

/**
 * Fits a model on a seeded per-reader split, measures it (and the active version) on the held-out
 * part by fold-in as serving does, then fits the same spec again on all the data: the served model
 * has seen every interaction, and its figures are those of the validated twin.
 */
export async function trainAndValidate(options: TrainOptions): Promise<TrainOutcome> {
  const { data, spec, catalog = [], signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const split = splitTrainingSet(data, {
    testFraction: options.validationFraction ?? 0.2,
    seed: options.seed ?? 42,
  });
  const history: { epoch: number; loss: number | null }[] = [];
  /** Progress of scoring the validation readers (minutes on large catalogues). */
  const scoring = (fraction: number, what: string) => (done: number, total: number) =>
    progress({ fraction, message: `validating ${what}: ${done}/${total} readers` });
  const fitPhase = async (
    model: Recommender,
    set: TrainingSet,
    from: number,
    span: number,
    label: string,
    record: boolean,
  ) => {
    const t0 = performance.now();
    const report = await model.fit(set, {
      ...(signal ? { signal } : {}),
      onProgress: ({ epoch, epochs, loss }) => {
        const l = Number.isFinite(loss) ? loss : null;
        if (record) history.push({ epoch, loss: l });
        // Only the validation fit's epochs carry loss data (one monotone loss curve per job).
        progress({
          fraction: from + span * (epoch / Math.max(1, epochs)),
          message: `${label}: epoch ${epoch}/${epochs}`,
          ...(record ? { epoch, epochs, loss: l } : {}),
        });
      },
    });
    if (record && !history.length)
      history.push({ epoch: 1, loss: Number.isFinite(report.loss) ? report.loss : null });
    return (performance.now() - t0) / 1000;
  };

  // Variants compared on the validation split; the best is served (a two-tower model with item
  // features must beat the same model on ids alone, or the ids-only one is served).
  const variants = variantsOf(spec);
  let validated: Recommender | null = null;
  let metrics: ValidationMetrics | null = null;
  let perReader: Float64Array | null = null;
  let chosen = spec;
  let chosenName = variants[0]!.name;
  let trainSeconds = 0;
  const compared: { variant: string; ndcg: number }[] = [];
  for (const [n, variant] of variants.entries()) {
    const model = createModel(variant.spec, catalog);
    const span = 0.4 / variants.length;
    trainSeconds += await fitPhase(
      model,
      split.train,
      0.1 + n * span,
      span,
      `validation fit (${variant.name})`,
      n === 0,
    );
    const { metrics: m, perReader: scores } = validationScores(
      model,
      split,
      scoring(0.1 + (n + 1) * span, variant.name),
    );
    compared.push({ variant: variant.name, ndcg: m.ndcg });
    // Later variants are the simpler ones: they win ties.
    if (!metrics || m.ndcg >= metrics.ndcg) {
      validated = model;
      metrics = m;
      perReader = scores;
      chosen = variant.spec;
      chosenName = variant.name;
    }
  }
  progress({ fraction: 0.5, message: 'evaluating on the validation split' });
  let newItems: NewItemGate | null = null;
  if (validated instanceof TwoTowerRecommender && validated.content) {
    newItems = newItemEvidence(validated, split.train, split.test, catalog);
  }
  let activeNdcg: number | null = null;
  let reference: Float64Array;
  let against: string;
  if (options.active && 'algorithm' in options.active) {
    progress({ fraction: 0.5, message: 'fitting the active version’s recipe on the same split' });
    const active = createModel(options.active, catalog);
    await active.fit(split.train, signal ? { signal } : {});
    const scored = validationScores(active, split, scoring(0.5, 'the active version’s recipe'));
    activeNdcg = scored.metrics.ndcg;
    reference = scored.perReader;
    against = options.activeLabel ?? 'the active version';
  } else if (options.active) {
    const scored = validationScores(options.active, split, scoring(0.5, 'the active version'));
    activeNdcg = scored.metrics.ndcg;
    reference = scored.perReader;
    against = options.activeLabel ?? 'the active version';
  } else {
    progress({ fraction: 0.5, message: 'fitting the popularity baseline on the same split' });
    const baseline = createModel(options.baseline ?? { algorithm: 'popularity' }, catalog);
    await baseline.fit(split.train, signal ? { signal } : {});
    reference = validationScores(baseline, split, scoring(0.5, 'the popularity baseline')).perReader;
    against = 'popularity baseline';
  }

  progress({ fraction: 0.55, message: 'refitting on all interactions' });
  const model = createModel(refitSpec(chosen, validated!), catalog);
  const refitSeconds = await fitPhase(model, data, 0.55, 0.4, 'refit on all data', false);
  if (model instanceof TwoTowerRecommender && newItems) model.newItemGate = newItems;
  return {
    model,
    validated: validated!,
    metrics: metrics!,
    activeNdcg,
    comparison: {
      metric: 'ndcg@10',
      unit: 'readers',
      against,
      candidate: Array.from(perReader!),
      reference: Array.from(reference),
    },
    history,
    trainSeconds,
    refitSeconds,
    selection: {
      ...(variants.length > 1 ? { compared, chosen: chosenName } : {}),
      ...(newItems ? { newItems } : {}),
    },
  };
}
