/**
 * Builds models/punctuation-en.json from the shared text (see punctuation-data.ts for the split) and the
 * general English language model (its sentence-end and sentence-start probabilities, binned per word).
 *
 *   pnpm --filter @media-ai/speech punctuation:train     (data from SHARED_DATA_DIR, else <repo>/../shared/data)
 *
 * Settings (step size, passes, class offsets) are chosen on the development split; the pause evidence on
 * the development newstest sentences read by flite and three of the shared recordings, recognised by
 * pocketsphinx (so flite and pocketsphinx must be installed); the question weighting
 * by cross-validation over training + development (features seen once are
 * dropped and weights under 0.05 pruned, which keeps the file under 2 MB);
 * the final model is trained on training + development with them, and scored once on the held-out split.
 * Deterministic: the same data and language model give the same file.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readArpa } from '../src/lm/arpa.js';
import { ensureGeneralArpa } from '../src/lm/general.js';
import { logProb2, wordIndex } from '../src/lm/model.js';
import { LM_END_EDGES, LM_START_EDGES, lmBin, sentenceFeatures } from '../src/punctuation/features.js';
import {
  PUNCTUATION_MODEL_PATH,
  PunctuationModel,
  NO_PAUSE_EVIDENCE,
  decodeMarks,
  type PauseEvidence,
  type PunctuationModelFile,
} from '../src/punctuation/model.js';
import { alignMarks, punctuationScores, type PunctuationScores } from '../src/punctuation/score.js';
import { PocketsphinxRecognizer } from '../src/recognition/pocketsphinx/recognizer.js';
import { trainPunctuation, trainQuestionClassifier, type TrainOptions } from '../src/punctuation/train.js';
import { QUESTION, isSentenceEnd, type PunctuatedWords } from '../src/punctuation/corpus.js';
import { hasPunctuationText, newsSentences, punctuationSplits } from './punctuation-data.js';
import { recordingStreams, speechDir, synthesizedStream } from './punctuation-speech.js';

/** Words of the general model kept in the lexicon (most probable first). */
const LEXICON_WORDS = 30_000;
/** Pause bins (s) below the sentence pause; their log-odds are chosen on spoken development text. */
const PAUSE_EDGES = [0.1, 0.2, 0.3, 0.45];
const PAUSE_GRID = [-4, -2, -1, 0, 1, 2, 4, 6, 8];
/** The selection half of the shared recordings (the other half is held out in bench/readable.bench.ts). */
const SELECTION_RECORDINGS = ['jfk', 'lj_LJ001-0001', 'lj_LJ001-0003'];
const PRUNE_BELOW = 0.05;

if (!hasPunctuationText) {
  console.log('The shared text (text/cnndm, text/newstest2013) is absent: set SHARED_DATA_DIR.');
  process.exit(1);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const summary = (s: PunctuationScores) =>
  `period ${pct(s.period.f1)}, comma ${pct(s.comma.f1)}, question ${pct(s.question.f1)}, sentence boundary ${pct(s.sentenceBoundary.f1)}`;

console.log('Reading the general language model …');
const lm = await readArpa((await ensureGeneralArpa()).path);
const index = wordIndex(lm);
const S = index.get('<s>')!;
const E = index.get('</s>')!;
const ranked = lm.vocab
  .map((w, i) => ({ w, i }))
  .filter(({ w }) => !w.startsWith('<') && !/\s/.test(w))
  .sort((a, b) => lm.p1[b.i]! - lm.p1[a.i]! || (a.w < b.w ? -1 : 1))
  .slice(0, LEXICON_WORDS)
  .sort((a, b) => (a.w < b.w ? -1 : 1));
const lexiconLines = ranked.map(
  ({ w, i }) =>
    `${w.replace(/\(\d+\)$/, '')} ${lmBin(logProb2(lm, i, E), LM_END_EDGES)}${lmBin(logProb2(lm, S, i) - lm.p1[i]!, LM_START_EDGES)}`,
);
const lexicon = new Map(
  lexiconLines.map((l) => [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)]),
);

