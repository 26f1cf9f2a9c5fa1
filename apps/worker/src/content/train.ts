import {
  classifyTopic,
  evaluateTopicClassifier,
  getTf,
  meanRougeF,
  retrainTopicClassifier,
  rouge,
  serializeSentenceScorer,
  serializeTopicClassifier,
  summarize,
  trainSentenceScorer,
  trainTopicClassifier,
  type SummaryPair,
  type TfBackend,
  type TopicExample,
  type TrainProgress,
} from '@media-ai/content-gen';
import {
  modelRegistry,
  type Prisma,
  type TenantDb,
  type ValidationEvidence,
  type VersionRow,
} from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { htmlToText } from '@media-ai/text';
import { workerConfig } from '../lib/deps.js';
import {
  activeContentModel,
  CONTENT_AREA,
  SUMMARY_SCORER,
  TOPIC_CLASSIFIER,
  type ContentModelName,
} from '@media-ai/content-platform';

type TrainResult = ResultOf<'content.train-summary-scorer'>;

const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as Prisma.InputJsonValue;

function window(payload: { since?: string; until?: string }): Prisma.DateTimeFilter | undefined {
  const parse = (s: string | undefined, name: string) => {
    if (!s) return undefined;
    const d = new Date(s);
    if (Number.isNaN(d.getTime()))
      throw new PermanentJobError(`${name} must be an ISO date such as 2026-01-31, got "${s}"`);
    return d;
  };
  const since = parse(payload.since, 'since');
  const until = parse(payload.until, 'until');
  return since || until ? { ...(since ? { gte: since } : {}), ...(until ? { lt: until } : {}) } : undefined;
}

