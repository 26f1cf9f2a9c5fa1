import { describe, expect, it } from 'vitest';
import { createRng } from '../src/core/rng.js';
import { SparseTable } from '../src/models/sparse-table.js';
import { initTf, linear } from '../src/tf.js';

describe('tfjs helpers', () => {
  it('linear() has the gradients of matMul', async () => {
    const { tf } = await initTf('wasm');
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as import('@tensorflow/tfjs').Tensor2D;
    const w = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as import('@tensorflow/tfjs').Tensor2D;
    const ours = tf.grads((a, b) => tf.sum(tf.square(linear(tf, a as typeof x, b as typeof w))))([x, w]);
    const ref = tf.grads((a, b) => tf.sum(tf.square(tf.matMul(a as typeof x, b as typeof w))))([x, w]);
    for (let k = 0; k < 2; k++) {
      const a = ours[k]!.dataSync();
      const b = ref[k]!.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 4);
    }
  });
});

describe('SparseTable (lazy Adam)', () => {
  it('gathers rows and weighted bags, and sums gradients of repeated rows', () => {
    const t = new SparseTable(4, 2, { std: 1, rng: createRng(1) });
    const row = (r: number) => [...t.data.subarray(r * 2, r * 2 + 2)];
    expect([...t.gather(Int32Array.from([2, 0]))]).toEqual([...row(2), ...row(0)]);
    const bag = t.bag(Int32Array.from([1, 3]), Float32Array.from([0.5, 0.5]), 2);
    expect(bag[0]).toBeCloseTo((row(1)[0]! + row(3)[0]!) / 2, 6);
  });

  it('matches tfjs Adam on the rows a step touches and leaves the others alone', async () => {
    const { tf } = await initTf('wasm');
    const t = new SparseTable(3, 2, { std: 1, rng: createRng(5) });
    const start = t.data.slice();
    const v = tf.variable(tf.tensor2d(start, [3, 2]));
    const opt = tf.train.adam(0.1);
    for (let step = 1; step <= 3; step++) {
      // Rows 0 (twice) and 2 get gradients; row 1 none.
      const g = Float32Array.from([1, -2, 0.5, 0.5, 3, 1]);
      t.accumulate(Int32Array.from([0, 0, 2]), g);
      t.applyAdam(0.1, step);
      const dense = tf.tensor2d([1.5, -1.5, 0, 0, 3, 1], [3, 2]);
      opt.applyGradients([{ name: v.name, tensor: dense }]);
    }
    const expected = v.dataSync();
    expect([...t.data.subarray(2, 4)]).toEqual([...start.subarray(2, 4)]);
    for (const i of [0, 1, 4, 5]) expect(t.data[i]).toBeCloseTo(expected[i]!, 4);
  });
});
