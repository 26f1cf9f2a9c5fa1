import type * as TF from '@tensorflow/tfjs';
import { blobAs, expectAlgorithm, readArtifact, writeArtifact } from '../core/artifact.js';
import { hasEntry } from '../core/csr.js';
import { createRng, randomNormalArray, shuffle, type Rng } from '../core/rng.js';
import type { CatalogItem } from '../catalog.js';
import { AGE_BUCKETS, ageBucket, encodeItem, type EncodedItem, type FeatureConfig } from '../features.js';
import type { TrainingSet } from '../interactions.js';
import { initTf, linear, type TfBackendName } from '../tf.js';
import { SparseTable } from './sparse-table.js';
import { positivePart } from './base.js';
import { FactorRecommender, type FoldInParams } from './factor-base.js';
import { throwIfAborted, type FitOptions, type UserQuery } from './types.js';

export interface TwoTowerParams {
  /** Size of the reader and item vectors. */
  dim?: number;
  /** Size of the word, tag and category embeddings. */
  featureDim?: number;
  hidden?: number;
  hashBuckets?: number;
  maxTokens?: number;
  maxTags?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** L2 on the reader and item-id embeddings of each batch. */
  reg?: number;
  /**
   * Share of training pairs also scored through the content tower (an auxiliary BPR loss): it trains
   * the content tower, in the readers' vector space, to score items that have no interactions.
   */
  contentShare?: number;
  /** Items with fewer training positives than this are served from the content tower. */
  coldThreshold?: number;
  /** false: id embeddings only (a plain BPR model trained with tfjs). */
  useContent?: boolean;
  seed?: number;
  /** tfjs backend for training; default: the one initTf() already set up, else wasm. */
  backend?: TfBackendName;
  /** How fresh histories are folded in (see FoldInParams); default 'bpr'. */
  foldIn?: 'bpr' | 'least-squares';
  foldInEpochs?: number;
  foldInLearningRate?: number;
  foldInReg?: number;
  foldInAlpha?: number;
  foldInRidge?: number;
}

/** The validation evidence for scoring brand-new items by their features. */
export interface NewItemGate {
  enabled: boolean;
  /** nDCG@10 of held-out items ranked by the content path alone (every item scored as if new). */
  contentNdcg: number;
  /** The same for the heuristic (the reader's category shares, newest first among equals). */
  heuristicNdcg: number;
  users: number;
}

type Settings = Required<Omit<TwoTowerParams, 'backend'>> & { backend?: TfBackendName };

const DEFAULTS: Settings = {
  dim: 64,
  featureDim: 32,
  hidden: 64,
  hashBuckets: 8192,
  maxTokens: 24,
  maxTags: 8,
  epochs: 20,
  batchSize: 1024,
  learningRate: 0.005,
  reg: 0.01,
  contentShare: 0.25,
  coldThreshold: 3,
  useContent: true,
  seed: 42,
  foldIn: 'bpr',
  foldInEpochs: 20,
  foldInLearningRate: 0.05,
  foldInReg: 0.02,
  foldInAlpha: 10,
  foldInRidge: 1,
};

/** Weights of the content path of the item tower (row-major, shapes as in the tfjs graph). */
interface ContentWeights {
  tokEmb: Float32Array; // [hashBuckets, featureDim]
  catEmb: Float32Array; // [categories, featureDim]
  w1: Float32Array; // [3·featureDim, hidden]
  b1: Float32Array; // [hidden]
  w2: Float32Array; // [hidden, dim]
  b2: Float32Array; // [dim]
  wb: Float32Array; // [hidden]: content bias
  fresh: Float32Array; // [AGE_BUCKETS]: bias by age at reading time
}

