/**
 * wasm vs webgpu, side by side: the same tfjs training run (BPR matrix factorisation on ML-100k,
 * leave-last-out evaluation) and the same batch scoring (top-10 for every user over 100k×64 item
 * vectors: matMul + topk), with seconds, speed-up and agreement (nDCG@10 difference, top-N overlap).
 *
 *   pnpm bench:gpu                      (here: the webgpu column says why there is no adapter)
 *   node .gpu/bench.mjs                 (the bundle from scripts/gpu/prepare.sh, on a GPU machine)
 *
 * Env: ML100K_DIR (u.data), BENCH_OUT (RESULTS.md path), BENCH_ITEMS (100000), BENCH_EPOCHS (8), BENCH_RUNS (warm scoring runs, 2).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { getTf, gpuDiagnostics, initTensorBackend, type BackendInfo } from '../src/index.js';

const tf = getTf();
const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.ML100K_DIR ?? path.resolve(here, '../../../../shared/data/recsys/ml-100k');
const outFile = process.env.BENCH_OUT ?? path.join(here, 'RESULTS.md');
const N_ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 8);
const DIM = 64;
const K = 10;
const REG = 1e-4;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 2));

/** Deterministic PRNG (mulberry32): both backends see the same data, init and samples. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gaussian(n: number, seed: number, scale: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u)) * scale;
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

// ML-100k: every rating is an implicit positive; each user's last rating (by time) is held out.
interface Data {
  nUsers: number;
  nItems: number;
  trainU: Int32Array;
  trainI: Int32Array;
  seen: Set<number>[];
  test: number[];
}
function loadMl100k(): Data {
  const rows = fs
    .readFileSync(path.join(dataDir, 'u.data'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t').map(Number) as [number, number, number, number]);
  const nUsers = Math.max(...rows.map((r) => r[0]));
  const nItems = Math.max(...rows.map((r) => r[1]));
  const byUser: [number, number][][] = Array.from({ length: nUsers }, () => []);
  for (const [u, i, , t] of rows) byUser[u - 1]!.push([i - 1, t]);
  const trainU: number[] = [];
  const trainI: number[] = [];
  const seen: Set<number>[] = [];
  const test: number[] = [];
  byUser.forEach((list, u) => {
    list.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    test.push(list[list.length - 1]![0]);
    const s = new Set<number>();
    for (const [i] of list.slice(0, -1)) {
      trainU.push(u);
      trainI.push(i);
      s.add(i);
    }
    seen.push(s);
  });
  return { nUsers, nItems, trainU: Int32Array.from(trainU), trainI: Int32Array.from(trainI), seen, test };
}

async function time<T>(fn: () => Promise<T>): Promise<{ s: number; v: T }> {
  const t0 = performance.now();
  const v = await fn();
  return { s: (performance.now() - t0) / 1000, v };
}

/** tfjs BPR-MF with Adam; returns user and item factors and the final epoch's loss. */
async function trainBpr(d: Data) {
  const U = tf.variable(tf.tensor2d(gaussian(d.nUsers * DIM, 1, 0.1), [d.nUsers, DIM]));
  const I = tf.variable(tf.tensor2d(gaussian(d.nItems * DIM, 2, 0.1), [d.nItems, DIM]));
  const opt = tf.train.adam(0.02);
  const r = rng(3);
  const batch = 4096;
  const n = d.trainU.length;
  let loss = 0;
  for (let e = 0; e < EPOCHS; e++) {
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const us = new Int32Array(m);
      const ps = new Int32Array(m);
      const ns = new Int32Array(m);
      for (let k = 0; k < m; k++) {
        const idx = Math.floor(r() * n);
        us[k] = d.trainU[idx]!;
        ps[k] = d.trainI[idx]!;
        let j = Math.floor(r() * d.nItems);
        while (d.seen[us[k]!]!.has(j)) j = Math.floor(r() * d.nItems);
        ns[k] = j;
      }
      // BPR gradients written out (gather's autodiff needs UnsortedSegmentSum, which the wasm
      // backend lacks): scatterND sums the per-row gradients into the factor matrices.
      const l = tf.tidy(() => {
        const ui = tf.tensor2d(us, [m, 1], 'int32');
        const pi = tf.tensor2d(ps, [m, 1], 'int32');
        const ni = tf.tensor2d(ns, [m, 1], 'int32');
        const u = tf.gatherND(U, ui) as TF.Tensor2D;
        const p = tf.gatherND(I, pi) as TF.Tensor2D;
        const q = tf.gatherND(I, ni) as TF.Tensor2D;
        const diff = tf.sub(p, q);
        const x = tf.sum(tf.mul(u, diff), 1);
        const w = tf.reshape(tf.div(tf.sigmoid(tf.neg(x)), m), [m, 1]); // -dL/dx
        const lam = (2 * REG) / m;
        const gu = tf.sub(tf.mul(lam, u), tf.mul(w, diff));
        const gp = tf.sub(tf.mul(lam, p), tf.mul(w, u));
        const gq = tf.add(tf.mul(lam, q), tf.mul(w, u));
        const gU = tf.scatterND(ui, gu, [d.nUsers, DIM]);
        const gI = tf.scatterND(tf.concat([pi, ni], 0), tf.concat([gp, gq], 0), [d.nItems, DIM]);
        opt.applyGradients([
          { name: U.name, tensor: gU },
          { name: I.name, tensor: gI },
        ]);
        // -log σ(x) = softplus(-x)
        return tf.mean(tf.softplus(tf.neg(x)));
      });
      sum += (await l.data())[0]!;
      l.dispose();
      batches++;
    }
    loss = sum / batches;
  }
  const users = (await U.data()) as Float32Array;
  const items = (await I.data()) as Float32Array;
  U.dispose();
  I.dispose();
  opt.dispose();
  return { users, items, loss };
}

