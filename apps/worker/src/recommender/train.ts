import { modelRegistry, type Prisma, type TenantDb } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  deserializeModel,
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
  AREA,
  isTrainable,
  MODEL_NAME,
  loadSettings,
  modelSpec,
  TRAINABLE,
  trainAndValidate,
  trainingSetOf,
  trainRequestProblem,
  validationMetrics,
  type RecommenderSettings,
} from '@media-ai/recommender-platform';
import { activeVersion, createTrainingVersion, loadCatalog, RECOMMENDER_MODEL } from './store.js';

type TrainPayload = PayloadOf<'recommender.train'>;

interface Prepared {
  settings: RecommenderSettings;
  data: TrainingSet;
  catalog: CatalogItem[];
  interactions: number;
  window: { start: Date | null; end: Date | null };
  /** Seconds to stream the interactions into typed arrays and build the training set. */
  loadSeconds: number;
}

async function prepare(
  db: TenantDb,
  newsroomId: string,
  algorithm: string | undefined,
  ctx: JobContext,
): Promise<Prepared> {
  const t0 = performance.now();
  const settings = await loadSettings(db, newsroomId);
  // Only the two-tower model reads content features, and only it can score items nobody has read yet.
  const needsCatalog = (algorithm ?? settings.algorithm) === 'two-tower';
  const catalog = needsCatalog ? await loadCatalog(db) : [];
  // Decay is measured from the newest interaction (the builder's default), as `trainingSetOf` does.
  const builder = new TrainingSetBuilder({
    eventWeights: settings.eventWeights,
    ...(settings.halfLifeDays !== null ? { halfLifeDays: settings.halfLifeDays } : {}),
    ...(needsCatalog ? { catalogItemIds: catalog.map((c) => c.itemId) } : {}),
  });
  await streamInteractions(newsroomId, builder, {
    signal: ctx.signal,
    onProgress: ({ read, total }) =>
      ctx.progress(0.01 + 0.07 * (read / Math.max(1, total)), `loading interactions: ${read}/${total}`),
  });
  const data = builder.build();
  return {
    settings,
    data,
    catalog,
    interactions: builder.offered,
    loadSeconds: (performance.now() - t0) / 1000,
    window: {
      start: Number.isFinite(builder.earliest) ? new Date(builder.earliest) : null,
      end: Number.isFinite(builder.latest) ? new Date(builder.latest) : null,
    },
  };
}

/**
 * What a new version must beat: the ACTIVE version's recipe refitted on the same split (the active
 * artifact itself has seen the held-out part, so evaluating it would favour it). The same recipe as
 * the new one needs no refit: newer data wins. Versions stored without their recipe are evaluated
 * as they are.
 */