/**
 * Two-tower model trained with tfjs (Adam, BPR loss softplus(s⁻ − s⁺) with uniform negatives).
 * Reader tower: an id embedding (fold-in for fresh histories). Item tower, two paths into one space:
 *   id path       v = idEmb,                                   b = idBias
 *   content path  v = MLP([mean word emb, mean tag emb, category emb]),  b = wb·hidden
 * plus a freshness bias by the item's age (when read in training; at the reference time in serving).
 * Every training pair is scored through the id path; a share (contentShare) is also scored through
 * the content path, so that it learns to place items in the readers' space from title/text words,
 * tags and category alone (its loss does not move the reader vectors, so warm-item quality stays that
 * of the id model). Serving uses the id path for items with at least coldThreshold training
 * positives and the content path for new or rare ones.
 * Embedding tables live in JavaScript (lazy Adam on the rows a batch touches); tfjs computes the
 * loss and gradients of each batch. Inference is plain TypeScript: serving never loads tfjs.
 */
export class TwoTowerRecommender extends FactorRecommender {
  static readonly VERSION = '1';
  readonly settings: Settings;
  private catalog = new Map<string, CatalogItem>();
  categories = new Map<string, number>();
  content: ContentWeights | null = null;
  /** Bias per item without the fresh term (which is added for the reference time). */
  staticBias: Float32Array = new Float32Array(0);
  publishedAt: Float64Array = new Float64Array(0);
  referenceTime = 0;
  /** The tfjs backend the last fit ran on. */
  backendUsed: string | null = null;
  /**
   * Whether serving may rank brand-new items by their features (the content path), decided on a
   * validation split against a heuristic (see `newItemEvidence`); null until decided: not used.
   */
  newItemGate: NewItemGate | null = null;

  constructor(params: TwoTowerParams = {}, catalog: Iterable<CatalogItem> = []) {
    super('two-tower', TwoTowerRecommender.VERSION);
    this.settings = { ...DEFAULTS, ...params };
    this.setCatalog(catalog);
  }

  get params(): Record<string, unknown> {
    return { ...this.settings, backend: this.settings.backend ?? null };
  }

  /** Content features used by the next fit (items missing here train on ids only). */
  setCatalog(items: Iterable<CatalogItem>): void {
    for (const it of items) this.catalog.set(it.itemId, it);
  }

  protected get foldInParams(): FoldInParams {
    const s = this.settings;
    return {
      method: s.foldIn,
      epochs: s.foldInEpochs,
      learningRate: s.foldInLearningRate,
      reg: s.foldInReg,
      alpha: s.foldInAlpha,
      ridge: s.foldInRidge,
    };
  }

  private featureConfig(): FeatureConfig {
    const s = this.settings;
    return {
      hashBuckets: s.hashBuckets,
      maxTokens: s.maxTokens,
      maxTags: s.maxTags,
      categories: this.categories,
    };
  }

