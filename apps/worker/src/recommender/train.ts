import type { Prisma } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  buildTrainingSet,
  createModel,
  DEFAULT_EVENT_WEIGHTS,
  deserializeModel,
  evaluate,
  indexOfItems,
  splitTrainingSet,
  type CatalogItem,
  type ModelSpec,
  type Recommender,
  type TrainingSet,
  TrainingSetBuilder,
  validationReaders,
} from '@media-ai/recommender';
import { streamInteractions } from './interaction-stream.js';
import { artifactForRow, buildAndStoreIndex, modelBytes, type VectorIndexSettings } from './model-files.js';
import {
  activate,
  activeVersion,
  createTrainingVersion,
  loadCatalog,
  loadConfig,
  loadInteractions,
  tenant,
  type LoadedConfig,
  type Tenant,
} from './store.js';

type TrainPayload = PayloadOf<'recommender.train'>;
type Metrics = NonNullable<ResultOf<'recommender.train'>['metrics']>;

const TRAINABLE = ['popularity', 'item-knn', 'bpr', 'als', 'two-tower', 'blend'] as const;
type Trainable = (typeof TRAINABLE)[number];

/** The model spec of a job: defaults < RecommenderConfig.params < payload params. */
export function modelSpec(
  algorithm: Trainable,
  params: Record<string, unknown>,
  config: LoadedConfig,
): ModelSpec {
  switch (algorithm) {
    case 'popularity':
      return { algorithm, params: { halfLifeDays: config.halfLifeDays, ...params } };
    case 'blend':
      return {
        algorithm,
        params: { learnWeights: true, maxValidationUsers: 300, ...params },
        components: {
          popularity: { algorithm: 'popularity', params: { halfLifeDays: config.halfLifeDays } },
          knn: { algorithm: 'item-knn' },
          als: { algorithm: 'als' },
        },
      };
    default:
      return { algorithm, params } as ModelSpec;
  }
}

/**
 * Scores of a model for the readers of a split by fold-in of their training history (as serving
 * does), aligned with the split's item indices; items the model does not know score -Infinity.
 */
function foldInScorer(model: Recommender, train: TrainingSet): (u: number) => Float32Array {
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

function toMetrics(r: ReturnType<typeof evaluate>): Metrics {
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    k: r.k,
    precision: round(r.precision),
    recall: round(r.recall),
    ndcg: round(r.ndcg),
    map: round(r.map),
    coverage: round(r.coverage),
    users: r.users,
  };
}

interface Prepared {
  config: LoadedConfig;
  data: TrainingSet;
  catalog: CatalogItem[];
  interactions: number;
  window: { start: Date | null; end: Date | null };
}

async function prepare(
  db: Tenant,
  newsroomId: string,
  algorithm: string | undefined,
  ctx: JobContext,
): Promise<Prepared> {
  const config = await loadConfig(db, newsroomId, DEFAULT_EVENT_WEIGHTS);
  // Only the two-tower model reads content features, and only it can score items nobody has read yet.
  const needsCatalog = (algorithm ?? config.algorithm) === 'two-tower';
  const catalog = needsCatalog ? await loadCatalog(db) : [];
  const builder = new TrainingSetBuilder({
    eventWeights: config.eventWeights,
    halfLifeDays: config.halfLifeDays,
    now: Date.now(),
    ...(needsCatalog ? { catalogItemIds: catalog.map((c) => c.itemId) } : {}),
  });
  await streamInteractions(newsroomId, builder, {
    signal: ctx.signal,
    onProgress: ({ read, total }) =>
      ctx.progress(0.01 + 0.07 * (read / Math.max(1, total)), `loading interactions: ${read}/${total}`),
  });
  const data = builder.build();
  return {
    config,
    data,
    catalog,
    interactions: builder.offered,
    window: {
      start: Number.isFinite(builder.earliest) ? new Date(builder.earliest) : null,
      end: Number.isFinite(builder.latest) ? new Date(builder.latest) : null,
    },
  };
}

