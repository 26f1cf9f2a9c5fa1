// pnpm bench:diarization — who speaks when, on two-speaker conversations assembled from the shared speech:
//   - the tuning part (flite voices reading tts_sentences s01-s06; JFK's first two phrases with
//     LJ001-0001/0002) and the sweep that chose the clustering settings on it;
//   - the held-out part (the voices reading s07-s12; JFK's last two phrases, LJ001-0003/0004 and LDC93S1,
//     a speaker the tuning never heard): DER with a 0.25 s collar, for diarize() alone and for the
//     speaker labels of transcripts made through the platform (HTTP upload, `transcribe` mutation,
//     speech.transcribe job on a worker), beside a one-speaker baseline;
//   - enrolled-voice matching: same-voice and different-voice distances across recordings;
//   - WER of the same recordings, engine alone and through the platform: diarization adds labels only.
// Needs ../shared/data/speech (skips, saying why, without it). Writes apps/api/bench/DIARIZATION-RESULTS.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sharedDataDir } from '@media-ai/core';
import {
  DEFAULT_DIARIZE_OPTIONS,
  DEFAULT_VOICE_MATCH_THRESHOLD,
  diarizationErrorRate,
  diarize,
  encodeWav,
  PocketsphinxRecognizer,
  voiceDistance,
  wordErrorRate,
  type DiarizeOptions,
  type SpeakerTurn,
  type VoiceModel,
} from '@media-ai/speech';
import {
  realConversations,
  syntheticConversations,
  syntheticMonologue,
  type NamedConversation,
} from './lib/conversations.js';
import { startBenchPlatform } from './lib/platform.js';
import { repoRoot, stopProcess } from './lib/processes.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_bench';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 4371);
const PREFIX = `diarbench${Date.now() % 100000}`;
const COLLAR = 0.25;

const SPEECH = sharedDataDir('speech');
if (!SPEECH) {
  console.log('bench:diarization skipped: needs ../shared/data/speech');
  process.exit(0);
}

const TUNE_SENTENCES = ['s01', 's02', 's03', 's04', 's05', 's06'];
const HELD_SENTENCES = ['s07', 's08', 's09', 's10', 's11', 's12'];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmt = (x: number, d = 2) => x.toFixed(d);

/** DER pooled over recordings (errors over scored speech), with the speaker counts found. */
function pooledDer(items: Array<{ c: NamedConversation; turns: SpeakerTurn[] }>) {
  let errors = 0;
  let scored = 0;
  for (const { c, turns } of items) {
    const r = diarizationErrorRate(c.turns, turns, { collarSec: COLLAR });
    errors += r.der * r.scoredSec;
    scored += r.scoredSec;
  }
  return errors / Math.max(1e-9, scored);
}

const speakersOf = (c: NamedConversation) => new Set(c.turns.map((t) => t.speaker)).size;
const oneSpeaker = (c: NamedConversation): SpeakerTurn[] => [
  { start: c.turns[0]!.start, end: c.turns[c.turns.length - 1]!.end, speaker: 'S1' },
];



