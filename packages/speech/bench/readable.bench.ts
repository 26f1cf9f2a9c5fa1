/**
 * Readable transcripts: what punctuation, casing and paragraphs add, and that WER stays the same.
 *
 *   pnpm --filter @media-ai/speech bench:readable   (also run by pnpm bench:speech; data from SHARED_DATA_DIR,
 *                                                    else <repo>/../shared/data)
 *
 * 1. The punctuation model on held-out text (CNN/DailyMail articles 40-49 and newstest2013 sentences 400-499,
 *    never used for training or settings): per-mark F1 against the writers' own marks, from the words alone,
 *    against today's rule (sentence ends from pauses only, which text has none of: only the stream's end).
 * 2. pocketsphinx (chunked, en-us) on the 6 shared recordings: WER, formatted WER (a word counts as right
 *    only with its case and its sentence end) and punctuation F1 along a word alignment with the reference.
 *    The pause settings were chosen on the selection half; the other three are the held-out half, also joined
 *    into one file with 1.5 s pauses. Truecasing is learnt from the 500 newstest2013 English sentences.
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
  defaultPunctuationModel,
  silence,
  formattedWordErrorRate,
  learnTruecase,
  punctuatedWords,
  punctuationScores,
  readableTranscript,
  wordErrorRate,
  type Mark,
  type PunctuationScores,
  type Transcript,
  type WerResult,
} from '../src/index.js';
import { alignMarks } from '../src/punctuation/score.js';
import { hasPunctuationText, punctuationSplits } from '../scripts/punctuation-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const speechDir = path.join(dataDir, 'speech');
const SELECTION = ['jfk', 'lj_LJ001-0001', 'lj_LJ001-0003'];
const HELD_OUT = ['ldc93s1', 'lj_LJ001-0002', 'lj_LJ001-0004'];
const END_GRID = [0, 2, 4, 8];
const COMMA_GRID = [0, 2, 4, 8, 12];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rate = (rs: WerResult[]) =>
  rs.reduce((s, r) => s + r.substitutions + r.deletions + r.insertions, 0) /
  Math.max(
    1,
    rs.reduce((s, r) => s + r.referenceWords, 0),
  );
const f1Cells = (s: PunctuationScores) =>
  [s.period, s.comma, s.question, s.sentenceBoundary]
    .map((k) => `${pct(k.f1)} (${pct(k.precision)} / ${pct(k.recall)})`)
    .join(' | ');
const F1_HEADER =
  '| period F1 (P / R) | comma F1 (P / R) | question F1 (P / R) | sentence boundary F1 (P / R) |';

/** Today's rule on a stream without timings: the stream's end is the only sentence end. */
const pausesOnly = (n: number): Mark[] => Array.from({ length: n }, (_, i) => (i === n - 1 ? 2 : 0));

export function heldOutTextBench(): string[] {
  if (!hasPunctuationText) {
    console.log(`Skipping punctuation on held-out text: ${path.join(dataDir, 'text')} is absent.`);
    return [];
  }
  const model = defaultPunctuationModel();
  const { heldOut } = punctuationSplits();
  const parts = [
    { name: 'CNN/DailyMail articles 40-49', docs: heldOut.slice(0, 10) },
    { name: 'newstest2013 sentences 400-499', docs: heldOut.slice(10) },
    { name: 'all held-out text', docs: heldOut },
  ];
  const words = heldOut.reduce((n, d) => n + d.words.length, 0);
  const support = punctuationScores(heldOut.map((d) => ({ reference: d.marks, predicted: d.marks })));
  const lines = ['## Punctuation on held-out text', ''];
  lines.push(
    `Model ${model.identity.name} version ${model.identity.version} (models/punctuation-en.json, built by ` +
      '`pnpm --filter @media-ai/speech punctuation:train`). Held-out: 10 CNN/DailyMail articles and 100 newstest2013 ' +
      `sentences, ${words} words with ${support.period.support} full stops, ${support.comma.support} commas and ` +
      `${support.question.support} question marks (few: the question figure is a small sample). Each article, and the ` +
      'newstest block, is one stream of lower-case words without punctuation, as a recogniser writes them; no pauses ' +
      '(text has none), so this is what the words alone give. The last word of a stream is not scored.',
    '',
  );
  lines.push(`| text | punctuation | ${F1_HEADER.slice(2)}`);
  lines.push('|---|---|---|---|---|---|');
  for (const part of parts) {
    const before = punctuationScores(
      part.docs.map((d) => ({ reference: d.marks, predicted: pausesOnly(d.words.length) })),
    );
    const after = punctuationScores(
      part.docs.map((d) => ({ reference: d.marks, predicted: model.punctuate(d.words) })),
    );
    lines.push(`| ${part.name} | pauses only (before) | ${f1Cells(before)} |`);
    lines.push(`| ${part.name} | punctuation model | ${f1Cells(after)} |`);
    console.log(`  ${part.name}: ${f1Cells(after)}`);
  }
  // Speed: the held-out words as one transcript, at 150 words a minute.
  const stream = heldOut.flatMap((d) => d.words);
  model.punctuate(stream);
  const t0 = performance.now();
  for (let k = 0; k < 5; k++) model.punctuate(stream);
  const ms = (performance.now() - t0) / 5;
  lines.push(
    '',
    `Speed: ${stream.length} words (${(stream.length / 150).toFixed(0)} minutes of speech at 150 words a minute) in ` +
      `${ms.toFixed(0)} ms, ${(ms / (stream.length / 150)).toFixed(2)} ms per transcript minute (one thread).`,
    '',
  );
  return lines;
}