/** Top-k item indices per user (seen items masked), by matMul + topk in chunks of users. */
async function topK(
  users: Float32Array,
  nUsers: number,
  items: TF.Tensor2D,
  k: number,
  mask?: Set<number>[],
): Promise<Int32Array> {
  const out = new Int32Array(nUsers * k);
  const chunk = 256;
  const nItems = items.shape[0];
  for (let s = 0; s < nUsers; s += chunk) {
    const m = Math.min(chunk, nUsers - s);
    const idx = tf.tidy(() => {
      let scores = tf.matMul(
        tf.tensor2d(users.subarray(s * DIM, (s + m) * DIM), [m, DIM]),
        items,
        false,
        true,
      );
      if (mask) {
        const mk = new Float32Array(m * nItems);
        for (let u = 0; u < m; u++) for (const i of mask[s + u]!) mk[u * nItems + i] = -1e9;
        scores = tf.add(scores, tf.tensor2d(mk, [m, nItems]));
      }
      return tf.topk(scores, k).indices;
    });
    out.set((await idx.data()) as Int32Array, s * k);
    idx.dispose();
  }
  return out;
}

function ndcgAt10(rec: Int32Array, test: number[]): number {
  let sum = 0;
  test.forEach((t, u) => {
    for (let r = 0; r < K; r++) if (rec[u * K + r] === t) sum += 1 / Math.log2(r + 2);
  });
  return sum / test.length;
}
function overlap(a: Int32Array, b: Int32Array, n: number): number {
  let same = 0;
  for (let u = 0; u < n; u++) {
    const sa = new Set(a.subarray(u * K, (u + 1) * K));
    for (const x of b.subarray(u * K, (u + 1) * K)) if (sa.has(x)) same++;
  }
  return same / (n * K);
}

interface Run {
  info: BackendInfo;
  trainS: number;
  loss: number;
  ndcg: number;
  recs: Int32Array;
  scoreS: number;
  scoreP50: number;
  top: Int32Array;
}

async function runOn(
  backend: 'wasm' | 'webgpu',
  d: Data,
  userVecs: Float32Array,
  itemVecs: Float32Array,
): Promise<Run | string> {
  let info: BackendInfo;
  try {
    info = await initTensorBackend(backend);
  } catch (e) {
    const diag = await gpuDiagnostics();
    return `no adapter: ${diag.problems.join(' ') || (e as Error).message}`;
  }
  const train = await time(() => trainBpr(d));
  const itemsT = tf.tensor2d(train.v.items, [d.nItems, DIM]);
  const recs = await topK(train.v.users, d.nUsers, itemsT, K, d.seen);
  itemsT.dispose();
  const ndcg = ndcgAt10(recs, d.test);
  // Batch scoring: top-10 of N_ITEMS×64 for every user; the first run, then the median of the warm runs.
  const big = tf.tensor2d(itemVecs, [N_ITEMS, DIM]);
  const first = await time(() => topK(userVecs, d.nUsers, big, K));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await time(() => topK(userVecs, d.nUsers, big, K))).s);
  big.dispose();
  times.sort((a, b) => a - b);
  return {
    info,
    trainS: train.s,
    loss: train.v.loss,
    ndcg,
    recs,
    scoreS: first.s,
    scoreP50: times[Math.floor((times.length - 1) / 2)]!,
    top: first.v,
  };
}