  protected async fitModel(data: TrainingSet, options: FitOptions) {
    const s = this.settings;
    const init = await initTf(s.backend);
    const tf = init.tf;
    this.backendUsed = init.backend;
    const rng = createRng(s.seed);
    const nUsers = data.positives.rows;
    const nItems = data.positives.cols;

    const cats = new Set<string>();
    for (const id of data.itemIds) {
      const c = this.catalog.get(id)?.category;
      if (c !== undefined) cats.add(c);
    }
    this.categories = new Map([...cats].sort().map((c, n) => [c, n + 1]));
    const cfg = this.featureConfig();
    const encoded = data.itemIds.map((id) => encodeItem(this.catalog.get(id), cfg));

    const fd = s.featureDim;
    const nCats = this.categories.size + 1;
    const normal = (std: number) => ({ std, rng });
    const tables = {
      user: new SparseTable(nUsers, s.dim, normal(0.05)),
      item: new SparseTable(nItems, s.dim, normal(0.05)),
      itemBias: new SparseTable(nItems, 1, 'zeros'),
      token: new SparseTable(s.hashBuckets, fd, normal(0.05)),
      category: new SparseTable(nCats, fd, normal(0.05)),
      fresh: new SparseTable(AGE_BUCKETS, 1, 'zeros'),
    };
    const glorot = (fanIn: number, fanOut: number) => Math.sqrt(2 / (fanIn + fanOut));
    const dense = (values: Float32Array, shape: number[]) =>
      tf.tidy(() => tf.variable(tf.tensor(values, shape), true));
    const w = {
      w1: dense(randomNormalArray(3 * fd * s.hidden, glorot(3 * fd, s.hidden), rng), [3 * fd, s.hidden]),
      b1: dense(new Float32Array(s.hidden), [s.hidden]),
      w2: dense(randomNormalArray(s.hidden * s.dim, glorot(s.hidden, s.dim), rng), [s.hidden, s.dim]),
      b2: dense(new Float32Array(s.dim), [s.dim]),
      wb: dense(new Float32Array(s.hidden), [s.hidden, 1]),
    };
    const optimizer = tf.train.adam(s.learningRate);
    const batches = new BatchBuilder(data, encoded, s, rng);
    let loss = Number.NaN;
    let step = 0;
    try {
      for (let epoch = 1; epoch <= s.epochs; epoch++) {
        throwIfAborted(options.signal);
        let sum = 0;
        let count = 0;
        for (const batch of batches.epoch()) {
          step++;
          sum += this.trainStep(tf, tables, w, optimizer, batch, step) * batch.size;
          count += batch.size;
        }
        loss = count > 0 ? sum / count : 0;
        options.onProgress?.({ epoch, epochs: s.epochs, loss });
        await new Promise((r) => setImmediate(r));
      }
      const read = (t: TF.Tensor) => (t.dataSync() as Float32Array).slice();
      this.dim = s.dim;
      this.userFactors = tables.user.data;
      this.content = s.useContent
        ? {
            tokEmb: tables.token.data,
            catEmb: tables.category.data,
            w1: read(w.w1),
            b1: read(w.b1),
            w2: read(w.w2),
            b2: read(w.b2),
            wb: read(w.wb),
            fresh: tables.fresh.data,
          }
        : null;
      const counts = new Int32Array(nItems);
      for (let k = 0; k < data.positives.indices.length; k++) counts[data.positives.indices[k]!]!++;
      this.buildItemVectors(encoded, tables.item.data, tables.itemBias.data, counts, data.now);
    } finally {
      optimizer.dispose();
      for (const t of Object.values(w)) t.dispose();
    }
    return { epochs: s.epochs, loss };
  }