interface Timed {
  words: string[];
  pauses: (number | null)[];
}
function timedWords(t: Transcript): Timed {
  const ws = t.segments.flatMap((s) => s.words);
  return {
    words: ws.map((w) => w.word.toLowerCase()),
    pauses: ws.map((w, i) => (ws[i + 1] ? Math.max(0, ws[i + 1]!.start - w.end) : null)),
  };
}

export async function recordingsBench(): Promise<string[]> {
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
  const model = defaultPunctuationModel();

  const score = (ids: string[], text: (t: Transcript) => string) => ({
    wer: rate(ids.map((id) => wordErrorRate(refs.get(id)!, text(raw.get(id)!)))),
    formatted: rate(ids.map((id) => formattedWordErrorRate(refs.get(id)!, text(raw.get(id)!)))),
  });
  const marksOf = (ids: string[], predict: (t: Timed) => Mark[]) =>
    punctuationScores(
      ids.map((id) => {
        const timed = timedWords(raw.get(id)!);
        return alignMarks(punctuatedWords(refs.get(id)!), { words: timed.words, marks: predict(timed) });
      }),
    );
  const baseline = (t: Timed): Mark[] =>
    t.pauses.map((p) => (p === null || p >= DEFAULT_SENTENCE_GAP_SEC ? 2 : 0));
  const withModel =
    (pauseWeights?: { end: number; comma: number }) =>
    (t: Timed): Mark[] =>
      model.punctuate(t.words, { pauses: t.pauses, ...(pauseWeights ? { pauseWeights } : {}) });
  const textOnly = (t: Timed): Mark[] => model.punctuate(t.words);

  const lines = ['## Readable transcripts of the recordings', ''];
  lines.push(
    'pocketsphinx (chunked, en-us) on the 6 shared recordings. Before: sentence ends where the speaker paused at ' +
      `least ${DEFAULT_SENTENCE_GAP_SEC} s. After: the punctuation model reads the words and the pauses (a pause of ` +
      `at least ${DEFAULT_SENTENCE_GAP_SEC} s still ends a sentence; shorter ones add to the odds of a mark). Casing ` +
      'in both: sentence starts, "I", and a truecasing table learnt from 500 newstest2013 English sentences. ' +
      'Formatted WER counts a word as right only with its case and sentence end. Selection half: ' +
      `${SELECTION.join(', ')}; held-out half: ${HELD_OUT.join(', ')}, also joined into one file with 1.5 s pauses ` +
      '(its reference: the three references, each ending with a full stop).',
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
  row('as recognised', (t) => t.text);
  row('readable, pauses only (before)', (t) => readableTranscript(t, { truecase, punctuation: null }).text);
  row('readable, punctuation model (after)', (t) => readableTranscript(t, { truecase }).text);

  const all = [...SELECTION, ...HELD_OUT, 'held-out joined'];
  const support = marksOf(all, (t) => t.words.map(() => 0));
  lines.push(
    '',
    `Punctuation F1 on the recordings (the 6 recordings and the joined file, along a word alignment with the ` +
      `references: ${support.period.support} full stops, ${support.comma.support} commas, ` +
      `${support.question.support} question marks; a very small sample, each recording's last word not scored).`,
    '',
  );
  lines.push(`| punctuation | ${F1_HEADER.slice(2)}`);
  lines.push('|---|---|---|---|---|');
  lines.push(`| pauses only (before) | ${f1Cells(marksOf(all, baseline))} |`);
  lines.push(`| punctuation model, words only | ${f1Cells(marksOf(all, textOnly))} |`);
  lines.push(`| punctuation model, words and pauses (after) | ${f1Cells(marksOf(all, withModel()))} |`);

  lines.push(
    '',
    'Pause evidence (log-odds added to a sentence end / a comma at a pause just under the sentence pause, in ' +
      `proportion below it), on the selection half only; the model file holds end ${model.pauseWeights.end}, ` +
      `comma ${model.pauseWeights.comma}.`,
    '',
  );
  lines.push(`| pause weights (end, comma) | ${F1_HEADER.slice(2)}`);
  lines.push('|---|---|---|---|---|');
  for (const end of END_GRID)
    for (const comma of COMMA_GRID)
      lines.push(`| ${end}, ${comma} | ${f1Cells(marksOf(SELECTION, withModel({ end, comma })))} |`);
  lines.push('');
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const lines = [...heldOutTextBench(), ...(await recordingsBench())];
  if (lines.length) {
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    await writeFile(
      path.join(here, 'READABLE.md'),
      [
        '# Readable transcripts benchmark',
        '',
        `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load}. Run: \`pnpm --filter @media-ai/speech bench:readable\`.`,
        '',
        ...lines,
      ].join('\n'),
    );
    console.log(`Wrote ${path.join(here, 'READABLE.md')}`);
  }
}