const d = loadMl100k();
const userVecs = gaussian(d.nUsers * DIM, 11, 1);
const itemVecs = gaussian(N_ITEMS * DIM, 12, 1);
console.log(
  `ML-100k: ${d.nUsers} users, ${d.nItems} items, ${d.trainU.length} training interactions; ${EPOCHS} epochs; scoring ${d.nUsers}×${N_ITEMS}×${DIM}`,
);
const wasm = await runOn('wasm', d, userVecs, itemVecs);
if (typeof wasm === 'string') throw new Error(wasm);
console.log(
  `wasm done: train ${wasm.trainS.toFixed(1)} s, nDCG@10 ${wasm.ndcg.toFixed(4)}, scoring p50 ${wasm.scoreP50.toFixed(2)} s`,
);
const gpu = await runOn('webgpu', d, userVecs, itemVecs);
console.log(
  typeof gpu === 'string'
    ? `webgpu: ${gpu}`
    : `webgpu done: train ${gpu.trainS.toFixed(1)} s, nDCG@10 ${gpu.ndcg.toFixed(4)}`,
);

const g = (f: (r: Run) => string, first = false) => (typeof gpu === 'string' ? (first ? gpu : '—') : f(gpu));
const speed = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
const rows = [
  [
    'training: BPR-MF, ' + EPOCHS + ' epochs (s)',
    wasm.trainS.toFixed(2),
    g((r) => r.trainS.toFixed(2), true),
    g((r) => speed(wasm.trainS, r.trainS)),
  ],
  ['final training loss', wasm.loss.toFixed(4), g((r) => r.loss.toFixed(4)), ''],
  [
    'nDCG@10 (leave-last-out)',
    wasm.ndcg.toFixed(4),
    g((r) => r.ndcg.toFixed(4)),
    g((r) => `difference ${Math.abs(wasm.ndcg - r.ndcg).toFixed(4)}`),
  ],
  [
    'top-10 overlap of the trained models',
    '',
    g((r) => `${(overlap(wasm.recs, r.recs, d.nUsers) * 100).toFixed(1)} %`),
    '',
  ],
  [
    `batch scoring: top-10 for ${d.nUsers} users over ${N_ITEMS}×${DIM}, first run (s)`,
    wasm.scoreS.toFixed(2),
    g((r) => r.scoreS.toFixed(2)),
    g((r) => speed(wasm.scoreS, r.scoreS)),
  ],
  [
    `batch scoring, median of ${RUNS} warm runs (s)`,
    wasm.scoreP50.toFixed(2),
    g((r) => r.scoreP50.toFixed(2)),
    g((r) => speed(wasm.scoreP50, r.scoreP50)),
  ],
  [
    'batch scoring top-10 overlap (same vectors)',
    '',
    g((r) => `${(overlap(wasm.top, r.top, d.nUsers) * 100).toFixed(1)} %`),
    '',
  ],
];
const table = [
  '| | wasm | webgpu | speed-up / agreement |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const md = `# GPU benchmark: wasm vs webgpu

Generated by \`pnpm bench:gpu\` (packages/tensor/bench/gpu.bench.ts) on ${new Date().toISOString().slice(0, 10)}:
${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end.
wasm: ${wasm.info.reason}. webgpu: ${(typeof gpu === 'string' ? gpu : gpu.info.reason).replace(/\.$/, '')}.

${table}

Agreement tolerance (what the GPU path must meet): nDCG@10 of the model trained on either backend within
0.01 of each other; top-10 overlap of batch scoring over the same vectors ≥ 99 % (float32 rounding only
reorders near-ties); trained-model overlap is lower by nature (different float rounding in SGD) and is reported, not gated.
`;
fs.writeFileSync(outFile, md);
console.log('\n' + table + `\n\nwritten to ${outFile}`);
