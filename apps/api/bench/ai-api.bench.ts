// pnpm bench:ai-api — the AI calls through the user's path beside their engines in the same run:
//   translation en→es: GraphQL translate (10 fields a request) and translateBatch vs the warm Apertium
//     pipeline in-process (translateDocument), words/s;
//   image analysis (objects): HTTP upload + analyzeAsset job + worker, 2 in flight, vs analyzeImage
//     in-process with 2 in flight, images/s;
//   transcription: HTTP upload + transcribe job + worker vs pocketsphinx_batch on the same files, real-time factor.
// Real data from ../shared/data; each part skips, saying why, when its data or engine is absent.
// BENCH_PROFILE_DIR=dir writes V8 CPU profiles of the API and the worker there (node --cpu-prof; dir/api, dir/worker).
// BENCH_PARTS=translate,vision,speech chooses parts; BENCH_ECHO=1 shows the API's and the worker's logs;
// BENCH_TRANSLATE_PROBE=1 times single requests first. Prints a markdown table, writes bench/AI-RESULTS.md.
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { sharedDataDir } from '@media-ai/core';
import { createPrisma, migrateDatabase } from '@media-ai/db';
import { ApertiumEngine, translateDocument } from '@media-ai/translate';
import { analyzeImage, configureTfBackend } from '@media-ai/vision';
import { createApiClient } from '../src/auth/api-keys.js';
import { startPlatformProcess, stopProcess } from './lib/processes.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4360);
const PREFIX = `aibench${Date.now() % 100000}`;
const PARTS = new Set((process.env.BENCH_PARTS ?? 'translate,vision,speech').split(','));
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const DATA_DIR = path.join(os.tmpdir(), `mediaai-aibench-${process.pid}`);

const rows: string[] = [];
const notes: string[] = [];
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const words = (texts: readonly string[]) =>
  texts.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function startProcess(entry: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  const base = { NODE_ENV: 'production', DATABASE_URL: DB, REDIS_URL: REDIS, MEDIAAI_QUEUE_PREFIX: PREFIX };
  return startPlatformProcess(entry, { ...base, LOG_LEVEL: 'info', ...env }, readyText, {
    dataDir: DATA_DIR,
    echo: !!process.env.BENCH_ECHO,
    ...(PROFILE_DIR ? { cpuProfile: { dir: PROFILE_DIR } } : {}),
  });
}

/** Runs `work` over `items` with `concurrency` in flight; returns the wall seconds. */
async function inFlight<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
  return (performance.now() - t0) / 1000;
}

interface Platform {
  key: string;
  newsroomId: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  upload(file: string): Promise<string>;
  /** Resolves when the job ends, with its row as `job(id)` answers it. */
  jobEnd(jobId: string): Promise<any>;
  close(): Promise<void>;
}

async function platform(): Promise<Platform> {
  const url = new URL(DB);
  const dbName = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: DB.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  console.error('migrating the bench database...');
  await migrateDatabase(DB);
  const db = createPrisma(DB);
  const newsroom = await db.newsroom.create({
    data: { slug: 'aibench', name: 'AI bench', maxOpenJobs: 1_000_000, maxJobsPerDay: 10_000_000 },
  });
  const { key } = await createApiClient(db, {
    newsroomId: newsroom.id,
    name: 'bench',
    role: 'ADMIN',
    rateLimitPerMinute: 10_000_000,
  });
  await db.$disconnect();
  console.error('starting the API...');
  const api = await startProcess('apps/api/src/main.ts', { PORT: String(PORT) }, 'API listening');
  const base = `http://127.0.0.1:${PORT}`;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[]; data?: any };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data;
  };
  const ws: Client = createClient({
    url: `ws://127.0.0.1:${PORT}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
  });
  const waiting = new Map<string, (status: string) => void>();
  const ended = new Map<string, string>();
  ws.subscribe(
    { query: 'subscription { jobProgress { jobId status } }' },
    {
      next: (m) => {
        const e = (m.data as { jobProgress?: { jobId: string; status: string } } | undefined)?.jobProgress;
        if (!e || !['COMPLETED', 'FAILED', 'CANCELLED'].includes(e.status)) return;
        ended.set(e.jobId, e.status);
        waiting.get(e.jobId)?.(e.status);
      },
      error: (e) => console.error('subscription error', e),
      complete: () => undefined,
    },
  );
  await new Promise((r) => setTimeout(r, 300));
  const JOB = `query($id: ID!) { job(id: $id) { id status result error createdAt startedAt finishedAt } }`;
  return {
    key,
    newsroomId: newsroom.id,
    gql,
    async upload(file: string) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(readFileSync(file))]), path.basename(file));
      const res = await fetch(`${base}/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      const json = (await res.json()) as { id?: string };
      if (!json.id) throw new Error(`upload of ${file} failed: ${res.status} ${JSON.stringify(json)}`);
      return json.id;
    },
    async jobEnd(jobId: string) {
      if (!ended.has(jobId)) {
        await new Promise<void>((resolve) => {
          // the event may have been missed (it came before the subscription was live): look now and then
          const poll = setInterval(() => {
            void gql(JOB, { id: jobId })
              .then((d) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(d.job.status) && done())
              .catch(() => undefined);
          }, 2000);
          const done = () => {
            clearInterval(poll);
            waiting.delete(jobId);
            resolve();
          };
          waiting.set(jobId, done);
        });
      }
      const { job } = await gql(JOB, { id: jobId });
      if (job.status !== 'COMPLETED') throw new Error(`job ${jobId} ${job.status}: ${job.error}`);
      return job;
    },
    async close() {
      await ws.dispose();
      await stopProcess(api);
    },
  };
}