const splits = punctuationSplits();
const count = (docs: PunctuatedWords[]) => docs.reduce((n, d) => n + d.words.length, 0);
console.log(
  `words: train ${count(splits.train)}, development ${count(splits.development)}, held-out ${count(splits.heldOut)}`,
);

// The question / statement choice: how far to weight the few questions up, by 5-fold cross-validation over
// the training and development sentences (there are too few questions in development alone).
function questionF1(balance: number): number {
  const docs = [...splits.train, ...splits.development];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let fold = 0; fold < 5; fold++) {
    const w = trainQuestionClassifier(
      docs.filter((_, i) => i % 5 !== fold),
      { balance },
    );
    for (const d of docs.filter((_, i) => i % 5 === fold)) {
      let from = 0;
      d.marks.forEach((m, i) => {
        if (!isSentenceEnd(m)) return;
        const z = sentenceFeatures(d.words, from, i).reduce((a, f) => a + (w.get(f) ?? 0), 0);
        if (z > 0 && m === QUESTION) tp++;
        else if (z > 0) fp++;
        else if (m === QUESTION) fn++;
        from = i + 1;
      });
    }
  }
  return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}
let balance = 0;
let balanceF1 = -1;
for (const b of [0, 0.25, 0.5, 0.75, 1]) {
  const f = questionF1(b);
  console.log(`  questions weighted up by (statements / questions)^${b}: cross-validated F1 ${pct(f)}`);
  if (f > balanceF1) [balance, balanceF1] = [b, f];
}
const questionWeights = trainQuestionClassifier(splits.train, { balance });
const questionScore = (f: readonly string[]) => f.reduce((z, x) => z + (questionWeights.get(x) ?? 0), 0);
const evaluate = (docs: PunctuatedWords[], score: (f: readonly string[]) => number[], offsets: number[]) =>
  punctuationScores(
    docs.map((d) => ({
      reference: d.marks,
      predicted: decodeMarks(d.words, (f) => score(f).map((x, c) => x + offsets[c]!), lexicon, {
        questionScore,
      }),
    })),
  );
// The development split holds only a few questions: their F1 counts half as much as the other two.
const objective = (s: PunctuationScores) => (s.period.f1 + s.comma.f1 + 0.5 * s.question.f1) / 2.5;

let best: { options: Omit<TrainOptions, 'lexicon'>; offsets: number[]; dev: PunctuationScores } | undefined;
for (const learningRate of [0.02, 0.05, 0.1])
  for (const epochs of [8, 16])
    for (const minCount of [2]) {
      const options = { learningRate, epochs, minCount };
      const model = trainPunctuation(splits.train, { ...options, lexicon });
      for (const comma of [-0.5, 0, 0.5])
        for (const end of [-0.5, 0, 0.5]) {
          const offsets = [0, comma, end, end];
          const dev = evaluate(splits.development, model.score, offsets);
          if (!best || objective(dev) > objective(best.dev)) best = { options, offsets, dev };
        }
      console.log(`  ${JSON.stringify(options)}: best so far ${pct(objective(best!.dev))}`);
    }
console.log(
  `chosen ${JSON.stringify(best!.options)}, offsets ${best!.offsets.join(' ')}: development ${summary(best!.dev)}`,
);