  /**
   * One Adam step: embedding rows are gathered in JavaScript and passed to tfjs as inputs; tfjs
   * returns the loss and the gradients for those inputs and for the dense tower (updated by its
   * Adam); the rows are updated by lazy Adam in JavaScript.
   */
  private trainStep(
    tf: typeof TF,
    t: Record<'user' | 'item' | 'itemBias' | 'token' | 'category' | 'fresh', SparseTable>,
    w: Record<'w1' | 'b1' | 'w2' | 'b2' | 'wb', TF.Variable>,
    optimizer: TF.Optimizer,
    b: Batch,
    step: number,
  ): number {
    const s = this.settings;
    const { dim, featureDim: fd, maxTokens: L, maxTags: T } = s;
    const B = b.size;
    const nC = b.nContent;
    // Inputs: readers, item rows, item biases, fresh biases[, content readers, word bags, tag bags, categories].
    const inputs = [
      tf.tensor2d(t.user.gather(b.users), [B, dim]),
      tf.tensor2d(t.item.gather(b.items), [2 * B, dim]),
      tf.tensor1d(t.itemBias.gather(b.items)),
      tf.tensor1d(t.fresh.gather(b.ages)),
    ];
    if (nC > 0) {
      inputs.push(
        // The content pairs' reader vectors again, as a separate input whose gradient is dropped:
        // the content loss fits the item side only and leaves the reader space to the id path.
        tf.tensor2d(t.user.gather(b.users.subarray(B - nC)), [nC, dim]),
        tf.tensor2d(t.token.bag(b.tokens, b.tokenWeights, L), [2 * nC, fd]),
        tf.tensor2d(t.token.bag(b.tags, b.tagWeights, T), [2 * nC, fd]),
        tf.tensor2d(t.category.gather(b.categories), [2 * nC, fd]),
      );
    }
    const weights = tf.tensor1d(b.weights);
    const denseVars = nC > 0 ? [w.w1, w.b1, w.w2, w.b2, w.wb] : [];
    // softplus(s⁻ − s⁺) = −log σ(s⁺ − s⁻); tf.logSigmoid under gradients crashes on some backends.
    const bpr = (sp: TF.Tensor, sn: TF.Tensor, wt: TF.Tensor) =>
      tf.div(tf.sum(tf.mul(tf.softplus(tf.sub(sn, sp)), wt)), tf.sum(wt));

    const lossAndGrads = tf.valueAndGrads((...xs: TF.Tensor[]) => {
      const [uE, vec, bias, fresh] = xs as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
      const [vecP, vecN] = tf.split(vec, 2);
      const [biasP, biasN] = tf.split(tf.add(bias, fresh), 2);
      const sp = tf.add(tf.sum(tf.mul(uE, vecP!), 1), biasP!);
      const sn = tf.add(tf.sum(tf.mul(uE, vecN!), 1), biasN!);
      let loss = bpr(sp, sn, weights);
      let l2 = tf.add(tf.sum(tf.square(uE)), tf.sum(tf.square(vec)));
      if (nC > 0) {
        // The content pairs are the last nC pairs of the batch.
        const [uC, tok, tag, cat, w1, b1, w2, b2, wb] = xs.slice(4);
        const h = tf.concat([tok!, tag!, cat!], 1) as TF.Tensor2D;
        const z = tf.relu(tf.add(linear(tf, h, w1 as TF.Tensor2D), b1!)) as TF.Tensor2D;
        const cVec = tf.add(linear(tf, z, w2 as TF.Tensor2D), b2!);
        const cBias = tf.reshape(linear(tf, z, wb as TF.Tensor2D), [2 * nC]);
        const [cVecP, cVecN] = tf.split(cVec, 2);
        const [cBiasP, cBiasN] = tf.split(cBias, 2);
        const tail = (x: TF.Tensor) => tf.slice(x, [B - nC], [nC]);
        const cp = tf.add(tf.add(tf.sum(tf.mul(uC!, cVecP!), 1), cBiasP!), tail(tf.split(fresh, 2)[0]!));
        const cn = tf.add(tf.add(tf.sum(tf.mul(uC!, cVecN!), 1), cBiasN!), tail(tf.split(fresh, 2)[1]!));
        loss = tf.add(loss, bpr(cp, cn, tail(weights)));
        l2 = tf.add(l2, tf.sum(tf.square(cVec)));
      }
      return tf.add(loss, tf.mul(tf.div(l2, B), s.reg)) as TF.Scalar;
    });
    const { value, grads } = lossAndGrads([...inputs, ...denseVars]);
    const lossValue = value.dataSync()[0]!;
    const g = grads.slice(0, inputs.length).map((x) => x.dataSync() as Float32Array);
    if (denseVars.length > 0) {
      optimizer.applyGradients(
        denseVars.map((v, k) => ({ name: v.name, tensor: grads[inputs.length + k]! })),
      );
    }
    tf.dispose([value, ...grads, ...inputs, weights]);

    t.user.accumulate(b.users, g[0]!);
    t.item.accumulate(b.items, g[1]!);
    t.itemBias.accumulate(b.items, g[2]!);
    t.fresh.accumulate(b.ages, g[3]!);
    if (nC > 0) {
      t.token.accumulateBag(b.tokens, b.tokenWeights, L, g[5]!);
      t.token.accumulateBag(b.tags, b.tagWeights, T, g[6]!);
      t.category.accumulate(b.categories, g[7]!);
    }
    for (const table of Object.values(t)) table.applyAdam(s.learningRate, step);
    return lossValue;
  }