// ------------------------------------------------------------------ translation

async function translation(p: Platform) {
  const dir = sharedDataDir('text/newstest2013');
  if (!dir || !existsSync(path.join(dir, 'eng.txt'))) {
    notes.push('translation skipped: text/newstest2013/eng.txt is absent from the shared data');
    return;
  }
  try {
    await run('bash', ['-c', 'test -e /usr/share/apertium/modes/eng-spa.mode']);
  } catch {
    notes.push('translation skipped: Apertium eng-spa is not installed');
    return;
  }
  const lines = readFileSync(path.join(dir, 'eng.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const total = words(lines);
  const clearMemory = async () => {
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query('DELETE FROM "TranslationMemoryEntry"');
    await c.end();
  };

  // the engine alone: warm null-flush pipeline, the whole file as one document
  // (measured before and after the platform, and averaged: the load of a shared machine drifts)
  const engine = new ApertiumEngine();
  await engine.translate(['Warm up.'], 'eng', 'spa');
  const engineRate = async () => {
    const t0 = performance.now();
    await translateDocument({ text: lines.join('\n'), format: 'text', from: 'eng', to: 'spa', engine });
    return total / ((performance.now() - t0) / 1000);
  };
  const engineBefore = await engineRate();

  // the platform: warm it first (pipelines start on first use)
  await p.gql('{ translate(text: "Warm up.", from: "en", to: "es") { text } }');
  await clearMemory();
  const FIELDS = 10;
  const fieldQuery =
    'query(' +
    Array.from({ length: FIELDS }, (_, i) => `$t${i}: String!`).join(', ') +
    ') { ' +
    Array.from(
      { length: FIELDS },
      (_, i) => `f${i}: translate(text: $t${i}, from: "en", to: "es") { text }`,
    ).join(' ') +
    ' }';
  if (process.env.BENCH_TRANSLATE_PROBE) {
    const probe = async (label: string, fn: (texts: string[]) => Promise<unknown>) => {
      const ms: number[] = [];
      for (let r = 0; r < 8; r++) {
        const texts = lines.slice(400 + r * 10, 410 + r * 10);
        const t = performance.now();
        await fn(texts);
        ms.push(performance.now() - t);
      }
      console.error(label, ms.map((x) => x.toFixed(0)).join(' '));
      await clearMemory();
    };
    await probe('10 fields', (texts) =>
      p.gql(fieldQuery, Object.fromEntries(texts.map((t, i) => [`t${i}`, t]))),
    );
    await probe('batch of 10', (texts) =>
      p.gql(`query($texts: [String!]!) { translateBatch(texts: $texts, from: "en", to: "es") { text } }`, {
        texts,
      }),
    );
    await probe('1 field', (texts) =>
      p.gql(`query($t: String!) { translate(text: $t, from: "en", to: "es") { text } }`, { t: texts[0] }),
    );
  }
  const requests: string[][] = [];
  for (let i = 0; i < lines.length; i += FIELDS) requests.push(lines.slice(i, i + FIELDS));
  const CONC = 4;
  const fieldsSec = await inFlight(requests, CONC, async (texts) => {
    const vars = Object.fromEntries(texts.map((t, i) => [`t${i}`, t]));
    // a last request with fewer lines repeats its first line in the remaining fields
    for (let i = texts.length; i < FIELDS; i++) vars[`t${i}`] = texts[0];
    await p.gql(fieldQuery, vars);
  });
  const fieldsWps = total / fieldsSec;

  await clearMemory();
  const BATCH = 50;
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH));
  const batchQuery = `query($texts: [String!]!) { translateBatch(texts: $texts, from: "en", to: "es") { text } }`;
  const batchSec = await inFlight(batches, 2, async (texts) => {
    await p.gql(batchQuery, { texts });
  });
  const batchWps = total / batchSec;
  const engineWps = (engineBefore + (await engineRate())) / 2;
  await engine.close();
  rows.push(
    `| translation en→es, newstest2013 ${lines.length} lines (${total} words) | warm pipeline in-process (translateDocument) ${fmt(engineWps, 0)} words/s | GraphQL translate, ${FIELDS} fields a request, ${CONC} clients: ${fmt(fieldsWps, 0)} words/s | ${fmt((100 * fieldsWps) / engineWps, 0)}% |`,
    `| | | GraphQL translateBatch, ${BATCH} texts a request, 2 clients: ${fmt(batchWps, 0)} words/s | ${fmt((100 * batchWps) / engineWps, 0)}% |`,
  );
  await clearMemory();
}

