// pnpm bench:video — video analysis and clips through the platform (HTTP upload, GraphQL job, worker), on
// short videos made here with ffmpeg from the shared photos and speech, with hard cuts at known times:
//   - analysis real-time factor (seconds of video per second of job), with the stage split;
//   - scene-cut precision/recall of the platform's detector beside ffmpeg's own scene score (select
//     gt(scene,0.3)) on the same files, a hard cut counting as found within 0.1 s, a dissolve (made with
//     ffmpeg's xfade) when a cut is reported inside it (0.1 s either side), hard cuts and dissolves apart;
//   - clip render time (9:16, captions burned, loudness normalised) and its real-time factor.
// Needs ../shared/data/vision and ../shared/data/speech (skips, saying why, without them). Prints a
// markdown table and writes apps/api/bench/VIDEO-RESULTS.md.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sharedDataDir } from '@media-ai/core';
import {
  makeVideo,
  probeVideo,
  runFfmpeg,
  scanVideo,
  type PlacedTransition,
  type Shot,
} from '@media-ai/video';
import { startBenchPlatform } from './lib/platform.js';
import { repoRoot, stopProcess } from './lib/processes.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4370);
const PREFIX = `videobench${Date.now() % 100000}`;
const TOLERANCE_SEC = 0.1;

const VISION = sharedDataDir('vision');
const SPEECH = sharedDataDir('speech');
if (!VISION || !SPEECH) {
  console.log('bench:video skipped: needs ../shared/data/vision and ../shared/data/speech');
  process.exit(0);
}

/** A deterministic shuffle, so every run makes the same videos. */
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

interface BenchVideo {
  name: string;
  file: string;
  transitions: PlacedTransition[];
  durationSec: number;
  width: number;
  height: number;
}

async function makeVideos(dir: string): Promise<BenchVideo[]> {
  const photos = ['coco', 'faces', 'imagenet-coco']
    .flatMap((d) => readdirSync(path.join(VISION!, d)).map((f) => path.join(VISION!, d, f)))
    .filter((f) => /\.(jpe?g|png)$/i.test(f));
  const rand = rng(42);
  const pick = () => photos[Math.floor(rand() * photos.length)];
  const specs: Array<{
    name: string;
    speech: string;
    shots: number;
    w: number;
    h: number;
    motion?: boolean;
    /** Every shot (or every other one) enters by a cross-dissolve instead of a hard cut. */
    dissolves?: 'all' | 'alternate';
  }> = [
    { name: 'photos-jfk-360p', speech: 'jfk.wav', shots: 7, w: 640, h: 360 },
    { name: 'photos-lj-360p', speech: 'lj_LJ001-0002.wav', shots: 6, w: 640, h: 360 },
    { name: 'mixed-motion-360p', speech: 'lj_LJ001-0003.wav', shots: 6, w: 640, h: 360, motion: true },
    { name: 'photos-jfk-1080p', speech: 'jfk.wav', shots: 6, w: 1920, h: 1080 },
    { name: 'dissolves-lj-360p', speech: 'lj_LJ001-0004.wav', shots: 6, w: 640, h: 360, dissolves: 'all' },
    {
      name: 'mixed-transitions-360p',
      speech: 'jfk.wav',
      shots: 7,
      w: 640,
      h: 360,
      motion: true,
      dissolves: 'alternate',
    },
  ];
  const out: BenchVideo[] = [];
  for (const spec of specs) {
    const shots: Shot[] = Array.from({ length: spec.shots }, (_, i) => {
      // Shots that dissolve are longer: the dissolve (0.4-1.4 s) eats into both shots it joins.
      const dissolve =
        i > 0 && (spec.dissolves === 'all' || (spec.dissolves === 'alternate' && i % 2 === 0))
          ? Math.round((0.4 + rand() * 1.0) * 25) / 25
          : undefined;
      const durationSec = Math.round(((spec.dissolves ? 2.4 : 1.2) + rand() * 2.6) * 25) / 25;
      const shot: Shot =
        spec.motion && i % 2 === 1
          ? { pattern: 'testsrc2' as const, durationSec }
          : { image: pick(), durationSec };
      return dissolve ? { ...shot, dissolveSec: dissolve } : shot;
    });
    const file = path.join(dir, `${spec.name}.mp4`);
    const { transitions } = await makeVideo(file, shots, {
      width: spec.w,
      height: spec.h,
      audio: path.join(SPEECH!, spec.speech),
    });
    const info = await probeVideo(file, readFileSync(file).subarray(0, 64));
    out.push({
      name: spec.name,
      file,
      transitions,
      durationSec: info.durationSec,
      width: spec.w,
      height: spec.h,
    });
  }
  return out;
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  /** Found, per kind of placed transition. */
  cuts: [number, number];
  dissolves: [number, number];
}

