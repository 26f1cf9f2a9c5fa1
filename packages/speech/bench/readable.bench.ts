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
 * 3. The held-out newstest2013 sentences read by flite as one programme, recognised: punctuation F1 with
 *    many sentence ends (synthetic speech; about 2 minutes of recognition).
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
import { hasPunctuationText, newsSentences, punctuationSplits } from '../scripts/punctuation-data.js';
import { synthesizedStream, timedWords, type SpokenStream } from '../scripts/punctuation-speech.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const speechDir = path.join(dataDir, 'speech');
const SELECTION = ['jfk', 'lj_LJ001-0001', 'lj_LJ001-0003'];
const HELD_OUT = ['ldc93s1', 'lj_LJ001-0002', 'lj_LJ001-0004'];

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

type Timed = Pick<SpokenStream, 'words' | 'pauses'>;

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
  const withModel = (t: Timed): Mark[] => model.punctuate(t.words, { pauses: t.pauses });
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

  const sets = [
    { name: 'selection', ids: SELECTION },
    { name: 'held-out', ids: [...HELD_OUT, 'held-out joined'] },
  ];
  const none = (t: Timed): Mark[] => t.words.map(() => 0);
  const counts = sets.map(({ name, ids }) => {
    const s = marksOf(ids, none);
    return `${name} ${s.period.support} full stops, ${s.comma.support} commas, ${s.question.support} question marks`;
  });
  lines.push(
    '',
    'Punctuation F1 on the recordings, along a word alignment with the references (selection: the three ' +
      "recordings; held-out: the three and the joined file; each recording's last word not scored). A very small " +
      `sample: ${counts.join('; ')}. The full stops are the joined file's 1.5 s pauses.`,
    '',
  );
  lines.push(`| recordings | punctuation | ${F1_HEADER.slice(2)}`);
  lines.push('|---|---|---|---|---|---|');
  for (const { name, ids } of sets) {
    lines.push(`| ${name} | pauses only (before) | ${f1Cells(marksOf(ids, baseline))} |`);
    lines.push(`| ${name} | punctuation model, words only | ${f1Cells(marksOf(ids, textOnly))} |`);
    lines.push(
      `| ${name} | punctuation model, words and pauses (after) | ${f1Cells(marksOf(ids, withModel))} |`,
    );
  }

  // The held-out newstest sentences read by flite as one programme (12 minutes): many sentence ends.
  const read = await synthesizedStream(
    'newstest2013 400-499 read by flite',
    newsSentences(400, 500),
    recognizer,
  );
  await recognizer.close();
  const readRef = read.reference;
  const readScores = (predict: (t: Timed) => Mark[]) =>
    punctuationScores([alignMarks(readRef, { words: read.words, marks: predict(read) })]);
  const readSupport = readScores((t) => t.words.map(() => 0));
  const ev = model.pauseEvidence;
  lines.push(
    '',
    '### Held-out text read aloud',
    '',
    'The 100 held-out newstest2013 sentences read by flite (slt) as one programme and recognised by pocketsphinx ' +
      `(WER ${pct(wordErrorRate(readRef.words.join(' '), read.words.join(' ')).wer)}); ` +
      `${readSupport.period.support} full stops, ${readSupport.comma.support} commas, ${readSupport.question.support} ` +
      'question marks along the word alignment. Synthetic speech: flite pauses at the punctuation it reads, more ' +
      `regularly than people do, and shorter at sentence ends (0.3-0.4 s) than the ${DEFAULT_SENTENCE_GAP_SEC} s ` +
      `sentence pause. The model's pause evidence (bins from ${ev.edges.join(', ')} s: sentence end ` +
      `${ev.end.join(' / ')}, comma ${ev.comma.join(' / ')}) was chosen on the development sentences 350-399 read ` +
      'the same way and on the selection recordings.',
    '',
  );
  lines.push(`| punctuation | ${F1_HEADER.slice(2)}`);
  lines.push('|---|---|---|---|---|');
  lines.push(`| pauses only (before) | ${f1Cells(readScores(baseline))} |`);
  lines.push(`| punctuation model, words only | ${f1Cells(readScores(textOnly))} |`);
  lines.push(`| punctuation model, words and pauses (after) | ${f1Cells(readScores(withModel))} |`);
  console.log(
    `  read aloud: before ${f1Cells(readScores(baseline))}; after ${f1Cells(readScores(withModel))}`,
  );
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
