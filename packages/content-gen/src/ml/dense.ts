import type { GradSaveFunc, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { getTf } from './tf.js';
import { gaussian, rng, shuffleInPlace } from './random.js';

export type Activation = 'relu' | 'linear' | 'sigmoid' | 'softmax';

/** One fully connected layer; weights row-major [inputSize × outputSize]. */
export interface DenseLayer {
  inputSize: number;
  outputSize: number;
  activation: Activation;
  weights: Float32Array;
  bias: Float32Array;
}

export interface DenseTrainData {
  /** Row-major [rows × inputSize]. */
  x: Float32Array;
  /** Row-major [rows × outputSize]: 0/1 (or soft) targets. */
  y: Float32Array;
  rows: number;
  inputSize: number;
  outputSize: number;
  sampleWeight?: Float32Array;
}

export interface TrainProgress {
  epoch: number;
  loss: number;
}

export interface DenseTrainOptions {
  hidden?: readonly number[];
  output: 'sigmoid' | 'softmax';
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Start from these layers (same shapes) instead of a random initialisation: retraining. */
  initial?: readonly DenseLayer[];
  onProgress?: (p: TrainProgress) => void;
}

export interface DenseTrainResult {
  layers: DenseLayer[];
  loss: number;
}

/** Train a small MLP (or logistic / softmax regression when hidden is empty) with Adam on tfjs. */
export async function trainDense(
  data: DenseTrainData,
  options: DenseTrainOptions,
): Promise<DenseTrainResult> {
  const tf = await getTf();
  const random = rng(options.seed ?? 42);
  const sizes = [data.inputSize, ...(options.hidden ?? []), data.outputSize];
  const vars: { w: Variable; b: Variable }[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [nin, nout] = [sizes[l], sizes[l + 1]];
    const init = options.initial?.[l];
    let w: Float32Array;
    let b: Float32Array;
    if (init && init.inputSize === nin && init.outputSize === nout) {
      w = init.weights;
      b = init.bias;
    } else {
      const scale = Math.sqrt(2 / (nin + nout));
      w = new Float32Array(nin * nout);
      for (let i = 0; i < w.length; i++) w[i] = gaussian(random) * scale;
      b = new Float32Array(nout);
    }
    vars.push({ w: tf.variable(tf.tensor2d(w, [nin, nout])), b: tf.variable(tf.tensor1d(b)) });
  }
  const optimizer = tf.train.adam(options.learningRate ?? 0.01);
  const batchSize = Math.min(options.batchSize ?? 128, Math.max(1, data.rows));
  const l2 = options.l2 ?? 0;
  const order = Array.from({ length: data.rows }, (_, i) => i);
  const { inputSize: din, outputSize: dout } = data;
  let lastLoss = NaN;

  const xb = new Float32Array(batchSize * din);
  const xtb = new Float32Array(batchSize * din);
  const yb = new Float32Array(batchSize * dout);
  const wb = new Float32Array(batchSize);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffleInPlace(order, random);
    let total = 0;
    let count = 0;
    for (let start = 0; start < data.rows; start += batchSize) {
      const n = Math.min(batchSize, data.rows - start);
      for (let r = 0; r < n; r++) {
        const src = order[start + r];
        xb.set(data.x.subarray(src * din, (src + 1) * din), r * din);
        yb.set(data.y.subarray(src * dout, (src + 1) * dout), r * dout);
        wb[r] = data.sampleWeight ? data.sampleWeight[src] : 1;
      }
      const x = tf.tensor2d(xb.subarray(0, n * din), [n, din]);
      // The input's transpose, built in JS: the gradient of the first matMul is xᵀ·dy, and a transposed
      // matMul is ~7x slower than a plain one on the wasm backend.
      for (let r = 0; r < n; r++) for (let k = 0; k < din; k++) xtb[k * n + r] = xb[r * din + k];
      const xt = tf.tensor2d(xtb.subarray(0, n * din), [din, n]);
      const firstLayer = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => ({
        value: tf.matMul(x, args[0] as Tensor2D),
        gradFunc: (dy: Tensor | Tensor[]) => tf.matMul(xt, dy as Tensor2D),
      }));
      const y = tf.tensor2d(yb.subarray(0, n * dout), [n, dout]);
      const sw = tf.tensor1d(wb.subarray(0, n));
      const lossTensor = optimizer.minimize(() => {
        let h: Tensor = x;
        vars.forEach((v, idx) => {
          const z = idx === 0 ? (firstLayer(v.w) as Tensor) : tf.matMul(h as Tensor2D, v.w as Tensor2D);
          h = tf.add(z, v.b);
          if (idx < vars.length - 1) h = tf.relu(h);
        });
        // Stable BCE with logits: softplus(z) - y*z (tf.logSigmoid crashes inside minimize on cpu).
        const perRow: Tensor =
          options.output === 'sigmoid'
            ? tf.sum(tf.sub(tf.softplus(h), tf.mul(y, h)), 1)
            : tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(h)), 1));
        let loss: Tensor = tf.div(tf.sum(tf.mul(perRow, sw)), tf.sum(sw));
        if (l2 > 0) for (const v of vars) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(v.w))));
        return loss as Scalar;
      }, true);
      x.dispose();
      xt.dispose();
      y.dispose();
      sw.dispose();
      if (lossTensor) {
        total += (await lossTensor.data())[0] * n;
        count += n;
        lossTensor.dispose();
      }
    }
    lastLoss = total / Math.max(1, count);
    options.onProgress?.({ epoch, loss: lastLoss });
  }

  const layers: DenseLayer[] = [];
  for (let l = 0; l < vars.length; l++) {
    const { w, b } = vars[l];
    layers.push({
      inputSize: sizes[l],
      outputSize: sizes[l + 1],
      activation: l < vars.length - 1 ? 'relu' : options.output,
      weights: new Float32Array(await w.data()),
      bias: new Float32Array(await b.data()),
    });
    w.dispose();
    b.dispose();
  }
  optimizer.dispose();
  return { layers, loss: lastLoss };
}