// ------------------------------------------------------------------ vision

async function vision(p: Platform) {
  const dir = sharedDataDir('vision/imagenet-coco') ?? sharedDataDir('vision/coco');
  if (!dir) {
    notes.push('image analysis skipped: neither vision/imagenet-coco nor vision/coco is in the shared data');
    return;
  }
  const count = Number(process.env.BENCH_IMAGES ?? 24);
  const files = readdirSync(dir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, count)
    .map((f) => path.join(dir, f));
  // in-process: the package on the wasm backend, 2 images in flight
  configureTfBackend('wasm');
  const bytes = files.map((f) => readFileSync(f));
  await analyzeImage(bytes[0], { analyses: ['objects'] }); // loads the model
  // (measured before and after the platform, and averaged: the load of a shared machine drifts)
  const inProcessRate = async () =>
    files.length /
    (await inFlight(bytes, 2, async (b) => {
      await analyzeImage(b, { analyses: ['objects'] });
    }));
  const inProcessBefore = await inProcessRate();

  const worker = await startProcess(
    'apps/worker/src/main.ts',
    { WORKER_QUEUES: 'vision:2' },
    'worker serving',
  );
  try {
    const ANALYZE = `mutation($id: ID!) { analyzeAsset(assetId: $id, analyses: [OBJECTS]) { id queue } }`;
    // warm both sandbox threads (model load) with two jobs at once
    await Promise.all(
      files.slice(0, 2).map(async (f) => {
        const id = await p.upload(f);
        await p.jobEnd((await p.gql(ANALYZE, { id })).analyzeAsset.id);
      }),
    );
    const spans: {
      upload: number;
      enqueue: number;
      wait: number;
      run: number;
      total: number;
      infer: number;
    }[] = [];
    let queue = '';
    const apiSec = await inFlight(files, 2, async (f) => {
      const t0 = performance.now();
      const id = await p.upload(f);
      const t1 = performance.now();
      const job = (await p.gql(ANALYZE, { id })).analyzeAsset;
      queue = job.queue;
      const t2 = performance.now();
      const row = await p.jobEnd(job.id);
      const t3 = performance.now();
      const started = Date.parse(row.startedAt);
      const created = Date.parse(row.createdAt);
      const finished = Date.parse(row.finishedAt);
      spans.push({
        upload: t1 - t0,
        enqueue: t2 - t1,
        wait: started - created,
        run: finished - started,
        total: t3 - t0,
        infer: Number(row.result?.timings?.total ?? NaN),
      });
    });
    const api = files.length / apiSec;
    await stopProcess(worker); // its two threads would compete with the second in-process run
    const inProcess = (inProcessBefore + (await inProcessRate())) / 2;
    rows.push(
      `| image analysis (objects), ${files.length} photos of ${path.basename(dir)}, 2 in flight | analyzeImage in-process ${fmt(inProcess, 2)} images/s | upload + analyzeAsset job (queue ${queue}) + worker (vision:2): ${fmt(api, 2)} images/s | ${fmt((100 * api) / inProcess, 0)}% |`,
    );
    const m = (k: keyof (typeof spans)[number]) => fmt(median(spans.map((s) => s[k])), 0);
    notes.push(
      `image analysis per image through the API (median ms): upload ${m('upload')}, enqueue ${m('enqueue')}, queue wait ${m('wait')}, ` +
        `job run ${m('run')} (of which decode + model ${m('infer')}), upload to result ${m('total')}`,
    );
  } finally {
    await stopProcess(worker);
  }
}

// ------------------------------------------------------------------ speech