/**
 * Matches reported cut times to placed transitions: a hard cut is found by a report within the
 * tolerance, a dissolve by a report inside it (with the tolerance either side); each placed transition
 * and each report counts once.
 */
function score(found: number[], truth: PlacedTransition[]): Tally {
  const used = new Set<number>();
  let tp = 0;
  for (const f of found) {
    const i = truth.findIndex(
      (t, j) => !used.has(j) && f >= t.startSec - TOLERANCE_SEC && f <= t.endSec + TOLERANCE_SEC,
    );
    if (i >= 0) {
      used.add(i);
      tp++;
    }
  }
  const of = (kind: PlacedTransition['kind']): [number, number] => [
    truth.filter((t, j) => t.kind === kind && used.has(j)).length,
    truth.filter((t) => t.kind === kind).length,
  ];
  return { tp, fp: found.length - tp, fn: truth.length - tp, cuts: of('cut'), dissolves: of('dissolve') };
}

const emptyTally = (): Tally => ({ tp: 0, fp: 0, fn: 0, cuts: [0, 0], dissolves: [0, 0] });

function addTally(to: Tally, t: Tally) {
  to.tp += t.tp;
  to.fp += t.fp;
  to.fn += t.fn;
  for (const k of ['cuts', 'dissolves'] as const) {
    to[k][0] += t[k][0];
    to[k][1] += t[k][1];
  }
}

/** ffmpeg's own scene-change score, the usual baseline: frames with scene > 0.3. */
async function ffmpegSceneCuts(file: string): Promise<number[]> {
  const { stderr } = await runFfmpeg('ffmpeg', [
    '-v',
    'info',
    '-i',
    file,
    '-an',
    '-vf',
    "select='gt(scene,0.3)',showinfo",
    '-f',
    'null',
    '-',
  ]);
  return [...stderr.matchAll(/pts_time:([\d.]+)/g)].map((m) => Number(m[1]));
}



