// pnpm bench:recommender:platform — recommendation quality through the whole user path on MovieLens
// 100K, beside the engine alone on the same split in the same run:
//   split u.data per reader (75/25, seed 42) → `pnpm mediaai import content u.item` and
//   `import interactions u.data` (training part) into a fresh newsroom of a fresh bench database →
//   `setRecommenderConfig(halfLifeDays: 0)` (ratings from 1997: no time decay) → `trainRecommender`
//   (the real job in a worker process) → `recommendations(readerId, first: 10)` for every reader over
//   HTTP → P/R/nDCG/MAP@10 against the held-out part.
// The engine alone fits the same spec on the same training part and is scored by fold-in, as serving
// does. Env: BENCH_DATABASE_URL (the database is dropped and re-created), BENCH_ALGORITHMS (default
// "blend,ease,als"), REDIS_URL. Prints a markdown table and writes it to bench/RECOMMENDER.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPlatformProcess } from './lib/processes.js';
import { sharedDataDir } from '@media-ai/core';
import { migrateDatabase } from '@media-ai/db';
import {
  createModel,
  evaluate,
  loadMovieLens100k,
  rankingMetrics,
  splitTrainingSet,
  type TrainingSet,
} from '@media-ai/recommender';
import {
  effectiveEventWeights,
  foldInScorer,
  isTrainable,
  modelSpec,
  trainingSetOf,
  type Trainable,
} from '@media-ai/recommender-platform';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench_recommender';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4360);
const PREFIX = `benchrec${Date.now() % 100000}`;
const ALGORITHMS = (process.env.BENCH_ALGORITHMS ?? 'blend,ease,als').split(',').map((a) => a.trim());
const CONCURRENCY = 4;
const K = 10;

const out: string[] = [];
const print = (line = '') => {
  console.log(line);
  out.push(line);
};
const step = (message: string) => console.error(`[bench] ${message}`);
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`pnpm ${args.join(' ')} exited ${code}: ${stderr.slice(-800)}`)),
    );
  });
}

function startProcess(entry: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  return startPlatformProcess(
    entry,
    { DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX, ...env },
    readyText,
  );
}

interface Scores {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  users: number;
}