function bounded(v: number | undefined, def: number, min: number, max: number, name: string): number {
  if (v === undefined || v === null) return def;
  if (!Number.isFinite(v) || v < min || v > max)
    throw new PermanentJobError(`${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** The platform's tensor backend (TFJS_BACKEND), started once per thread. */
async function startTf(): Promise<string> {
  const wanted = workerConfig().TFJS_BACKEND;
  const tf = await getTf(wanted === 'auto' ? undefined : (wanted as TfBackend));
  return tf.getBackend();
}

/** Stable pseudo-random order by content, so the same data always holds out the same examples. */
function hashOrder<T>(rows: T[], key: (row: T) => string): T[] {
  const h = (s: string) => {
    let x = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193) >>> 0;
    return x;
  };
  return rows
    .map((row) => ({ row, k: h(key(row)) }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.row);
}

/** Mini-batches small enough for several optimiser steps per epoch on a small newsroom's data. */
const batchSizeFor = (examples: number) => Math.max(8, Math.min(128, Math.ceil(examples / 8)));

/** A TRAINING row for this job (a retry reuses the row of its earlier try), with the next version number. */
function startVersion(
  db: TenantDb,
  ctx: JobContext,
  name: ContentModelName,
  data: {
    algorithm: string;
    params: unknown;
    dataWindowStart: Date | null;
    dataWindowEnd: Date | null;
    backend: string;
  },
): Promise<VersionRow> {
  return modelRegistry(db, ctx.newsroomId).startTraining({ area: CONTENT_AREA, name }, ctx.jobId, {
    ...data,
    params: json(data.params),
  });
}

interface Finished {
  metric: string;
  value: number;
  baseline: { name: string; value: number };
  metrics: Record<string, unknown>;
  history: TrainProgress[];
  artifact: Buffer;
  examples: number;
  /** Per held-out item scores of this version and of what serves now, for the registry's gate. */
  evidence: ValidationEvidence;
}

/**
 * Stores the trained version through the registry's gate: ACTIVE (retiring the previous one) only when it
 * was validated on enough items and a paired bootstrap shows it beats what serves now, else CANDIDATE with
 * the reason in its notes and `metrics.gate`.
 */
async function finishVersion(db: TenantDb, row: VersionRow, f: Finished): Promise<TrainResult> {
  const { row: done, gate } = await modelRegistry(db, row.newsroomId).completeGated(
    { area: CONTENT_AREA, name: row.name },
    row.id,
    {
      algorithm: row.algorithm,
      metrics: json({ ...f.metrics, [f.metric]: f.value, baseline: f.baseline }),
      history: json(f.history),
      artifact: new Uint8Array(f.artifact),
    },
    f.evidence,
  );
  const active = done.status === 'ACTIVE';
  return {
    status: 'TRAINED',
    message: `${row.name} v${row.version}: ${gate.reason}`,
    modelVersionId: row.id,
    version: row.version,
    modelStatus: active ? 'ACTIVE' : 'CANDIDATE',
    metric: f.metric,
    value: f.value,
    baseline: f.baseline,
    examples: f.examples,
  };
}

async function failVersion(db: TenantDb, row: VersionRow, e: unknown): Promise<void> {
  await db.modelVersion
    .update({
      where: { id: row.id },
      data: { status: 'FAILED', notes: `training failed: ${(e as Error).message}`.slice(0, 2000) },
      select: { id: true },
    })
    .catch(() => undefined);
}

function notEnough(metric: string, examples: number, message: string): TrainResult {
  return {
    status: 'NOT_ENOUGH_DATA',
    message,
    modelVersionId: null,
    version: null,
    modelStatus: null,
    metric,
    value: null,
    baseline: null,
    examples,
  };
}

/** Per-epoch progress with the loss, kept as the version's history. */
function epochReporter(ctx: JobContext, epochs: number, history: TrainProgress[]) {
  return (p: TrainProgress) => {
    history.push({ epoch: p.epoch, loss: p.loss });
    ctx.progress(0.1 + (0.8 * p.epoch) / epochs, `epoch ${p.epoch}/${epochs}, loss ${p.loss.toFixed(4)}`, {
      epoch: p.epoch,
      loss: p.loss,
    });
  };
}

export async function runTrainSummaryScorer(
  payload: PayloadOf<'content.train-summary-scorer'>,
  ctx: JobContext,
): Promise<TrainResult> {
  const db = ctx.db;
  const metric = 'valRouge1';
  const minPairs = bounded(payload.minPairs, 20, 2, 100_000, 'minPairs');
  const maxPairs = bounded(payload.maxPairs, 2000, minPairs, 100_000, 'maxPairs');
  const epochs = bounded(payload.epochs, 80, 1, 1000, 'epochs');
  const holdout = bounded(payload.holdout, 0.2, 0.05, 0.5, 'holdout');
  const createdAt = window(payload);
  ctx.progress(0.02, 'collecting articles with a human summary');
  const rows = await db.contentItem.findMany({
    where: { summary: { not: null }, NOT: { body: '' }, ...(createdAt ? { createdAt } : {}) },
    select: { id: true, title: true, body: true, summary: true, language: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: maxPairs,
  });
  // Summaries an editor accepted unchanged from a generated one are machine text: not training material.
  const machine = await db.generatedItem.findMany({
    where: { kind: 'SUMMARY', status: 'ACCEPTED', contentId: { in: rows.map((r) => r.id) } },
    select: { contentId: true, output: true },
  });
  const machineText = new Set(machine.map((m) => `${m.contentId}\u0000${m.output.trim()}`));
  const usable = rows
    .map((r) => ({ ...r, text: htmlToText(r.body), summary: (r.summary ?? '').trim() }))
    .filter(
      (r) => r.summary.length >= 20 && r.text.length >= 200 && !machineText.has(`${r.id}\u0000${r.summary}`),
    );
  if (usable.length < minPairs) {
    return notEnough(
      metric,
      usable.length,
      `Found ${usable.length} article(s) with a human summary (summary ≥ 20 characters, body ≥ 200) but training needs at least ${minPairs}: write summaries on more articles (ContentItem.summary) or lower minPairs`,
    );
  }
  const ordered = hashOrder(usable, (r) => `${r.text}\u0000${r.summary}`);
  const nVal = Math.max(1, Math.round(ordered.length * holdout));
  const toPair = (r: (typeof usable)[number]): SummaryPair => ({
    text: r.text,
    summary: r.summary,
    ...(r.title ? { title: r.title } : {}),
    ...(r.language ? { lang: r.language } : {}),
  });
  const validation = ordered.slice(0, nVal).map(toPair);
  const train = ordered.slice(nVal).map(toPair);
  const times = usable.map((r) => r.createdAt.getTime());
  const backend = await startTf();
  const params = { epochs, holdout, trainPairs: train.length, validationPairs: validation.length };
  const row = await startVersion(db, ctx, SUMMARY_SCORER, {
    algorithm: 'mlp-sentence-scorer',
    params,
    dataWindowStart: new Date(Math.min(...times)),
    dataWindowEnd: new Date(Math.max(...times)),
    backend,
  });
  try {
    const history: TrainProgress[] = [];
    ctx.progress(0.1, `training on ${train.length} articles, ${validation.length} held out`);
    const model = await trainSentenceScorer(train, {
      epochs,
      validation,
      name: SUMMARY_SCORER,
      version: String(row.version),
      onProgress: epochReporter(ctx, epochs, history),
    });
    ctx.progress(0.92, 'comparing with the serving summaries on the held-out articles');
    const active = await activeContentModel(db, SUMMARY_SCORER);
    const baselineScores = validation.map((p) =>
      rouge(
        (active ? summarize(p, { method: 'scorer', model: active.model }) : summarize(p, { method: 'lead' }))
          .text,
        p.summary,
      ),
    );
    const base = meanRougeF(baselineScores);
    const lead = active
      ? meanRougeF(validation.map((p) => rouge(summarize(p, { method: 'lead' }).text, p.summary)))
      : base;
    const candidateScores = validation.map((p) =>
      rouge(summarize(p, { method: 'scorer', model }).text, p.summary),
    );
    const against = active ? `${SUMMARY_SCORER} v${active.version}` : 'lead-3';
    return await finishVersion(db, row, {
      metric,
      value: model.metrics.valRouge1 ?? 0,
      baseline: { name: against, value: base.rouge1 },
      metrics: {
        ...model.metrics,
        leadRouge1: lead.rouge1,
        leadRouge2: lead.rouge2,
        leadRougeL: lead.rougeL,
        trainPairs: train.length,
        validationPairs: validation.length,
      },
      history,
      artifact: serializeSentenceScorer(model),
      examples: usable.length,
      evidence: {
        metric: 'rouge1',
        against,
        candidate: candidateScores.map((r) => 100 * r.rouge1.f),
        reference: baselineScores.map((r) => 100 * r.rouge1.f),
      },
    });
  } catch (e) {
    await failVersion(db, row, e);
    throw e;
  }
}

/** The most frequent label of the training part: the floor a first classifier must beat. */
function majorityLabel(train: TopicExample[]): string {
  const counts = new Map<string, number>();
  for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** Macro-F1 over the labels present (in the gold labels or the predictions) among `indices`. */
function macroF1(gold: readonly string[], pred: readonly string[], indices: readonly number[]): number {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const i of indices) {
    if (pred[i] === gold[i]) add(tp, gold[i]!);
    else {
      add(fp, pred[i]!);
      add(fn, gold[i]!);
    }
  }
  const labels = new Set([...tp.keys(), ...fp.keys(), ...fn.keys()]);
  let sum = 0;
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    sum += t ? (2 * t) / (2 * t + (fp.get(l) ?? 0) + (fn.get(l) ?? 0)) : 0;
  }
  return labels.size ? sum / labels.size : 0;
}

/** Paired per-item evidence of two classifiers' predictions on the held-out items (macro-F1 per resample). */
function topicEvidence(
  test: TopicExample[],
  candidate: readonly string[],
  reference: readonly string[],
  against: string,
): ValidationEvidence {
  const gold = test.map((e) => e.label);
  return {
    metric: 'macroF1',
    against,
    candidate: candidate.map((p, i) => Number(p === gold[i])),
    reference: reference.map((p, i) => Number(p === gold[i])),
    statistic: (side, indices) => macroF1(gold, side === 'candidate' ? candidate : reference, indices),
  };
}

export async function runTrainTopicClassifier(
  payload: PayloadOf<'content.train-topic-classifier'>,
  ctx: JobContext,
): Promise<TrainResult> {
  const db = ctx.db;
  const metric = 'macroF1';
  const minExamples = bounded(payload.minExamples, 30, 4, 1_000_000, 'minExamples');
  const minPerLabel = bounded(payload.minPerLabel, 3, 2, 100_000, 'minPerLabel');
  const maxExamples = bounded(payload.maxExamples, 20_000, minExamples, 1_000_000, 'maxExamples');
  const epochs = bounded(payload.epochs, 30, 1, 1000, 'epochs');
  const holdout = bounded(payload.holdout, 0.2, 0.05, 0.5, 'holdout');
  const createdAt = window(payload);
  ctx.progress(0.02, 'collecting categorised content');
  const rows = await db.contentItem.findMany({
    where: { category: { not: null }, ...(createdAt ? { createdAt } : {}) },
    select: { id: true, title: true, body: true, summary: true, category: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: maxExamples,
  });
  const all = rows
    .map((r) => ({
      ...r,
      label: (r.category ?? '').trim(),
      text: [r.title, r.summary ?? '', htmlToText(r.body)].filter(Boolean).join('\n\n').slice(0, 5000),
    }))
    .filter((r) => r.label && r.text.trim());
  const perLabel = new Map<string, number>();
  for (const r of all) perLabel.set(r.label, (perLabel.get(r.label) ?? 0) + 1);
  const labels = [...perLabel.entries()]
    .filter(([, n]) => n >= minPerLabel)
    .map(([l]) => l)
    .sort();
  const dropped = [...perLabel.entries()]
    .filter(([, n]) => n < minPerLabel)
    .map(([l]) => l)
    .sort();
  const kept = all.filter((r) => labels.includes(r.label));
  if (kept.length < minExamples || labels.length < 2) {
    return notEnough(
      metric,
      kept.length,
      `Found ${kept.length} categorised item(s) in ${labels.length} categor${labels.length === 1 ? 'y' : 'ies'} with at least ${minPerLabel} items each` +
        `${dropped.length ? ` (too few: ${dropped.slice(0, 10).join(', ')})` : ''}; training needs at least ${minExamples} items in at least 2 categories: set ContentItem.category on more content or lower minExamples/minPerLabel`,
    );
  }
  const examples: TopicExample[] = hashOrder(kept, (r) => `${r.label}\u0000${r.text}`).map((r) => ({
    text: r.text,
    label: r.label,
  }));
  const times = kept.map((r) => r.createdAt.getTime());
  const backend = await startTf();
  const active = await activeContentModel(db, TOPIC_CLASSIFIER);
  const warm = payload.warmStart && active ? active.model : undefined;
  const row = await startVersion(db, ctx, TOPIC_CLASSIFIER, {
    algorithm: 'hashed-bow-softmax',
    params: { epochs, holdout, labels, droppedLabels: dropped, warmStartFrom: warm ? active!.id : null },
    dataWindowStart: new Date(Math.min(...times)),
    dataWindowEnd: new Date(Math.max(...times)),
    backend,
  });
  try {
    const history: TrainProgress[] = [];
    ctx.progress(0.1, `training on ${examples.length} items in ${labels.length} categories`);
    const options = {
      epochs,
      holdout,
      batchSize: batchSizeFor(examples.length),
      name: TOPIC_CLASSIFIER,
      version: String(row.version),
      onProgress: epochReporter(ctx, epochs, history),
    };
    const { model, evaluation, train, test } = warm
      ? await retrainTopicClassifier(warm, examples, options)
      : await trainTopicClassifier(examples, options);
    const top1 = (m: typeof model, text: string) => classifyTopic(m, text, { topK: 1 })[0]?.label ?? '';
    const candidatePreds = test.map((e) => top1(model, e.text));
    const majority = majorityLabel(train);
    const referencePreds = test.map((e) => (active ? top1(active.model, e.text) : majority));
    const against = active ? `${TOPIC_CLASSIFIER} v${active.version}` : 'majority class';
    const evidence = topicEvidence(test, candidatePreds, referencePreds, against);
    const all = test.map((_, i) => i);
    const baseline = {
      name: against,
      value: active
        ? evaluateTopicClassifier(active.model, test).macroF1
        : macroF1(
            test.map((e) => e.label),
            referencePreds,
            all,
          ),
    };
    // The stored params carry the full training configuration (labels included).
    await db.modelVersion.update({
      where: { id: row.id },
      data: {
        params: json({
          ...model.params,
          holdout,
          droppedLabels: dropped,
          warmStartFrom: warm ? active!.id : null,
        }),
      },
      select: { id: true },
    });
    return await finishVersion(db, row, {
      metric,
      value: evaluation.macroF1,
      baseline,
      metrics: {
        ...model.metrics,
        accuracy: evaluation.accuracy,
        macroF1: evaluation.macroF1,
        perClass: evaluation.perClass,
        labels: labels.length,
      },
      history,
      artifact: serializeTopicClassifier(model),
      examples: examples.length,
      evidence,
    });
  } catch (e) {
    await failVersion(db, row, e);
    throw e;
  }
}
