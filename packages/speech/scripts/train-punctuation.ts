/**
 * Builds models/punctuation-en.json from the shared text (see punctuation-data.ts for the split) and the
 * general English language model (its sentence-end and sentence-start probabilities, binned per word).
 *
 *   pnpm --filter @media-ai/speech punctuation:train     (data from SHARED_DATA_DIR, else <repo>/../shared/data)
 *
 * Settings (step size, passes, class offsets) are chosen on the development split (features seen once are
 * dropped and weights under 0.05 pruned, which keeps the file under 2 MB);
 * the final model is trained on training + development with them, and scored once on the held-out split.
 * Deterministic: the same data and language model give the same file.
 */
import { writeFile } from 'node:fs/promises';
import { readArpa } from '../src/lm/arpa.js';
import { ensureGeneralArpa } from '../src/lm/general.js';
import { logProb2, wordIndex } from '../src/lm/model.js';
import { LM_END_EDGES, LM_START_EDGES, lmBin } from '../src/punctuation/features.js';
import {
  PUNCTUATION_MODEL_PATH,
  PunctuationModel,
  decodeMarks,
  type PunctuationModelFile,
} from '../src/punctuation/model.js';
import { punctuationScores, type PunctuationScores } from '../src/punctuation/score.js';
import { trainPunctuation, trainQuestionClassifier, type TrainOptions } from '../src/punctuation/train.js';
import type { PunctuatedWords } from '../src/punctuation/corpus.js';
import { hasPunctuationText, punctuationSplits } from './punctuation-data.js';

/** Words of the general model kept in the lexicon (most probable first). */
const LEXICON_WORDS = 30_000;
/**
 * Pause evidence: log-odds added to a sentence end and to a comma at a pause just under the sentence pause
 * (in proportion below it). Chosen on the selection half of the shared recordings (bench/readable.bench.ts
 * prints the grid): the smallest comma weight with the best comma F1 there; the end weight made no
 * difference there (no sentence ends inside those recordings) and stays small.
 */
const PAUSE_WEIGHTS = { end: 2, comma: 8 };
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

const questionWeights = trainQuestionClassifier(splits.train);
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

const final = trainPunctuation([...splits.train, ...splits.development], { ...best!.options, lexicon });
const finalQuestion = trainQuestionClassifier([...splits.train, ...splits.development]);
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
  pauseWeights: PAUSE_WEIGHTS,
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
    settings: best!.options,
    developmentF1: round(best!.dev),
    heldOutF1: round(heldOut),
  },
  offsets: best!.offsets as [number, number, number, number],
  pauseWeights: PAUSE_WEIGHTS,
  weights,
  question,
  lexicon: lexiconLines.join('\n'),
};
const json = JSON.stringify(file);
await writeFile(PUNCTUATION_MODEL_PATH, json + '\n');
console.log(
  `Wrote ${PUNCTUATION_MODEL_PATH}: ${Object.keys(weights).length} features, ${(json.length / 1024).toFixed(0)} KiB`,
);
