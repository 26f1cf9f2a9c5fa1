/**
 * Two-tower with item features that carry no signal (ML-100k, titles/genres/dates shuffled at
 * random across items): the model on ids alone, the model with the noise features, and what
 * training serves (`trainAndValidate`: both variants compared on a validation split of the training
 * part, the better one refitted on all of it). Run: pnpm --filter @media-ai/recommender-platform bench
 */
import {
  buildTrainingSet,
  evaluate,
  loadMovieLens100k,
  sharedDataPath,
  splitTrainingSet,
  TwoTowerRecommender,
  type CatalogItem,
  type Recommender,
} from '@media-ai/recommender';
import { trainAndValidate } from '../src/index.js';

const ml = sharedDataPath('recsys', 'ml-100k');
if (!ml.available) {
  console.log(`Skipping the two-tower no-signal benchmark: ${ml.reason}`);
  process.exit(0);
}
const movielens = loadMovieLens100k(ml.path);
const data = buildTrainingSet(
  movielens.interactions.map((i) => ({ ...i, weight: undefined })),
  { eventWeights: { rating: 1 } },
);
const { train, test } = splitTrainingSet(data, { seed: 42, testFraction: 0.25 });

// Features that carry no signal: every item gets another item's title, genres and date, at random.
let seed = 12345;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const order = movielens.items.map((_, i) => i).sort(() => random() - 0.5);
const noise: CatalogItem[] = movielens.items.map((it, i) => {
  const other = movielens.items[order[i]!]!;
  return { ...other, itemId: it.itemId };
});

const params = { epochs: 20 };
const ndcg = (m: Recommender) => evaluate((u) => m.scoreUser(u), train, test, { k: 10 }).ndcg;
const rows: string[] = [];
const time = async <T>(f: () => Promise<T>) => {
  const t0 = performance.now();
  const r = await f();
  return { r, s: (performance.now() - t0) / 1000 };
};

const ids = new TwoTowerRecommender({ ...params, useContent: false });
const a = await time(() => ids.fit(train));
rows.push(`| ids only | ${ndcg(ids).toFixed(4)} | ${a.s.toFixed(0)} |`);
const withNoise = new TwoTowerRecommender(params, noise);
const b = await time(() => withNoise.fit(train));
rows.push(`| ids + noise features | ${ndcg(withNoise).toFixed(4)} | ${b.s.toFixed(0)} |`);
const c = await time(() =>
  trainAndValidate({ data: train, spec: { algorithm: 'two-tower', params }, catalog: noise }),
);
rows.push(
  `| served by training (validation chose "${c.r.selection.chosen}"; ${JSON.stringify(c.r.selection.compared)}) | ${ndcg(c.r.model).toFixed(4)} | ${c.s.toFixed(0)} |`,
);
console.log('| two-tower on ML-100k, noise features | nDCG@10 (held-out 25 %) | seconds |');
console.log('|---|---|---|');
for (const r of rows) console.log(r);