  /** Content part of the item tower, in plain TypeScript: writes the vector, returns the content bias. */
  private contentForward(e: EncodedItem, out: Float32Array, outOff: number): number {
    const c = this.content;
    if (!c) return 0;
    const { featureDim: fd, hidden, dim } = this.settings;
    const h = new Float32Array(3 * fd);
    const pool = (ids: Int32Array, ws: Float32Array, at: number) => {
      for (let k = 0; k < ids.length; k++) {
        const w = ws[k]!;
        if (w === 0) continue;
        const row = ids[k]! * fd;
        for (let d = 0; d < fd; d++) h[at + d]! += w * c.tokEmb[row + d]!;
      }
    };
    pool(e.tokens, e.tokenWeights, 0);
    pool(e.tags, e.tagWeights, fd);
    const catRow = Math.min(e.category, c.catEmb.length / fd - 1) * fd;
    for (let d = 0; d < fd; d++) h[2 * fd + d] = c.catEmb[catRow + d]!;
    const z = new Float32Array(hidden);
    for (let j = 0; j < hidden; j++) z[j] = c.b1[j]!;
    for (let a = 0; a < 3 * fd; a++) {
      const ha = h[a]!;
      if (ha === 0) continue;
      const row = a * hidden;
      for (let j = 0; j < hidden; j++) z[j]! += ha * c.w1[row + j]!;
    }
    let bias = 0;
    for (let k = 0; k < dim; k++) out[outOff + k]! += c.b2[k]!;
    for (let j = 0; j < hidden; j++) {
      const zj = z[j]! > 0 ? z[j]! : 0;
      if (zj === 0) continue;
      bias += zj * c.wb[j]!;
      const row = j * dim;
      for (let k = 0; k < dim; k++) out[outOff + k]! += zj * c.w2[row + k]!;
    }
    return bias;
  }