const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'video-bench-'));
  const dataDir = path.join(dir, 'data');
  const procs: ChildProcess[] = [];
  try {
    console.log('making the videos ...');
    const videos = await makeVideos(dir);

    const { db, key, gql, waitJob } = await startBenchPlatform(
      {
        databaseUrl: DB,
        redisUrl: REDIS,
        queuePrefix: PREFIX,
        dataDir: dataDir,
        port: PORT,
        workerQueues: 'video:1',
        slug: 'video-bench',
        name: 'Video bench',
      },
      procs,
    );

    const rows: string[] = [];
    const cutRows: string[] = [];
    const totals = { ours: emptyTally(), hardOnly: emptyTally(), ffmpeg: emptyTally() };
    for (const v of videos) {
      // Cut detection alone, in this process: ours (the scan the job runs) and ffmpeg's scene score.
      const info = await probeVideo(v.file, readFileSync(v.file).subarray(0, 64));
      let t0 = performance.now();
      const scan = await scanVideo(v.file, info);
      const scanSec = (performance.now() - t0) / 1000;
      // The detector as it was before gradual transitions: hard cuts only, same decoding.
      const hardOnly = await scanVideo(v.file, info, { gradual: false });
      t0 = performance.now();
      const theirs = await ffmpegSceneCuts(v.file);
      const theirSec = (performance.now() - t0) / 1000;
      const ours = score(
        scan.scenes.slice(1).map((s) => s.startSec),
        v.transitions,
      );
      const hard = score(
        hardOnly.scenes.slice(1).map((s) => s.startSec),
        v.transitions,
      );
      const base = score(theirs, v.transitions);
      addTally(totals.ours, ours);
      addTally(totals.hardOnly, hard);
      addTally(totals.ffmpeg, base);
      const cell = (t: Tally) =>
        `${t.tp}/${t.fp}/${t.fn} (${t.cuts[0]}/${t.cuts[1]}, ${t.dissolves[0]}/${t.dissolves[1]})`;
      const kinds = v.transitions.filter((t) => t.kind === 'dissolve').length;
      cutRows.push(
        `| ${v.name} | ${v.transitions.length - kinds} + ${kinds} | ${cell(ours)} | ${fmt(scanSec, 1)} s | ${cell(hard)} | ${cell(base)} | ${fmt(theirSec, 1)} s |`,
      );

      // The whole analysis and a clip through the platform.
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(readFileSync(v.file))]), `${v.name}.mp4`);
      const up = await fetch(`http://127.0.0.1:${PORT}/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      const { id } = (await up.json()) as { id: string };
      t0 = performance.now();
      const { analyzeVideo } = await gql(`mutation($id: ID!) { analyzeVideo(assetId: $id) { id } }`, {
        id,
      });
      const job = await waitJob(analyzeVideo.id);
      const analyzeSec = (performance.now() - t0) / 1000;
      const r = job.result;
      const t = r.timings as Record<string, number>;
      t0 = performance.now();
      const start = Math.max(0, v.durationSec / 2 - 4);
      const { makeClip } = await gql(
        `mutation($input: MakeClipInput!) { makeClip(input: $input) { id } }`,
        {
          input: { assetId: id, start, end: start + 8, aspect: 'VERTICAL_9_16', captions: 'BURNED' },
        },
      );
      const clip = await waitJob(makeClip.id);
      const clipSec = (performance.now() - t0) / 1000;
      rows.push(
        `| ${v.name} | ${v.width}x${v.height} | ${fmt(v.durationSec, 1)} s | ${r.scenes} | ${fmt(analyzeSec, 1)} s | ${fmt(v.durationSec / analyzeSec)} | ` +
          `${fmt(t.structure / 1000, 1)} / ${fmt(t.vision / 1000, 1)} / ${fmt(t.speech / 1000, 1)} s | ${r.transcript?.words ?? 0} | ` +
          `${fmt(clip.result.renderMs / 1000, 1)} s (${fmt(clipSec, 1)} s job) | ${fmt(clip.result.durationSec / (clip.result.renderMs / 1000))} | ${fmt(clip.result.loudness.outputLufs, 1)} |`,
      );
      console.log(rows[rows.length - 1]);
    }
    const pr = (c: Tally) =>
      `precision ${fmt(c.tp / Math.max(1, c.tp + c.fp))}, recall ${fmt(c.tp / Math.max(1, c.tp + c.fn))} ` +
      `(cuts ${fmt(c.cuts[0] / Math.max(1, c.cuts[1]))}, dissolves ${fmt(c.dissolves[0] / Math.max(1, c.dissolves[1]))})`;
    const table = [
      `# bench:video (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`,
      '',
      'Through the platform (upload, `analyzeVideo` with all default keyframe analyses and transcription, `makeClip` 9:16 with burned captions), one worker (`video:1`):',
      '',
      '| video | size | duration | scenes | analysis | real-time factor | structure / vision / speech | words | clip 8 s render | clip RTF | clip LUFS |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Scene cuts (placed hard cuts found within ${TOLERANCE_SEC} s, cross-dissolves when a cut is reported inside them ±${TOLERANCE_SEC} s; ` +
        'tp/fp/fn, then (hard cuts found/placed, dissolves found/placed)), same files, same run:',
      '',
      '| video | cuts + dissolves | ours | ours time | ours, hard cuts only | ffmpeg scene>0.3 | ffmpeg time |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...cutRows,
      `| all | | ${pr(totals.ours)} | | ${pr(totals.hardOnly)} | ${pr(totals.ffmpeg)} | |`,
      '',
    ].join('\n');
    console.log(`\n${table}`);
    writeFileSync(path.join(repoRoot, 'apps/api/bench/VIDEO-RESULTS.md'), table);
    await db.$disconnect();
  } finally {
    for (const p of procs.reverse()) await stopProcess(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