async function speech(p: Platform) {
  const dir = sharedDataDir('speech');
  const wavs = dir
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.wav'))
        .sort()
    : [];
  if (!dir || wavs.length === 0) {
    notes.push('transcription skipped: no speech/*.wav in the shared data');
    return;
  }
  const model = '/usr/share/pocketsphinx/model/en-us';
  if (!existsSync(path.join(model, 'en-us.lm.bin'))) {
    notes.push('transcription skipped: pocketsphinx-en-us is not installed');
    return;
  }
  const files = wavs.map((f) => path.join(dir, f));
  const seconds = (f: string) => {
    // 16-bit PCM WAV: data bytes / (rate * channels * 2)
    const b = readFileSync(f);
    const rate = b.readUInt32LE(24);
    const channels = b.readUInt16LE(22);
    return (b.length - 44) / (rate * channels * 2);
  };
  const audio = sum(files.map(seconds));

  // pocketsphinx_batch alone on one file: wall time (models loaded each time) and its own decode-only time
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aibench-ps-'));
  const direct = async (file: string) => {
    writeFileSync(path.join(tmp, 'ctl'), path.basename(file, '.wav') + '\n');
    const t0 = performance.now();
    const { stderr } = await run('pocketsphinx_batch', [
      ...['-adcin', 'yes', '-cepdir', dir, '-cepext', '.wav', '-ctl', path.join(tmp, 'ctl')],
      ...['-hmm', path.join(model, 'en-us'), '-lm', path.join(model, 'en-us.lm.bin')],
      ...['-dict', path.join(model, 'cmudict-en-us.dict'), '-hyp', path.join(tmp, 'hyp')],
    ]);
    // "TOTAL 11.00 seconds speech, ... 2.26 seconds wall"
    const total = /TOTAL ([\d.]+) seconds speech, [\d.]+ seconds CPU, ([\d.]+) seconds wall/.exec(stderr);
    return { wall: (performance.now() - t0) / 1000, decode: total ? Number(total[2]) : NaN };
  };

  const worker = await startProcess(
    'apps/worker/src/main.ts',
    { WORKER_QUEUES: 'speech:1' },
    'worker serving',
  );
  try {
    const TRANSCRIBE = `mutation($id: ID!) { transcribe(assetId: $id) { id } }`;
    const warm = await p.upload(files[0]);
    await p.jobEnd((await p.gql(TRANSCRIBE, { id: warm })).transcribe.id);
    // file by file, the engine and then the platform, so that the drifting load of a shared machine
    // weighs on both alike
    let directWall = 0;
    let directDecode = 0;
    let platformSec = 0;
    let processing = 0;
    const spans: number[] = [];
    for (const f of files) {
      const d = await direct(f);
      directWall += d.wall;
      directDecode += d.decode;
      const t0 = performance.now();
      const id = await p.upload(f);
      const row = await p.jobEnd((await p.gql(TRANSCRIBE, { id })).transcribe.id);
      platformSec += (performance.now() - t0) / 1000;
      processing += Number(row.result.processingSec);
      spans.push(Date.parse(row.startedAt) - Date.parse(row.createdAt));
    }
    rmSync(tmp, { recursive: true, force: true });
    const [wallRtf, decodeRtf, apiRtf] = [directWall, directDecode, platformSec].map((x) => x / audio);
    rows.push(
      `| transcription, ${files.length} recordings (${fmt(audio)} s), one at a time, interleaved | pocketsphinx_batch per file: RTF ${fmt(wallRtf, 3)} (its decoding alone ${fmt(decodeRtf, 3)}) | upload + transcribe job + worker (speech:1), upload to result: RTF ${fmt(apiRtf, 3)} | ${fmt(apiRtf / wallRtf, 2)}× direct (${fmt(apiRtf / decodeRtf, 2)}× its decoding alone) |`,
    );
    notes.push(
      `transcription: the recognizer's own processing time in the worker is RTF ${fmt(processing / audio, 3)}; median queue wait ${fmt(median(spans), 0)} ms`,
    );
  } finally {
    await stopProcess(worker);
  }
}

async function main() {
  const p = await platform();
  try {
    if (PARTS.has('translate')) await translation(p);
    if (PARTS.has('vision')) await vision(p);
    if (PARTS.has('speech')) await speech(p);
  } finally {
    await p.close();
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const table = [
    `AI calls through the API beside their engines (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load ${load}; same run)`,
    '',
    '| path | engine alone | through the platform | platform / engine |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
  console.log(table);
  writeFileSync(path.join(root, 'apps/api/bench/AI-RESULTS.md'), table + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