/** Forward pass in plain TypeScript (inference needs no tfjs). */
export function forwardDense(layers: readonly DenseLayer[], input: ArrayLike<number>): Float32Array {
  let h: Float32Array = Float32Array.from(input);
  for (const layer of layers) {
    const out = new Float32Array(layer.outputSize);
    out.set(layer.bias);
    const { weights, outputSize } = layer;
    for (let i = 0; i < layer.inputSize; i++) {
      const xi = h[i];
      if (xi === 0) continue;
      const row = i * outputSize;
      for (let o = 0; o < outputSize; o++) out[o] += xi * weights[row + o];
    }
    h = activate(out, layer.activation);
  }
  return h;
}

/** Forward pass for a sparse input (index → value), for hashed bag-of-words features. */
export function forwardSparse(
  layers: readonly DenseLayer[],
  input: ReadonlyMap<number, number>,
): Float32Array {
  const [first, ...rest] = layers;
  const out = new Float32Array(first.outputSize);
  out.set(first.bias);
  for (const [i, xi] of input) {
    const row = i * first.outputSize;
    for (let o = 0; o < first.outputSize; o++) out[o] += xi * first.weights[row + o];
  }
  const h = activate(out, first.activation);
  return rest.length ? forwardDense(rest, h) : h;
}

function activate(v: Float32Array, activation: Activation): Float32Array {
  switch (activation) {
    case 'linear':
      return v;
    case 'relu':
      for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = 0;
      return v;
    case 'sigmoid':
      for (let i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-v[i]));
      return v;
    case 'softmax': {
      let max = -Infinity;
      for (const x of v) max = Math.max(max, x);
      let sum = 0;
      for (let i = 0; i < v.length; i++) {
        v[i] = Math.exp(v[i] - max);
        sum += v[i];
      }
      for (let i = 0; i < v.length; i++) v[i] /= sum;
      return v;
    }
  }
}
