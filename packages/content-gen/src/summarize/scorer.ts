import { meanRougeF, rouge } from '../eval/rouge.js';
import {
  defaultVersion,
  deserializeModel,
  serializeModel,
  ARTIFACT_FORMAT,
  type ModelArtifact,
} from '../ml/artifact.js';
import { forwardDense, trainDense, type DenseLayer, type TrainProgress } from '../ml/dense.js';
import { prepareDocument, type ArticleInput, type PreparedDocument } from './document.js';
import { SENTENCE_FEATURES, sentenceFeatures } from './features.js';
import { greedyOracle, rougeLabels } from './oracle.js';
import { selectSentences, type LengthOptions } from './select.js';

/** An article and its human summary (highlights / standfirst). */
export interface SummaryPair extends ArticleInput {
  summary: string;
}

export interface SentenceScorerParams {
  features: readonly string[];
  hidden: number[];
  epochs: number;
  learningRate: number;
  batchSize: number;
  l2: number;
  labels: 'oracle' | 'soft';
  oracleSentences: number;
  seed: number;
}

export interface SentenceScorerData {
  mean: Float32Array;
  std: Float32Array;
  layers: DenseLayer[];
}

export type SentenceScorerModel = ModelArtifact<'sentence-scorer', SentenceScorerParams, SentenceScorerData>;

export interface TrainScorerOptions extends Partial<Omit<SentenceScorerParams, 'features'>> {
  name?: string;
  version?: string;
  /** Held-out pairs: ROUGE of the trained scorer on them goes into metrics. */
  validation?: readonly SummaryPair[];
  onProgress?: (p: TrainProgress) => void;
}

/** Train the sentence scorer on (article, summary) pairs; labels come from ROUGE overlap with the summary. */
export async function trainSentenceScorer(
  pairs: readonly SummaryPair[],
  options: TrainScorerOptions = {},
): Promise<SentenceScorerModel> {
  if (pairs.length === 0) throw new Error('trainSentenceScorer needs at least one (article, summary) pair');
  const params: SentenceScorerParams = {
    features: [...SENTENCE_FEATURES],
    hidden: options.hidden ?? [8],
    epochs: options.epochs ?? 80,
    learningRate: options.learningRate ?? 0.01,
    batchSize: options.batchSize ?? 256,
    l2: options.l2 ?? 1e-3,
    labels: options.labels ?? 'oracle',
    oracleSentences: options.oracleSentences ?? 3,
    seed: options.seed ?? 42,
  };
  const rows: Float32Array[] = [];
  const targets: number[] = [];
  for (const pair of pairs) {
    const doc = prepareDocument(pair);
    if (doc.sentences.length === 0) continue;
    const feats = sentenceFeatures(doc);
    let labels: number[];
    if (params.labels === 'oracle') {
      const chosen = new Set(greedyOracle(doc, pair.summary, params.oracleSentences));
      labels = doc.sentences.map((_, i) => (chosen.has(i) ? 1 : 0));
    } else {
      labels = rougeLabels(doc, pair.summary);
    }
    feats.forEach((f, i) => {
      rows.push(f);
      targets.push(labels[i]);
    });
  }
  const d = SENTENCE_FEATURES.length;
  const { mean, std } = standardizer(rows, d);
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    for (let k = 0; k < d; k++) x[i * d + k] = (r[k] - mean[k]) / std[k];
  });
  const positives = targets.reduce((s, t) => s + t, 0);
  const posWeight = Math.min(10, Math.sqrt(Math.max(1, rows.length - positives) / Math.max(1, positives)));
  const sampleWeight = Float32Array.from(targets, (t) => 1 + (posWeight - 1) * t);
  const result = await trainDense(
    { x, y: Float32Array.from(targets), rows: rows.length, inputSize: d, outputSize: 1, sampleWeight },
    {
      hidden: params.hidden,
      output: 'sigmoid',
      epochs: params.epochs,
      batchSize: params.batchSize,
      learningRate: params.learningRate,
      l2: params.l2,
      seed: params.seed,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  const model: SentenceScorerModel = {
    format: ARTIFACT_FORMAT,
    kind: 'sentence-scorer',
    name: options.name ?? 'sentence-scorer',
    version: options.version ?? defaultVersion(),
    createdAt: new Date().toISOString(),
    params,
    metrics: { trainLoss: result.loss, articles: pairs.length, sentences: rows.length, positives },
    data: { mean, std, layers: result.layers },
  };
  if (options.validation?.length) {
    const scores = options.validation.map((p) => rouge(summarizeWithScorer(model, p).text, p.summary));
    const m = meanRougeF(scores);
    model.metrics.valRouge1 = m.rouge1;
    model.metrics.valRouge2 = m.rouge2;
    model.metrics.valRougeL = m.rougeL;
    model.metrics.valArticles = options.validation.length;
  }
  return model;
}

function standardizer(rows: readonly Float32Array[], d: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (const r of rows) for (let k = 0; k < d; k++) mean[k] += r[k] / rows.length;
  for (const r of rows) for (let k = 0; k < d; k++) std[k] += (r[k] - mean[k]) ** 2 / rows.length;
  for (let k = 0; k < d; k++) std[k] = Math.sqrt(std[k]) || 1;
  return { mean, std };
}

/** Probability-like importance of each sentence. */
export function scoreSentences(model: SentenceScorerModel, doc: PreparedDocument): number[] {
  const { mean, std, layers } = model.data;
  if (model.params.features.length !== SENTENCE_FEATURES.length) {
    throw new Error(
      `sentence scorer ${model.name}@${model.version} expects ${model.params.features.length} features, this code computes ${SENTENCE_FEATURES.length}`,
    );
  }
  return sentenceFeatures(doc).map((f) => {
    const z = f.map((v, k) => (v - mean[k]) / std[k]);
    return forwardDense(layers, z)[0];
  });
}

function summarizeWithScorer(
  model: SentenceScorerModel,
  input: ArticleInput,
  length: LengthOptions = {},
): { text: string } {
  const doc = prepareDocument(input);
  const sel = selectSentences(doc, scoreSentences(model, doc), length);
  return { text: sel.truncatedText ?? sel.indices.map((i) => doc.sentences[i].text).join(' ') };
}

export function serializeSentenceScorer(model: SentenceScorerModel): Buffer {
  return serializeModel(model);
}

export function deserializeSentenceScorer(input: Buffer | string): SentenceScorerModel {
  return deserializeModel(input, 'sentence-scorer') as unknown as SentenceScorerModel;
}