async function main() {
  const mlDir = sharedDataDir(path.join('recsys', 'ml-100k'));
  if (!mlDir || !(await fs.stat(path.join(mlDir, 'u.data')).catch(() => null))) {
    console.log(
      'Skipping the recommender platform benchmark: the shared data folder with recsys/ml-100k/u.data is absent (set SHARED_DATA_DIR or place ../shared/data beside the repository)',
    );
    return;
  }
  for (const a of ALGORITHMS)
    if (!isTrainable(a)) throw new Error(`BENCH_ALGORITHMS: "${a}" is not trainable`);

  // The split, made once on the interactions as the platform will see them (weights, no decay).
  const ml = loadMovieLens100k(mlDir);
  const settings = { eventWeights: effectiveEventWeights({}), halfLifeDays: null };
  const all = trainingSetOf(ml.interactions, settings);
  const { train, test } = splitTrainingSet(all, { seed: 42, testFraction: 0.25 });
  const heldOut = new Set<string>();
  for (let u = 0; u < test.positives.rows; u++)
    for (let p = test.positives.indptr[u]!; p < test.positives.indptr[u + 1]!; p++)
      heldOut.add(`${test.userIds[u]}\t${test.itemIds[test.positives.indices[p]!]}`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mediaai-bench-ml-'));
  const lines = (await fs.readFile(path.join(mlDir, 'u.data'), 'utf8')).split('\n').filter(Boolean);
  const trainLines = lines.filter((l) => !heldOut.has(l.split('\t').slice(0, 2).join('\t')));
  await fs.writeFile(path.join(dir, 'u.data'), trainLines.join('\n') + '\n');
  await fs.copyFile(path.join(mlDir, 'u.item'), path.join(dir, 'u.item'));
  step(`split: ${trainLines.length} training ratings imported, ${heldOut.size} held out`);

  const dbName = new URL(DB).pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  step('migrating the bench database');
  await migrateDatabase(DB);

  const env = { DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX };
  const created = await run(['mediaai', 'newsroom', 'create', 'bench-ml', 'Bench MovieLens'], env);
  if (!/admin key/.test(created)) throw new Error(`no newsroom created: ${created}`);
  // One key for the whole run, above the default per-key rate limit (943 readers in a burst).
  const keyOut = await run(
    [
      'mediaai',
      'keys',
      'create',
      '--newsroom',
      'bench-ml',
      '--role',
      'admin',
      '--name',
      'bench',
      '--rate-limit',
      '1000000',
    ],
    env,
  );
  const key = /\(shown once\): (\S+)/.exec(keyOut)?.[1];
  if (!key) throw new Error(`no key in: ${keyOut}`);
  const tImport = performance.now();
  step('pnpm mediaai import content u.item');
  await run(['mediaai', 'import', 'content', path.join(dir, 'u.item'), '--newsroom', 'bench-ml'], env);
  step('pnpm mediaai import interactions u.data');
  const imported = await run(
    ['mediaai', 'import', 'interactions', path.join(dir, 'u.data'), '--newsroom', 'bench-ml'],
    env,
  );
  const importSeconds = (performance.now() - tImport) / 1000;
  step(`imported: ${imported.trim().split('\n').at(-1)}`);

  step('starting the API and a worker');
  const procs: ChildProcess[] = [];
  try {
    procs.push(
      await startProcess('apps/api/src/main.ts', { PORT: String(PORT), LOG_LEVEL: 'info' }, 'API listening'),
    );
    procs.push(
      await startProcess(
        'apps/worker/src/main.ts',
        { LOG_LEVEL: 'info', WORKER_QUEUES: 'recommender:1' },
        'worker serving',
      ),
    );
    const url = `http://127.0.0.1:${PORT}/graphql`;
    const gql = async (query: string, variables: unknown = {}) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { errors?: unknown[]; data?: any };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    await gql(`mutation { setRecommenderConfig(input: { halfLifeDays: 0 }) { halfLifeDays } }`);
    // Content ids ↔ MovieLens ids (the importer keeps "ml:<id>" as externalId).
    const idOf = new Map<string, string>();
    for (let after: string | null = null; ;) {
      const page: any = (
        await gql(
          `query($after: String) { contentItems(first: 100, after: $after) { edges { node { id externalId } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        )
      ).contentItems;
      for (const e of page.edges) idOf.set(e.node.id, String(e.node.externalId).replace(/^ml:/, ''));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }

    print('# Recommender quality through the platform (MovieLens 100K)');
    print();
    print(
      `${new Date().toISOString().slice(0, 16)}Z · Node ${process.version} · ${os.cpus().length} CPU cores · load average ${os.loadavg()[0]!.toFixed(1)} at start`,
    );
    print();
    print(
      `Per-reader random 75/25 split (seed 42) of all ${lines.length.toLocaleString('en')} ratings; ${trainLines.length.toLocaleString('en')} imported with the CLI (${fmt(importSeconds, 1)} s, both files), ` +
        `${heldOut.size.toLocaleString('en')} held out. Every rating is a \`rating\` event weighted by its stars; no time decay. ` +
        `Platform: the \`trainRecommender\` job in a worker process (validation on 20 % of the imported data, then a refit on all of it), then ` +
        `\`recommendations(readerId, first: ${K})\` over HTTP for each of the ${test.userIds.length} readers (${CONCURRENCY} at a time; seen items excluded by the platform). ` +
        `Engine: the same spec fitted on the same training part, scored by fold-in over all ${all.itemIds.length} items, training items excluded.`,
    );
    print();
    print(
      '| algorithm | engine nDCG@10 | platform nDCG@10 | platform − engine | platform P@10 | R@10 | MAP@10 | job validation nDCG@10 | train job s | engine fit s | recommendations tookMs p50 / p99 |',
    );
    print('|---|---|---|---|---|---|---|---|---|---|---|');

    for (const algorithm of ALGORITHMS as Trainable[]) {
      // Engine alone.
      step(`${algorithm}: engine fit`);
      const t0 = performance.now();
      const model = createModel(modelSpec(algorithm, {}, settings), ml.items);
      await model.fit(train);
      const engineSeconds = (performance.now() - t0) / 1000;
      const engine = evaluate(foldInScorer(model, train), train, test, { k: K });

      // Platform.
      step(`${algorithm}: trainRecommender`);
      const tJob = performance.now();
      const job = (
        await gql(`mutation($i: TrainRecommenderInput) { trainRecommender(input: $i) { id } }`, {
          i: { algorithm },
        })
      ).trainRecommender;
      let done: any;
      let lastMessage = '';
      for (;;) {
        done = (
          await gql(`query($id: ID!) { job(id: $id) { status progress progressMessage result error } }`, {
            id: job.id,
          })
        ).job;
        if (done.progressMessage && done.progressMessage !== lastMessage) {
          lastMessage = done.progressMessage;
          step(`${algorithm}: ${(done.progress * 100).toFixed(0)} % ${lastMessage}`);
        }
        if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(done.status)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const jobSeconds = (performance.now() - tJob) / 1000;
      if (done.status !== 'COMPLETED') throw new Error(`training ${algorithm} ${done.status}: ${done.error}`);
      if (done.result.status !== 'activated') {
        // Each algorithm is compared as served: activate it even when it lost to the one before.
        await gql(`mutation($id: ID!) { activateRecommenderModel(id: $id) { id } }`, {
          id: done.result.modelVersionId,
        });
      }
      step(`${algorithm}: recommendations for ${test.userIds.length} readers`);
      const platform = await platformScores(gql, idOf, train, test);
      print(
        `| ${algorithm} | ${fmt(engine.ndcg, 4)} | ${fmt(platform.scores.ndcg, 4)} | ${platform.scores.ndcg - engine.ndcg >= 0 ? '+' : ''}${fmt(platform.scores.ndcg - engine.ndcg, 4)} | ` +
          `${fmt(platform.scores.precision)} | ${fmt(platform.scores.recall)} | ${fmt(platform.scores.map)} | ${fmt(done.result.metrics?.ndcg ?? NaN, 4)} | ` +
          `${fmt(jobSeconds, 1)} | ${fmt(engineSeconds, 1)} | ${fmt(percentile(platform.took, 50), 1)} / ${fmt(percentile(platform.took, 99), 1)} |`,
      );
    }
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await fs.rm(dir, { recursive: true, force: true });
  }
  print();
  const file = path.join(root, 'apps/api/bench/RECOMMENDER.md');
  await fs.writeFile(file, out.join('\n') + '\n');
  console.error(`written to ${path.relative(root, file)}`);
}

async function platformScores(
  gql: (q: string, v?: unknown) => Promise<any>,
  idOf: Map<string, string>,
  train: TrainingSet,
  test: TrainingSet,
): Promise<{ scores: Scores; took: number[] }> {
  const QUERY = `query($r: String!) { recommendations(readerId: $r, first: ${K}) { coldStart tookMs items { content { id } } } }`;
  const users = Array.from({ length: test.positives.rows }, (_, u) => u).filter(
    (u) => test.positives.indptr[u + 1]! > test.positives.indptr[u]!,
  );
  const sum = { precision: 0, recall: 0, ndcg: 0, map: 0 };
  const took: number[] = [];
  let next = 0;
  let cold = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < users.length) {
        const u = users[next++]!;
        const r = (await gql(QUERY, { r: `ml:${train.userIds[u]}` })).recommendations;
        took.push(r.tookMs);
        if (r.coldStart) cold++;
        const ranked = (r.items as { content: { id: string } }[]).map(
          (it) => train.itemIndex.get(idOf.get(it.content.id) ?? '') ?? -1,
        );
        const relevant = new Set(
          test.positives.indices.subarray(test.positives.indptr[u]!, test.positives.indptr[u + 1]!),
        );
        const m = rankingMetrics(Int32Array.from(ranked), relevant, K);
        sum.precision += m.precision;
        sum.recall += m.recall;
        sum.ndcg += m.ndcg;
        sum.map += m.ap;
      }
    }),
  );
  if (cold) step(`${cold} readers got cold start`);
  const n = users.length;
  return {
    scores: {
      precision: sum.precision / n,
      recall: sum.recall / n,
      ndcg: sum.ndcg / n,
      map: sum.map / n,
      users: n,
    },
    took,
  };
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e);
    process.exit(1);
  },
);
