/**
 * Vector-index benchmark: top-10 maximum inner-product search over 100k and 1M items (d = 64),
 * HNSW (usearch) beside the exact scan in the same run, recall@10 against the exact top-10.
 *
 * Run: pnpm bench:ann (or `pnpm bench:ann` in packages/recommender).
 * Env: ANN_SIZES (default "100000,1000000"), ANN_QUERIES (latency queries, default 1000),
 * ANN_RECALL_QUERIES (queries scored exactly for recall, default 300), ANN_EF (search expansions,
 * default "32,64,128"), ANN_M and ANN_EF_ADD (graph degree and build expansion, default 16 and 64), ANN_VECTORS ('trained' | 'clustered'; default trained when ML-100k is present).
 * Prints markdown and writes it to bench/ANN-RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExactVectorIndex, HnswVectorIndex, loadVectorIndex, type VectorIndex } from '../src/index.js';
import { createRng } from '../src/core/rng.js';
import { clusteredData, trainedFactorData, type AnnData } from './ann-data.js';

const out: string[] = [];
const print = (line = '') => {
  console.log(line);
  out.push(line);
};
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const sizes = env('ANN_SIZES', '100000,1000000').split(',').map(Number);
const numQueries = Number(env('ANN_QUERIES', '1000'));
const numRecall = Number(env('ANN_RECALL_QUERIES', '300'));
const efs = env('ANN_EF', '32,64,128').split(',').map(Number);
const connectivity = Number(env('ANN_M', '16'));
const expansionAdd = Number(env('ANN_EF_ADD', '64'));
const K = 10;
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const ms = (x: number) => x.toFixed(2);

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function time(index: VectorIndex, queries: Float32Array[], filters?: ((i: number) => boolean)[]) {
  const times: number[] = [];
  const cpu: number[] = [];
  const results: Int32Array[] = [];
  for (let q = 0; q < queries.length; q++) {
    const filter = filters?.[q];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = index.search(queries[q]!, K, filter ? { filter } : {});
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    results.push(r.indices);
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    cpuP99: percentile(cpu, 99),
    results,
  };
}

function recall(approx: Int32Array[], exact: Int32Array[]): number {
  let hit = 0;
  let total = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = new Set(exact[q]);
    for (const i of approx[q]!) if (truth.has(i)) hit++;
    total += truth.size;
  }
  return hit / Math.max(1, total);
}

const wantTrained = env('ANN_VECTORS', 'trained') === 'trained';
print('# Vector index benchmark (top-10 inner product, d = 64)');
print();
print(
  `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} CPU cores ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}) · load average ${os.loadavg()[0]!.toFixed(1)} at start`,
);
print();

for (const n of sizes) {
  const queryCount = Math.max(numQueries, numRecall);
  const data: AnnData =
    (wantTrained ? await trainedFactorData(n, queryCount) : null) ?? clusteredData(n, queryCount);
  const { dim, items, bias } = data;
  const queries = data.queries.slice(0, numQueries);
  const recallQueries = data.queries.slice(0, numRecall);
  // Filtered queries: 50 random "already read" items and every 20th item "blocked", as serving does.
  const rng = createRng(11);
  const filters = recallQueries.map(() => {
    const seen = new Set<number>();
    while (seen.size < 50) seen.add(rng.int(n));
    return (i: number) => seen.has(i) || i % 20 === 0;
  });

  print(`## ${n.toLocaleString('en')} items`);
  print();
  print(
    `Vectors: ${data.source}; ${bias ? 'with' : 'without'} item bias. ${queries.length} latency queries, ` +
      `${recallQueries.length} recall queries; one query at a time, one thread. Load average ` +
      `${os.loadavg()[0]!.toFixed(1)} (2 shared cores).`,
  );
  print();

  const exact = new ExactVectorIndex(items, dim, bias);
  const exactRun = time(exact, recallQueries);
  const exactFiltered = time(exact, recallQueries, filters);

  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const built = HnswVectorIndex.build(items, dim, {
    ...(bias ? { bias } : {}),
    connectivity,
    expansionAdd,
  });
  const buildSeconds = (performance.now() - t0) / 1000;
  const rssBuilt = process.memoryUsage().rss - rss0;
  const t1 = performance.now();
  const bytes = built.serialize();
  const saveSeconds = (performance.now() - t1) / 1000;

  print(
    '| engine | build s | index MiB (RSS growth) | load s | p50 ms | p99 ms | p99 CPU ms | recall@10 | filtered p99 ms | filtered recall@10 |',
  );
  print('|---|---|---|---|---|---|---|---|---|---|');
  print(
    `| exact scan (JS) | – | ${mib(exact.memoryBytes)} | – | ${ms(exactRun.p50)} | ${ms(exactRun.p99)} | ` +
      `${ms(exactRun.cpuP99)} | 1.000 | ` +
      `${ms(exactFiltered.p99)} | 1.000 |`,
  );
  for (const ef of efs) {
    const t2 = performance.now();
    const index = loadVectorIndex(bytes, { expansionSearch: ef });
    const loadSeconds = (performance.now() - t2) / 1000;
    time(index, queries.slice(0, 50)); // warm-up
    const lat = time(index, queries);
    const rec = recall(time(index, recallQueries).results, exactRun.results);
    const filtered = time(index, recallQueries, filters);
    print(
      `| HNSW usearch M=${connectivity} efAdd=${expansionAdd} ef=${ef} | ${buildSeconds.toFixed(1)} | ${mib(bytes.length)} (${mib(rssBuilt)}) | ` +
        `${loadSeconds.toFixed(2)} | ${ms(lat.p50)} | ${ms(lat.p99)} | ${ms(lat.cpuP99)} | ${rec.toFixed(3)} | ` +
        `${ms(filtered.p99)} | ` +
        `${recall(filtered.results, exactFiltered.results).toFixed(3)} |`,
    );
  }
  print();
  print(
    `Exact scan for comparison: p99 ${ms(exactRun.p99)} ms. Serialize ${saveSeconds.toFixed(1)} s. ` +
      `Build uses every core (usearch threads); search one thread per query. p99 CPU = the 99th ` +
      `percentile of the process CPU time per query (what the search costs when the process is not ` +
      `descheduled; wall p99 includes waiting for a core). Load average now ${os.loadavg()[0]!.toFixed(1)}.`,
  );
  print();
}

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), env('ANN_OUT', 'ANN-RESULTS.md'));
writeFileSync(file, out.join('\n') + '\n');
console.log(`\nWrote ${file}`);