function validate(payload: TrainPayload): void {
  if (payload.algorithm !== undefined && !TRAINABLE.includes(payload.algorithm)) {
    throw new PermanentJobError(`algorithm must be one of ${TRAINABLE.join(', ')}`);
  }
  const f = payload.validationFraction;
  if (f !== undefined && !(f > 0 && f < 0.9)) {
    throw new PermanentJobError('validationFraction must be between 0 and 0.9 (e.g. 0.2)');
  }
}

export async function runTrain(
  payload: TrainPayload,
  ctx: JobContext,
): Promise<ResultOf<'recommender.train'>> {
  validate(payload);
  const db = tenant(ctx.newsroomId);
  ctx.progress(0.01, 'loading interactions');
  const pre = await prepare(db, ctx.newsroomId, payload.algorithm, ctx);
  const algorithm = (payload.algorithm ?? pre.config.algorithm) as Trainable;
  if (!TRAINABLE.includes(algorithm)) {
    throw new PermanentJobError(
      `RecommenderConfig.algorithm "${algorithm}" is not one of ${TRAINABLE.join(', ')}; fix it with setRecommenderConfig`,
    );
  }
  // `vectorIndex` tunes the index built for large catalogues; the rest are the model's parameters.
  const { vectorIndex: indexSettings, ...params } = { ...pre.config.params, ...(payload.params ?? {}) };
  const { data } = pre;
  if (data.userIds.length < 2 || data.positives.indices.length < 10) {
    return { status: 'no-data', algorithm, interactions: pre.interactions, readers: data.userIds.length };
  }
  const split = splitTrainingSet(data, {
    testFraction: payload.validationFraction ?? 0.2,
    seed: payload.seed ?? 42,
  });
  const row = await createTrainingVersion(db, ctx.newsroomId, ctx.jobId, algorithm, params);
  try {
    const model = createModel(modelSpec(algorithm, params, pre.config), pre.catalog);
    const history: { epoch: number; loss: number | null }[] = [];
    ctx.progress(
      0.1,
      `training ${algorithm} on ${data.userIds.length} readers × ${data.itemIds.length} items`,
    );
    const t0 = performance.now();
    const report = await model.fit(split.train, {
      signal: ctx.signal,
      onProgress: ({ epoch, epochs, loss }) => {
        const l = Number.isFinite(loss) ? loss : null;
        history.push({ epoch, loss: l });
        ctx.progress(0.1 + 0.7 * (epoch / Math.max(1, epochs)), `epoch ${epoch}/${epochs}`, {
          epoch,
          epochs,
          loss: l,
        });
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    if (!history.length) history.push({ epoch: 1, loss: Number.isFinite(report.loss) ? report.loss : null });

    ctx.progress(0.85, 'evaluating on the validation split');
    // Large catalogues validate on a seeded sample of readers (the same one for both models).
    const readers = validationReaders(split.test);
    const evalOptions = { k: 10, ...(readers ? { users: readers } : {}) };
    const metrics = toMetrics(
      evaluate(foldInScorer(model, split.train), split.train, split.test, evalOptions),
    );
    const active = await activeVersion(db);
    let activeNdcg: number | null = null;
    if (active?.artifact) {
      const served = deserializeModel(await modelBytes(active.artifact));
      activeNdcg = toMetrics(
        evaluate(foldInScorer(served, split.train), split.train, split.test, evalOptions),
      ).ndcg;
    }
    const wins = activeNdcg === null || metrics.ndcg > activeNdcg;
    const artifact = model.serialize();
    ctx.progress(0.9, 'building the vector index');
    const vectorIndex = await buildAndStoreIndex(
      ctx.newsroomId,
      model,
      (indexSettings ?? {}) as VectorIndexSettings,
    );
    const backend =
      algorithm === 'two-tower'
        ? `tfjs-${(model as { backendUsed?: string | null }).backendUsed ?? 'unknown'}`
        : 'typescript-cpu';
    await db.modelVersion.update({
      where: { id: row.id },
      data: {
        algorithm,
        params: {
          ...model.metadata.params,
          engineVersion: model.metadata.version,
          ...(vectorIndex ? { vectorIndex } : {}),
        } as Prisma.InputJsonValue,
        dataWindowStart: pre.window.start,
        dataWindowEnd: pre.window.end,
        metrics: {
          ...metrics,
          activeNdcgAtTraining: activeNdcg,
          trainSeconds: Math.round(trainSeconds * 100) / 100,
          readers: data.userIds.length,
          items: data.itemIds.length,
          interactions: pre.interactions,
        } as Prisma.InputJsonValue,
        history: history as Prisma.InputJsonValue,
        artifact: await artifactForRow(ctx.newsroomId, artifact),
        artifactBytes: artifact.length,
        status: 'CANDIDATE',
        backend,
        notes: wins
          ? activeNdcg === null
            ? 'Activated: first model'
            : `Activated: nDCG@10 ${metrics.ndcg} > active ${activeNdcg}`
          : `Kept as candidate: nDCG@10 ${metrics.ndcg} ≤ active ${activeNdcg}`,
      },
    });
    if (wins) await activate(db, ctx.newsroomId, row.id);
    ctx.progress(1, wins ? 'activated' : 'kept as candidate', { ndcg: metrics.ndcg, activeNdcg });
    return {
      status: wins ? 'activated' : 'candidate',
      modelVersionId: row.id,
      version: row.version,
      algorithm,
      engineVersion: model.metadata.version,
      metrics,
      activeNdcg,
      readers: data.userIds.length,
      items: data.itemIds.length,
      interactions: pre.interactions,
      trainSeconds: Math.round(trainSeconds * 100) / 100,
    };
  } catch (e) {
    await db.modelVersion
      .update({
        where: { id: row.id },
        data: { status: 'FAILED', notes: `Training failed: ${(e as Error).message}` },
      })
      .catch(() => undefined);
    throw e;
  }
}

export async function runEvaluate(
  payload: PayloadOf<'recommender.evaluate'>,
  ctx: JobContext,
): Promise<ResultOf<'recommender.evaluate'>> {
  const db = tenant(ctx.newsroomId);
  const row = await db.modelVersion.findFirst({
    where: { id: payload.modelVersionId, area: 'recommender' },
    select: { id: true, version: true, algorithm: true, artifact: true, metrics: true },
  });
  if (!row)
    throw new PermanentJobError(
      `Recommender model version ${payload.modelVersionId} was not found`,
      'NOT_FOUND',
    );
  if (!row.artifact)
    throw new PermanentJobError(
      `Model version ${row.version} has no artifact (it failed or is still training)`,
    );
  ctx.progress(0.1, 'loading interactions');
  const pre = await prepare(db, ctx.newsroomId, undefined, ctx);
  const base = { modelVersionId: row.id, version: row.version, algorithm: row.algorithm };
  if (pre.data.userIds.length < 2) return { status: 'no-data', ...base };
  const split = splitTrainingSet(pre.data, {
    testFraction: payload.validationFraction ?? 0.2,
    seed: payload.seed ?? 42,
  });
  ctx.progress(0.5, 'evaluating');
  const model = deserializeModel(await modelBytes(row.artifact));
  const readers = validationReaders(split.test);
  const metrics = toMetrics(
    evaluate(foldInScorer(model, split.train), split.train, split.test, {
      k: 10,
      ...(readers ? { users: readers } : {}),
    }),
  );
  await db.modelVersion.update({
    where: { id: row.id },
    data: {
      metrics: {
        ...((row.metrics ?? {}) as Record<string, unknown>),
        reevaluation: { ...metrics, at: new Date().toISOString(), interactions: pre.interactions },
      } as Prisma.InputJsonValue,
    },
  });
  ctx.progress(1, 'evaluated', { ndcg: metrics.ndcg });
  return { status: 'evaluated', ...base, metrics };
}
