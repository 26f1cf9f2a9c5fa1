import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deserializeSentenceScorer,
  meanRougeF,
  prepareDocument,
  rouge,
  scoreSentences,
  serializeSentenceScorer,
  summarize,
  trainSentenceScorer,
  type SummaryPair,
} from '../src/index.js';
import { rng } from '../src/ml/random.js';

const ARTICLE = `The city council approved a new budget of $4.2 billion on Tuesday after a six-hour debate.
The budget raises spending on schools by 8% and cuts the police overtime budget by $30 million.
Mayor Ana Ruiz said the plan "keeps the promises we made to families."
Opposition members argued that the cuts would leave neighbourhoods less safe.
The vote was 9 to 4.
A second vote on transit fares is expected next month.
Residents packed the chamber, some holding signs about bus routes.
The budget takes effect on July 1.`;

describe('summaries', () => {
  it('lead-N returns the first sentences in order', () => {
    const s = summarize(ARTICLE, { method: 'lead', maxSentences: 2 });
    expect(s.sentences.map((x) => x.index)).toEqual([0, 1]);
    expect(s.text.startsWith('The city council approved')).toBe(true);
  });

  it('respects maxChars and keeps original order for every method', () => {
    for (const method of ['lead', 'textrank'] as const) {
      for (const maxChars of [60, 150, 300]) {
        const s = summarize(ARTICLE, { method, maxSentences: 5, maxChars });
        expect(s.text.length).toBeLessThanOrEqual(maxChars);
        const idx = s.sentences.map((x) => x.index);
        expect([...idx].sort((a, b) => a - b)).toEqual(idx);
      }
    }
    // Nothing fits: the best sentence is cut at a word boundary with an ellipsis.
    const tiny = summarize(ARTICLE, { method: 'textrank', maxChars: 18 });
    expect(tiny.truncated).toBe(true);
    expect(tiny.text.length).toBeLessThanOrEqual(18);
    expect(tiny.text.endsWith('…')).toBe(true);
  });

  it('respects maxSentences', () => {
    expect(summarize(ARTICLE, { method: 'textrank', maxSentences: 1 }).sentences).toHaveLength(1);
    expect(summarize(ARTICLE, { method: 'textrank', maxSentences: 4 }).sentences.length).toBeLessThanOrEqual(
      4,
    );
  });
});

/**
 * Synthetic articles: 14 sentences; three "key" sentences at random positions (not the lead) repeat the title's
 * words and carry a number; the reference summary restates them. Position alone cannot find them.
 */
function syntheticPairs(n: number, seed: number): SummaryPair[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const topics = [
    'river flood',
    'school strike',
    'bridge collapse',
    'factory fire',
    'bank merger',
    'metro expansion',
    'hospital funding',
    'wildfire season',
  ];
  const filler =
    'people said weather market morning local group report team city officials plan week change public new area small major road park music food'.split(
      ' ',
    );
  const pairs: SummaryPair[] = [];
  for (let a = 0; a < n; a++) {
    const topic = pick(topics);
    const [w1, w2] = topic.split(' ');
    const keyPos = new Set<number>();
    while (keyPos.size < 3) keyPos.add(2 + Math.floor(r() * 12));
    const sentences: string[] = [];
    const summary: string[] = [];
    const keyTemplates = [
      (n: number) => [
        `The ${w1} ${w2} affected ${n} residents, officials confirmed.`,
        `${w1} ${w2} affected ${n} residents.`,
      ],
      (n: number) => [
        `Emergency crews said the ${w2} near the ${w1} forced ${n} families from their homes.`,
        `${n} families forced from homes.`,
      ],
      (n: number) => [
        `Damage from the ${w1} ${w2} is estimated at ${n} million dollars.`,
        `damage estimated at ${n} million.`,
      ],
    ];
    let k = 0;
    for (let i = 0; i < 14; i++) {
      if (keyPos.has(i)) {
        const [sentence, highlight] = keyTemplates[k++](10 + Math.floor(r() * 900));
        sentences.push(sentence);
        summary.push(highlight);
      } else {
        sentences.push(
          `The ${pick(filler)} ${pick(filler)} was ${pick(filler)} for the ${pick(filler)} ${pick(filler)} this ${pick(filler)}.`,
        );
      }
    }
    pairs.push({ title: `${w1} ${w2} hits region`, text: sentences.join(' '), summary: summary.join(' ') });
  }
  return pairs;
}