  /** Id path for items with enough training positives, content path for the others. */
  private buildItemVectors(
    encoded: EncodedItem[],
    itemEmb: Float32Array,
    idBias: Float32Array,
    counts: Int32Array,
    now: number,
  ): void {
    const dim = this.settings.dim;
    const n = encoded.length;
    const useContent = this.content !== null;
    this.itemFactors = new Float32Array(n * dim);
    this.staticBias = new Float32Array(n);
    this.publishedAt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.publishedAt[i] = encoded[i]!.publishedAt;
      if (!useContent || counts[i]! >= this.settings.coldThreshold) {
        this.itemFactors.set(itemEmb.subarray(i * dim, (i + 1) * dim), i * dim);
        this.staticBias[i] = idBias[i]!;
      } else {
        this.staticBias[i] = this.contentForward(encoded[i]!, this.itemFactors, i * dim);
      }
    }
    this.setReferenceTime(now);
  }

  /** Recomputes the freshness term of every item's bias for a new "now" (milliseconds). */
  setReferenceTime(now: number): void {
    this.referenceTime = now;
    const bias = new Float32Array(this.staticBias.length);
    for (let i = 0; i < bias.length; i++)
      bias[i] = this.staticBias[i]! + this.freshBias(this.publishedAt[i]!, now);
    this.itemBias = bias;
  }

  private freshBias(publishedAt: number, at: number): number {
    return this.content ? this.content.fresh[ageBucket(publishedAt, at)]! : 0;
  }

  /** Vector and bias of items from their features alone (new items: no id embedding). */
  itemVectorsFromFeatures(
    items: CatalogItem[],
    at = this.referenceTime,
  ): { vectors: Float32Array; biases: Float32Array } {
    this.assertFitted();
    const cfg = this.featureConfig();
    const vectors = new Float32Array(items.length * this.dim);
    const biases = new Float32Array(items.length);
    items.forEach((it, n) => {
      const e = encodeItem(it, cfg);
      biases[n] = this.contentForward(e, vectors, n * this.dim) + this.freshBias(e.publishedAt, at);
    });
    return { vectors, biases };
  }

  /** Scores items unknown to the model (cold start) for a known reader or a fresh history. */
  scoreNewItems(user: UserQuery, items: CatalogItem[], at = this.referenceTime): Float32Array {
    const u = this.userVector(user);
    const { vectors, biases } = this.itemVectorsFromFeatures(items, at);
    const out = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) {
      let s = biases[n]!;
      for (let d = 0; d < this.dim; d++) s += u[d]! * vectors[n * this.dim + d]!;
      out[n] = s;
    }
    return out;
  }

  /** The reader vector of a known reader, or folded in from a fresh history. */
  userVector(user: UserQuery): Float32Array {
    this.assertFitted();
    if (typeof user === 'number') return this.userFactors.slice(user * this.dim, (user + 1) * this.dim);
    return this.foldIn(positivePart(user));
  }

  /**
   * Adds new items to the catalogue from their features (no retraining): they get indices after the
   * existing ones and are scored by every later `scoreUser`. Known ids keep their index.
   */
  addItems(items: CatalogItem[]): number[] {
    this.assertFitted();
    const known = new Map(this.itemIds.map((id, i) => [id, i]));
    const fresh = items.filter((it) => !known.has(it.itemId));
    const { vectors } = this.itemVectorsFromFeatures(fresh);
    const cfg = this.featureConfig();
    const n0 = this.itemIds.length;
    const factors = new Float32Array((n0 + fresh.length) * this.dim);
    factors.set(this.itemFactors);
    factors.set(vectors, n0 * this.dim);
    const staticBias = new Float32Array(n0 + fresh.length);
    staticBias.set(this.staticBias);
    const publishedAt = new Float64Array(n0 + fresh.length);
    publishedAt.set(this.publishedAt);
    fresh.forEach((it, k) => {
      const e = encodeItem(it, cfg);
      staticBias[n0 + k] = this.contentForward(e, new Float32Array(this.dim), 0);
      publishedAt[n0 + k] = e.publishedAt;
      known.set(it.itemId, n0 + k);
      this.itemIds.push(it.itemId);
      this.catalog.set(it.itemId, it);
    });
    this.itemFactors = factors;
    this.staticBias = staticBias;
    this.publishedAt = publishedAt;
    this.invalidateCaches();
    this.setReferenceTime(this.referenceTime);
    return items.map((it) => known.get(it.itemId)!);
  }

  serialize(): Buffer {
    const base = this.baseArtifact();
    const c = this.content;
    return writeArtifact({
      algorithm: this.algorithm,
      version: this.version,
      params: this.params,
      state: {
        ...base.state,
        dim: this.dim,
        categories: [...this.categories.entries()],
        referenceTime: this.referenceTime,
        backendUsed: this.backendUsed,
        newItemGate: this.newItemGate,
      },
      blobs: {
        ...base.blobs,
        ...this.factorBlobs(),
        staticBias: this.staticBias,
        publishedAt: this.publishedAt,
        ...(c
          ? {
              tokEmb: c.tokEmb,
              catEmb: c.catEmb,
              w1: c.w1,
              b1: c.b1,
              w2: c.w2,
              b2: c.b2,
              wb: c.wb,
              fresh: c.fresh,
            }
          : {}),
      },
    });
  }

  static deserialize(buf: Buffer): TwoTowerRecommender {
    const a = readArtifact(buf);
    expectAlgorithm(a, 'two-tower');
    const m = new TwoTowerRecommender(a.params as TwoTowerParams);
    m.restoreFactors(a);
    const st = a.state as {
      categories: [string, number][];
      referenceTime: number;
      backendUsed: string | null;
      newItemGate?: NewItemGate | null;
    };
    m.categories = new Map(st.categories);
    m.backendUsed = st.backendUsed;
    m.newItemGate = st.newItemGate ?? null;
    m.staticBias = blobAs(a, 'staticBias', Float32Array);
    m.publishedAt = blobAs(a, 'publishedAt', Float64Array);
    m.content =
      a.blobs.tokEmb instanceof Float32Array
        ? {
            tokEmb: blobAs(a, 'tokEmb', Float32Array),
            catEmb: blobAs(a, 'catEmb', Float32Array),
            w1: blobAs(a, 'w1', Float32Array),
            b1: blobAs(a, 'b1', Float32Array),
            w2: blobAs(a, 'w2', Float32Array),
            b2: blobAs(a, 'b2', Float32Array),
            wb: blobAs(a, 'wb', Float32Array),
            fresh: blobAs(a, 'fresh', Float32Array),
          }
        : null;
    m.setReferenceTime(st.referenceTime);
    return m;
  }
}