// Pause evidence: the development newstest sentences read by flite and the selection recordings, recognised
// by pocketsphinx; the text side is the model trained without the development text (its scores there are
// honest), and each bin's log-odds are chosen by coordinate ascent on period and comma F1.
console.log('Recognising the spoken development text (flite, pocketsphinx) …');
const recognizer = new PocketsphinxRecognizer({ concurrency: 2 });
const spoken = [
  await synthesizedStream('newstest2013 350-399 read by flite', newsSentences(350, 400), recognizer),
  ...(existsSync(path.join(speechDir, 'transcripts.tsv'))
    ? await recordingStreams(SELECTION_RECORDINGS, recognizer)
    : []),
];
await recognizer.close();
const devModel = trainPunctuation(splits.train, { ...best!.options, lexicon });
const devScore = (f: readonly string[]) => devModel.score(f).map((x, c) => x + best!.offsets[c]!);
const pauseObjective = (evidence: PauseEvidence) => {
  const s = punctuationScores(
    spoken.map((st) =>
      alignMarks(st.reference, {
        words: st.words,
        marks: decodeMarks(st.words, devScore, lexicon, {
          pauses: st.pauses,
          pauseEvidence: evidence,
          questionScore,
        }),
      }),
    ),
  );
  return (s.period.f1 + s.comma.f1) / 2;
};
const pauses: PauseEvidence = {
  edges: PAUSE_EDGES,
  end: PAUSE_EDGES.map(() => 0).concat(0),
  comma: PAUSE_EDGES.map(() => 0).concat(0),
};
let pauseF1 = pauseObjective(pauses);
// One log-odds per bin for both marks: the pause says "a break here", the words say which. (Apart, they fitted
// flite's habit of 0.2-0.45 s sentence pauses, and turned people's commas of that length into full stops.)
for (let sweep = 0; sweep < 3; sweep++)
  for (let k = 0; k <= PAUSE_EDGES.length; k++)
    for (const v of PAUSE_GRID) {
      const was = pauses.end[k]!;
      pauses.end[k] = v;
      pauses.comma[k] = v;
      const f = pauseObjective(pauses);
      if (f > pauseF1 + 1e-9) pauseF1 = f;
      else {
        pauses.end[k] = was;
        pauses.comma[k] = was;
      }
    }
console.log(
  `pause evidence (bins from ${PAUSE_EDGES.join(', ')} s): end ${pauses.end.join(' ')}, comma ${pauses.comma.join(' ')}; ` +
    `spoken development (period + comma F1) / 2 ${pct(pauseObjective(NO_PAUSE_EVIDENCE))} without, ${pct(pauseF1)} with`,
);

const final = trainPunctuation([...splits.train, ...splits.development], { ...best!.options, lexicon });
const finalQuestion = trainQuestionClassifier([...splits.train, ...splits.development], { balance });
const question: PunctuationModelFile['question'] = {};
for (const [f, w] of [...finalQuestion].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
  if (Math.abs(w) >= PRUNE_BELOW) question[f] = Math.round(w * 1000);

const weights: PunctuationModelFile['weights'] = {};
for (const [f, w] of [...final.weights].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
  if (Math.max(...w.map(Math.abs)) >= PRUNE_BELOW)
    weights[f] = [...w].map((x) => Math.round(x * 1000)) as [number, number, number, number];
const round = (s: PunctuationScores) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number(v.f1.toFixed(4))]));
// Scored as shipped: pruned and rounded.
const shipped = new PunctuationModel({
  name: '',
  version: '',
  training: {},
  offsets: best!.offsets as [number, number, number, number],
  pauses,
  weights,
  question,
  lexicon: lexiconLines.join('\n'),
});
const heldOut = punctuationScores(
  splits.heldOut.map((d) => ({ reference: d.marks, predicted: shipped.punctuate(d.words) })),
);
console.log(`held-out: ${summary(heldOut)}`);
const file: PunctuationModelFile = {
  name: 'punctuation-en',
  version: '1',
  training: {
    data: 'CNN/DailyMail articles 0-39 and highlights 0-34, WMT newstest2013 English 0-399 (shared data); general en-us LM',
    settings: {
      ...best!.options,
      questionBalance: balance,
      questionCrossValidatedF1: Number(balanceF1.toFixed(4)),
    },
    developmentF1: round(best!.dev),
    pausesChosenOn:
      'newstest2013 350-399 read by flite (slt) and the jfk, lj_LJ001-0001, lj_LJ001-0003 recordings, recognised by pocketsphinx',
    heldOutF1: round(heldOut),
  },
  offsets: best!.offsets as [number, number, number, number],
  pauses,
  weights,
  question,
  lexicon: lexiconLines.join('\n'),
};
const json = JSON.stringify(file);
await writeFile(PUNCTUATION_MODEL_PATH, json + '\n');
console.log(
  `Wrote ${PUNCTUATION_MODEL_PATH}: ${Object.keys(weights).length} features, ${(json.length / 1024).toFixed(0)} KiB`,
);