async function activeRecipe(
  active: Awaited<ReturnType<typeof activeVersion>>,
  spec: ModelSpec,
  settings: RecommenderSettings,
): Promise<ModelSpec | Recommender | 'same-recipe' | null> {
  if (!active?.artifact) return null;
  const request = (active.params as { request?: { algorithm?: string; params?: Record<string, unknown> } })
    ?.request;
  if (request?.algorithm && isTrainable(request.algorithm)) {
    const recipe = modelSpec(request.algorithm, request.params ?? {}, settings);
    return JSON.stringify(recipe) === JSON.stringify(spec) ? 'same-recipe' : recipe;
  }
  return deserializeModel(await modelBytes(active.artifact));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function runTrain(
  payload: TrainPayload,
  ctx: JobContext,
): Promise<ResultOf<'recommender.train'>> {
  const problem = trainRequestProblem(payload);
  if (problem) throw new PermanentJobError(problem);
  const db = ctx.db;
  ctx.progress(0.01, 'loading interactions');
  const pre = await prepare(db, ctx.newsroomId, payload.algorithm ?? undefined, ctx);
  const algorithm = payload.algorithm ?? pre.settings.algorithm;
  if (!isTrainable(algorithm)) {
    throw new PermanentJobError(
      `RecommenderConfig.algorithm "${algorithm}" is not one of ${TRAINABLE.join(', ')}; fix it with setRecommenderConfig`,
    );
  }
  // `vectorIndex` tunes the index built for large catalogues; the rest are the model's parameters.
  const { vectorIndex: indexSettings, ...params } = { ...pre.settings.params, ...(payload.params ?? {}) };
  const { data } = pre;
  if (data.userIds.length < 2 || data.positives.indices.length < 10) {
    return { status: 'no-data', algorithm, interactions: pre.interactions, readers: data.userIds.length };
  }
  const row = await createTrainingVersion(db, ctx.newsroomId, ctx.jobId, algorithm, params);
  const phases: Record<string, number> = { load: round2(pre.loadSeconds) };
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      phases[name] = round2((performance.now() - t0) / 1000);
    }
  };
  try {
    const active = await activeVersion(db);
    ctx.progress(
      0.1,
      `training ${algorithm} on ${data.userIds.length} readers × ${data.itemIds.length} items`,
    );
    const spec = modelSpec(algorithm, params, pre.settings);
    const baseline = await activeRecipe(active, spec, pre.settings);
    const out = await phase('train', () =>
      trainAndValidate({
        data,
        spec,
        catalog: pre.catalog,
        validationFraction: payload.validationFraction ?? 0.2,
        seed: payload.seed ?? 42,
        // The same recipe on newer data must still beat the popularity baseline to serve.
        active: baseline === 'same-recipe' ? null : baseline,
        ...(active ? { activeLabel: `recommender v${active.version} (${active.algorithm})` } : {}),
        baseline: modelSpec('popularity', {}, pre.settings),
        signal: ctx.signal,
        onProgress: ({ fraction, message, ...detail }) =>
          ctx.progress(fraction, message, 'epoch' in detail ? detail : undefined),
      }),
    );
    const { model, metrics, activeNdcg } = out;
    ctx.progress(0.9, 'building the vector index');
    const vectorIndex = await phase('index', () =>
      buildAndStoreIndex(ctx.newsroomId, model, (indexSettings ?? {}) as VectorIndexSettings),
    );
    const backend =
      algorithm === 'two-tower'
        ? `tfjs-${(model as { backendUsed?: string | null }).backendUsed ?? 'unknown'}`
        : 'typescript-cpu';
    ctx.progress(0.95, 'storing the version');
    const stored = await phase('store', async () => {
      const artifact = model.serialize();
      return { bytes: await artifactForRow(ctx.newsroomId, artifact), size: artifact.length };
    });
    // The registry's gate: ACTIVE only with 100+ validation readers and a paired bootstrap over their
    // nDCG@10 showing it beats the active version's recipe (or the popularity baseline); else CANDIDATE.
    const { row: done, gate } = await phase('register', () =>
      modelRegistry(db, ctx.newsroomId).completeGated(
        RECOMMENDER_MODEL,
        row.id,
        {
          algorithm,
          params: {
            ...model.metadata.params,
            engineVersion: model.metadata.version,
            request: { algorithm, params },
            ...(vectorIndex ? { vectorIndex } : {}),
          } as Prisma.InputJsonValue,
          dataWindowStart: pre.window.start,
          dataWindowEnd: pre.window.end,
          metrics: {
            ...metrics,
            activeNdcgAtTraining: activeNdcg,
            trainSeconds: round2(out.trainSeconds),
            refitSeconds: round2(out.refitSeconds),
            refitOnAllData: true,
            phaseSeconds: phases,
            ...(Object.keys(out.selection).length
              ? { selection: JSON.parse(JSON.stringify(out.selection)) as Prisma.InputJsonValue }
              : {}),
            readers: data.userIds.length,
            items: data.itemIds.length,
            interactions: pre.interactions,
          } as Prisma.InputJsonValue,
          history: out.history as Prisma.InputJsonValue,
          artifact: stored.bytes,
          backend,
          ...(baseline === 'same-recipe' ? { notes: 'The active version’s recipe on newer data' } : {}),
        },
        out.comparison,
      ),
    );
    const activated = done.status === 'ACTIVE';
    ctx.progress(1, activated ? 'activated' : 'kept as candidate', {
      ndcg: metrics.ndcg,
      activeNdcg,
      gate: gate.reason,
    });
    return {
      status: activated ? 'activated' : 'candidate',
      modelVersionId: row.id,
      version: row.version,
      algorithm,
      engineVersion: model.metadata.version,
      metrics,
      activeNdcg,
      gate: gate.reason,
      readers: data.userIds.length,
      items: data.itemIds.length,
      interactions: pre.interactions,
      trainSeconds: round2(out.trainSeconds + out.refitSeconds),
      phaseSeconds: phases,
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
  const db = ctx.db;
  const row = await db.modelVersion.findFirst({
    where: { id: payload.modelVersionId, area: AREA, name: MODEL_NAME },
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
  const metrics = validationMetrics(deserializeModel(await modelBytes(row.artifact)), split);
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
