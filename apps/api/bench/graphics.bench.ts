// pnpm bench:graphics — render time of each graphic type, in this process (the engine alone) and through
// the platform (GraphQL mutation → BullMQ job on the graphics queue → sandboxed worker → stored asset):
//   - social cards: one per format, over a 1600×1000 photo with a face box to keep in frame;
//   - charts: a 12-category, 2-series column chart and a 60-point line chart;
//   - generated images: against a local server speaking /v1/images/generations that answers at once, so
//     the figure is the platform's own cost (HTTP, decoding, moderation model, AI label, storage).
// Platform figures: job wall time from the mutation to COMPLETED, and the worker's run time; the first job
// of each type (cold sandbox thread) apart from the warm median. Prints a markdown table and writes
// apps/api/bench/GRAPHICS-RESULTS.md. Run it with `nice` on a shared machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import {
  DEFAULT_BRAND,
  OpenAiImagesProvider,
  chartDataFromTable,
  embedAiLabel,
  renderCard,
  renderChart,
  type CardFormat,
  type ChartSpec,
} from '@media-ai/graphics';
import { analyzeImage, configureTfBackend } from '@media-ai/vision';
import { startBenchPlatform, type BenchPlatform } from './lib/platform.js';
import { repoRoot, stopProcess } from './lib/processes.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4371);
const PREFIX = `gfxbench${Date.now() % 100000}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const HEADLINE =
  'Parliament approves the emergency budget after an all-night session as coalition partners settle their dispute';
const FORMATS: CardFormat[] = ['og', 'square', 'story'];

async function photo(): Promise<Buffer> {
  const w = 1600;
  const h = 1000;
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const x = i % w;
    const y = Math.floor(i / w);
    data[i * 3] = (x * 7 + y * 3) % 256;
    data[i * 3 + 1] = (y * 5) % 256;
    data[i * 3 + 2] = 160;
  }
  return sharp(data, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
const FOCUS = [{ box: { x: 1100, y: 200, width: 260, height: 260 }, weight: 4 }];

const COLUMN_TABLE = {
  columns: ['Month', 'Revenue', 'Costs'],
  rows: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [
    m,
    10 + ((i * 37) % 11),
    8 + ((i * 23) % 7),
  ]),
};
const LINE_TABLE = {
  columns: ['Day', 'Readers'],
  rows: Array.from({ length: 60 }, (_, i) => [`D${i + 1}`, 1000 + Math.round(400 * Math.sin(i / 6)) + i * 9]),
};
const CHARTS: Array<{ name: string; spec: Omit<ChartSpec, 'data'>; table: typeof COLUMN_TABLE }> = [
  {
    name: 'column 12×2',
    spec: { kind: 'column', title: 'Revenue and costs by month', source: 'Company filings', unit: '€m' },
    table: COLUMN_TABLE,
  },
  { name: 'line 60', spec: { kind: 'line', title: 'Daily readers', source: 'Analytics' }, table: LINE_TABLE },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

/** Wall ms of the first run and the warm median, and the warm median of CPU ms (all threads of this process: less sensitive to other load). */
async function timed(
  fn: () => Promise<unknown>,
  runs = RUNS,
): Promise<{ first: number; warm: number; cpu: number }> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { first: times[0]!, warm: median(times.slice(1)), cpu: median(cpu.slice(1)) };
}

/** An image server that answers at once with a 1024×1024 PNG (b64_json), as OpenAI's does. */
async function imageServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const png = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#4a7ab0' } })
    .png()
    .toBuffer();
  const b64 = png.toString('base64');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          created: 1,
          data: [{ b64_json: b64 }],
          usage: { input_tokens: 10, output_tokens: 4000 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}


/** Runs a mutation that answers a Job and waits for it: wall ms (mutation to COMPLETED) and worker ms. */
async function jobTimes(gql: BenchPlatform['gql'], mutation: string, variables: Record<string, unknown>) {
  const t0 = performance.now();
  const data = await gql(mutation, variables);
  const id = (Object.values(data)[0] as { id: string }).id;
  for (;;) {
    const { job } = await gql(`query($id: ID!) { job(id: $id) { status error startedAt finishedAt } }`, {
      id,
    });
    if (job.status === 'COMPLETED') {
      return { wall: performance.now() - t0, run: Date.parse(job.finishedAt) - Date.parse(job.startedAt) };
    }
    if (job.status === 'FAILED') throw new Error(`job ${id} failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function platformTimes(
  gql: BenchPlatform['gql'],
  mutation: string,
  variables: (i: number) => Record<string, unknown>,
) {
  const all: Array<{ wall: number; run: number }> = [];
  for (let i = 0; i < RUNS + 1; i++) all.push(await jobTimes(gql, mutation, variables(i)));
  const warm = all.slice(1);
  return {
    first: all[0]!.wall,
    wall: median(warm.map((t) => t.wall)),
    run: median(warm.map((t) => t.run)),
  };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graphics-bench-'));
  const procs: ChildProcess[] = [];
  const images = await imageServer();
  try {
    const bytes = await photo();
    const rows: string[] = [];
    const engine = new Map<string, { first: number; warm: number; cpu: number }>();

    // The engine alone, in this process.
    for (const format of FORMATS) {
      engine.set(
        `card ${format}`,
        await timed(() =>
          renderCard({
            format,
            headline: HEADLINE,
            byline: 'Ana García',
            photo: bytes,
            focus: FOCUS,
            brand: DEFAULT_BRAND,
          }),
        ),
      );
    }
    for (const c of CHARTS) {
      const spec = { ...c.spec, data: chartDataFromTable(c.table) } as ChartSpec;
      engine.set(`chart ${c.name}`, await timed(() => renderChart(spec, DEFAULT_BRAND)));
    }
    configureTfBackend('wasm');
    const provider = new OpenAiImagesProvider({ baseURL: images.url, model: 'bench-image' });
    engine.set(
      'image 1024×1024',
      await timed(async () => {
        const r = await provider.generate({ prompt: 'a lighthouse', size: '1024x1024' });
        const img = r.images[0]!;
        await analyzeImage(img.bytes, { analyses: ['moderation'] });
        await embedAiLabel(img.bytes, img.format, { model: r.model, prompt: 'a lighthouse' });
      }),
    );

    // Through the platform: API and worker processes as a user runs them.
    const { db, key, gql } = await startBenchPlatform(
      {
        databaseUrl: DB,
        redisUrl: REDIS,
        queuePrefix: PREFIX,
        dataDir: path.join(dir, 'data'),
        port: PORT,
        workerQueues: 'graphics:1',
        slug: 'graphics-bench',
        name: 'Graphics bench',
        env: { IMAGES_BASE_URL: images.url, IMAGES_MODEL: 'bench-image' },
      },
      procs,
    );

    const up = await fetch(`http://127.0.0.1:${PORT}/v1/assets?filename=photo.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    const photoId = ((await up.json()) as { id: string }).id;

    const CARDS = `mutation($input: MakeSocialCardsInput!) { makeSocialCards(input: $input) { id } }`;
    const CHART = `mutation($input: MakeChartInput!) { makeChart(input: $input) { id } }`;
    const IMAGE = `mutation($input: GenerateImageInput!) { generateImage(input: $input) { id } }`;
    const platform = new Map<string, { first: number; wall: number; run: number }>();
    for (const format of FORMATS) {
      // A different headline each run, so every job renders and stores a new card.
      platform.set(
        `card ${format}`,
        await platformTimes(gql, CARDS, (i) => ({
          input: {
            headline: `${HEADLINE} (${i})`,
            byline: 'Ana García',
            photoAssetId: photoId,
            formats: [format.toUpperCase()],
          },
        })),
      );
    }
    for (const c of CHARTS) {
      platform.set(
        `chart ${c.name}`,
        await platformTimes(gql, CHART, (i) => ({
          input: {
            kind: c.spec.kind.toUpperCase(),
            title: `${c.spec.title} ${i}`,
            source: c.spec.source,
            unit: c.spec.unit ?? null,
            table: c.table,
          },
        })),
      );
    }
    platform.set(
      'image 1024×1024',
      await platformTimes(gql, IMAGE, (i) => ({ input: { prompt: `a lighthouse ${i}`, size: '1024x1024' } })),
    );

    for (const [name, e] of engine) {
      const p = platform.get(name)!;
      rows.push(
        `| ${name} | ${fmt(e.warm)} | ${fmt(e.cpu)} | ${fmt(e.first)} | ${fmt(p.run)} | ${fmt(p.wall)} | ${fmt(p.first)} | ${(p.wall / e.warm).toFixed(2)} |`,
      );
    }
    const table = [
      `Graphics render time, ms (median of ${RUNS} warm runs; the first run apart), ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
      '',
      '| graphic | engine warm | engine warm, CPU ms | engine first | job run (worker) | job wall (GraphQL → COMPLETED) | job wall, first (cold thread) | wall / engine |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      'Images: the server answers at once, so the figure is the platform around it (HTTP, decode, moderation model, XMP label, storage); a real image model adds its own seconds.',
      '',
    ].join('\n');
    console.log(table);
    writeFileSync(path.join(repoRoot, 'apps/api/bench/GRAPHICS-RESULTS.md'), `# bench:graphics\n\n${table}`);
    await db.$disconnect();
  } finally {
    for (const p of procs.reverse()) await stopProcess(p);
    await images.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

await main();
