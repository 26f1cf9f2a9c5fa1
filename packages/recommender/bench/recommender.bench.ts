/**
 * Recommender benchmark: ML-100k accuracy for every model, serving latency, and two-tower cold start
 * on the MIND sample. Run: pnpm bench:recommender (or `pnpm bench` in packages/recommender).
 * Prints markdown and writes it to bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlsRecommender,
  auc,
  BlendRecommender,
  BprRecommender,
  buildTrainingSet,
  evaluate,
  initTf,
  ItemKnnRecommender,
  loadMind,
  loadMovieLens100k,
  matVec,
  PopularityRecommender,
  sharedDataPath,
  splitTrainingSet,
  topK,
  TwoTowerRecommender,
  type CatalogItem,
  type Recommender,
  type TrainingSet,
} from '../src/index.js';
import { createRng } from '../src/core/rng.js';

const out: string[] = [];
const print = (line = '') => {
  console.log(line);
  out.push(line);
};
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');

const ml = sharedDataPath('recsys', 'ml-100k');
if (!ml.available) {
  console.log(`Skipping the recommender benchmark: ${ml.reason}`);
  process.exit(0);
}

const tf = await initTf('wasm');
print('# Recommender benchmark');
print();
print(
  `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} CPU cores ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}) · load average ${os.loadavg()[0]!.toFixed(1)} at start · tfjs backend ${tf.backend}`,
);
print();

// ---------------------------------------------------------------- ML-100k
const movielens = loadMovieLens100k(ml.path);
// Protocol: every rating is a positive of weight 1.
const data = buildTrainingSet(
  movielens.interactions.map((i) => ({ ...i, weight: undefined })),
  { eventWeights: { rating: 1 } },
);
const { train, test } = splitTrainingSet(data, { seed: 42, testFraction: 0.25 });
print('## ML-100k');
print();
print(
  `Per-user random 75/25 split (seed 42), all ratings positive, training items excluded, ranking over all ` +
    `${data.itemIds.length} items, k = 10; ${data.userIds.length} readers, ${train.positives.indices.length} training ` +
    `and ${test.positives.indices.length} test positives. Train s = wall time of fit() on this machine. Hyperparameters were chosen on a validation split of the training data, not on the test set.`,
);
print();
print('| model | P@10 | R@10 | nDCG@10 | MAP@10 | coverage | train s |');
print('|---|---|---|---|---|---|---|');

interface Row {
  name: string;
  model: Recommender;
  seconds: number;
}
const rows: Row[] = [];
async function run(name: string, model: Recommender, set: TrainingSet = train): Promise<Row> {
  const t0 = performance.now();
  await model.fit(set, {
    onProgress: (p) =>
      process.stderr.write(`\r${name}: epoch ${fmt(p.epoch, 1)}/${p.epochs} loss ${fmt(p.loss, 4)}   `),
  });
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  const row = { name, model, seconds };
  report(name, (u) => model.scoreUser(u), seconds);
  rows.push(row);
  return row;
}
function report(name: string, score: (u: number) => Float32Array, seconds: number) {
  const e = evaluate(score, train, test, { k: 10 });
  print(
    `| ${name} | ${fmt(e.precision)} | ${fmt(e.recall)} | ${fmt(e.ndcg)} | ${fmt(e.map)} | ${fmt(e.coverage)} | ${seconds < 0.01 ? '<0.01' : fmt(seconds, 2)} |`,
  );
}

await run('most popular', new PopularityRecommender());
await run('item-kNN cosine (400 neighbours)', new ItemKnnRecommender({ neighbors: 400 }));
const bpr = await run('BPR (d=64, 60 epochs, lr 0.02, reg 0.02)', new BprRecommender());
const als = await run('implicit ALS (d=64, 10 it, reg 60, alpha 10, CG)', new AlsRecommender());
await run(
  'BPR with tfjs wasm (two-tower, ids only, Adam, 20 epochs)',
  new TwoTowerRecommender({ useContent: false, epochs: 20, learningRate: 0.005, reg: 0.01 }),
);
const twoTower = await run(
  'two-tower tfjs wasm (ids + title words, genres, freshness)',
  new TwoTowerRecommender({}, movielens.items),
);
const blend = new BlendRecommender(
  {
    popularity: new PopularityRecommender(),
    knn: new ItemKnnRecommender({ neighbors: 400 }),
    bpr: new BprRecommender(),
    als: new AlsRecommender(),
  },
  { learnWeights: true },
);
await run('blend (popularity, kNN, BPR, ALS; weights learned on a validation split)', blend);
// Fold-in: reader vectors recomputed from their training history, no retraining.
for (const [name, model] of [
  ['ALS, fold-in of each history', als.model],
  ['BPR, fold-in of each history', bpr.model],
  ['two-tower, fold-in of each history', twoTower.model],
] as const) {
  const t0 = performance.now();
  const e = evaluate((u) => model.scoreUser(model.userHistory(u)), train, test, { k: 10 });
  const ms = (performance.now() - t0) / e.users;
  print(
    `| ${name} | ${fmt(e.precision)} | ${fmt(e.recall)} | ${fmt(e.ndcg)} | ${fmt(e.map)} | ${fmt(e.coverage)} | ${fmt(ms, 2)} ms/reader |`,
  );
}
print();
print(
  'Learned blend weights (bucket by history length → weights): ' +
    blend.buckets.map((b) => `≤${b.maxHistory ?? '∞'}: ${JSON.stringify(b.weights)}`).join('; '),
);
print();

// ---------------------------------------------------------------- serving latency
print('## Serving latency');
print();
print(
  `One reader, d = 64, score every item (dot products, plain TypeScript) + top-10 by partial selection, ` +
    `300 queries; load average ${os.loadavg()[0]!.toFixed(1)} (2 shared cores: p99 is sensitive to other work).`,
);
print();
print('| items | p50 ms | p99 ms |');
print('|---|---|---|');
const rng = createRng(1);
for (const n of [10_000, 100_000]) {
  const dim = 64;
  const vectors = Float32Array.from({ length: n * dim }, () => rng.normal());
  const bias = Float32Array.from({ length: n }, () => rng.normal());
  const scores = new Float32Array(n);
  const times: number[] = [];
  for (let q = 0; q < 330; q++) {
    const u = Float32Array.from({ length: dim }, () => rng.normal());
    const t0 = performance.now();
    matVec(vectors, dim, u, bias, scores);
    topK(scores, 10);
    if (q >= 30) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  print(
    `| ${n.toLocaleString('en')} | ${fmt(times[Math.floor(times.length * 0.5)]!, 2)} | ${fmt(times[Math.floor(times.length * 0.99)]!, 2)} |`,
  );
}
print();

// ---------------------------------------------------------------- MIND cold start
const mind = sharedDataPath('recsys', 'mind-small-sample');
if (!mind.available) {
  print(`MIND cold start skipped: ${mind.reason}`);
} else {
  await mindColdStart(mind.path);
}

const resultsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
writeFileSync(resultsPath, await formatMarkdown(out.join('\n') + '\n', resultsPath));
console.log(`\nWritten to ${resultsPath}`);

async function mindColdStart(dir: string) {
  const { items, interactions } = loadMind(dir);
  const known = new Set(items.map((i) => i.itemId));
  const withFeatures = interactions.filter((e) => known.has(e.itemId));
  // Hold out 20% of the items that have reads as "new": none of their reads is used in training.
  const read = [...new Set(withFeatures.map((e) => e.itemId))].sort();
  const r = createRng(42);
  const newIds = new Set(read.filter(() => r.next() < 0.2));
  const trainSet = buildTrainingSet(withFeatures.filter((e) => !newIds.has(e.itemId)));
  const newItems: CatalogItem[] = items.filter((i) => newIds.has(i.itemId));
  const heldOut = new Map<string, Set<string>>();
  for (const e of withFeatures) {
    if (!newIds.has(e.itemId) || !trainSet.userIndex.has(e.readerId)) continue;
    let s = heldOut.get(e.readerId);
    if (!s) heldOut.set(e.readerId, (s = new Set()));
    s.add(e.itemId);
  }
  const lookup = new Map(items.map((i) => [i.itemId, i]));
  const k = 10;
  const measure = (s: Float32Array, positives: Set<string>) => {
    const pos: number[] = [];
    const neg: number[] = [];
    newItems.forEach((it, n) => (positives.has(it.itemId) ? pos : neg).push(s[n]!));
    const top = topK(s, k).indices;
    return { auc: auc(pos, neg), hit: [...top].some((n) => positives.has(newItems[n]!.itemId)) ? 1 : 0 };
  };

  // Baselines without a model: random, and the share of the reader's history in the item's category.
  let aucCat = 0;
  let hitCat = 0;
  let randomHit = 0;
  for (const [readerId, positives] of heldOut) {
    const u = trainSet.userIndex.get(readerId)!;
    const catCount = new Map<string, number>();
    for (let p = trainSet.positives.indptr[u]!; p < trainSet.positives.indptr[u + 1]!; p++) {
      const c = lookup.get(trainSet.itemIds[trainSet.positives.indices[p]!]!)?.category ?? '';
      catCount.set(c, (catCount.get(c) ?? 0) + 1);
    }
    const c = measure(
      Float32Array.from(newItems, (it) => catCount.get(it.category ?? '') ?? 0),
      positives,
    );
    aucCat += c.auc;
    hitCat += c.hit;
    randomHit += 1 - hypergeomNone(newItems.length, positives.size, k);
  }
  const users = heldOut.size;

  // The two-tower model, three seeds (the sample is small: single runs vary).
  const runs: { auc: number; hit: number; seconds: number }[] = [];
  for (const seed of [1, 2, 3]) {
    const model = new TwoTowerRecommender(
      { epochs: 20, batchSize: 512, learningRate: 0.005, reg: 0.05, contentShare: 0.5, seed },
      items,
    );
    const t0 = performance.now();
    await model.fit(trainSet);
    const seconds = (performance.now() - t0) / 1000;
    let aucSum = 0;
    let hitSum = 0;
    for (const [readerId, positives] of heldOut) {
      const m = measure(model.scoreNewItems(trainSet.userIndex.get(readerId)!, newItems), positives);
      aucSum += m.auc;
      hitSum += m.hit;
    }
    runs.push({ auc: aucSum / users, hit: hitSum / users, seconds });
  }
  const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const range = (f: (r: (typeof runs)[number]) => number) =>
    `${fmt(mean(f))} (${fmt(Math.min(...runs.map(f)))}–${fmt(Math.max(...runs.map(f)))})`;

  print('## Cold start on the MIND sample (two-tower, item tower from features only)');
  print();
  print(
    `${newItems.length} of ${read.length} news items with text were held out as new (no interaction used in ` +
      `training); the model trained on ${trainSet.positives.indices.length} reads of the others by ` +
      `${trainSet.userIds.length} readers (${fmt(
        mean((r) => r.seconds),
        1,
      )} s per fit; 3 seeds, mean and range). ` +
      `For each of ${users} readers who read a held-out item, all new items are scored from title, abstract ` +
      `words, subcategory and category.`,
  );
  print();
  print('| scorer | AUC (reader’s new items vs other new items) | hit rate@10 among new items |');
  print('|---|---|---|');
  print(`| random | 0.500 | ${fmt(randomHit / users)} |`);
  print(`| reader’s category share (heuristic) | ${fmt(aucCat / users)} | ${fmt(hitCat / users)} |`);
  print(`| two-tower from features | ${range((r) => r.auc)} | ${range((r) => r.hit)} |`);
  print();
}

/** Formats like the repository's Prettier config when Prettier is installed (so `format:check` passes). */
async function formatMarkdown(markdown: string, filepath: string): Promise<string> {
  try {
    const prettierPkg = 'prettier';
    const prettier = (await import(prettierPkg)) as {
      format(src: string, opts: object): Promise<string>;
      resolveConfig(file: string): Promise<object | null>;
    };
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    return await prettier.format(markdown, { ...config, parser: 'markdown' });
  } catch {
    return markdown;
  }
}

/** Probability that a random k-subset of n items contains none of m relevant ones. */
function hypergeomNone(n: number, m: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= Math.max(0, n - m - i) / (n - i);
  return p;
}