interface Batch {
  /** Number of (reader, positive, negative) pairs. */
  size: number;
  /** The last nContent pairs are also scored through the content tower. */
  nContent: number;
  users: Int32Array;
  /** Positives then negatives (2 × size). */
  items: Int32Array;
  /** Age bucket of each item in `items` when read. */
  ages: Int32Array;
  /** Features of the content pairs' items, positives then negatives (2 × nContent rows). */
  tokens: Int32Array;
  tokenWeights: Float32Array;
  tags: Int32Array;
  tagWeights: Float32Array;
  categories: Int32Array;
  weights: Float32Array;
}

/** Shuffled (reader, positive, sampled negative) batches; a share of the pairs also goes to the content tower. */
class BatchBuilder {
  private readonly rowOf: Int32Array;

  constructor(
    private readonly data: TrainingSet,
    private readonly encoded: EncodedItem[],
    private readonly s: Settings,
    private readonly rng: Rng,
  ) {
    const pos = data.positives;
    this.rowOf = new Int32Array(pos.indices.length);
    for (let u = 0; u < pos.rows; u++) this.rowOf.fill(u, pos.indptr[u]!, pos.indptr[u + 1]!);
  }

  *epoch(): Generator<Batch> {
    const pos = this.data.positives;
    const nnz = pos.indices.length;
    const order = Int32Array.from({ length: nnz }, (_, k) => k);
    shuffle(order, this.rng);
    for (let start = 0; start < nnz; start += this.s.batchSize) {
      yield this.build(order.subarray(start, Math.min(nnz, start + this.s.batchSize)));
    }
  }

  private build(entries: Int32Array): Batch {
    const { maxTokens: L, maxTags: T, contentShare, useContent } = this.s;
    const pos = this.data.positives;
    const nItems = pos.cols;
    const B = entries.length;
    // Entries are shuffled, so the last nC pairs are a random share (stochastic rounding).
    const share = useContent ? contentShare * B : 0;
    const nC = Math.min(B, Math.floor(share) + (this.rng.next() < share % 1 ? 1 : 0));
    const b: Batch = {
      size: B,
      nContent: nC,
      users: new Int32Array(B),
      items: new Int32Array(2 * B),
      ages: new Int32Array(2 * B),
      tokens: new Int32Array(2 * nC * L),
      tokenWeights: new Float32Array(2 * nC * L),
      tags: new Int32Array(2 * nC * T),
      tagWeights: new Float32Array(2 * nC * T),
      categories: new Int32Array(2 * nC),
      weights: new Float32Array(B),
    };
    for (let n = 0; n < B; n++) {
      const p = entries[n]!;
      const u = this.rowOf[p]!;
      const i = pos.indices[p]!;
      let j = this.rng.int(nItems);
      for (let tries = 0; tries < 20 && hasEntry(pos, u, j); tries++) j = this.rng.int(nItems);
      const at = this.data.positiveTimes[p]!;
      b.users[n] = u;
      b.weights[n] = pos.values[p]!;
      b.items[n] = i;
      b.items[B + n] = j;
      // Without content features every item sits in the "unknown age" bucket (a constant).
      b.ages[n] = useContent ? ageBucket(this.encoded[i]!.publishedAt, at) : 0;
      b.ages[B + n] = useContent ? ageBucket(this.encoded[j]!.publishedAt, at) : 0;
      if (n < B - nC) continue;
      for (const [row, item] of [
        [n - (B - nC), i],
        [n - (B - nC) + nC, j],
      ] as const) {
        const e = this.encoded[item]!;
        b.tokens.set(e.tokens, row * L);
        b.tokenWeights.set(e.tokenWeights, row * L);
        b.tags.set(e.tags, row * T);
        b.tagWeights.set(e.tagWeights, row * T);
        b.categories[row] = e.category;
      }
    }
    return b;
  }
}
