/**
 * Readable transcripts: what sentences, casing and paragraphs from pauses add, and that WER stays the same.
 *
 *   pnpm --filter @media-ai/speech bench:readable   (also run by pnpm bench:speech; data from SHARED_DATA_DIR,
 *                                                    else <repo>/../shared/data)
 *
 * pocketsphinx (chunked, en-us) transcribes the 6 shared recordings once. The sentence pause was chosen on
 * three of them (the selection half); the other three are the held-out half. "Formatted WER" counts a word
 * as right only with its case and its sentence end (a final "."); plain WER ignores both. Truecasing is
 * learnt from the 500 WMT newstest2013 English sentences, standing in for a newsroom's articles.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_SENTENCE_GAP_SEC,
  PocketsphinxRecognizer,
  concatPcm,
  decodeAudio,
  silence,
  formattedWordErrorRate,
  learnTruecase,
  readableTranscript,
  wordErrorRate,
  type Transcript,
  type WerResult,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const speechDir = path.join(dataDir, 'speech');
const SELECTION = ['jfk', 'lj_LJ001-0001', 'lj_LJ001-0003'];
const HELD_OUT = ['ldc93s1', 'lj_LJ001-0002', 'lj_LJ001-0004'];
const GAPS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rate = (rs: WerResult[]) =>
  rs.reduce((s, r) => s + r.substitutions + r.deletions + r.insertions, 0) /
  Math.max(
    1,
    rs.reduce((s, r) => s + r.referenceWords, 0),
  );

export async function readableBench(): Promise<string[]> {
  if (!existsSync(path.join(speechDir, 'transcripts.tsv'))) {
    console.log(`Skipping the readable-transcript benchmark: ${speechDir} is absent.`);
    return [];
  }
  const refs = new Map(
    (await readFile(path.join(speechDir, 'transcripts.tsv'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]),
  );
  const newsPath = path.join(dataDir, 'text', 'newstest2013', 'eng.txt');
  const truecase = existsSync(newsPath)
    ? learnTruecase((await readFile(newsPath, 'utf8')).split('\n'))
    : new Map<string, string>();
  const recognizer = new PocketsphinxRecognizer({ concurrency: 2 });
  const raw = new Map<string, Transcript>();
  for (const id of [...SELECTION, ...HELD_OUT])
    raw.set(id, await recognizer.transcribe(path.join(speechDir, `${id}.wav`)));
  // The held-out recordings joined with 1.5 s pauses: a programme of several sentences.
  const gap = silence(1.5, 16_000);
  const pcm = [];
  for (const id of HELD_OUT) pcm.push((await decodeAudio(path.join(speechDir, `${id}.wav`))).pcm, gap);
  raw.set('held-out joined', await recognizer.transcribe(concatPcm(pcm)));
  refs.set('held-out joined', HELD_OUT.map((id) => refs.get(id)!.replace(/[,;:]?$/, '.')).join(' '));
  await recognizer.close();

  const score = (ids: string[], text: (t: Transcript) => string) => ({
    wer: rate(ids.map((id) => wordErrorRate(refs.get(id)!, text(raw.get(id)!)))),
    formatted: rate(ids.map((id) => formattedWordErrorRate(refs.get(id)!, text(raw.get(id)!)))),
  });
  const readable = (gap: number) => (t: Transcript) =>
    readableTranscript(t, { sentenceGapSec: gap, truecase }).text;
  const lines = ['## Readable transcripts', ''];
  lines.push(
    'pocketsphinx (chunked, en-us) on the 6 shared recordings. Sentences end where the speaker paused at least the ' +
      'sentence pause; casing: sentence starts, "I", and a truecasing table learnt from 500 newstest2013 English ' +
      'sentences (a newsroom learns its own from its articles). Formatted WER counts a word as right only with its ' +
      `case and sentence end. The pause (${DEFAULT_SENTENCE_GAP_SEC} s) was chosen on the selection half ` +
      `(${SELECTION.join(', ')}); the held-out half is ${HELD_OUT.join(', ')}, also joined into one file with 1.5 s ` +
      'pauses (its reference: the three references, each ending with a full stop).',
    '',
  );
  lines.push(
    '| transcript | selection: WER | selection: formatted WER | held-out: WER | held-out: formatted WER | held-out joined: WER | held-out joined: formatted WER |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  const row = (name: string, f: (t: Transcript) => string) => {
    const s = score(SELECTION, f);
    const h = score(HELD_OUT, f);
    const j = score(['held-out joined'], f);
    lines.push(
      `| ${name} | ${pct(s.wer)} | ${pct(s.formatted)} | ${pct(h.wer)} | ${pct(h.formatted)} | ${pct(j.wer)} | ${pct(j.formatted)} |`,
    );
    console.log(
      `  ${name}: selection ${pct(s.wer)} / ${pct(s.formatted)}, held-out ${pct(h.wer)} / ${pct(h.formatted)}`,
    );
  };
  row('as recognised (today)', (t) => t.text);
  for (const gap of GAPS)
    row(
      `readable, sentence pause ${gap} s${gap === DEFAULT_SENTENCE_GAP_SEC ? ' (default)' : ''}`,
      readable(gap),
    );
  lines.push('');
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const lines = await readableBench();
  if (lines.length) {
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    lines.splice(
      2,
      0,
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load}. Run: \`pnpm --filter @media-ai/speech bench:readable\`.`,
      '',
    );
    await writeFile(
      path.join(here, 'READABLE.md'),
      ['# Readable transcripts benchmark', '', ...lines].join('\n'),
    );
    console.log(`Wrote ${path.join(here, 'READABLE.md')}`);
  }
}