async function main() {
  console.log('assembling the conversations ...');
  const tune = [
    ...(await syntheticConversations(SPEECH!, TUNE_SENTENCES, 'tune')),
    await syntheticMonologue(SPEECH!, TUNE_SENTENCES, 'rms', 'tune'),
    ...(await realConversations(SPEECH!, 'tune')),
  ];
  const held = [
    ...(await syntheticConversations(SPEECH!, HELD_SENTENCES, 'held')),
    await syntheticMonologue(SPEECH!, HELD_SENTENCES, 'slt', 'held'),
    ...(await realConversations(SPEECH!, 'held')),
  ];
  const lines: string[] = [
    `# bench:diarization (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
    '',
    `DER = (missed + false alarm + speaker confusion) / scored speech, ${COLLAR} s collar around every reference turn boundary, ` +
      'speakers mapped one-to-one to maximise overlap, pooled over the recordings of a row. Conversations: two speakers ' +
      'alternating phrases cut from their recordings at pauses, with pauses of 0.1 to 1 s between turns (some under the ' +
      '0.15 s pause that splits speech regions, so only change detection finds them), plus one recording of a single voice per part.',
    '',
  ];

  // 1. The sweep on the tuning part.
  const grid: DiarizeOptions[] = [];
  for (const clusterDistance of [0.9, 1.0, 1.1, 1.2])
    for (const mergeDistance of [0.5, 0.6, 0.7, 0.75, 0.8, 0.9])
      grid.push({ clusterDistance, mergeDistance });
  lines.push('## Settings chosen on the tuning part', '');
  lines.push(
    `Tuning part: ${tune.length} recordings, ${fmt(
      tune.reduce((s, c) => s + c.pcm.samples.length / 16_000, 0),
      0,
    )} s. ` +
      'Chosen: the lowest tuning DER, the middle of a tie. Rows: cosine distance that stops the first clustering stage; ' +
      'columns: voice distance under which two clusters are one speaker.',
    '',
  );
  const merges = [...new Set(grid.map((g) => g.mergeDistance))];
  lines.push(`| cluster \\ merge | ${merges.join(' | ')} |`, `|---|${merges.map(() => '---').join('|')}|`);
  for (const clusterDistance of [...new Set(grid.map((g) => g.clusterDistance))]) {
    const cells = merges.map((mergeDistance) => {
      const options = { clusterDistance, mergeDistance };
      return pct(pooledDer(tune.map((c) => ({ c, turns: diarize(c.pcm, options).turns }))));
    });
    lines.push(`| ${clusterDistance} | ${cells.join(' | ')} |`);
    console.log(lines[lines.length - 1]);
  }
  lines.push(
    '',
    `Defaults: clusterDistance ${DEFAULT_DIARIZE_OPTIONS.clusterDistance}, mergeDistance ${DEFAULT_DIARIZE_OPTIONS.mergeDistance}, ` +
      `changeLambda ${DEFAULT_DIARIZE_OPTIONS.changeLambda}, pause ${DEFAULT_DIARIZE_OPTIONS.pauseSec} s.`,
    '',
  );

  // 2. Engine alone on both parts, and the one-speaker baseline.
  const alone = new Map<
    string,
    { turns: SpeakerTurn[]; speakers: number; sec: number; voices: Map<string, VoiceModel> }
  >();
  for (const c of [...tune, ...held]) {
    const t0 = performance.now();
    const d = diarize(c.pcm);
    const sec = (performance.now() - t0) / 1000;
    const mapping = diarizationErrorRate(c.turns, d.turns).mapping;
    const voices = new Map<string, VoiceModel>();
    for (const s of d.speakers) if (mapping.has(s.id)) voices.set(mapping.get(s.id)!, s.voice);
    alone.set(c.name, { turns: d.turns, speakers: d.speakers.length, sec, voices });
  }
  lines.push('## Held-out DER', '');
  lines.push(
    '| recordings | audio | speakers (true / found) | one speaker (baseline) | diarize() alone | time | real-time factor |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  const groups: Array<[string, NamedConversation[]]> = [
    ['tuning part, all', tune],
    ['held-out, synthesized voices', held.filter((c) => !c.name.includes(' real '))],
    ['held-out, real speakers', held.filter((c) => c.name.includes(' real '))],
    ['held-out, all', held],
  ];
  for (const [name, cs] of groups) {
    const audio = cs.reduce((s, c) => s + c.pcm.samples.length / 16_000, 0);
    const sec = cs.reduce((s, c) => s + alone.get(c.name)!.sec, 0);
    lines.push(
      `| ${name} (${cs.length}) | ${fmt(audio, 0)} s | ${cs.map(speakersOf).join('')} / ${cs.map((c) => alone.get(c.name)!.speakers).join('')} | ` +
        `${pct(pooledDer(cs.map((c) => ({ c, turns: oneSpeaker(c) }))))} | ${pct(pooledDer(cs.map((c) => ({ c, turns: alone.get(c.name)!.turns }))))} | ` +
        `${fmt(sec, 1)} s | ${fmt(audio / sec, 0)}x |`,
    );
    console.log(lines[lines.length - 1]);
  }
  lines.push('', '| held-out recording | DER alone |', '|---|---|');
  for (const c of held)
    lines.push(`| ${c.name} | ${pct(diarizationErrorRate(c.turns, alone.get(c.name)!.turns).der)} |`);
  lines.push('');

  // 3. Enrolled voices: distances between a speaker's voice in one recording and voices in another.
  const distances = (cs: NamedConversation[]) => {
    const same: number[] = [];
    const different: number[] = [];
    for (let i = 0; i < cs.length; i++)
      for (let j = i + 1; j < cs.length; j++)
        for (const [a, va] of alone.get(cs[i]!.name)!.voices)
          for (const [b, vb] of alone.get(cs[j]!.name)!.voices)
            (a === b ? same : different).push(voiceDistance(va, vb));
    return { same, different };
  };
  lines.push('## Enrolled-voice matching', '');
  lines.push(
    `A speaker's voice in one recording against every speaker's voice in another (speakers found by diarize(), named by ` +
      `their overlap with the truth). Matching threshold ${DEFAULT_VOICE_MATCH_THRESHOLD}.`,
    '',
    '| part | same-voice pairs: median / max distance, matched | different-voice pairs: median / min distance, matched (false) |',
    '|---|---|---|',
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  for (const [name, cs] of [
    ['tuning', tune],
    ['held-out', held],
  ] as const) {
    const { same, different } = distances(cs);
    const under = (xs: number[]) => xs.filter((x) => x <= DEFAULT_VOICE_MATCH_THRESHOLD).length;
    lines.push(
      `| ${name} | ${fmt(median(same))} / ${fmt(Math.max(...same))}, ${under(same)} of ${same.length} | ` +
        `${fmt(median(different))} / ${fmt(Math.min(...different))}, ${under(different)} of ${different.length} |`,
    );
    console.log(lines[lines.length - 1]);
  }
  lines.push('');

  // 4. Through the platform: the same held-out recordings transcribed by the speech.transcribe job.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diarization-bench-'));
  const procs: ChildProcess[] = [];
  try {
    const { db, key, gql, waitJob } = await startBenchPlatform(
      {
        databaseUrl: DB,
        redisUrl: REDIS,
        queuePrefix: PREFIX,
        dataDir: path.join(dir, 'data'),
        port: PORT,
        workerQueues: 'speech:1',
        slug: 'diarization-bench',
        name: 'Diarization bench',
      },
      procs,
    );

    const recognizer = new PocketsphinxRecognizer();
    const rows: string[] = [];
    const platformTurns: Array<{ c: NamedConversation; turns: SpeakerTurn[] }> = [];
    const wer = { engine: { e: 0, n: 0 }, platform: { e: 0, n: 0 } };
    let engineSec = 0;
    let platformSec = 0;
    let audioSec = 0;
    for (const c of held) {
      audioSec += c.pcm.samples.length / 16_000;
      let t0 = performance.now();
      const engine = await recognizer.transcribe(c.pcm);
      diarize(c.pcm);
      engineSec += (performance.now() - t0) / 1000;

      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(encodeWav(c.pcm))]), `${c.name.replace(/\W+/g, '-')}.wav`);
      const up = await fetch(`http://127.0.0.1:${PORT}/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      const { id } = (await up.json()) as { id: string };
      t0 = performance.now();
      const { transcribe } = await gql(
        `mutation($id: ID!) { transcribe(assetId: $id, options: { useVocabulary: false }) { id } }`,
        { id },
      );
      const job = await waitJob(transcribe.id);
      platformSec += (performance.now() - t0) / 1000;
      const { transcript } = await gql(
        `query($id: ID!) { transcript(id: $id) { text speakers { id name } segments { start end speaker } } }`,
        { id: job.result.transcriptId },
      );
      // The platform's turns: its segments (words as recognised, cut where the speaker changes).
      const turns: SpeakerTurn[] = transcript.segments.map(
        (s: { start: number; end: number; speaker: string }) => ({
          start: s.start,
          end: s.end,
          speaker: s.speaker,
        }),
      );
      platformTurns.push({ c, turns });
      const r = diarizationErrorRate(c.turns, turns, { collarSec: COLLAR });
      let werCells = '| |';
      if (c.reference) {
        const a = wordErrorRate(c.reference, engine.text);
        const b = wordErrorRate(c.reference, transcript.text);
        wer.engine.e += a.substitutions + a.deletions + a.insertions;
        wer.engine.n += a.referenceWords;
        wer.platform.e += b.substitutions + b.deletions + b.insertions;
        wer.platform.n += b.referenceWords;
        werCells = `| ${pct(a.wer)} | ${pct(b.wer)} |`;
      }
      rows.push(`| ${c.name} | ${transcript.speakers.length} | ${pct(r.der)} ${werCells}`);
      console.log(rows[rows.length - 1]);
    }
    await recognizer.close();
    lines.push('## Through the platform (held-out part)', '');
    lines.push(
      'Each recording uploaded as WAV, transcribed by the `transcribe` mutation (stock model, diarization on by default) on ' +
        'one speech worker; the turns are the transcript segments with their speaker, so speech without recognised words ' +
        'counts as missed. WER against the references where the words are known (synthesized recordings and "lj alone"); ' +
        'engine alone = pocketsphinx_batch on the same samples in this process.',
      '',
      '| recording | speakers | DER of the transcript | WER engine alone | WER through the platform |',
      '|---|---|---|---|---|',
      ...rows,
      `| all held-out | | ${pct(pooledDer(platformTurns))} | ${pct(wer.engine.e / wer.engine.n)} | ${pct(wer.platform.e / wer.platform.n)} |`,
      '',
      `Time: engine alone (recognition + diarize) ${fmt(engineSec, 1)} s, through the platform (job queued to completed) ` +
        `${fmt(platformSec, 1)} s for ${fmt(audioSec, 0)} s of audio: platform / engine ${fmt(platformSec / engineSec)}x.`,
      '',
    );
    await db.$disconnect();
  } finally {
    for (const p of procs.reverse()) await stopProcess(p);
    rmSync(dir, { recursive: true, force: true });
  }
  const out = lines.join('\n');
  console.log(`\n${out}`);
  writeFileSync(path.join(repoRoot, 'apps/api/bench/DIARIZATION-RESULTS.md'), out);
}

await main();
