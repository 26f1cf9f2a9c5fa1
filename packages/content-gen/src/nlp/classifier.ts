import { normalizeLang, type Lang } from '@media-ai/text';
import {
  defaultVersion,
  deserializeModel,
  serializeModel,
  ARTIFACT_FORMAT,
  type ModelArtifact,
} from '../ml/artifact.js';
import { forwardSparse, trainDense, type DenseLayer, type TrainProgress } from '../ml/dense.js';
import { rng, shuffleInPlace } from '../ml/random.js';
import { contentStems } from '../text/tokenize.js';

export interface TopicExample {
  text: string;
  label: string;
}

export interface TopicClassifierParams {
  /** Hashed feature dimension (unigrams + bigrams of content stems). */
  dim: number;
  bigrams: boolean;
  /** Buckets seen in fewer training texts are dropped (smaller, faster model). */
  minDf: number;
  hidden: number[];
  /** Sample weights per class: 'balanced' = max count / count, 'sqrt' its square root; helps macro-F1 on skewed labels. */
  classWeighting: 'none' | 'sqrt' | 'balanced';
  epochs: number;
  learningRate: number;
  batchSize: number;
  l2: number;
  seed: number;
  lang: Lang;
  labels: string[];
}

export interface TopicClassifierData {
  /** Hash buckets kept as model inputs, in column order. */
  buckets: Float32Array;
  /** idf per kept bucket (column order). */
  idf: Float32Array;
  layers: DenseLayer[];
}

export type TopicClassifierModel = ModelArtifact<
  'topic-classifier',
  TopicClassifierParams,
  TopicClassifierData
>;

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassifierEvaluation {
  accuracy: number;
  macroF1: number;
  size: number;
  perClass: Record<string, ClassMetrics>;
}

export interface TrainTopicOptions extends Partial<Omit<TopicClassifierParams, 'labels' | 'lang'>> {
  lang?: Lang | string;
  name?: string;
  version?: string;
  /** Held-out fraction (stratified by label) for the reported metrics; default 0.2. Ignored when `test` is given. */
  holdout?: number;
  test?: readonly TopicExample[];
  /** Continue from this model's weights (same labels and dimension): retraining on new tagged content. */
  warmStart?: TopicClassifierModel;
  onProgress?: (p: TrainProgress) => void;
}