function randomSummaryScore(pairs: SummaryPair[], seed: number) {
  const r = rng(seed);
  return meanRougeF(
    pairs.map((p) => {
      const doc = prepareDocument(p);
      const idx = new Set<number>();
      while (idx.size < Math.min(3, doc.sentences.length)) idx.add(Math.floor(r() * doc.sentences.length));
      const text = [...idx]
        .sort((a, b) => a - b)
        .map((i) => doc.sentences[i].text)
        .join(' ');
      return rouge(text, p.summary);
    }),
  );
}

describe('trained sentence scorer', () => {
  it('learns on synthetic data, beats random and lead, reports progress, round-trips through a Buffer', async () => {
    const train = syntheticPairs(40, 1);
    const test = syntheticPairs(20, 2);
    const progress: { epoch: number; loss: number }[] = [];
    const model = await trainSentenceScorer(train, {
      epochs: 40,
      version: 'test-1',
      validation: test,
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toHaveLength(40);
    expect(progress[39].loss).toBeLessThan(progress[0].loss);

    const trained = meanRougeF(test.map((p) => rouge(summarize(p, { model }).text, p.summary)));
    const random = randomSummaryScore(test, 3);
    const lead = meanRougeF(test.map((p) => rouge(summarize(p, { method: 'lead' }).text, p.summary)));
    expect(trained.rouge2).toBeGreaterThan(random.rouge2 + 10);
    expect(trained.rouge2).toBeGreaterThan(lead.rouge2 + 10);
    expect(trained.rouge2).toBeGreaterThan(25);
    expect(model.metrics.valRouge2).toBeCloseTo(trained.rouge2, 5);

    // Registry artifact: identity, params, metrics survive, and the scores are identical.
    const buf = serializeSentenceScorer(model);
    expect(Buffer.isBuffer(buf)).toBe(true);
    const back = deserializeSentenceScorer(buf);
    expect(back).toMatchObject({ name: 'sentence-scorer', version: 'test-1', kind: 'sentence-scorer' });
    expect(back.params.hidden).toEqual(model.params.hidden);
    expect(back.metrics).toEqual(model.metrics);
    const doc = prepareDocument(test[0]);
    expect(scoreSentences(back, doc)).toEqual(scoreSentences(model, doc));
    expect(() => deserializeSentenceScorer(Buffer.from('{"format":"x"}'))).toThrow(/unknown model format/);
  });

  const dataDir =
    process.env.SHARED_DATA_DIR ??
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
  const cnndm = join(dataDir, 'text/cnndm');
  const haveCnndm = existsSync(join(cnndm, 'src.txt')) && existsSync(join(cnndm, 'ref.txt'));
  it.skipIf(!haveCnndm)(
    `beats random sentences on real CNN/DailyMail articles (held out)${haveCnndm ? '' : ` [skipped: no ${cnndm}]`}`,
    async () => {
      const clean = (l: string) => l.replace(/<\/?t>/g, ' ').trim();
      const src = readFileSync(join(cnndm, 'src.txt'), 'utf8').trim().split('\n').map(clean);
      const ref = readFileSync(join(cnndm, 'ref.txt'), 'utf8').trim().split('\n').map(clean);
      const pairs = src.map((text, i) => ({ text, summary: ref[i] }));
      const model = await trainSentenceScorer(pairs.slice(0, 40), { epochs: 40 });
      const heldOut = pairs.slice(40);
      const trained = meanRougeF(heldOut.map((p) => rouge(summarize(p, { model }).text, p.summary)));
      const random = [5, 6, 7].map((s) => randomSummaryScore(heldOut, s).rouge1).reduce((a, b) => a + b) / 3;
      expect(trained.rouge1).toBeGreaterThan(random + 3);
    },
  );
});