export interface TopicPrediction {
  label: string;
  confidence: number;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function termCounts(
  text: string,
  params: Pick<TopicClassifierParams, 'dim' | 'bigrams' | 'lang'>,
): Map<number, number> {
  const stems = contentStems(text, params.lang);
  const counts = new Map<number, number>();
  const add = (term: string) => {
    const idx = fnv1a(term) % params.dim;
    counts.set(idx, (counts.get(idx) ?? 0) + 1);
  };
  for (let i = 0; i < stems.length; i++) {
    add(stems[i]);
    if (params.bigrams && i + 1 < stems.length) add(`${stems[i]}_${stems[i + 1]}`);
  }
  return counts;
}

const columnCache = new WeakMap<Float32Array, Map<number, number>>();
function columnsOf(buckets: Float32Array): Map<number, number> {
  let m = columnCache.get(buckets);
  if (!m) {
    m = new Map();
    buckets.forEach((b, col) => m!.set(b, col));
    columnCache.set(buckets, m);
  }
  return m;
}

/** Hashed, idf-weighted, L2-normalised bag of words over the kept buckets: column → value. */
function featurize(
  text: string,
  params: TopicClassifierParams,
  data: Pick<TopicClassifierData, 'buckets' | 'idf'>,
): Map<number, number> {
  const columns = columnsOf(data.buckets);
  let norm = 0;
  const out = new Map<number, number>();
  for (const [bucket, c] of termCounts(text, params)) {
    const col = columns.get(bucket);
    if (col === undefined) continue;
    const v = (1 + Math.log(c)) * data.idf[col];
    out.set(col, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [i, v] of out) out.set(i, v / norm);
  return out;
}

/** Stratified split: `fraction` of each label's examples go to test. */
export function stratifiedSplit<T extends { label: string }>(
  items: readonly T[],
  fraction: number,
  seed = 42,
): { train: T[]; test: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const it of items) byLabel.set(it.label, [...(byLabel.get(it.label) ?? []), it]);
  const random = rng(seed);
  const train: T[] = [];
  const test: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffleInPlace([...byLabel.get(label)!], random);
    const nTest = group.length >= 2 ? Math.max(1, Math.round(group.length * fraction)) : 0;
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  return { train, test };
}

/**
 * Train a topic classifier (hashed bag of words → softmax, optional hidden layer) with Adam on tfjs.
 * Reports accuracy and macro-F1 on a stratified held-out split in model.metrics.
 */
export async function trainTopicClassifier(
  examples: readonly TopicExample[],
  options: TrainTopicOptions = {},
): Promise<{
  model: TopicClassifierModel;
  evaluation: ClassifierEvaluation;
  train: TopicExample[];
  test: TopicExample[];
}> {
  const clean = examples.filter((e) => e.text.trim() && e.label.trim());
  let train: TopicExample[];
  let test: TopicExample[];
  if (options.test) {
    train = [...clean];
    test = [...options.test];
  } else {
    ({ train, test } = stratifiedSplit(clean, options.holdout ?? 0.2, options.seed ?? 42));
  }
  const warm = options.warmStart;
  const labels = warm ? [...warm.params.labels] : [...new Set(train.map((e) => e.label))].sort();
  for (const e of train) if (!labels.includes(e.label)) labels.push(e.label);
  if (labels.length < 2) throw new Error('trainTopicClassifier needs at least two labels');
  const params: TopicClassifierParams = {
    dim: options.dim ?? warm?.params.dim ?? 262144,
    bigrams: options.bigrams ?? warm?.params.bigrams ?? true,
    minDf: options.minDf ?? warm?.params.minDf ?? 2,
    hidden: options.hidden ?? warm?.params.hidden ?? [],
    classWeighting: options.classWeighting ?? warm?.params.classWeighting ?? 'balanced',
    epochs: options.epochs ?? 30,
    learningRate: options.learningRate ?? 0.02,
    batchSize: options.batchSize ?? 128,
    l2: options.l2 ?? 1e-5,
    seed: options.seed ?? 42,
    lang: normalizeLang(options.lang ?? warm?.params.lang),
    labels,
  };

  // Kept buckets and their idf over the training texts. A warm start keeps the previous columns.
  const trainCounts = train.map((e) => termCounts(e.text, params));
  const df = new Map<number, number>();
  for (const c of trainCounts) for (const b of c.keys()) df.set(b, (df.get(b) ?? 0) + 1);
  const sameShape = warm && warm.params.labels.length === labels.length && warm.params.dim === params.dim;
  const buckets = sameShape
    ? warm.data.buckets
    : Float32Array.from(
        [...df.entries()]
          .filter(([, n]) => n >= params.minDf)
          .map(([b]) => b)
          .sort((a, b) => a - b),
      );
  const idf = Float32Array.from(buckets, (b) => Math.log((1 + train.length) / (1 + (df.get(b) ?? 0))) + 1);
  const cols = buckets.length;
  if (cols === 0)
    throw new Error('trainTopicClassifier: no feature occurs often enough (lower minDf or add examples)');

  const x = new Float32Array(train.length * cols);
  const y = new Float32Array(train.length * labels.length);
  train.forEach((e, r) => {
    for (const [i, v] of featurize(e.text, params, { buckets, idf })) x[r * cols + i] = v;
    y[r * labels.length + labels.indexOf(e.label)] = 1;
  });
  const labelCounts = new Map<string, number>();
  for (const e of train) labelCounts.set(e.label, (labelCounts.get(e.label) ?? 0) + 1);
  const maxCount = Math.max(...labelCounts.values());
  const power = params.classWeighting === 'balanced' ? 1 : params.classWeighting === 'sqrt' ? 0.5 : 0;
  const sampleWeight = Float32Array.from(train, (e) => (maxCount / labelCounts.get(e.label)!) ** power);
  const result = await trainDense(
    { x, y, rows: train.length, inputSize: cols, outputSize: labels.length, sampleWeight },
    {
      hidden: params.hidden,
      output: 'softmax',
      epochs: params.epochs,
      batchSize: params.batchSize,
      learningRate: params.learningRate,
      l2: params.l2,
      seed: params.seed,
      ...(sameShape ? { initial: warm.data.layers } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  const model: TopicClassifierModel = {
    format: ARTIFACT_FORMAT,
    kind: 'topic-classifier',
    name: options.name ?? warm?.name ?? 'topic-classifier',
    version: options.version ?? defaultVersion(),
    createdAt: new Date().toISOString(),
    params,
    metrics: { trainLoss: result.loss, trainSize: train.length, testSize: test.length, features: cols },
    data: { buckets, idf, layers: result.layers },
  };
  const evaluation = evaluateTopicClassifier(model, test);
  model.metrics.accuracy = evaluation.accuracy;
  model.metrics.macroF1 = evaluation.macroF1;
  return { model, evaluation, train, test };
}

/** Retrain on new tagged content, starting from the previous weights; a new version with the same params. */
export function retrainTopicClassifier(
  previous: TopicClassifierModel,
  examples: readonly TopicExample[],
  options: Omit<TrainTopicOptions, 'warmStart'> = {},
) {
  return trainTopicClassifier(examples, {
    ...previous.params,
    ...options,
    name: previous.name,
    warmStart: previous,
  });
}

/** Labels with probabilities, best first. */
export function classifyTopic(
  model: TopicClassifierModel,
  text: string,
  options: { topK?: number; minConfidence?: number } = {},
): TopicPrediction[] {
  const probs = forwardSparse(model.data.layers, featurize(text, model.params, model.data));
  return model.params.labels
    .map((label, i) => ({ label, confidence: probs[i] }))
    .sort((a, b) => b.confidence - a.confidence)
    .filter((p, i) => i < (options.topK ?? 3) && p.confidence >= (options.minConfidence ?? 0));
}

export function evaluateTopicClassifier(
  model: TopicClassifierModel,
  examples: readonly TopicExample[],
): ClassifierEvaluation {
  const labels = [...new Set([...model.params.labels, ...examples.map((e) => e.label)])];
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const support = new Map<string, number>();
  let correct = 0;
  for (const e of examples) {
    const pred = classifyTopic(model, e.text, { topK: 1 })[0]?.label ?? '';
    support.set(e.label, (support.get(e.label) ?? 0) + 1);
    if (pred === e.label) {
      correct++;
      tp.set(pred, (tp.get(pred) ?? 0) + 1);
    } else fp.set(pred, (fp.get(pred) ?? 0) + 1);
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let classes = 0;
  for (const label of labels) {
    const s = support.get(label) ?? 0;
    const t = tp.get(label) ?? 0;
    const f = fp.get(label) ?? 0;
    if (s === 0 && f === 0) continue; // absent from this evaluation set entirely
    const precision = t + f > 0 ? t / (t + f) : 0;
    const recall = s > 0 ? t / s : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support: s };
    if (s > 0) {
      f1Sum += f1;
      classes++;
    }
  }
  return {
    accuracy: examples.length ? correct / examples.length : 0,
    macroF1: classes ? f1Sum / classes : 0,
    size: examples.length,
    perClass,
  };
}

export function serializeTopicClassifier(model: TopicClassifierModel): Buffer {
  return serializeModel(model);
}

export function deserializeTopicClassifier(input: Buffer | string): TopicClassifierModel {
  return deserializeModel(input, 'topic-classifier') as unknown as TopicClassifierModel;
}
